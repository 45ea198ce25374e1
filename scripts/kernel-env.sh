#!/usr/bin/env bash
# Print the kernel facts the build needs as NAME=value lines, usable by
#   eval "$(scripts/kernel-env.sh)"                          (shell)
#   $(foreach l,$(shell scripts/kernel-env.sh),$(eval $(l)))  (make)
#
# The guest kernel is the Debian 6.1 build whose headers are installed; the
# host may run something else entirely, so `uname -r` is never consulted.
# KDIR, KIMAGE and KMODROOT may be set in the environment to use another
# kernel; KABI then comes from $KDIR/include/generated/utsrelease.h.
# KERNEL=debug selects the debug kernel of scripts/debug-kernel.sh (KASAN,
# lockdep, kmemleak), built outside the clone.
#
# --check: also fail (exit 1) if a listed path does not exist yet.
set -euo pipefail

SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=${SCRIPTS%/*}
OUT=$REPO/build/kernel

die() { echo "kernel-env: $*" >&2; exit 1; }

# ABI of the installed Debian headers. One installed flavour needs no
# subprocess; several are disambiguated by the linux-headers-amd64 meta package.
installed_abi() {
	local dirs=(/usr/src/linux-headers-*-amd64) dep

	[[ -d ${dirs[0]} ]] ||
		die "no /usr/src/linux-headers-*-amd64: run scripts/deps.sh as root"
	if ((${#dirs[@]} == 1)); then
		echo "${dirs[0]#/usr/src/linux-headers-}"
		return
	fi
	dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null) ||
		die "several linux-headers-*-amd64 installed and no linux-headers-amd64 to choose; set KABI"
	dep=${dep%% *}
	echo "${dep#linux-headers-}"
}

# ABI of a user-supplied build dir (Debian's kernel.release is not the ABI).
kdir_abi() {
	local uts=$1/include/generated/utsrelease.h line

	[[ -r $uts ]] || die "KDIR=$1 has no include/generated/utsrelease.h"
	line=$(<"$uts")
	line=${line#*\"}
	echo "${line%\"*}"
}

# One NAME=value line; values are single words so both make and eval take them.
emit() {
	[[ $2 =~ ^[A-Za-z0-9_./+-]+$ ]] ||
		die "$1='$2' holds characters make/eval cannot take"
	echo "$1=$2"
}

require() {
	[[ -e $2 ]] && return 0
	echo "kernel-env: missing $1 $2" >&2
	return 1
}

main() {
	local kabi kdir kdir_source=prepared kimage kmodroot ksrc harness ok=1

	case ${KERNEL-} in
	'' | stock) ;;
	debug) eval "$("$SCRIPTS/debug-kernel.sh" --env)" ;;
	*) die "KERNEL=$KERNEL: use KERNEL=debug, or nothing for Debian's kernel" ;;
	esac
	if [[ -n ${KDIR-} && ${KDIR%/} != "$OUT"/kdir-* ]]; then
		kdir=${KDIR%/}
		kdir_source=user
		kabi=${KABI:-$(kdir_abi "$kdir")}
	else
		kabi=${KABI:-$(installed_abi)}
		kdir=$OUT/kdir-$kabi
	fi
	kmodroot=${KMODROOT:-$OUT/root}
	kimage=${KIMAGE:-$kmodroot/boot/vmlinuz-$kabi}
	ksrc=$OUT/linux-source-6.1
	harness=$ksrc/tools/testing/selftests

	emit KABI "$kabi"
	emit KDIR "$kdir"
	emit KDIR_SOURCE "$kdir_source"
	emit KVMLINUX "$kdir/vmlinux"
	emit KIMAGE "$kimage"
	emit KMODROOT "$kmodroot"
	emit KSRC "$ksrc"
	emit CHECKPATCH "$ksrc/scripts/checkpatch.pl"
	emit HARNESS_DIR "$harness"

	[[ ${1-} == --check ]] || return 0
	require KVMLINUX "$kdir/vmlinux" || ok=0
	require KIMAGE "$kimage" || ok=0
	require KMODROOT "$kmodroot/lib/modules/$kabi" || ok=0
	require CHECKPATCH "$ksrc/scripts/checkpatch.pl" || ok=0
	require HARNESS_DIR "$harness/kselftest_harness.h" || ok=0
	((ok)) ||
		die "not prepared: run scripts/deps.sh, then scripts/prepare-kdir.sh"
}

main "$@"
