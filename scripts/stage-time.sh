#!/usr/bin/env bash
# Time one build stage of `make check` into LOGDIR/times.txt (beside the
# test suites' lines), passing its output and exit status through.
#
# usage: stage-time.sh NAME LOGDIR -- COMMAND...
set -uo pipefail

name=$1 logdir=$2
shift 2
[[ ${1:-} == -- ]] && shift
mkdir -p "$logdir"
start=$(date +%s.%N)
"$@"
rc=$?
end=$(date +%s.%N)
printf '%-14s %7.1f s  exit %d\n' "$name" "$(echo "$end - $start" | bc)" "$rc" \
	>> "$logdir/times.txt"
exit "$rc"
