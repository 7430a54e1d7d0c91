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

# _bench_module_id: what was measured (vm-run's module path and its hash).
_bench_module_id() {
	echo "$IOHANG_MODULE sha256:$(sha256sum "$IOHANG_MODULE" | cut -c1-12)"
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
