#!/usr/bin/env bash
# Install the Debian packages offnic needs and unpack the guest kernel image.
#
# Safe to re-run: packages are only installed when dpkg says they are missing,
# and the kernel image is only fetched when its stamp is absent. The image is
# unpacked into build/kernel/root instead of being installed, because
# linux-image-*'s postinst fails inside containers and leaves dpkg
# half-configured.
set -euo pipefail

SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=${SCRIPTS%/*}
OUT=$REPO/build/kernel

PACKAGES="
build-essential		# host C toolchain, make
bc			# kernel Makefiles
flex			# kernel/tools builds
bison			# kernel/tools builds
libelf-dev		# resolve_btfids, libbpf, objtool
zlib1g-dev		# resolve_btfids, libbpf
clang			# BPF programs, libFuzzer harnesses
libclang-rt-14-dev	# libFuzzer and sanitizer runtimes for clang (fuzz/)
llvm			# llvm-objdump, llvm-strip for BPF objects
libbpf-dev		# user-space loaders and selftests
bpftool			# BTF dumps, skeletons, guest tests
dwarves			# pahole: module BTF generation
busybox-static		# guest initramfs userland
qemu-system-x86		# guest VM under TCG
verilator		# RTL simulation
yosys			# RTL synthesis checks
linux-headers-amd64	# kbuild tree for the guest kernel ABI
linux-source-6.1	# checkpatch, resolve_btfids, kselftest harness
cpio			# initramfs packing
kmod			# depmod/modprobe for the guest module tree
iproute2		# ip/tc in the guest
ethtool			# ethtool -S in the guest
iperf3			# make run: TCP stream through the offloaded firewall
coreutils		# timeout, stdbuf in the guest
xz-utils		# linux-source tarball, vmlinuz decompression
python3			# scripts/bpf_doc.py, test tooling
libpcap-dev		# packet traces in host tests
perl			# checkpatch.pl
cppcheck		# make lint: userspace C
shellcheck		# make lint: shell
pyflakes3		# make lint: Python
libxdp1			# xdp-tools BPF objects for the real-programs suite (corpus/)
gnuplot-nox		# make run's cycles histogram, make bench's chart (SVG)
"

log() { echo "deps: $*"; }
die() { echo "deps: error: $*" >&2; exit 1; }

APT_UPDATED=0
apt_update_once() {
	((APT_UPDATED)) && return 0
	log "apt-get update"
	apt-get update -qq
	APT_UPDATED=1
}

require_root() {
	[[ $(id -u) == 0 ]] || die "$1 needs root (no sudo is used); re-run as root"
}

package_list() {
	# shellcheck disable=SC2001 # per-line comments: ${//} cannot anchor to lines
	sed -e 's/#.*//' <<<"$PACKAGES" | tr -s ' \t\n' '\n' | sed '/^$/d'
}

# Packages of the list that dpkg does not report as installed ("ii").
missing_packages() {
	local installed

	# shellcheck disable=SC2046 # one package per word
	installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' \
		    $(package_list) 2>/dev/null | sed -n 's/^ii *//p') || true
	package_list | grep -vxF -f <(echo "$installed") || true
}

install_packages() {
	local missing

	missing=$(missing_packages | tr '\n' ' ')
	if [[ -z $missing ]]; then
		log "all $(package_list | wc -l) packages present"
		return
	fi
	require_root "installing packages ($missing)"
	apt_update_once
	log "apt-get install $missing"
	# shellcheck disable=SC2086 # word splitting wanted: one package per word
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		-o Dpkg::Use-Pty=0 --no-install-recommends $missing
}

# The image package for one exact version: the BTF of the vmlinux extracted
# from it must be that of the kernel the guest boots, and the installed
# headers fix that version. Prints the .deb path, downloading it if needed.
image_deb() {
	local abi=$1 version=$2 dir=$3 pkg deb sandbox=() err

	[[ $(id -u) == 0 ]] && sandbox=(-o APT::Sandbox::User=root)
	for pkg in "linux-image-$abi" "linux-image-$abi-unsigned"; do
		deb=$dir/${pkg}_${version//:/%3a}_amd64.deb
		[[ -e $deb ]] && { echo "$deb"; return 0; }
	done
	for pkg in "linux-image-$abi" "linux-image-$abi-unsigned"; do
		log "apt-get download $pkg=$version" >&2
		deb=$dir/${pkg}_${version//:/%3a}_amd64.deb
		if err=$(cd "$dir" && apt-get download -q "${sandbox[@]}" \
			 "$pkg=$version" 2>&1) && [[ -e $deb ]]; then
			echo "$deb"
			return 0
		fi
		printf 'deps:   %s\n' "${err//$'\n'/$'\n'deps:   }" >&2
	done
	return 1
}

unpack_image() {
	local abi version stamp root deb

	abi=$(KDIR='' KIMAGE='' KMODROOT='' "$SCRIPTS/kernel-env.sh" |
	      sed -n 's/^KABI=//p')
	version=$(dpkg-query -W -f='${Version}' "linux-headers-$abi") ||
		die "linux-headers-$abi is not installed"
	root=$OUT/root
	stamp=$OUT/stamps/image-$abi-$version
	if [[ -e $stamp && -e $root/boot/vmlinuz-$abi ]]; then
		log "kernel image $abi ($version) already unpacked in $root"
		return
	fi

	mkdir -p "$OUT/debs" "$OUT/stamps"
	if ! deb=$(image_deb "$abi" "$version" "$OUT/debs"); then
		require_root "apt-get update before downloading linux-image-$abi"
		apt_update_once
		deb=$(image_deb "$abi" "$version" "$OUT/debs") ||
			die "linux-image-$abi $version is not in the archive; upgrade the headers (apt-get install linux-headers-amd64) and re-run"
	fi

	log "unpacking ${deb##*/} into $root"
	rm -rf "$root" "$OUT/stamps"/image-*
	mkdir -p "$root"
	dpkg-deb -x "$deb" "$root"
	[[ -e $root/boot/vmlinuz-$abi && -d $root/lib/modules/$abi ]] ||
		die "${deb##*/} has no boot/vmlinuz-$abi or lib/modules/$abi"
	log "depmod -b $root $abi"
	depmod -b "$root" "$abi"
	touch "$stamp"
}

install_packages
unpack_image
log "done"
