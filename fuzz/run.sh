#!/usr/bin/env bash
# SPDX-License-Identifier: (GPL-2.0 OR MIT)
# Run each libFuzzer harness for a bounded time on its seed corpus; TAP.
#
# usage: run.sh BUILD_DIR CORPUS_DIR SECONDS HARNESS...
# New inputs go to BUILD_DIR/work/NAME (the checked-in corpus is only
# read), findings to BUILD_DIR/artifacts/NAME/, the log of each run to
# BUILD_DIR/NAME.log.  A harness that finds anything fails its test.
set -uo pipefail

out=$1 corpus=$2 secs=$3
shift 3
n=0 failed=0

echo "TAP version 13"
for h in "$@"; do
	n=$((n + 1))
	work=$out/work/$h art=$out/artifacts/$h log=$out/$h.log
	mkdir -p "$work" "$art" "$corpus/$h"
	seeds=$(find "$corpus/$h" -type f | wc -l)
	start=$(date +%s)
	# -close_fd_mask=2: the code under test logs refusals on stderr;
	# libFuzzer and the sanitizers still report on a copy of it
	"$out/fuzz_$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -close_fd_mask=2 -artifact_prefix="$art/" \
		"$work" "$corpus/$h" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1)
	what="fuzz_$h: ${execs:-?} executions in $(( $(date +%s) - start )) s from $seeds seeds (${cov:-cov: ?})"
	if ((rc == 0)); then
		echo "ok $n - $what, no finding"
	else
		echo "not ok $n - $what: finding, see $log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|    #[0-9] )|runtime error|artifact_prefix|Test unit written' \
			"$log" | head -20 | sed 's/^/# /'
		failed=1
	fi
done
echo "1..$n"
exit "$failed"
