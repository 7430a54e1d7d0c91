# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# In-guest scenario library (blktests style).  A scenario sources this file,
# sets DESCRIPTION, defines requires() and test(), and ends with `_run`.
#
# requires() calls _have_* helpers; each one that fails appends a readable
# reason to SKIP_REASONS and returns 1, and the scenario is then skipped
# (exit 77) instead of failed.  Everything a scenario creates through these
# helpers is torn down in reverse order when it exits, whatever happened.
#
# The environment comes from tests/vm/vm-run: IOHANG_SRC, IOHANG_BUILD,
# IOHANG_MODULE, IOHANG_KERNEL, IOHANG_RESULTS, IOHANGCTL, DM_DISABLE_UDEV=1;
# from tests/vm/CMakeLists.txt IOHANG_SLOWDOWN, how much slower than the
# Debian kernels this kernel runs (3 for the debug kernel): _wait_for
# allows that many times its limit.

set -eEuo pipefail

IOHANG_SLOWDOWN=${IOHANG_SLOWDOWN:-1}

SKIP_REASONS=()
TEST_NAME=$(basename "$0")
# Where scenarios send noisy output (blktests' $FULL).
# shellcheck disable=SC2034
FULL=${IOHANG_RESULTS:-/tmp}/$TEST_NAME.full
_T0=$EPOCHREALTIME
# Deferred cleanups live in a file, so helpers called in $(...) subshells
# can register theirs too.
_CLEANUP_FILE=/run/iohang-cleanup.$$
: >"$_CLEANUP_FILE"

_log() {
	awk -v a="$_T0" -v b="$EPOCHREALTIME" -v m="$*" \
		'BEGIN { printf "[%7.2f] %s\n", b - a, m }'
}

_fail() {
	echo "$TEST_NAME: FAIL: $*" >&2
	exit 1
}

# _defer CMD [ARGS...]: run CMD at exit, after everything deferred later.
_defer() {
	local quoted
	printf -v quoted ' %q' "$@"
	echo "$quoted" >>"$_CLEANUP_FILE"
}

# Runs the deferred commands, newest first.
_cleanup() {
	local cmds cmd
	[[ -s $_CLEANUP_FILE ]] || return 0
	cmds=$(tac "$_CLEANUP_FILE")
	: >"$_CLEANUP_FILE"
	while IFS= read -r cmd; do
		eval "$cmd" || _log "cleanup failed:$cmd"
	done <<<"$cmds"
}

# --- requirements -----------------------------------------------------------

_have_program() {
	command -v "$1" >/dev/null 2>&1 && return 0
	SKIP_REASONS+=("$1 is not installed")
	return 1
}

# _have_module NAME [PARAM=VALUE...]: load NAME (unloaded again at exit if
# this call loaded it).
_have_module() {
	local name=$1 mod=${1//-/_}
	if [[ -d /sys/module/$mod ]]; then
		return 0
	fi
	if ! modprobe -q "$@" 2>/dev/null; then
		SKIP_REASONS+=("module $name is not available")
		return 1
	fi
	[[ -e /sys/module/$mod/refcnt ]] && _defer _unload_module "$mod"
	return 0
}

_unload_module() {
	[[ -d /sys/module/$1 ]] || return 0
	modprobe -r "$1" 2>/dev/null || rmmod "$1"
}

# Loads dm-mod and then $IOHANG_MODULE.  A missing module file is a reason
# to skip; a module that exists but does not load is a failure.
_have_iohang() {
	_have_module dm-mod || return 1
	if [[ -d /sys/module/dm_iohang ]]; then
		return 0
	fi
	if [[ ! -e ${IOHANG_MODULE:-} ]]; then
		SKIP_REASONS+=("dm-iohang.ko is not built for $(uname -r) (${IOHANG_MODULE:-IOHANG_MODULE unset})")
		return 1
	fi
	insmod "$IOHANG_MODULE" || _fail "insmod $IOHANG_MODULE failed"
	# Where it was loaded: vm-run reads kmemleak traces of it after unload.
	grep '^dm_iohang ' /proc/modules >>"${IOHANG_RESULTS:-/tmp}/module-loads.txt" || true
	_defer _unload_module dm_iohang
}

_skip_if_missing() {
	[[ ${#SKIP_REASONS[@]} -eq 0 ]] && return 0
	echo "$TEST_NAME: [not run]"
	printf '    %s\n' "${SKIP_REASONS[@]}"
	exit 77
}

# _have_fault_injection NAME: the fault-injection capability NAME
# (failslab, fail_make_request, fail_page_alloc) in debugfs, as on the debug
# kernel (vm-run --kernel debug).  Set its knobs with _fault_set.
_have_fault_injection() {
	mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
	[[ -d /sys/kernel/debug/$1 ]] && return 0
	SKIP_REASONS+=("no /sys/kernel/debug/$1: the kernel has no fault injection (try vm-run --kernel debug)")
	return 1
}

# _fault_set NAME KNOB VALUE: write /sys/kernel/debug/NAME/KNOB; the old
# value is put back at exit.
_fault_set() {
	local f=/sys/kernel/debug/$1/$2
	_defer _fault_restore "$f" "$(cat "$f")"
	echo "$3" >"$f"
}

_fault_restore() {
	echo "$2" >"$1"
}

# --- waiting ------------------------------------------------------------------

# _wait_for DESCRIPTION SECONDS CMD [ARGS...]: run CMD every 0.2 s until it
# succeeds, or fail after SECONDS of wall time.  Write conditions with
# `[ ... ]`, never `test ...`: in a scenario, test is its own body.
_wait_for() {
	local desc=$1 limit=$(($2 * IOHANG_SLOWDOWN)) end
	shift 2
	end=$((SECONDS + limit))
	until "$@" >/dev/null 2>&1; do
		((SECONDS < end)) || _fail "timed out after ${limit}s waiting for $desc"
		sleep 0.2
	done
}

# --- userspace services -------------------------------------------------------

UDEVD=/lib/systemd/systemd-udevd
# The guest runs chrooted into the host's root; udevd and udevadm refuse to
# act in a chroot unless told it is fine.
export SYSTEMD_IGNORE_CHROOT=1

_have_udevd() {
	_have_program udevadm || return 1
	[[ -x $UDEVD ]] && return 0
	SKIP_REASONS+=("systemd-udevd is not installed")
	return 1
}

# _udevd_start: a systemd-udevd for the guest (stopped again at exit), with
# /run/udev/rules.d ready for rules a scenario adds.
_udevd_start() {
	mkdir -p /run/udev/rules.d
	"$UDEVD" >"$FULL.udevd" 2>&1 &
	_defer _udevd_stop $!
	_wait_for "systemd-udevd to answer" 60 udevadm control --ping
}

_udevd_stop() {
	udevadm control --exit 2>/dev/null || kill "$1"
}

# _writable_etc: an overlay over the read-only /etc (upper layer in tmpfs,
# dropped at exit), for daemons that insist on their configuration there.
_writable_etc() {
	mkdir -p /tmp/etc-overlay/upper /tmp/etc-overlay/work
	mount -t overlay overlay -o lowerdir=/etc,upperdir=/tmp/etc-overlay/upper,workdir=/tmp/etc-overlay/work /etc
	_defer umount -l /etc
}

# --- devices ------------------------------------------------------------------

# _null_blk SIZE_MB [MEMORY_BACKED [ATTR=VALUE...]]: a null_blk device made
# through configfs, keeping its data unless MEMORY_BACKED is 0 (pure
# overhead, for benchmarks); prints its path.  Each ATTR=VALUE sets another
# configfs attribute before power-on (hw_queue_depth=4, irqmode=2, ...).
# The disk is named after the configfs entry; _null_blk_dir finds that.
_null_blk() {
	local size=$1 memory_backed=${2:-1} dir name dev i attr
	modprobe -q null_blk nr_devices=0 || _fail "cannot load null_blk"
	mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
	for ((i = 0; ; i++)); do
		name=nullb_ioh$i
		dir=/sys/kernel/config/nullb/$name
		mkdir "$dir" 2>/dev/null && break
		((i < 64)) || _fail "cannot create a null_blk configfs entry"
	done
	_defer _null_blk_remove "$dir"
	echo "$size" >"$dir/size"
	echo "$memory_backed" >"$dir/memory_backed"
	echo 4096 >"$dir/blocksize"
	for attr in "${@:3}"; do
		echo "${attr#*=}" >"$dir/${attr%%=*}" || _fail "null_blk: cannot set $attr"
	done
	echo 1 >"$dir/power"
	for ((i = 0; i < 50; i++)); do
		for dev in "/dev/$name" "/dev/nullb$(cat "$dir/index")"; do
			[[ -b $dev ]] && break 2
		done
		sleep 0.1
	done
	[[ -b $dev ]] || _fail "the null_blk device $name did not appear"
	echo "$dev"
}

# _null_blk_dir DEV: the configfs entry of a device made by _null_blk.
_null_blk_dir() {
	local dir
	for dir in /sys/kernel/config/nullb/nullb_ioh*; do
		if [[ /dev/$(basename "$dir") -ef $1 || /dev/nullb$(cat "$dir/index") -ef $1 ]]; then
			echo "$dir"
			return 0
		fi
	done
	_fail "$1 is not a null_blk device made by _null_blk"
}

# _null_blk_outage DEV on|off: fail every sector of DEV with BLK_STS_IOERR
# through null_blk's badblocks (no table swap: the device keeps its queue
# and its nowait support), or stop failing.
# 6.1's badblocks_set() drops parts of a range longer than 512 sectors
# (a write at sector 800 of a 64 MiB range succeeded), so the range is set
# 512 sectors at a time, lowest first.
_null_blk_outage() {
	local dir sectors sign start
	dir=$(_null_blk_dir "$1")
	sectors=$(_sectors "$1")
	case $2 in
	on) sign=+ ;;
	off) sign=- ;;
	*) _fail "_null_blk_outage: expected on or off, got '$2'" ;;
	esac
	for ((start = 0; start < sectors; start += 512)); do
		echo "$sign$start-$((start + 511 < sectors ? start + 511 : sectors - 1))" >"$dir/badblocks"
	done
}

_null_blk_remove() {
	echo 0 >"$1/power" 2>/dev/null || true
	rmdir "$1"
}

# _dm_create NAME TABLE: dmsetup create, removed again at exit.
_dm_create() {
	dmsetup create "$1" --table "$2" || _fail "dmsetup create $1 --table '$2' failed"
	_defer _dm_remove "$1"
}

_dm_remove() {
	dmsetup info "$1" >/dev/null 2>&1 || return 0
	dmsetup remove --retry "$1"
}

# _sectors DEV: size in 512-byte sectors.
_sectors() {
	blockdev --getsz "$1"
}

# A dm-linear device over DEV whose table can be swapped to `error` and
# back, as fstests' dmerror does: this is how scenarios make outages.
_switchable_create() {
	local name=$1 dev=$2 size
	size=$(_sectors "$dev")
	_dm_create "$name" "0 $size linear $dev 0"
	echo "$dev" >"/run/iohang-switchable-$name"
	echo "/dev/mapper/$name"
}

_switchable_swap() {
	local name=$1 table=$2
	dmsetup suspend --noflush "$name"
	dmsetup load "$name" --table "$table"
	dmsetup resume "$name"
}

_switchable_break() {
	local size
	size=$(_sectors "/dev/mapper/$1")
	_switchable_swap "$1" "0 $size error"
}

# _switchable_heal NAME [DEV]: back to linear over DEV (default: the device
# the table pointed at when it was created).
_switchable_heal() {
	local name=$1 dev=${2:-} size
	if [[ -z $dev ]]; then
		dev=$(_switchable_origin "$name")
	fi
	size=$(_sectors "/dev/mapper/$name")
	_switchable_swap "$name" "0 $size linear $dev 0"
}

# The linear target's device, remembered in a small file at creation time.
_switchable_origin() {
	cat "/run/iohang-switchable-$1"
}

# --- running ----------------------------------------------------------------

_on_exit() {
	local rc=$?
	trap - EXIT ERR
	_cleanup
	rm -f "$_CLEANUP_FILE"
	exit "$rc"
}

_on_err() {
	echo "$TEST_NAME: command failed (status $1) at line $2: $3" >&2
}

_run() {
	echo "Running $TEST_NAME: ${DESCRIPTION:-}"
	echo "kernel $(uname -r), results in ${IOHANG_RESULTS:-?}"
	trap _on_exit EXIT
	trap '_on_err $? $LINENO "$BASH_COMMAND"' ERR
	requires || true
	_skip_if_missing
	test
	_cleanup
	echo "$TEST_NAME: Test complete"
}
