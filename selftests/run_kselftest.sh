#!/bin/sh
# Run the installed offnic selftests, kselftest style: TAP 13, nested
# test output prefixed with "# ", one result line per test, per-test
# timeouts from ./settings, and an exit status that is non-zero when any
# test failed (6.1's runner always exits 0).
#
# usage: run_kselftest.sh [-t TEST]...
cd "$(dirname "$0")" || exit 1

timeout=45
[ -f settings ] && timeout=$(sed -n 's/^timeout=//p' settings)
[ -n "$kselftest_override_timeout" ] && timeout=$kselftest_override_timeout

tests=$(sed -n 's/^offnic://p' kselftest-list.txt)
if [ $# -gt 0 ]; then
	tests=
	while getopts "t:" opt; do
		[ "$opt" = t ] && tests="$tests $OPTARG"
	done
fi

n=0
for t in $tests; do n=$((n + 1)); done
echo "TAP version 13"
echo "1..$n"

pass=0 fail=0 skip=0 i=0
for t in $tests; do
	i=$((i + 1))
	echo "# selftests: offnic: $t"
	echo "kselftest: Running tests in offnic: $t" > /dev/kmsg
	rcfile=/tmp/ksft-rc.$$
	{ timeout -k 5 "$timeout" "./$t" 2>&1; echo $? > "$rcfile"; } |
		sed 's/^/# /'
	rc=$(cat "$rcfile")
	rm -f "$rcfile"
	case $rc in
	0) echo "ok $i selftests: offnic: $t"; pass=$((pass + 1)) ;;
	4) echo "ok $i selftests: offnic: $t # SKIP"; skip=$((skip + 1)) ;;
	124) echo "not ok $i selftests: offnic: $t # TIMEOUT $timeout seconds"
	     fail=$((fail + 1)) ;;
	*) echo "not ok $i selftests: offnic: $t # exit=$rc"; fail=$((fail + 1)) ;;
	esac
done
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
[ "$fail" -eq 0 ]
