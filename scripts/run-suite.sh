#!/usr/bin/env bash
# Run one test suite, keep its output and its TAP result lines, and time it.
#
# usage: run-suite.sh NAME LOGDIR -- COMMAND...
# Writes LOGDIR/NAME.log (everything), LOGDIR/NAME.tap (top-level TAP
# result lines) and a line in LOGDIR/times.txt.  A suite that exits
# non-zero without reporting a failing test, or that reports no test at
# all, gets a "not ok" line of its own, so nothing fails silently.
set -uo pipefail

name=$1 logdir=$2
shift 2
[[ ${1:-} == -- ]] && shift
mkdir -p "$logdir"

start=$(date +%s.%N)
"$@" 2>&1 | tee "$logdir/$name.log"
rc=${PIPESTATUS[0]}
end=$(date +%s.%N)

tr -d '\r' < "$logdir/$name.log" | grep -E '^(not )?ok [0-9]' > "$logdir/$name.tap"
if ((rc != 0)) && ! grep -q '^not ok' "$logdir/$name.tap"; then
	echo "not ok 0 $name: exited with status $rc" >> "$logdir/$name.tap"
fi
if [[ ! -s $logdir/$name.tap ]]; then
	echo "not ok 0 $name: ran no test" >> "$logdir/$name.tap"
fi
printf '%-14s %7.1f s  exit %d\n' "$name" "$(echo "$end - $start" | bc)" "$rc" \
	>> "$logdir/times.txt"
exit "$rc"
