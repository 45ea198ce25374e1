#!/usr/bin/env bash
# Build the guest initramfs: busybox, the Debian modules the guest needs,
# offnic.ko, host tools (ip, tc, bpftool, ethtool, iperf3) with their shared
# libraries, the installed selftests and qemu/guest-init.sh as /init.
#
# usage: mkinitramfs.sh -r KMODROOT -a KABI -k offnic.ko -t TESTDIR -o OUT.cpio.gz
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Guest kernel modules (dependencies are resolved with modprobe).
GUEST_MODULES=(
	virtio_pci virtio_net 9p 9pnet_virtio pvpanic_pci pvpanic_mmio
	sch_ingress cls_bpf act_bpf veth
)
# Wanted where the kernel has them (make run's flood uses pktgen; the
# debug kernel is built without it), left out with a note otherwise.
OPTIONAL_MODULES=(pktgen)
# Host programs copied with their library closure.
GUEST_BINS=(dash ip tc bpftool ethtool timeout stdbuf iperf3)

die() { echo "mkinitramfs: $*" >&2; exit 1; }

kmodroot='' kabi='' ko='' testdir='' out=''
while getopts "r:a:k:t:o:" opt; do
	case $opt in
	r) kmodroot=$OPTARG ;;
	a) kabi=$OPTARG ;;
	k) ko=$OPTARG ;;
	t) testdir=$OPTARG ;;
	o) out=$OPTARG ;;
	*) die "bad option" ;;
	esac
done
[[ -n $kmodroot && -n $kabi && -n $ko && -n $out ]] || die "missing arguments"
[[ -f $ko ]] || die "no module at $ko"

mkdir -p "${out%/*}"
stage=$(mktemp -d "${out%/*}/initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,lib,lib64,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,mnt/out,root,var/run}
mkdir -p "$stage/lib/modules/$kabi"

# busybox and its applets
cp /bin/busybox "$stage/bin/busybox"
for applet in $("$stage/bin/busybox" --list); do
	[[ -e $stage/bin/$applet ]] || ln -s busybox "$stage/bin/$applet"
done

# modules, in load order
: > "$stage/etc/modules.order"
for mod in "${OPTIONAL_MODULES[@]}"; do
	if modprobe -d "$kmodroot" -S "$kabi" --show-depends "$mod" > /dev/null 2>&1; then
		GUEST_MODULES+=("$mod")
	else
		echo "mkinitramfs: no $mod in $kmodroot for $kabi: left out"
	fi
done
for mod in "${GUEST_MODULES[@]}"; do
	modprobe -d "$kmodroot" -S "$kabi" --show-depends "$mod" |
	while read -r kind path _; do
		[[ $kind == insmod ]] || continue
		path=${path#"$kmodroot"}
		dst=$stage/lib/modules/$kabi/${path##*/}
		if [[ ! -e $dst ]]; then
			cp "$kmodroot$path" "$dst"
			echo "${path##*/}" >> "$stage/etc/modules.order"
		fi
	done
done
cp "$ko" "$stage/lib/modules/$kabi/offnic.ko"

# host binaries and their shared libraries
copy_with_libs() {
	local bin=$1 lib  # $2: name in the guest
	install -D -m 0755 "$bin" "$stage/usr/bin/$2"
	for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*'); do
		[[ -e $stage$lib ]] || install -D "$lib" "$stage$lib"
	done
}
for b in "${GUEST_BINS[@]}"; do
	path=$(command -v "$b") || die "$b not installed (run scripts/deps.sh)"
	rm -f "$stage/bin/$b" "$stage/usr/bin/$b"
	copy_with_libs "$(readlink -f "$path")" "$b"
done

# selftests, each program with its libraries
if [[ -n $testdir ]]; then
	cp -a "$testdir" "$stage/selftests"
	while IFS= read -r -d '' f; do
		for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
			[[ -e $stage$lib ]] || install -D "$lib" "$stage$lib"
		done
	done < <(find "$stage/selftests" -type f -perm -u+x -print0)
fi

# /bin/sh is dash, as on Debian: busybox's standalone shell would run its
# own applets (ip, timeout) in place of the real tools above.
ln -sf /usr/bin/dash "$stage/bin/sh"

install -m 0755 "$HERE/guest-init.sh" "$stage/init"
echo "$kabi" > "$stage/etc/kabi"

(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
