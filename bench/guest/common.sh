# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by the in-guest benchmark scripts (sourced after
# tests/vm/lib.sh and tests/vm/iohang.sh).

# _bench_engine DEV: io_uring if a tiny fio read through it works on DEV,
# else libaio (BENCH_ENGINE forces one).  Sets nothing; prints the engine.
# The reason for a fallback is logged to stderr.
_bench_engine() {
	local dev=$1
	if [[ -n ${BENCH_ENGINE:-} ]]; then
		echo "$BENCH_ENGINE"
		return
	fi
	if fio --name=probe --filename="$dev" --rw=randread --bs=4k --direct=1 \
		--ioengine=io_uring --iodepth=4 --number_ios=16 --size=1M \
		--output-format=terse >"$FULL.engine" 2>&1; then
		echo io_uring
	else
		echo "io_uring does not work here, falling back to libaio:" >&2
		sed 's/^/    /' "$FULL.engine" >&2
		echo libaio
	fi
}

# _iohang_recovered: the benchmarks' device ioh is no longer hung.
_iohang_recovered() {
	[[ $(_iohang_field ioh $F_STATE) == ok ]]
}

# _bench_module_id: what was measured (vm-run's module path and its hash).
_bench_module_id() {
	echo "$IOHANG_MODULE sha256:$(sha256sum "$IOHANG_MODULE" | cut -c1-12)"
}

# _nap_init DIR: make the fifo _nap waits on (fd 9, nobody writes to it).
_nap_init() {
	mkfifo "$1/nap"
	exec 9<>"$1/nap"
}

# _nap SECONDS: sleep without forking or touching the 9p root (fd 9 is a
# fifo nobody writes to).
_nap() {
	read -r -t "$1" <&9 || true
}

_ms_since() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) * 1000 }'
}

# _cpu_busy_ns: time all CPUs spent running tasks other than idle, in ns
# (the seventh field of each cpu line of /proc/schedstat).
_cpu_busy_ns() {
	local cpu run sum=0
	while read -r cpu _ _ _ _ _ _ run _; do
		[[ $cpu == cpu[0-9]* ]] && sum=$((sum + run))
	done </proc/schedstat
	echo "$sum"
}

# _task_ns PID: CPU time of every thread of PID, in ns (0 once it is gone).
_task_ns() {
	local f ns rest sum=0
	for f in /proc/"$1"/task/*/schedstat; do
		[[ -e $f ]] || continue
		read -r ns rest <"$f" || continue
		sum=$((sum + ns))
	done
	echo "$sum"
}

# The write load of the outage benchmarks (bench/multipath, bench/nvme):
# 4 KiB random direct writes, BENCH_JOBS jobs of one write at a time,
# BENCH_JOB_RATE_IOPS each.  A rate-limited fio job waits for its write
# before it sleeps, so each job has one write in flight when the storage
# stops answering.
BENCH_JOBS=16
BENCH_JOB_RATE_IOPS=12

# _bench_write_load DEV LOG SECONDS: the load on DEV for SECONDS, fio's
# per-write latency log in LOG_lat.*.log and its JSON in LOG.json; write
# errors are counted, not fatal (continue_on_error=all).
_bench_write_load() {
	fio --name=load --filename="$1" --rw=randwrite --bs=4k --size=32M \
		--direct=1 --ioengine=libaio --iodepth=1 --numjobs=$BENCH_JOBS \
		--rate_iops=$BENCH_JOB_RATE_IOPS --time_based --runtime="$3" \
		--thread --continue_on_error=all --write_lat_log="$2" \
		--log_unix_epoch=1 --log_avg_msec=0 --output-format=json \
		--output="$2.json" --eta=never
}

# _bench_held_writes RETURN LOG: "<held> <last_ms>" from LOG's latency logs:
# the writes issued before RETURN (epoch seconds, the storage's return)
# that completed after it with a latency over 1 s, and when the last of
# them completed, in ms after RETURN (-1 if none).
_bench_held_writes() {
	awk -F', *' -v back="$1" '
		{ t = $1 / 1000; lat = $2 / 1e9 }
		t - lat < back && t > back && lat > 1 { n++; if (t > last) last = t }
		END { printf "%d %.0f\n", n, n ? (last - back) * 1000 : -1 }' "$2"_lat.*.log
}

# jq definitions the benchmarks' JSON lines share: median of an array,
# and r(n) rounding to 1/n.
BENCH_JQ_DEFS='def median: sort | if length % 2 == 1 then .[length / 2 | floor]
	else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def r(n): . * n | round / n;'

# _bench_json_case CASE ENGINE BACKING RAW_CSV LINEAR_CSV IOHANG_CSV GUEST_MS
# The ratios have four decimals: the runs repeat within 0.05 %.
_bench_json_case() {
	local case=$1 engine=$2 backing=$3 raw=$4 lin=$5 ioh=$6 ms=$7
	jq -cn --arg case "$case" --arg engine "$engine" --arg kernel "$(uname -r)" \
		--arg backing "$backing" \
		--argjson raw "[$raw]" --argjson lin "[$lin]" --argjson ioh "[$ioh]" \
		--argjson ms "$ms" "$BENCH_JQ_DEFS"'
		($raw | median) as $rm | ($lin | median) as $lm | ($ioh | median) as $im |
		{case: $case, engine: $engine, backing: $backing, kernel: $kernel,
		 raw_iops: ($rm | round), linear_iops: ($lm | round), iohang_iops: ($im | round),
		 iohang_vs_linear: ($im / $lm | r(10000)), linear_vs_raw: ($lm / $rm | r(10000)),
		 iohang_vs_raw: ($im / $rm | r(10000)),
		 runs: ($raw | length),
		 raw_runs: ($raw | map(round)), linear_runs: ($lin | map(round)),
		 iohang_runs: ($ioh | map(round)), guest_ms: $ms}'
}
