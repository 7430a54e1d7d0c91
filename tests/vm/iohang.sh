# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# In-guest helpers for scenarios that drive iohang devices: reading status
# fields, waiting for a state, and reading the kernel log since a marker.
# Sourced after lib.sh.

# INFO status field indexes, as in include/dm-iohang.h.
F_STATE=0
F_HELD=1
F_HANGS=2
F_RECOVERED=3
F_TIMED_OUT=4
F_RETRIES=5
F_LONGEST_MS=6
F_OVERFLOWED=7
F_RELEASED=8

# _iohang_status NAME: the target's own INFO fields (after "start len iohang").
_iohang_status() {
	dmsetup status "$1" | cut -d' ' -f4-
}

# _iohang_field NAME INDEX
_iohang_field() {
	local -a fields
	read -ra fields <<<"$(_iohang_status "$1")"
	echo "${fields[$2]}"
}

# _iohang_wait NAME INDEX OP VALUE [SECONDS]: poll until the field compares
# true with VALUE (OP: -eq -ge -gt -le or == for strings), or fail.
_iohang_wait() {
	local name=$1 idx=$2 op=$3 want=$4 limit=${5:-30} value i
	for ((i = 0; i < limit * 10; i++)); do
		value=$(_iohang_field "$name" "$idx")
		if [[ $op == "==" ]]; then
			[[ $value == "$want" ]] && return 0
		else
			[ "$value" "$op" "$want" ] 2>/dev/null && return 0
		fi
		sleep 0.1
	done
	_fail "$name: status field $idx is '$value', expected $op $want within ${limit}s (status: $(_iohang_status "$name"))"
}

# _expect DESCRIPTION ACTUAL OP EXPECTED
_expect() {
	local desc=$1 actual=$2 op=$3 want=$4
	if [[ $op == "==" ]]; then
		[[ $actual == "$want" ]] || _fail "$desc: got '$actual', expected '$want'"
	else
		[ "$actual" "$op" "$want" ] 2>/dev/null ||
			_fail "$desc: got '$actual', expected $op $want"
	fi
	_log "ok: $desc ($actual)"
}

# _expect_status NAME "STATE HELD HANGS RECOVERED TIMED_OUT" checks the
# first fields exactly; use '*' to skip one.
_expect_status() {
	local name=$1 want=$2 i
	local -a got exp
	read -ra got <<<"$(_iohang_status "$name")"
	read -ra exp <<<"$want"
	for i in "${!exp[@]}"; do
		[[ ${exp[$i]} == '*' || ${exp[$i]} == "${got[$i]}" ]] ||
			_fail "$name: status '${got[*]}' does not match '$want' (field $i)"
	done
	_log "ok: $name status ${got[*]}"
}

# _kmsg_mark: write a marker into the kernel log; _dmesg_since prints what
# the kernel logged after the last marker.
_kmsg_mark() {
	_KMSG_MARK="iohang-test: $TEST_NAME mark $RANDOM$RANDOM"
	echo "$_KMSG_MARK" >/dev/kmsg
}

_dmesg_since() {
	dmesg | sed -n "/$_KMSG_MARK/,\$p" | tail -n +2
}

# _now: seconds since the epoch, with microseconds.
_now() {
	echo "$EPOCHREALTIME"
}

# PROMPT_MS: how soon something a scenario caused (a message, an error
# not in retry_on) must show.  A bound, not a measurement: what it rules
# out is waiting for a 60 s timeout, and on the debug kernel starting one
# dmsetup takes seconds.
PROMPT_MS=20000

# LONG_TIMEOUT_MS: an iohang timeout for scenarios that hold I/O but test
# something other than the timeout: ten minutes, which no passing run
# reaches.  60 s expired on the debug kernel while two debug guests and
# other VMs shared the host's two cores.
LONG_TIMEOUT_MS=600000

# _elapsed_ms START
_elapsed_ms() {
	awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d\n", (b - a) * 1000 }'
}

# _dm_dev NAME: the dm-N kernel name of a mapped device, for /sys/block.
_dm_dev() {
	dmsetup info -c --noheadings -o blkdevname "$1"
}

# _backing_writes NAME: writes completed by the device (from /sys/block stat).
_backing_writes() {
	awk '{ print $5 }' "/sys/block/$(_dm_dev "$1")/stat"
}

# _dm_reads NAME: reads the mapped device completed, failed ones included.
_dm_reads() {
	awk '{ print $1 }' "/sys/block/$(_dm_dev "$1")/stat"
}

# _fsync_workload DIR SECONDS: write and fsync small files in DIR; fails
# on the first error.
_fsync_workload() {
	local end=$((SECONDS + $2)) i=0
	while ((SECONDS < end)); do
		dd if=/dev/urandom of="$1/file$((i % 64))" bs=16k count=4 \
			conv=fsync status=none || return 1
		i=$((i + 1))
	done
}

_umount_if_mounted() {
	! mountpoint -q "$1" || umount -l "$1"
}
