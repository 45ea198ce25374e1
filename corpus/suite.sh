#!/usr/bin/env bash
# SPDX-License-Identifier: (GPL-2.0 OR MIT)
# The real-programs suite, as TAP, and its table.
#
# usage: suite.sh BUILD EXPECTED [--update | --table]
#   BUILD     build/corpus: objects (LABEL=PATH), skipped, corpus-run
#   EXPECTED  corpus/expected.tsv: PROGRAM <TAB> OUTCOME, the ratchet
#
# Each program's outcome is one of
#   correct                  translates; model and reference agree on every
#                            frame the reference can run
#   unchecked                translates; nothing to compare (ktime/prandom,
#                            or the reference fails on every frame)
#   refused: FEATURE         the JIT or the loader refuses it, for FEATURE
#   invalid                  the selftest expects the verifier to reject it
#   not compiled             the source does not compile standalone
#   mistranslated            model and reference differ
# A program fails when it is mistranslated, when its outcome is worse
# than the expected one (correct > unchecked > refused > not compiled),
# when it disappeared, or when a refusal names no known feature. Better
# outcomes are reported; `make -C corpus update` records them.
set -euo pipefail

B=${1:?usage: suite.sh BUILD EXPECTED [--update|--table]}
EXPECTED=${2:?}
MODE=${3:-}

mapfile -t objects < "$B/objects"
"$B/corpus-run" "${objects[@]}" > "$B/results.raw"

# A refusal message -> the feature it names (empty: none known)
feature() {
	local m=$1
	case $m in
	*"map type "*)
		sed -E 's/.*map type ([A-Z_]+).*/map type \1/' <<<"$m" ;;
	*"max_entries 0"*) echo "map sized at load time (max_entries 0)" ;;
	*"helper "*"(bpf_"*)
		sed -E 's/.*helper [0-9]+ \((bpf_[a-z0-9_]+)\).*/helper \1/' <<<"$m" ;;
	*kfunc*) echo "kfunc calls" ;;
	*"global data"* | *"direct map value"*) echo "global data (.rodata/.data/.bss)" ;;
	*"tail call"*) echo "tail calls" ;;
	*LD_ABS*) echo "legacy packet access (LD_ABS/LD_IND)" ;;
	*"context field"*) echo "context field" ;;
	*"bytes of stack"*) echo "stack size" ;;
	*"program of "*" instructions"*) echo "program size" ;;
	*"legacy map definitions"*) echo "legacy SEC(\"maps\") map definitions" ;;
	*ksym*) echo "ksyms" ;;
	*"function pointer"* | *callback*) echo "callbacks" ;;
	*"indirect call"*) echo "indirect calls" ;;
	*"call into section"*) echo "calls outside .text" ;;
	*"helper "*"(unknown)"*) echo "" ;;
	*) echo "" ;;
	esac
}

: > "$B/results.tsv"
while IFS=$'\t' read -r prog class detail; do
	case $class in
	refused)
		f=$(feature "$detail")
		outcome="refused: ${f:-?}" ;;
	*) outcome=$class ;;
	esac
	printf '%s\t%s\t%s\n' "$prog" "$outcome" "$detail" >> "$B/results.tsv"
done < "$B/results.raw"
while IFS=$'\t' read -r prog why; do
	printf '%s:*\tnot compiled\t%s\n' "$prog" "$why" >> "$B/results.tsv"
done < "$B/skipped"
sort -o "$B/results.tsv" "$B/results.tsv"

rank() {
	case $1 in
	correct) echo 5 ;;
	unchecked) echo 4 ;;
	invalid) echo 3 ;;
	refused*) echo 2 ;;
	"not compiled") echo 1 ;;
	*) echo 0 ;;
	esac
}

table() {
	local n
	n=$(wc -l < "$B/results.tsv")
	echo "# real programs: $n (XDP and tc; samples/bpf, selftests/bpf progs, libxdp1)"
	for k in correct unchecked mistranslated invalid "not compiled"; do
		printf '#   %-52s %4d\n' "$k" "$(cut -f2 "$B/results.tsv" | grep -cx "$k" || true)"
	done
	printf '#   %-52s %4d\n' "refused" "$(cut -f2 "$B/results.tsv" | grep -c '^refused' || true)"
	cut -f2 "$B/results.tsv" | grep '^refused' | sort | uniq -c | sort -k1,1nr -k2 |
		while read -r c what; do
			printf '#     %-50s %4d\n' "${what#refused: }" "$c"
		done
	echo "# by source:"
	for src in samples selftests xdp-tools; do
		printf '#   %-12s %3d programs, %3d correct, %3d unchecked\n' "$src" \
			"$(grep -c "^$src/" "$B/results.tsv" || true)" \
			"$(grep "^$src/" "$B/results.tsv" | cut -f2 | grep -cx correct || true)" \
			"$(grep "^$src/" "$B/results.tsv" | cut -f2 | grep -cx unchecked || true)"
	done
}

if [[ $MODE == --table ]]; then
	table
	exit 0
fi
if [[ $MODE == --update ]]; then
	{
		echo "# The real-programs suite's ratchet (corpus/suite.sh): each program's"
		echo "# outcome as of the last 'make -C corpus update'. Regenerated, not edited."
		cut -f1,2 "$B/results.tsv"
	} > "$EXPECTED"
	table
	echo "corpus: $EXPECTED updated ($(wc -l < "$B/results.tsv") programs)"
	exit 0
fi

echo "TAP version 13"
declare -A want
if [[ -r $EXPECTED ]]; then
	while IFS=$'\t' read -r prog outcome; do
		[[ $prog == \#* || -z $prog ]] && continue
		want[$prog]=$outcome
	done < "$EXPECTED"
fi
n=0 failed=0 better=0 new=0
declare -A seen
while IFS=$'\t' read -r prog outcome detail; do
	n=$((n + 1))
	seen[$prog]=1
	exp=${want[$prog]:-}
	ok=1 note=""
	if [[ $outcome == mistranslated ]]; then
		ok=0 note="mistranslated: $detail"
	elif [[ $outcome == "refused: ?" ]]; then
		ok=0 note="refused without a named feature: $detail"
	elif [[ -z $exp ]]; then
		new=$((new + 1)) note="new program: $outcome"
	elif (($(rank "$outcome") < $(rank "$exp"))); then
		ok=0 note="worse than expected ($exp): $outcome: $detail"
	elif (($(rank "$outcome") > $(rank "$exp"))); then
		better=$((better + 1)) note="better than expected ($exp): $outcome"
	elif [[ $outcome != "$exp" ]]; then
		note="now $outcome (expected $exp)"
	fi
	if ((ok)); then
		echo "ok $n - $prog: $outcome${note:+ # $note}"
	else
		echo "not ok $n - $prog: $note"
		failed=1
	fi
done < "$B/results.tsv"
for prog in "${!want[@]}"; do
	[[ -n ${seen[$prog]:-} ]] && continue
	n=$((n + 1))
	echo "not ok $n - $prog: gone (expected ${want[$prog]})"
	failed=1
done
table
((better || new)) && echo "# $better programs better than expected, $new new:" \
	"record them with make -C corpus update"
echo "1..$n"
exit "$failed"
