#!/usr/bin/env bash
# Unpack from Debian's linux-source-6.1 tarball only the files offnic uses:
# checkpatch, extract-vmlinux, what building resolve_btfids needs, and the
# kselftest harness. The whole tree is over 1 GB unpacked; this subset is ~6 MB.
set -euo pipefail

SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=${SCRIPTS%/*}
OUT=$REPO/build/kernel
TARBALL=/usr/src/linux-source-6.1.tar.xz
DEST=$OUT/linux-source-6.1

SUBSET="
scripts/checkpatch.pl			# style checker
scripts/spelling.txt			# read by checkpatch
scripts/const_structs.checkpatch	# read by checkpatch
Documentation/dev-tools/checkpatch.rst	# checkpatch --verbose
scripts/extract-vmlinux			# vmlinux (with .BTF) from vmlinuz
scripts/bpf_doc.py			# libbpf's bpf_helper_defs.h
include/uapi/linux/bpf.h		# resolve_btfids -> libbpf
tools/bpf/resolve_btfids		# module BTF_ID resolution
tools/lib				# libbpf, libsubcmd
tools/include				# tools' own kernel headers
tools/build				# tools' Kbuild-like machinery
tools/scripts				# Makefile.include, Makefile.arch
tools/arch/x86/include			# tools' arch headers
tools/testing/selftests/kselftest_harness.h
tools/testing/selftests/kselftest.h
tools/testing/selftests/kselftest
"

log() { echo "prepare-ksrc: $*"; }
die() { echo "prepare-ksrc: error: $*" >&2; exit 1; }

subset_paths() {
	# shellcheck disable=SC2001 # per-line comments: ${//} cannot anchor to lines
	sed -e 's/#.*//' <<<"$SUBSET" | tr -s ' \t\n' '\n' | sed '/^$/d'
}

main() {
	local version key stamp tmp

	[[ -r $TARBALL ]] ||
		die "$TARBALL missing: run scripts/deps.sh (package linux-source-6.1)"
	version=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
		version=unknown
	key=$(subset_paths | cksum | cut -d' ' -f1)
	stamp=$OUT/stamps/ksrc-$version-$key
	if [[ -e $stamp && -d $DEST ]]; then
		log "$DEST up to date ($version)"
		return
	fi

	log "unpacking $(subset_paths | wc -l) paths of ${TARBALL##*/} ($version) into $DEST"
	mkdir -p "$OUT/stamps"
	tmp=$DEST.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	subset_paths | sed 's|^|linux-source-6.1/|' |
		nice tar -xJf "$TARBALL" -C "$tmp" --strip-components=1 -T - ||
		die "tar failed; is a path in SUBSET missing from ${TARBALL##*/}?"
	rm -rf "$DEST" "$OUT/stamps"/ksrc-*
	mv "$tmp" "$DEST"
	touch "$stamp"
	log "done ($(du -sh "$DEST" | cut -f1))"
}

main "$@"
