#!/usr/bin/env bash
# One build step of `make run`, on one line: what runs, then how long it
# took.  Its output goes to LOG (and, with VERBOSE=1, to the terminal as
# well); a failing step prints the end of LOG and fails.
#
# usage: step.sh LOG NAME -- COMMAND...
set -uo pipefail

log=$1 name=$2
shift 2
[[ ${1:-} == -- ]] && shift
mkdir -p "$(dirname "$log")"
verbose=0
[[ ${VERBOSE:-0} == 1 ]] && verbose=1
if ((verbose)); then
	echo "build: $name ..."
else
	printf 'build: %-58s' "$name ..."
fi
echo "== $name: $*" >> "$log"
start=$(date +%s.%N)
if ((verbose)); then
	"$@" 2>&1 | tee -a "$log"
	rc=${PIPESTATUS[0]}
else
	"$@" >> "$log" 2>&1
	rc=$?
fi
secs=$(echo "$(date +%s.%N) - $start" | bc)
((verbose)) && printf 'build: %s:' "$name"
if ((rc == 0)); then
	printf ' %5.1f s\n' "$secs"
	exit 0
fi
printf ' FAILED after %.1f s (exit %d); the end of %s:\n' "$secs" "$rc" "$log"
tail -n 20 "$log" | sed 's/^/build:   /'
exit "$rc"
