#!/usr/bin/env bash
# Sum the TAP result lines of every suite in LOGDIR and print the verdict.
# The last line is "N passed, N failed, N skipped"; the exit status is 1
# when anything failed.
#
# usage: tap-summary.sh LOGDIR
set -uo pipefail

logdir=$1
total_p=0 total_f=0 total_s=0
echo
echo "suite          passed failed skipped"
for tap in "$logdir"/*.tap; do
	[[ -e $tap ]] || continue
	name=$(basename "$tap" .tap)
	s=$(grep -cE '^ok [0-9]+.*# *SKIP' "$tap")
	p=$(( $(grep -cE '^ok [0-9]' "$tap") - s ))
	f=$(grep -cE '^not ok [0-9]' "$tap")
	printf '%-14s %6d %6d %7d\n' "$name" "$p" "$f" "$s"
	total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
done
if [[ -f $logdir/times.txt ]]; then
	echo
	echo "stage times:"
	sed 's/^/  /' "$logdir/times.txt"
fi
if ((total_f)); then
	echo
	echo "failures:"
	grep -h '^not ok' "$logdir"/*.tap | sed 's/^/  /'
fi
echo
echo "$total_p passed, $total_f failed, $total_s skipped"
((total_f == 0 && total_p > 0))
