#!/usr/bin/env bash
# Check qemu/splat-denylist against the kernel's real report formats:
# every "fail:" line of qemu/splat-samples.txt (as the guest's dmesg
# prints it) must match a pattern, every "pass:" line must match none.
# Prints TAP.
#
# usage: test-splat-denylist.sh [DENYLIST [SAMPLES]]
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../qemu" && pwd)
deny=${1:-$HERE/splat-denylist}
samples=${2:-$HERE/splat-samples.txt}
re=$(mktemp)
trap 'rm -f "$re"' EXIT
grep -E -v '^#|^$' "$deny" > "$re"

n=0 failed=0
echo "TAP version 13"
while IFS= read -r line; do
	case $line in
	fail:*) want=1 verdict="fails the run" ;;
	pass:*) want=0 verdict="passes" ;;
	*) continue ;;
	esac
	text=${line#*: }
	n=$((n + 1))
	got=0
	grep -q -E -f "$re" <<<"$text" && got=1
	if ((got == want)); then
		echo "ok $n - $verdict: $text"
	else
		echo "not ok $n - $verdict: $text"
		failed=1
	fi
done < "$samples"
echo "1..$n"
exit "$failed"
