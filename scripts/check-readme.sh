#!/usr/bin/env bash
# Doc test: every make target and every file path that README.md names
# exists.  Paths under build/ are outputs: they must exist after make
# check's build, or, for what only make run and make bench write, be named
# by a tracked file that writes them.  Prints TAP.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO" || exit 1
readme=${1:-README.md}

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

# make targets: "make NAME" anywhere in the text or its code blocks
mapfile -t targets < <(grep -oE '\bmake +[a-z][a-z-]*' "$readme" |
	awk '{print $2}' | sort -u)
for t in "${targets[@]}"; do
	grep -qE "^([a-z-]+ )*$t( [a-z-]+)*:" Makefile
	say "$((! $?))" "README's 'make $t' is a target of the Makefile"
done

# repo paths: words with a slash that start with a top-level entry of the
# tree (or build/), in backquotes or in code blocks
mapfile -t tops < <(git ls-files | cut -d/ -f1 | sort -u)
top_re=$(printf '%s|' "${tops[@]}" build)
top_re="^(${top_re%|})/"
mapfile -t paths < <(grep -oE '[A-Za-z0-9_./*-]+/[A-Za-z0-9_./*-]*' "$readme" |
	grep -E "$top_re" | sed 's/[.,:;]*$//' | sort -u)
for p in "${paths[@]}"; do
	if [[ $p == *'*'* ]]; then	# a glob names at least one file
		compgen -G "$p" > /dev/null
		say "$((! $?))" "README's pattern $p matches a file"
	elif [[ -e $p || $p != build/* ]]; then
		[[ -e $p ]]
		say "$((! $?))" "README's path $p exists"
	else
		# an output of make run or make bench, which make check does not
		# run: some tracked file must produce it
		git grep -q -F -e "${p##*/}" -- ':!README.md' ':!docs/*'
		say "$((! $?))" "README's output $p is written by the tree"
	fi
done

echo "1..$n"
exit "$failed"
