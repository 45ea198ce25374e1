#!/usr/bin/env bash
# Check commit messages against the kernel's habit (CONTRIBUTING.md): a
# subject of at most 75 characters, a blank line, then a body that says why.
#
# The rule holds from the commit that added CONTRIBUTING.md on; earlier
# history is left as it was.  Merge commits are not checked.  Prints TAP.
#
# usage: lint-commits.sh [REV-RANGE]   (default: the policy commit..HEAD)
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO" || exit 1

n=0 failed=0
say() {	# say OK NAME
	n=$((n + 1))
	if (($1)); then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=1
	fi
}

echo "TAP version 13"
if ! git rev-parse -q --verify HEAD > /dev/null 2>&1; then
	echo "1..0 # SKIP not a git checkout"
	exit 0
fi
range=${1:-}
if [[ -z $range ]]; then
	policy=$(git log --diff-filter=A --format=%H -- CONTRIBUTING.md | tail -n 1)
	if [[ -z $policy ]]; then
		echo "1..0 # SKIP no CONTRIBUTING.md in history"
		exit 0
	fi
	range="$policy^..HEAD"
	git rev-parse -q --verify "$policy^" > /dev/null || range=$policy
fi

while read -r sha; do
	subject=$(git log -1 --format=%s "$sha")
	second=$(git log -1 --format=%B "$sha" | sed -n 2p)
	body=$(git log -1 --format=%b "$sha" | grep -cv '^[[:space:]]*$')
	short=$(git rev-parse --short=12 "$sha")
	say "$(( ${#subject} <= 75 ))" \
		"commit $short subject is at most 75 characters (${#subject})"
	say "$(( body > 0 ))" "commit $short has a body that says why"
	say "$([[ -z $second ]] && echo 1 || echo 0)" \
		"commit $short separates subject and body by a blank line"
done < <(git rev-list --no-merges "$range" 2>/dev/null)

echo "1..$n"
exit "$failed"
