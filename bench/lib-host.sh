# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Host-side helpers shared by bench/throughput, bench/recovery and
# bench/multipath.

BENCH_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_BUILD=${BENCH_BUILD:-$BENCH_SRC/build}

bench_die() {
	echo "$(basename "$0"): $*" >&2
	exit 2
}

# bench_release FLAVOUR: the release vm-run boots for FLAVOUR (6.1, 6.12:
# the newest /boot/vmlinuz-<flavour>.* with headers; else FLAVOUR itself).
bench_release() {
	local img rel best=
	case "$1" in
	6.1 | 6.12)
		for img in /boot/vmlinuz-"$1".*; do
			[[ -e $img ]] || continue
			rel=${img#/boot/vmlinuz-}
			[[ -e /lib/modules/$rel/build ]] && best+="$rel"$'\n'
		done
		printf '%s' "$best" | sort -V | tail -n 1
		;;
	*) echo "$1" ;;
	esac
}

# bench_prepare NAME: builds the module (unless BENCH_NO_BUILD=1), makes the
# results folder ($RESULTS, default <build>/bench-results/NAME-<time>) and
# copies the module for $KERNEL (or the file BENCH_MODULE) into it, so a concurrent rebuild cannot
# change what is measured halfway.  Sets RESULTS and MODULE_COPY.
bench_prepare() {
	local name=$1 ko rel dir
	if [[ ${BENCH_NO_BUILD:-0} != 1 && -z ${BENCH_MODULE:-} ]]; then
		cmake --build "$BENCH_BUILD" --target module >&2 || bench_die "module build failed"
	fi
	RESULTS=${RESULTS:-$BENCH_BUILD/bench-results/$name-${KERNEL}-$(date -u +%Y%m%d-%H%M%S)}
	mkdir -p "$RESULTS"
	RESULTS=$(cd "$RESULTS" && pwd)
	# The module folder is named as vm-run expects it: by the release the
	# guest boots (uname -r), which for 6.1 and 6.12 is the newest
	# /boot/vmlinuz-<flavour>.* with headers.  Older build trees named it
	# after the headers' kernel.release (6.1.x for Debian's 6.1): tried too.
	ko=${BENCH_MODULE:-}
	for rel in $(if [[ -z $ko ]]; then bench_release "$KERNEL"; fi); do
		for dir in "$rel" "$(head -n 1 "/lib/modules/$rel/build/include/config/kernel.release" 2>/dev/null)"; do
			if [[ -n $dir && -e $BENCH_BUILD/module/$dir/kernel/dm-iohang.ko ]]; then
				ko=$BENCH_BUILD/module/$dir/kernel/dm-iohang.ko
				break 2
			fi
		done
	done
	[[ -n $ko && -e $ko ]] || bench_die "no dm-iohang.ko for kernel $KERNEL under $BENCH_BUILD/module"
	MODULE_COPY=$RESULTS/dm-iohang.ko
	cp "$ko" "$MODULE_COPY"
	{
		echo "source: $(git -C "$BENCH_SRC" rev-parse HEAD 2>/dev/null)$(git -C "$BENCH_SRC" diff --quiet HEAD -- kernel include 2>/dev/null || echo ' (kernel/ or include/ modified)')"
		echo "module: $ko (built $(date -u -r "$ko" +%FT%TZ)) sha256 $(sha256sum "$MODULE_COPY" | cut -d' ' -f1)"
		echo "host: $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
		echo "qemu: $(qemu-system-x86_64 --version | head -n 1)"
		echo "fio: $(fio --version)"
	} >"$RESULTS/provenance.txt"
}

# bench_vm GUEST_SCRIPT JSONL [vm-run options...]: boots the guest in
# deterministic mode and runs the guest script; prints the JSON lines it
# wrote and the wall time.  Returns vm-run's status.
bench_vm() {
	local guest=$1 jsonl=$2 t0 t1 rc
	shift 2
	t0=$(date +%s.%N)
	set +e
	"$BENCH_SRC/tests/vm/vm-run" --deterministic --kernel "$KERNEL" \
		--results "$RESULTS" --timeout "$TIMEOUT" -q \
		--env IOHANG_MODULE="$MODULE_COPY" "$@" -- "$guest" >"$RESULTS/vm-run.log" 2>&1
	rc=$?
	set -e
	t1=$(date +%s.%N)
	WALL_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }')
	echo "wall: ${WALL_S}s, vm-run exit $rc" >>"$RESULTS/provenance.txt"
	if [[ -s $RESULTS/$jsonl ]]; then
		cat "$RESULTS/$jsonl"
	fi
	{
		echo "$(basename "$0"): kernel $KERNEL, vm-run exit $rc, ${WALL_S}s wall, results in $RESULTS"
		if [[ $rc -ne 0 ]]; then
			sed 's/^/    /' "$RESULTS/vm-run.log"
		fi
	} >&2
	return "$rc"
}

# bench_plot KIND DIR: draws DIR's results with bench/plot (PNG and SVG in
# DIR).  Never fails: without gnuplot or jq, or if drawing fails, it warns
# and the JSON lines stay as they are.
bench_plot() {
	local kind=$1 dir=$2 tool
	for tool in gnuplot jq; do
		if ! command -v "$tool" >/dev/null; then
			echo "$(basename "$0"): no plot: $tool is missing (scripts/install-deps bench)" >&2
			return 0
		fi
	done
	"$BENCH_SRC/bench/plot" "$kind" "$dir" >&2 ||
		echo "$(basename "$0"): no plot; the results are in $dir" >&2
}
