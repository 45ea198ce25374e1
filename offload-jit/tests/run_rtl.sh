#!/usr/bin/env bash
# SPDX-License-Identifier: (GPL-2.0 OR MIT)
# offnic-run --rtl keeps the conformance plugin contract (program as hex
# on stdin, memory as hex in argv[1], r0 in hex on stdout): every corpus
# case written as raw bytecode runs through offnic-run on the model and
# on the RTL, and both print the same r0, the case's expected result.
# Cases that must be refused are refused by both.
#
# usage: run_rtl.sh OFFNIC-RUN CORPUS-DIR [RTL]      (TAP output)
#   RTL=1: offnic-run was built with the RTL; a --rtl that does not run fails
set -uo pipefail

run=$1 corpus=$2 built=${3:-0}

section() {	# section NAME FILE: the section's text, comments and blanks dropped
	awk -v s="-- $1" '$0 == s { f = 1; next } /^-- / { f = 0 } f { sub(/#.*/, ""); gsub(/[ \t]/, ""); printf "%s", $0 }' "$2"
}

echo "TAP version 13"
if ! "$run" --rtl 00 <<< "b7000000010000009500000000000000" > /dev/null 2>&1; then
	echo "1..1"
	if [[ $built == 1 ]]; then
		echo "not ok 1 - offnic-run --rtl runs a program: $("$run" --rtl 00 <<< "b7000000010000009500000000000000" 2>&1)"
		exit 1
	fi
	echo "ok 1 - offnic-run --rtl matches the model on the corpus # SKIP built without the RTL"
	exit 0
fi
cases=()
for f in "$corpus"/*.data; do
	grep -q '^-- raw' "$f" && cases+=("$f")
done
echo "1..${#cases[@]}"
n=0 failed=0
for f in "${cases[@]}"; do
	n=$((n + 1))
	name=$(basename "$f" .data)
	prog=$(section raw "$f")
	mem=$(section mem "$f")
	want=$(section result "$f")
	want=${want#0x}
	model=$("$run" ${mem:+"$mem"} <<< "$prog" 2> /dev/null); mrc=$?
	rtl=$("$run" --rtl ${mem:+"$mem"} <<< "$prog" 2> /dev/null); rrc=$?
	if grep -q '^-- error' "$f"; then
		ok=$(( mrc != 0 && rrc != 0 ))
		what="refused by both (model $mrc, rtl $rrc)"
	else
		ok=$(( mrc == 0 && rrc == 0 && ${#want} > 0 ))
		[[ $ok == 1 && ($((16#$model)) != $((16#$want)) || $((16#$rtl)) != $((16#$want))) ]] && ok=0
		what="r0 model ${model:-none} rtl ${rtl:-none}, expected ${want:-none}"
	fi
	if ((ok)); then
		echo "ok $n - offnic-run --rtl: $name: $what"
	else
		echo "not ok $n - offnic-run --rtl: $name: $what"
		failed=$((failed + 1))
	fi
done
echo "# $failed failed"
((failed == 0))
