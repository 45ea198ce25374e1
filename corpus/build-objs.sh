#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Compile the real-programs corpus from what Debian ships, into OUT:
#   samples/bpf's XDP and tc programs, as samples/bpf/Makefile of 6.1 builds
#     them (*_kern.c: clang -emit-llvm | opt | llc -march=bpf, against the
#     kernel headers of linux-headers-6.1 and their generated ones;
#     *.bpf.c: clang -target bpf against vmlinux.h);
#   the selftests' progs that have an XDP or tc section, as
#     selftests/bpf/Makefile builds them (clang -target bpf -mcpu=v3 against
#     a vmlinux.h of the kdir's vmlinux and libbpf's headers);
#   libxdp1's compiled objects, as they are.
# Writes OUT/objects (LABEL=PATH lines, for corpus-run) and OUT/skipped
# (LABEL <TAB> reason: the first compiler error). Objects are rebuilt only
# when their source is newer.
set -euo pipefail

OUT=${1:?usage: build-objs.sh OUT KSRC_OUT KDIR}
KEX=${2:?}		# build/corpus/ksrc: samples and selftests unpacked
KDIR=${3:?}		# the prepared kdir (vmlinux with BTF)
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KSRC=$REPO/build/kernel/linux-source-6.1	# tools/include/uapi
# linux-headers of the kdir's ABI (kdir-6.1.0-57-amd64), else the newest 6.1
HDR_ARCH=/usr/src/linux-headers-${KDIR##*/kdir-}
if [[ ! -d $HDR_ARCH ]]; then
	hdrs=(/usr/src/linux-headers-6.1.*-amd64)
	HDR_ARCH=${hdrs[-1]}
fi
HDR_COMMON=${HDR_ARCH%-amd64}-common
[[ -d $HDR_ARCH && -d $HDR_COMMON ]] ||
	{ echo "build-objs: linux-headers-6.1 for amd64 missing (scripts/deps.sh)" >&2; exit 1; }

mkdir -p "$OUT/inc" "$OUT/obj/samples" "$OUT/obj/selftests" "$OUT/err"
ln -sfn /usr/include/bpf "$OUT/inc/bpf"
if [[ ! -s $OUT/inc/vmlinux.h || $KDIR/vmlinux -nt $OUT/inc/vmlinux.h ]]; then
	bpftool btf dump file "$KDIR/vmlinux" format c > "$OUT/inc/vmlinux.h.tmp"
	mv "$OUT/inc/vmlinux.h.tmp" "$OUT/inc/vmlinux.h"
fi

CLANG_INC=$(clang -print-file-name=include)
SAMPLE_FLAGS=(-nostdinc -isystem "$CLANG_INC"
	-I"$HDR_COMMON/arch/x86/include" -I"$HDR_ARCH/arch/x86/include/generated"
	-I"$HDR_COMMON/include" -I"$HDR_ARCH/include"
	-I"$HDR_COMMON/arch/x86/include/uapi" -I"$HDR_ARCH/arch/x86/include/generated/uapi"
	-I"$HDR_COMMON/include/uapi" -I"$HDR_ARCH/include/generated/uapi"
	-include "$HDR_COMMON/include/linux/kconfig.h"
	-I"$KEX/samples/bpf" -I"$KEX/tools/testing/selftests/bpf" -I"$OUT/inc"
	-D__KERNEL__ -D__BPF_TRACING__ -D__TARGET_ARCH_x86
	-Wno-unused-value -Wno-pointer-sign -Wno-compare-distinct-pointer-types
	-Wno-gnu-variable-sized-type-not-at-end -Wno-address-of-packed-member
	-Wno-tautological-compare -Wno-unknown-warning-option
	-fno-stack-protector -fno-asynchronous-unwind-tables
	-include "$KEX/samples/bpf/asm_goto_workaround.h")
SELFTEST_FLAGS=(-g -D__TARGET_ARCH_x86 -mlittle-endian -I"$OUT/inc"
	-I"$KEX/tools/testing/selftests/bpf" -I"$KSRC/tools/include/uapi"
	-idirafter "/usr/include/$(gcc -dumpmachine)"
	-Wno-compare-distinct-pointer-types -O2 -target bpf -mcpu=v3)

# XDP and tc sections, with or without the '?' of non-autoloaded ones
SECTIONS='SEC\("\??(xdp|tc|classifier|action)'

build_sample() {	# SRC OBJ
	# samples/bpf/Makefile: *.bpf.c against vmlinux.h, linked (bpftool gen
	# object) with xdp_sample.bpf.o when they use it; the rest the old way
	if [[ $1 == *.bpf.c ]]; then
		clang "${SELFTEST_FLAGS[@]}" -mcpu=v1 -I"$KEX/samples/bpf" -c "$1" -o "$2.1.o" &&
		if grep -q 'xdp_sample.bpf.h' "$1"; then
			clang "${SELFTEST_FLAGS[@]}" -mcpu=v1 -I"$KEX/samples/bpf" \
				-c "$KEX/samples/bpf/xdp_sample.bpf.c" -o "$2.2.o" &&
			bpftool gen object "$2" "$2.1.o" "$2.2.o"
		else
			mv "$2.1.o" "$2"
		fi
		local rc=$?
		rm -f "$2.1.o" "$2.2.o"
		return $rc
	fi
	clang "${SAMPLE_FLAGS[@]}" -g -O2 -emit-llvm -Xclang -disable-llvm-passes \
		-c "$1" -o - | opt -O2 -mtriple=bpf-pc-linux | llvm-dis |
		llc -march=bpf -filetype=obj -o "$2"
}

build_selftest() {	# SRC OBJ
	clang "${SELFTEST_FLAGS[@]}" -c "$1" -o "$2"
}

paths() {		# KIND SRC -> NAME OBJ ERR
	local name
	name=$(basename "$2" .c)
	name=${name%.bpf}
	echo "$name $OUT/obj/$1/$name.o $OUT/err/$1-$name.txt"
}

build() {		# KIND SRC: the object, or ERR with the first error
	local kind=$1 src=$2 name obj err
	read -r name obj err < <(paths "$kind" "$src")
	[[ -e $obj && ! $src -nt $obj ]] && return 0
	[[ -e $err && ! $src -nt $err ]] && return 0
	rm -f "$obj" "$err"
	if "build_${kind%s}" "$src" "$obj.tmp" 2> "$err.all"; then
		mv "$obj.tmp" "$obj"
	else
		grep -m1 'error:' "$err.all" > "$err" || echo "compiler failed" > "$err"
	fi
	rm -f "$obj.tmp" "$err.all"
}

if [[ ${4:-} == --one ]]; then
	build "$5" "$6"
	exit 0
fi

sources() {
	grep -lE "$SECTIONS" "$KEX"/samples/bpf/*.c | sort | sed 's/^/samples /'
	grep -lE "$SECTIONS" "$KEX"/tools/testing/selftests/bpf/progs/*.c | sort |
		sed 's/^/selftests /'
}

stale() {
	local kind src name obj err
	while read -r kind src; do
		read -r name obj err < <(paths "$kind" "$src")
		[[ -e $obj && ! $src -nt $obj ]] && continue
		[[ -e $err && ! $src -nt $err ]] && continue
		echo "$kind $src"
	done
}

# what changed, in parallel; then all listed in a fixed order
sources | stale | xargs -r -P "$(nproc)" -L1 "$0" "$OUT" "$KEX" "$KDIR" --one
: > "$OUT/objects.tmp"
: > "$OUT/skipped.tmp"
while read -r kind src; do
	read -r name obj err < <(paths "$kind" "$src")
	if [[ -e $obj ]]; then
		echo "$kind/$name=$obj" >> "$OUT/objects.tmp"
	else
		printf '%s\t%s\n' "$kind/$name" \
			"$(sed "s|^$KEX/||; s|^.*error: ||" "$err")" >> "$OUT/skipped.tmp"
	fi
done < <(sources)
for obj in $(dpkg -L libxdp1 2>/dev/null | grep '/bpf/.*\.o$' | sort); do
	echo "xdp-tools/$(basename "$obj" .o)=$obj" >> "$OUT/objects.tmp"
done
mv "$OUT/objects.tmp" "$OUT/objects"
mv "$OUT/skipped.tmp" "$OUT/skipped"
echo "corpus: $(wc -l < "$OUT/objects") objects built or found," \
	"$(wc -l < "$OUT/skipped") sources that do not compile standalone"
