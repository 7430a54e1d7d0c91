# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# In-guest helpers for scenarios that put iohang over network block devices:
# an iSCSI disk served by tgtd and logged in with open-iscsi over loopback,
# an NBD disk served by nbd-server, or an NVMe/TCP namespace served by the
# kernel's nvmet and connected with nvme-cli.  Sourced after lib.sh and
# iohang.sh.
# Everything started here is stopped again at exit through _defer.
#
# The guest runs the host's userspace read-only over 9p with tmpfs on /tmp
# and /run, hence the writable copy of /etc/iscsi.  Things found out the
# hard way:
#  * loopback is down in the guest until `ip link set lo up`;
#  * iscsi_tcp needs crc32c loaded first, or login fails with "Could not
#    create connection due to crc32c loading error";
#  * iscsiadm writes its node database under /etc/iscsi and takes locks in
#    /run/lock/iscsi;
#  * nothing loads sd_mod for a new LUN without udev;
#  * iscsid's SIGTERM handler signals its whole process group, so the
#    daemons run in their own sessions (setsid), or stopping iscsid at exit
#    kills the scenario too.

ISCSI_IQN=iqn.2026-11.test:disk
ISCSI_PORTAL=127.0.0.1:3260
# Where tgtd listens while its target is being configured (_tgtd_start).
ISCSI_STAGING_PORTAL=127.0.0.1:3261
# The session's failure timeouts: the initiator sends a NOP-Out every
# NOOP_INTERVAL s and declares the connection dead NOOP_TIMEOUT s after an
# unanswered one; replacement_timeout s later the queued commands fail.
ISCSI_NOOP_INTERVAL=${ISCSI_NOOP_INTERVAL:-2}
ISCSI_NOOP_TIMEOUT=${ISCSI_NOOP_TIMEOUT:-2}
ISCSI_REPLACEMENT_TIMEOUT=${ISCSI_REPLACEMENT_TIMEOUT:-5}

_net_requires_iscsi() {
	_have_program ip || return 1
	_have_program tgtd || return 1
	_have_program tgtadm || return 1
	_have_program iscsiadm || return 1
	_have_program iscsid || return 1
	_have_module crc32c || return 1
	_have_module iscsi_tcp || return 1
	# No udev in the guest loads the disk driver for a new LUN.
	_have_module sd_mod || return 1
}

_net_requires_nbd() {
	_have_program ip || return 1
	_have_program nbd-server || return 1
	_have_program nbd-client || return 1
	_have_module nbd nbds_max=4 || return 1
}

_net_lo_up() {
	ip link set lo up
}

# _expect_landed DEV FILE: the 4 MiB of /tmp/pattern the scenario wrote at
# 1 MiB (64 KiB blocks 16-79) through iohang are on DEV, the new disk, and
# in FILE, the target's backing file.
# (No process substitution: the guest's /dev has no /dev/fd.)
_expect_landed() {
	dd if="$1" of=/tmp/on-new bs=64k skip=16 count=64 iflag=direct status=none
	cmp /tmp/pattern /tmp/on-new || _fail "the held writes did not land on the new disk"
	dd if="$2" of=/tmp/in-file bs=64k skip=16 count=64 status=none
	cmp /tmp/pattern /tmp/in-file || _fail "the held writes are not in the target's backing file"
	_log "ok: the held writes landed on $1"
}

# _kill_pid PID: SIGCONT (it may be stopped), SIGTERM, then SIGKILL after 5 s.
_kill_pid() {
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -CONT "$pid" 2>/dev/null || true
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
}

# --- iSCSI target (tgtd) ------------------------------------------------------

# _tgtd_start BACKING: start tgtd and export BACKING (a file or block
# device) as LUN 1 of $ISCSI_IQN to everyone.  Sets TGTD_PID.
#
# tgtd listens on a spare port while the target is configured and opens
# $ISCSI_PORTAL only when the LUN is ready.  A restarted tgtd that listened
# on the portal at once would let a recovering initiator in before the
# target exists; tgtd then closes the connection, and if that happens
# between iscsid's bind and set_param of a reopen, iscsid 2.1.8 retries the
# bind forever ("can't bind conn 1:0 to session 1, retcode -107": open-iscsi
# issue 387) and the session never comes back.
_tgtd_start() {
	local backing=$1
	mkdir -p /run/tgtd
	setsid tgtd -f --iscsi portal="$ISCSI_STAGING_PORTAL" \
		>>"${IOHANG_RESULTS:-/tmp}/tgtd.log" 2>&1 &
	TGTD_PID=$!
	_defer _kill_pid "$TGTD_PID"
	_wait_for "tgtd's control socket" 120 \
		tgtadm --lld iscsi --op show --mode target
	tgtadm --lld iscsi --op new --mode target --tid 1 -T "$ISCSI_IQN"
	tgtadm --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b "$backing"
	tgtadm --lld iscsi --op bind --mode target --tid 1 -I ALL
	tgtadm --lld iscsi --op new --mode portal --param portal="$ISCSI_PORTAL"
	tgtadm --lld iscsi --op delete --mode portal --param portal="$ISCSI_STAGING_PORTAL"
	_log "tgtd $TGTD_PID exports $backing as $ISCSI_IQN"
}

# _tgtd_freeze / _tgtd_thaw: SIGSTOP / SIGCONT the target: its TCP
# connections stay open but nothing answers, as with a hung storage server.
_tgtd_freeze() {
	kill -STOP "$TGTD_PID"
}

_tgtd_thaw() {
	kill -CONT "$TGTD_PID"
}

# _tgtd_kill: SIGKILL the target (the kernel resets its connections).
_tgtd_kill() {
	kill -KILL "$TGTD_PID"
	wait "$TGTD_PID" 2>/dev/null || true
}

# --- iSCSI initiator (open-iscsi) ---------------------------------------------

# _iscsid_start: a writable /etc/iscsi with a fresh initiator name, the lock
# folder, and iscsid.
_iscsid_start() {
	mkdir -p /run/lock/iscsi /tmp/etc-iscsi
	cp -a /etc/iscsi/. /tmp/etc-iscsi/
	echo "InitiatorName=iqn.2026-11.test:initiator" >/tmp/etc-iscsi/initiatorname.iscsi
	mount --bind /tmp/etc-iscsi /etc/iscsi
	_defer umount -l /etc/iscsi
	setsid iscsid -f >>"${IOHANG_RESULTS:-/tmp}/iscsid.log" 2>&1 &
	ISCSID_PID=$!
	_defer _kill_pid "$ISCSID_PID"
	_wait_for "iscsid's control socket" 120 _iscsid_listening
}

_iscsid_listening() {
	grep -q ISCSIADM_ABSTRACT_NAMESPACE /proc/net/unix
}

# _iscsi_discover: discover the target and set the session timeouts on its
# node record (they apply at the next login).
_iscsi_discover() {
	iscsiadm -m discovery -t sendtargets -p "$ISCSI_PORTAL" >/dev/null
	_iscsi_node_set node.session.timeo.replacement_timeout "$ISCSI_REPLACEMENT_TIMEOUT"
	_iscsi_node_set node.conn[0].timeo.noop_out_interval "$ISCSI_NOOP_INTERVAL"
	_iscsi_node_set node.conn[0].timeo.noop_out_timeout "$ISCSI_NOOP_TIMEOUT"
}

_iscsi_node_set() {
	iscsiadm -m node -T "$ISCSI_IQN" -p "$ISCSI_PORTAL" -o update -n "$1" -v "$2"
}

# _iscsi_login: log in (logged out again at exit) and set ISCSI_DEV to the
# disk's path once it appears.
_iscsi_login() {
	iscsiadm -m node -T "$ISCSI_IQN" -p "$ISCSI_PORTAL" --login >/dev/null
	_defer _iscsi_logout
	_wait_for "the iSCSI disk" 120 _iscsi_disk
	ISCSI_DEV=/dev/$(_iscsi_disk)
	_log "logged in to $ISCSI_IQN: $ISCSI_DEV"
}

_iscsi_logout() {
	iscsiadm -m session >/dev/null 2>&1 || return 0
	timeout 60 iscsiadm -m node -T "$ISCSI_IQN" -p "$ISCSI_PORTAL" --logout >/dev/null 2>&1 ||
		_log "iscsiadm logout failed"
}

# _iscsi_disk: the sdX name of the newest session's LUN 1, once it exists.
_iscsi_disk() {
	local b
	for b in /sys/class/iscsi_session/session*/device/target*/*:1/block/*; do
		[[ -e $b ]] || continue
		[[ -b /dev/${b##*/} ]] || continue
		echo "${b##*/}"
	done | tail -n 1 | grep .
}

# _iscsi_session_state: the state of the iSCSI session (LOGGED_IN, FAILED, ...).
_iscsi_session_state() {
	cat /sys/class/iscsi_session/session*/state 2>/dev/null | tail -n 1
}

# _scsi_state SDX: the SCSI device's state (running, offline, blocked, ...).
_scsi_state() {
	cat "/sys/block/$(basename "$1")/device/state"
}

_iscsi_logged_in() {
	[[ $(_iscsi_session_state) == LOGGED_IN ]]
}

# _iscsi_wait_recovered SECONDS: wait for the session to be logged in again
# (iscsid reconnects a failed session by itself) and report the disk's
# SCSI state.
_iscsi_wait_recovered() {
	_wait_for "the iSCSI session to log in again" "$1" _iscsi_logged_in
	_log "session $(_iscsi_session_state), $ISCSI_DEV is $(_scsi_state "$ISCSI_DEV")"
}

# _iscsi_up BACKING: the whole stack: lo, tgtd over BACKING, iscsid,
# discovery and login.  Sets TGTD_PID, ISCSID_PID and ISCSI_DEV (not to be
# called in a $(...) subshell, which would lose them).
_iscsi_up() {
	_net_lo_up
	_tgtd_start "$1"
	_iscsid_start
	_iscsi_discover
	_iscsi_login
}

# --- NBD ----------------------------------------------------------------------

# _nbd_server_start FILE NAME: nbd-server exporting FILE as NAME on
# 127.0.0.1:10809, configuration in /tmp.  nbd-server daemonizes into its
# own session and forks a child per connection; NBD_SERVER_PID is the
# daemon's pid, which is also the process group of its children.
_nbd_server_start() {
	local file=$1 name=$2
	cat >/tmp/nbd.conf <<EOF
[generic]
	listenaddr = 127.0.0.1
	allowlist = true
[$name]
	exportname = $file
	flush = true
	fua = true
EOF
	rm -f /run/nbd-server.pid
	nbd-server -C /tmp/nbd.conf -p /run/nbd-server.pid >>"${IOHANG_RESULTS:-/tmp}/nbd-server.log" 2>&1 ||
		_fail "nbd-server did not start"
	_wait_for "nbd-server's pid file" 120 [ -s /run/nbd-server.pid ]
	NBD_SERVER_PID=$(cat /run/nbd-server.pid)
	_defer _nbd_server_stop "$NBD_SERVER_PID"
	# Not `nbd-client -l`: nbd-server answered listings only after many
	# seconds in the guest, while connections were served at once.
	_wait_for "nbd-server to listen" 120 _nbd_listening
	_log "nbd-server $NBD_SERVER_PID exports $file as $name"
}

_nbd_listening() {
	grep -q ':2A39 00000000:0000 0A' /proc/net/tcp
}

# _nbd_server_kill: SIGKILL the server and its connection processes.
_nbd_server_kill() {
	kill -KILL -- "-$NBD_SERVER_PID" 2>/dev/null || kill -KILL "$NBD_SERVER_PID"
}

_nbd_server_stop() {
	kill -KILL -- "-$1" 2>/dev/null || true
}

# _nbd_connect NAME DEV [nbd-client options...]: connect DEV to export NAME
# (disconnected again at exit).
_nbd_connect() {
	local name=$1 dev=$2
	shift 2
	# A connection took 5-30 s in the guest on the Debian kernels (5 s of
	# it before the server's greeting), minutes on a loaded debug kernel.
	local limit=$((180 * IOHANG_SLOWDOWN)) pid end
	nbd-client 127.0.0.1 "$dev" -N "$name" "$@" >>"$FULL" 2>&1 &
	pid=$!
	end=$((SECONDS + limit))
	while kill -0 "$pid" 2>/dev/null && ((SECONDS < end)); do
		sleep 0.2
	done
	if kill -0 "$pid" 2>/dev/null; then
		_nbd_report "$pid"
		kill -KILL "$pid"
		_fail "nbd-client could not connect $dev to $name within ${limit}s"
	fi
	wait "$pid" || _fail "nbd-client could not connect $dev to $name (exit $?)"
	_defer _nbd_disconnect "$dev"
	_wait_for "$dev's size" 120 _nbd_has_size "$dev"
	_log "$dev connected to $name"
}

# _nbd_report CLIENT_PID: what nbd-client, the server's processes and
# their sockets are doing, for a connection that does not come up.
_nbd_report() {
	local pid
	ss -tanp 2>&1 | grep -E ':10809|State' || true
	for pid in "$1" $(pgrep nbd-server); do
		echo "$(cat "/proc/$pid/comm") $pid: state $(awk '{ print $3 }' "/proc/$pid/stat")," \
			"wchan $(cat "/proc/$pid/wchan" 2>/dev/null), utime+stime" \
			"$(awk '{ print $14 + $15 }' "/proc/$pid/stat") ticks"
		cat "/proc/$pid/stack" 2>/dev/null || true
	done
}

_nbd_has_size() {
	[[ $(cat "/sys/block/${1#/dev/}/size") -gt 0 ]]
}

_nbd_disconnect() {
	timeout 30 nbd-client -d "$1" >/dev/null 2>&1 || true
}

# --- NVMe over TCP (nvmet target, nvme-tcp host) ------------------------------
#
# Both halves are the guest kernel's: nvmet configured through configfs
# exports a file as namespace 1 of $NVME_NQN on a TCP port on loopback, and
# nvme-tcp connects to it.  With CONFIG_NVME_MULTIPATH=y (Debian) the host
# disk is the multipath head node (nvme<subsys>n<ns>), which queues I/O
# while its only controller reconnects, until fast_io_fail_tmo (then
# BLK_STS_IOERR, "no available path") or ctrl_loss_tmo (the controller is
# deleted, and with it the namespace and the head disk).

NVME_NQN=nqn.2026-12.test:disk
NVME_HOSTNQN=nqn.2026-12.test:host
NVME_HOSTID=6e5c2b7a-1f0d-4c3e-9a61-2d7f8b9c0e14
NVME_TRADDR=127.0.0.1
NVME_TRSVCID=4420
NVMET=/sys/kernel/config/nvmet
NVMET_PORT=$NVMET/ports/1
NVMET_SUBSYS=$NVMET/subsystems/$NVME_NQN
# The host's timeouts (nvme connect): reconnect every NVME_RECONNECT_DELAY s,
# give up after NVME_CTRL_LOSS_TMO s; I/O fails NVME_FAST_IO_FAIL_TMO s into
# an outage (-1: never before the controller is lost).
NVME_RECONNECT_DELAY=${NVME_RECONNECT_DELAY:-1}
NVME_CTRL_LOSS_TMO=${NVME_CTRL_LOSS_TMO:-600}
NVME_FAST_IO_FAIL_TMO=${NVME_FAST_IO_FAIL_TMO:-1}

_net_requires_nvme() {
	_have_program ip || return 1
	_have_program nvme || return 1
	_have_module nvmet || return 1
	_have_module nvmet-tcp || return 1
	_have_module nvme-tcp || return 1
}

# _nvmet_start FILE: export FILE (buffered: tmpfs has no O_DIRECT) as
# namespace 1 of $NVME_NQN to any host, on $NVME_TRADDR:$NVME_TRSVCID.
_nvmet_start() {
	_net_lo_up
	mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
	mkdir "$NVMET_SUBSYS"
	_defer _nvmet_stop
	echo 1 >"$NVMET_SUBSYS/attr_allow_any_host"
	mkdir "$NVMET_SUBSYS/namespaces/1"
	echo "$1" >"$NVMET_SUBSYS/namespaces/1/device_path"
	echo 1 >"$NVMET_SUBSYS/namespaces/1/buffered_io"
	_nvmet_ns enable
	mkdir "$NVMET_PORT"
	echo tcp >"$NVMET_PORT/addr_trtype"
	echo ipv4 >"$NVMET_PORT/addr_adrfam"
	echo "$NVME_TRADDR" >"$NVMET_PORT/addr_traddr"
	echo "$NVME_TRSVCID" >"$NVMET_PORT/addr_trsvcid"
	_nvmet_port link
	_log "nvmet exports $1 as $NVME_NQN on $NVME_TRADDR:$NVME_TRSVCID"
}

# _nvmet_port link|unlink: offer the subsystem on the port, or take it off
# (nvmet deletes its controllers there and, with no subsystem left, stops
# listening: the host's reconnects are refused until it is linked again).
_nvmet_port() {
	case $1 in
	link) ln -s "$NVMET_SUBSYS" "$NVMET_PORT/subsystems/$NVME_NQN" ;;
	unlink) rm "$NVMET_PORT/subsystems/$NVME_NQN" ;;
	*) _fail "_nvmet_port: expected link or unlink, got '$1'" ;;
	esac
}

# _nvmet_ns enable|disable: namespace 1 on or off at the target.
_nvmet_ns() {
	case $1 in
	enable) echo 1 >"$NVMET_SUBSYS/namespaces/1/enable" ;;
	disable) echo 0 >"$NVMET_SUBSYS/namespaces/1/enable" ;;
	*) _fail "_nvmet_ns: expected enable or disable, got '$1'" ;;
	esac
}

_nvmet_stop() {
	rm -f "$NVMET_PORT/subsystems/$NVME_NQN"
	[[ ! -d $NVMET_PORT ]] || rmdir "$NVMET_PORT"
	if [[ -d $NVMET_SUBSYS ]]; then
		echo 0 >"$NVMET_SUBSYS/namespaces/1/enable" 2>/dev/null || true
		rmdir "$NVMET_SUBSYS/namespaces/1" 2>/dev/null || true
		rmdir "$NVMET_SUBSYS"
	fi
}

# _nvme_connect [nvme connect options...]: connect to $NVME_NQN with the
# NVME_* timeouts (disconnected again at exit); sets NVME_CTRL (nvmeN) and
# NVME_DEV (/dev/nvmeNnM, the namespace's head disk) once it appears.
# Not to be called in a $(...) subshell.
_nvme_connect() {
	local out
	out=$(nvme connect -t tcp -a "$NVME_TRADDR" -s "$NVME_TRSVCID" -n "$NVME_NQN" \
		--hostnqn="$NVME_HOSTNQN" --hostid="$NVME_HOSTID" \
		--reconnect-delay="$NVME_RECONNECT_DELAY" \
		--ctrl-loss-tmo="$NVME_CTRL_LOSS_TMO" "$@" 2>&1) ||
		_fail "nvme connect failed: $out"
	_defer _nvme_disconnect
	_wait_for "the NVMe controller" 60 _nvme_live_ctrl
	NVME_CTRL=$(_nvme_live_ctrl)
	# Debian 12's nvme-cli (2.3) has no --fast_io_fail_tmo; the kernel
	# takes it from sysfs as well, and applies it from the next outage.
	echo "$NVME_FAST_IO_FAIL_TMO" >"/sys/class/nvme/$NVME_CTRL/fast_io_fail_tmo"
	_wait_for "the NVMe namespace" 60 _nvme_disk
	NVME_DEV=/dev/$(_nvme_disk)
	_log "connected: $NVME_CTRL ($(_nvme_ctrl_opts)), namespace $NVME_DEV"
}

_nvme_disconnect() {
	timeout 60 nvme disconnect -n "$NVME_NQN" >/dev/null 2>&1 || true
}

# _nvme_live_ctrl: the newest controller of $NVME_NQN that is live.
_nvme_live_ctrl() {
	local c
	for c in /sys/class/nvme/nvme*; do
		[[ -e $c/subsysnqn && $(cat "$c/subsysnqn") == "$NVME_NQN" ]] || continue
		[[ $(cat "$c/state") == live ]] || continue
		echo "${c##*/}"
	done | sort -V | tail -n 1 | grep .
}

# _nvme_disk: the newest head disk of $NVME_NQN (nvmeXnY), once its block
# device exists.
_nvme_disk() {
	local s d
	for s in /sys/class/nvme-subsystem/nvme-subsys*; do
		[[ $(cat "$s/subsysnqn" 2>/dev/null) == "$NVME_NQN" ]] || continue
		for d in "$s"/nvme*n*; do
			[[ -e $d && -b /dev/${d##*/} ]] && echo "${d##*/}"
		done
	done | sort -V | tail -n 1 | grep .
}

# _nvme_path_writes: writes completed by the path of $NVME_CTRL to the
# namespace (nvmeXcYnZ: the head disk keeps no statistics), whatever sits
# on the head; 0 while there is no path.
_nvme_path_writes() {
	local path stat
	for path in /sys/class/nvme/"$NVME_CTRL"/nvme*c*n*; do
		[[ -e $path/stat ]] || continue
		read -r -a stat <"$path/stat"
		echo "${stat[4]}"
		return
	done
	echo 0
}

# _nvme_writing COUNT: the path has completed COUNT writes more than
# $NVME_WRITES0 (for _wait_for: a writer is under way).
_nvme_writing() {
	(($(_nvme_path_writes) >= NVME_WRITES0 + $1))
}

# _nvme_writer DEV OUT [fio options...]: fio random writes with crc32c
# verification over 8 MiB of DEV, rate limited so that they span an
# outage, in the background (killed at exit if still running); returns
# once the path has completed 60 writes.  Sets WRITER_PID.
_nvme_writer() {
	local dev=$1 out=$2
	shift 2
	NVME_WRITES0=$(_nvme_path_writes)
	fio --name=writer --filename="$dev" --rw=randwrite --bs=4k \
		--size=8M --direct=1 --ioengine=libaio --iodepth=4 \
		--rate_iops=60 --verify=crc32c --verify_backlog=64 \
		--do_verify=1 --eta=never --output="$out" "$@" &
	WRITER_PID=$!
	_defer _kill_pid "$WRITER_PID"
	_wait_for "fio to write" 60 _nvme_writing 60
}

# _nvme_ctrl_state [CTRL]: live, connecting, resetting, deleting, ... or
# gone once the controller is deleted.
_nvme_ctrl_state() {
	cat "/sys/class/nvme/${1:-$NVME_CTRL}/state" 2>/dev/null || echo gone
}

# _nvme_ctrl_is STATE [CTRL]
_nvme_ctrl_is() {
	[[ $(_nvme_ctrl_state "${2:-$NVME_CTRL}") == "$1" ]]
}

_nvme_ctrl_opts() {
	local c=/sys/class/nvme/$NVME_CTRL f out=
	for f in reconnect_delay ctrl_loss_tmo fast_io_fail_tmo; do
		[[ -e $c/$f ]] && out+="$f $(cat "$c/$f") "
	done
	echo "${out% }"
}
