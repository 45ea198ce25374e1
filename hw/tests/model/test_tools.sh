#!/bin/sh
# SPDX-License-Identifier: (GPL-2.0 OR MIT)
# offnic-as / offnic-dis round trip through files, error reporting, and
# the disassembler core's freedom from libc (the kernel module links it).
#   test_tools.sh <build dir>
O=${1:?build dir}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

cat > "$T/a.s" <<'SRC'
.lanes 4
.map counts hash key=4 value=8 entries=16
	ld.d p2, [p1] ; ld.d p3, [p1+8] ; ldk p4, %counts ; ldk p5, =0x123456789
@loop:	br.ge p2, p3, @out ; add p2, p2, 1
	ja @loop
@out:	exit 2
SRC
"$O/offnic-as" "$T/a.s" -o "$T/a.img"
ok $? "offnic-as assembles a program"
"$O/offnic-dis" "$T/a.img" > "$T/b.s"
ok $? "offnic-dis lists the image"
"$O/offnic-as" "$T/b.s" -o "$T/b.img" && cmp -s "$T/a.img" "$T/b.img"
ok $? "offnic-as of offnic-dis output gives the identical image"

printf 'add p1, p2\n' > "$T/bad.s"
! "$O/offnic-as" "$T/bad.s" -o "$T/bad.img" 2> "$T/err" && grep -q 'line 1:' "$T/err" && [ ! -e "$T/bad.img" ]
ok $? "offnic-as reports the failing line and writes no image"
printf 'junk' > "$T/junk.img"
! "$O/offnic-dis" "$T/junk.img" > /dev/null 2>&1
ok $? "offnic-dis refuses a file that is not an image"

undef=$(nm -u "$O/asm/disasm.o" "$O/asm/isa_tables.o" | awk 'NF == 2 { print $2 }' |
	grep -v -e '^onm_' -e '^__asan' -e '^__ubsan' | sort -u | tr '\n' ' ')
[ -z "$undef" ]
ok $? "disassembler core needs nothing outside itself (no libc): ${undef:-none}"

echo "1..$n"
exit $fail
