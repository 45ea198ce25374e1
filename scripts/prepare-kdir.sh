#!/usr/bin/env bash
# Make build/kernel/kdir-<abi>: Debian's headers tree plus the two things it
# lacks for module BTF, so `make -C <kdir> M=<dir>` prints "BTF [M] x.ko":
#   vmlinux         base BTF, extracted from the vmlinuz the guest boots;
#   resolve_btfids  fills BTF_ID/BTF_SET8 ids, built from linux-source.
# Without them the module loads but register_btf_kfunc_id_set() silently
# registers nothing. Does nothing when KDIR names another kernel build dir.
set -euo pipefail

SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=${SCRIPTS%/*}
OUT=$REPO/build/kernel

log() { echo "prepare-kdir: $*"; }
die() { echo "prepare-kdir: error: $*" >&2; exit 1; }

# Copy of the headers tree whose relative scripts/tools symlinks would dangle;
# tools/ becomes a real directory so resolve_btfids can sit beside objtool.
copy_headers() {
	local headers=$1 dest=$2 entry

	cp -a "$headers" "$dest"
	rm "$dest/scripts" "$dest/tools"
	ln -s "$(readlink -f "$headers/scripts")" "$dest/scripts"
	mkdir -p "$dest/tools/bpf/resolve_btfids"
	for entry in "$(readlink -f "$headers/tools")"/*; do
		ln -s "$entry" "$dest/tools/${entry##*/}"
	done
}

extract_vmlinux() {
	local image=$1 vmlinux=$2

	log "extracting vmlinux from $image"
	"$KSRC/scripts/extract-vmlinux" "$image" >"$vmlinux" ||
		die "extract-vmlinux failed on $image"
	grep -qw '\.BTF' <<<"$(readelf -S "$vmlinux")" ||
		die "$vmlinux has no .BTF section: kernel built without CONFIG_DEBUG_INFO_BTF"
}

# Sub-makes must not inherit O=, V=, -C... from a calling make.
build_resolve_btfids() {
	local objdir=$OUT/obj/resolve_btfids

	log "building resolve_btfids into $objdir"
	mkdir -p "$objdir"
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u O -u OUTPUT \
		nice make -s -j2 -C "$KSRC/tools/bpf/resolve_btfids" \
		OUTPUT="$objdir/" >"$objdir.log" 2>&1 ||
		{ tail -n 30 "$objdir.log" >&2; die "resolve_btfids build failed (log: $objdir.log)"; }
	RESOLVE_BTFIDS=$objdir/resolve_btfids
}

check_config() {
	local cfg=$1/.config opt

	for opt in CONFIG_DEBUG_INFO_BTF CONFIG_DEBUG_INFO_BTF_MODULES; do
		grep -qx "$opt=y" "$cfg" || die "$cfg lacks $opt=y: no module BTF possible"
	done
	command -v pahole >/dev/null || die "pahole missing: run scripts/deps.sh (package dwarves)"
}

main() {
	local headers key stamp tmp

	eval "$("$SCRIPTS/kernel-env.sh")"
	if [[ $KDIR_SOURCE == user ]]; then
		log "KDIR=$KDIR set by the user; nothing to prepare"
		return
	fi

	headers=/usr/src/linux-headers-$KABI
	[[ -d $headers ]] || die "$headers missing: run scripts/deps.sh"
	[[ -e $KIMAGE ]] || die "$KIMAGE missing: run scripts/deps.sh"
	"$SCRIPTS/prepare-ksrc.sh"

	key=$(dpkg-query -W -f='${Version}' "linux-headers-$KABI")
	key+=-$(stat -c %s-%Y "$KIMAGE" "$KSRC" | tr '\n' -)
	key+=$(cksum <"${BASH_SOURCE[0]}" | cut -d' ' -f1)
	stamp=$OUT/stamps/kdir-$KABI-$key
	if [[ -e $stamp && -x $KDIR/tools/bpf/resolve_btfids/resolve_btfids &&
	      -s $KDIR/vmlinux ]]; then
		log "$KDIR up to date"
		return
	fi

	check_config "$headers"
	build_resolve_btfids
	tmp=$KDIR.tmp
	rm -rf "$tmp"
	log "copying $headers into $KDIR"
	copy_headers "$headers" "$tmp"
	cp "$RESOLVE_BTFIDS" "$tmp/tools/bpf/resolve_btfids/resolve_btfids"
	extract_vmlinux "$KIMAGE" "$tmp/vmlinux"
	rm -rf "$KDIR" "$OUT/stamps/kdir-$KABI"-*
	mv "$tmp" "$KDIR"
	touch "$stamp"
	log "done: make -C $KDIR M=<module dir> now generates module BTF"
}

main "$@"
