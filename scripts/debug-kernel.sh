#!/usr/bin/env bash
# Build (once) and locate offnic's debug guest kernel: Debian's
# linux-source-6.1 configured by `make allnoconfig` plus
# qemu/debug-kernel.config (KASAN, UBSAN, lockdep, kmemleak...), with all
# the guest needs built in.
#
# The result lives outside the clone, so every clone and CI run on this
# machine reuses it:
#   $OFFNIC_KCACHE/src/<srcversion>/linux-source-6.1   the whole source tree
#   $OFFNIC_KCACHE/<srcversion>-<confighash>/kdir      the O= build dir: the
#       bzImage, vmlinux with BTF, resolve_btfids; offnic.ko builds
#       against it (`make -C kdir M=...`) with module BTF
#   $OFFNIC_KCACHE/<srcversion>-<confighash>/root      modules_install:
#       lib/modules/<kabi>/modules.builtin for qemu/mkinitramfs.sh
# OFFNIC_KCACHE defaults to /var/cache/offnic/debug-kernel. The config hash
# covers the fragment's options (not its comments), the recipe, gcc and
# pahole. A missing or partial cache only costs time: the build resumes.
#
# usage: debug-kernel.sh [--env | --build | --cached]
#   --env     print KDIR, KIMAGE, KMODROOT, KABI lines (kernel-env.sh)
#   --build   build unless cached (the default)
#   --cached  exit 0 if the cached kernel is complete, 1 otherwise
set -euo pipefail

SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=${SCRIPTS%/*}
FRAGMENT=$REPO/qemu/debug-kernel.config
TARBALL=/usr/src/linux-source-6.1.tar.xz
CACHE=${OFFNIC_KCACHE:-/var/cache/offnic/debug-kernel}
# Bump when the way the config is made changes.
RECIPE="allnoconfig+fragment v1"
JOBS=${JOBS:-2}

log() { echo "debug-kernel: $*" >&2; }
die() { echo "debug-kernel: error: $*" >&2; exit 1; }

# The fragment's options, without comments or blank lines.
options() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$FRAGMENT"
}

srcversion() {
	dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null ||
		die "linux-source-6.1 not installed: run scripts/deps.sh"
}

config_hash() {
	{
		echo "$RECIPE"
		options
		gcc --version | head -n 1
		pahole --version
	} | sha256sum | cut -c1-12
}

setup() {
	SRCVER=$(srcversion)
	SRC=$CACHE/src/$SRCVER/linux-source-6.1
	DIR=$CACHE/$SRCVER-$(config_hash)
	KDIR=$DIR/kdir
	KIMAGE=$DIR/bzImage
	KMODROOT=$DIR/root
	READY=$DIR/ready
}

# The release string: the built one, or the one the build will give.
kabi() {
	local uts=$KDIR/include/generated/utsrelease.h line v p s e l

	if [[ -r $uts ]]; then
		line=$(<"$uts")
		line=${line#*\"}
		echo "${line%\"*}"
		return
	fi
	[[ -r $SRC/Makefile ]] || { echo "unbuilt"; return; }
	v=$(sed -n 's/^VERSION = //p' "$SRC/Makefile")
	p=$(sed -n 's/^PATCHLEVEL = //p' "$SRC/Makefile")
	s=$(sed -n 's/^SUBLEVEL = //p' "$SRC/Makefile")
	e=$(sed -n 's/^EXTRAVERSION = *//p' "$SRC/Makefile")
	l=$(options | sed -n 's/^CONFIG_LOCALVERSION="\(.*\)"$/\1/p')
	echo "$v.$p.$s$e$l"
}

unpack() {
	[[ -e $SRC/.unpacked ]] && return
	[[ -r $TARBALL ]] || die "$TARBALL missing: run scripts/deps.sh"
	log "unpacking ${TARBALL##*/} ($SRCVER) into ${SRC%/*}"
	rm -rf "$SRC"
	mkdir -p "${SRC%/*}"
	nice -n 19 tar -xJf "$TARBALL" -C "${SRC%/*}"
	touch "$SRC/.unpacked"
}

# Every option of the fragment must survive Kconfig: a dependency that
# is not met silently drops it, and a debug option lost that way would
# make the debug kernel a plain one.
verify_config() {
	local cfg=$KDIR/.config opt name val bad=0

	while IFS= read -r opt; do
		name=${opt%%=*}
		val=${opt#*=}
		if [[ $val == n ]]; then
			grep -qx "$name=y" "$cfg" || continue
		else
			grep -qxF "$name=$val" "$cfg" && continue
		fi
		log "config: wanted $opt, got: $(grep -E "^(# )?${name}[= ]" "$cfg" || echo unset)"
		bad=1
	done < <(options)
	((bad == 0)) || die "$cfg does not have every option of ${FRAGMENT##*/}"
}

kmake() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u O -u M -u KBUILD_OUTPUT \
		nice -n 19 make -s -C "$SRC" O="$KDIR" "$@"
}

build() {
	local start secs

	mkdir -p "$DIR"
	exec 9>"$DIR/lock"
	flock 9
	[[ -e $READY ]] && return
	command -v pahole >/dev/null ||
		die "pahole missing: run scripts/deps.sh (package dwarves)"
	unpack
	start=$(date +%s)
	mkdir -p "$KDIR"
	options > "$DIR/allno.config"
	log "configuring $KDIR (allnoconfig + ${FRAGMENT##*/})"
	kmake KCONFIG_ALLCONFIG="$DIR/allno.config" allnoconfig
	verify_config
	log "building $(kabi) with -j$JOBS at nice 19 (log: $DIR/build.log)"
	kmake -j"$JOBS" bzImage modules >"$DIR/build.log" 2>&1 ||
		{ tail -n 40 "$DIR/build.log" >&2; die "kernel build failed (log: $DIR/build.log)"; }
	rm -rf "$KMODROOT"
	kmake INSTALL_MOD_PATH="$KMODROOT" modules_install >>"$DIR/build.log" 2>&1 ||
		die "modules_install failed (log: $DIR/build.log)"
	cp "$KDIR/arch/x86/boot/bzImage" "$KIMAGE"
	grep -qw '\.BTF' <<<"$(readelf -S "$KDIR/vmlinux")" ||
		die "$KDIR/vmlinux has no .BTF section"
	[[ -x $KDIR/tools/bpf/resolve_btfids/resolve_btfids ]] ||
		die "no resolve_btfids in $KDIR: no module BTF possible"
	secs=$(($(date +%s) - start))
	echo "$secs" > "$DIR/build-seconds"
	# CPU time of the build (children of this shell): the wall time
	# depends on what else the machine is doing.
	# (not `times | sed`: a pipeline runs `times` in a subshell, which
	# has no children of its own).
	times > "$DIR/build-cpu"
	touch "$READY"
	log "built $(kabi) in $((secs / 60)) min $((secs % 60)) s: $KIMAGE ($(du -h "$KIMAGE" | cut -f1))"
}

main() {
	setup
	case ${1:---build} in
	--env)
		echo "KDIR=$KDIR"
		echo "KIMAGE=$KIMAGE"
		echo "KMODROOT=$KMODROOT"
		echo "KABI=$(kabi)"
		;;
	--cached)
		[[ -e $READY ]]
		;;
	--build)
		if [[ -e $READY ]]; then
			log "cached: $DIR"
		else
			build
		fi
		;;
	*)
		die "usage: $0 [--env | --build | --cached]"
		;;
	esac
}

main "$@"
