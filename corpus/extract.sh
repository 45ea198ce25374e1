#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Unpack from Debian's linux-source-6.1 tarball the BPF programs of the
# real-programs suite (samples/bpf, the selftests' progs and the headers
# they include) into OUT (build/corpus/ksrc). Nothing is copied into the
# repository. Once per tarball version.
set -euo pipefail

OUT=${1:?usage: extract.sh OUTDIR}
TARBALL=/usr/src/linux-source-6.1.tar.xz
[[ -r $TARBALL ]] || { echo "extract: $TARBALL missing (scripts/deps.sh)" >&2; exit 1; }
version=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo unknown)
stamp=$OUT/.stamp-$version
[[ -e $stamp ]] && exit 0
rm -rf "$OUT.tmp" && mkdir -p "$OUT.tmp"
echo "corpus: unpacking samples/bpf and selftests/bpf from ${TARBALL##*/} ($version)"
nice tar -xJf "$TARBALL" -C "$OUT.tmp" --strip-components=1 --wildcards \
	'linux-source-6.1/samples/bpf/*' \
	'linux-source-6.1/tools/testing/selftests/bpf/*.h' \
	'linux-source-6.1/tools/testing/selftests/bpf/progs/*'
rm -rf "$OUT" && mv "$OUT.tmp" "$OUT"
touch "$stamp"
