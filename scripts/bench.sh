#!/bin/sh
# SPDX-License-Identifier: (GPL-2.0 OR MIT)
# make bench: the performance tables (docs/benchmarks.md explains them).
#
# Builds the model, the JIT and offnic-bench (with the Verilated RTL when
# it builds), runs the corpus at 1, 2 and 4 lanes, gathers the system
# figures and prints one markdown table per lane count plus a system
# table; build/bench/bench.json holds every figure, bench-cycles.svg the
# chart of cycles per packet beside hXDP's (scripts/bench/chart.py).  A benchmark measures:
# it exits 0 whatever the numbers, non-zero only when it could not run.
#
# Environment:
#   BENCH_PACKETS=N        packets per program (default 256)
#   BENCH_RTL=0            model only (skip the Verilator build and run)
#   BENCH_SYN_TIMEOUT=S    budget for `make -C hw/rtl syn` (default 120, 0 = skip)
set -u

REPO=$(cd "$(dirname "$0")/.." && pwd)
B=$REPO/build/bench
PACKETS=${BENCH_PACKETS:-256}
SYN_TIMEOUT=${BENCH_SYN_TIMEOUT:-120}
T0=$(date +%s)

say() { echo "bench: $*" >&2; }
elapsed() { echo $(( $(date +%s) - T0 )); }
die() { say "$*"; exit 1; }

mkdir -p "$B"

# Run "$@" in its own process group for at most $1 seconds (then kill
# the whole group); returns the command's status, 124 on a timeout.
run_for() {
	limit=$1
	shift
	setsid "$@" &
	pid=$!
	waited=0
	while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt "$limit" ]; do
		sleep 1
		waited=$((waited + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "-$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return 124
	fi
	wait "$pid"
}

build_tools() {
	say "building the model, the JIT and offnic-bench"
	nice make -s -C "$REPO/hw/model" all O="$REPO/build/model" > "$B/deps.log" 2>&1 ||
		die "hw/model does not build (see $B/deps.log)"
	nice make -s -C "$REPO/offload-jit" all O="$REPO/build/jit" >> "$B/deps.log" 2>&1 ||
		die "offload-jit does not build (see $B/deps.log)"
	nice make -s -C "$REPO/scripts/bench" model O="$B" >> "$B/deps.log" 2>&1 ||
		die "offnic-bench does not build (see $B/deps.log)"
	TOOL=$B/offnic-bench-model
	if [ "${BENCH_RTL:-1}" = 0 ]; then
		say "BENCH_RTL=0: cycles from the C model"
		return
	fi
	if nice make -s -C "$REPO/scripts/bench" rtl O="$B" > "$B/rtl-build.log" 2>&1; then
		TOOL=$B/offnic-bench
	else
		say "the RTL bench tool does not build (see $B/rtl-build.log): cycles from the C model"
	fi
}

# Area: a result of `make -C hw/rtl syn` already in build/rtl/syn, else a
# run of it here within the budget
area() {
	AREA_FILE=
	AREA_NOTE=
	cached=$REPO/build/rtl/syn/area.txt
	if [ -s "$cached" ]; then
		AREA_FILE=$cached
		newer=$(find "$REPO/hw/rtl" -name '*.sv' -newer "$cached" | head -1)
		[ -n "$newer" ] && say "area: $cached is older than $newer (RTL changed since)"
		return
	fi
	if [ "$SYN_TIMEOUT" -le 0 ]; then
		AREA_NOTE="BENCH_SYN_TIMEOUT=0"
		return
	fi
	say "area: make -C hw/rtl syn (at most $SYN_TIMEOUT s)"
	start=$(date +%s)
	run_for "$SYN_TIMEOUT" nice make -s -C "$REPO/hw/rtl" syn O="$B/rtl" > "$B/syn.log" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && [ -s "$B/rtl/syn/area.txt" ]; then
		AREA_FILE=$B/rtl/syn/area.txt
	elif [ $rc -eq 124 ]; then
		AREA_NOTE="\`make -C hw/rtl syn\` (yosys synth_xilinx, 1- and 4-core engine) did not finish within $SYN_TIMEOUT s on this machine; run it on its own, the next \`make bench\` reads build/rtl/syn/area.txt"
	else
		AREA_NOTE="\`make -C hw/rtl syn\` failed after $(( $(date +%s) - start )) s (see build/bench/syn.log)"
	fi
}

build_tools
say "running $(basename "$TOOL") ($PACKETS packets per program) [$(elapsed) s]"
nice "$TOOL" --progs "$B/progs" --packets "$PACKETS" --json "$B/raw.json" 2> "$B/run.log"
rc=$?
grep -v '^bench: [a-z0-9_]*$' "$B/run.log" >&2
{ [ $rc -eq 0 ] && [ -s "$B/raw.json" ]; } || die "offnic-bench could not run (see $B/run.log)"

say "C model speed [$(elapsed) s]"
nice make -s -C "$REPO/hw/model" bench O="$REPO/build/model" > "$B/model-bench.txt" 2>&1 ||
	say "make -C hw/model bench failed (see $B/model-bench.txt)"

area
say "report [$(elapsed) s]"

set -- --model-bench "$B/model-bench.txt" --json "$B/bench.json" --chart "$B/bench-cycles.svg"
[ -n "$AREA_FILE" ] && set -- "$@" --area "$AREA_FILE"
[ -n "$AREA_NOTE" ] && set -- "$@" --area-note "$AREA_NOTE"
[ -f "$REPO/build/check/times.txt" ] && set -- "$@" --check-times "$REPO/build/check/times.txt"
[ -f "$REPO/build/vm/run/pps.txt" ] && set -- "$@" --pps "$REPO/build/vm/run/pps.txt"
python3 "$REPO/scripts/bench/report.py" "$B/raw.json" "$@" > "$B/bench.md" ||
	die "report failed"
{
	cat "$B/bench.md"
	echo "Machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $(date -u '+%Y-%m-%d %H:%M UTC'); make bench took $(elapsed) s."
}
say "wrote $B/bench.json, $B/bench.md and the chart $B/bench-cycles.svg"
exit 0
