#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# Helper of bench/guest/recovery: heals a switchable device and measures
# how long the iohang device above it takes to complete its held bios,
# without running any program or opening any file from the guest's 9p root
# while measuring (in deterministic mode a 9p round trip idles the vCPU and
# QEMU warps the guest clock to the next timer, possibly the retry tick
# itself).  Everything is a device-mapper ioctl on a control fd opened in
# advance, and the held bios are watched in /sys/block/dm-N/inflight.
#
# Usage: dmheal.py SWITCHABLE HEAL_TABLE IOHANG INFLIGHT_FILE
# then one command per line on stdin:
#   heal            suspend --noflush / load HEAL_TABLE / resume SWITCHABLE
#   heal retry_now  the same, then message IOHANG 0 retry_now
#   load DEV OFFSET start new I/O on DEV: every 10 ms a thread reads 4 KiB
#                   (O_DIRECT) at OFFSET + a few MiB; a read the outage
#                   holds blocks only its own thread
#   unload          stop starting reads, wait for those running
# heal prints "T0 HEAL_MS DONE_MS": T0 the epoch time just after the resume
# returned (the moment _switchable_heal would return), HEAL_MS the time the
# three ioctls took, DONE_MS from T0 until INFLIGHT_FILE shows no write in
# flight (polled every millisecond).  load and unload print "ok N", N the
# reads started so far.
import fcntl
import mmap
import os
import struct
import sys
import threading
import time

DM_VERSION = (4, 0, 0)
DM_IOCTL_SIZE = 312
DM_SUSPEND_FLAG = 1 << 1
DM_NOFLUSH_FLAG = 1 << 11


def _iowr(nr):
    return (3 << 30) | (DM_IOCTL_SIZE << 16) | (0xFD << 8) | nr


DM_DEV_SUSPEND = _iowr(6)
DM_TABLE_LOAD = _iowr(9)
DM_TARGET_MSG = _iowr(14)


def dm_ioctl(fd, cmd, name, flags=0, payload=b"", target_count=0):
    data_start = DM_IOCTL_SIZE
    size = data_start + len(payload)
    size += (-size) % 8
    hdr = struct.pack("=3I6IIQ128s129s7s", *DM_VERSION, size, data_start,
                      target_count, 0, flags, 0, 0, 0,
                      name.encode(), b"", b"")
    assert len(hdr) == DM_IOCTL_SIZE, len(hdr)
    buf = bytearray(hdr + payload + b"\0" * (size - len(hdr) - len(payload)))
    fcntl.ioctl(fd, cmd, buf)


def table_load(fd, name, table):
    start, length, ttype, params = table.split(None, 3)
    params = params.encode() + b"\0"
    params += b"\0" * ((-(40 + len(params))) % 8)
    spec = struct.pack("=QQiI16s", int(start), int(length), 0,
                       40 + len(params), ttype.encode())
    dm_ioctl(fd, DM_TABLE_LOAD, name, payload=spec + params, target_count=1)


class Load:
    """New I/O through the device while the benchmark runs."""

    def __init__(self, path, offset):
        self.fd = os.open(path, os.O_RDONLY | os.O_DIRECT)
        self.offset = offset
        self.stop = threading.Event()
        self.started = 0
        self.threads = []
        self.ticker = threading.Thread(target=self._tick)
        self.ticker.start()

    def _read(self, n):
        buf = mmap.mmap(-1, 4096)  # page-aligned, as O_DIRECT needs
        try:
            os.preadv(self.fd, [buf], self.offset + (n % 1024) * 4096)
        except OSError:
            pass  # a read that outlived its timeout: not measured here
        buf.close()

    def _tick(self):
        while not self.stop.wait(0.01):
            thread = threading.Thread(target=self._read, args=(self.started,))
            thread.start()
            self.threads.append(thread)
            self.started += 1

    def finish(self):
        self.stop.set()
        self.ticker.join()
        for thread in self.threads:
            thread.join()
        os.close(self.fd)
        return self.started


def main():
    sw, table, ioh, inflight = sys.argv[1:5]
    fd = os.open("/dev/mapper/control", os.O_RDWR)
    infd = os.open(inflight, os.O_RDONLY)
    msg = struct.pack("=Q", 0) + b"retry_now\0"
    load = None
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "load":
            load = Load(words[1], int(words[2]))
            print("ok 0", flush=True)
            continue
        if words[0] == "unload":
            print("ok %d" % (load.finish() if load else 0), flush=True)
            load = None
            continue
        th = time.time()
        dm_ioctl(fd, DM_DEV_SUSPEND, sw, DM_SUSPEND_FLAG | DM_NOFLUSH_FLAG)
        table_load(fd, sw, table)
        dm_ioctl(fd, DM_DEV_SUSPEND, sw, 0)
        t0 = time.time()
        if words[1:] == ["retry_now"]:
            dm_ioctl(fd, DM_TARGET_MSG, ioh, payload=msg)
        while True:
            if os.pread(infd, 64, 0).split()[1] == b"0":
                break
            time.sleep(0.001)
        t1 = time.time()
        print("%.6f %.1f %.1f" % (t0, (t0 - th) * 1000, (t1 - t0) * 1000),
              flush=True)


main()
