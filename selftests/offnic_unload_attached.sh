#!/bin/sh
# The module unloads while an offloaded program is attached and its maps
# are pinned: the kernel detaches and orphans them (their info then says
# "No such device"), nothing leaks or splats, and after a reload the
# device offloads again.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")" || exit 1

load_offnic
off=$(offnic_ifname) || fail "no offnic netdev"
ip link set "$off" up
pins=/sys/fs/bpf/offnic_unload
rm -rf "$pins"
mkdir -p "$pins"
cleanup() {
	rm -rf "$pins"
}
trap cleanup EXIT

bpftool prog load firewall.bpf.o "$pins/prog" type xdp dev "$off" pinmaps "$pins" ||
	fail "bpftool prog load (bound to $off)"
ip link set dev "$off" xdpoffload pinned "$pins/prog" || fail "attach pinned program"
bpftool map update pinned "$pins/hits" key 8 0 0 0 value 1 0 0 0 0 0 0 0 ||
	fail "map update"

rmmod offnic || fail "rmmod with an offloaded program attached"
bpftool prog show pinned "$pins/prog" > /tmp/orphan.txt 2>&1 &&
	fail "the orphaned program still reports a device: $(cat /tmp/orphan.txt)"
grep -q "No such device" /tmp/orphan.txt || fail "unexpected: $(cat /tmp/orphan.txt)"
bpftool map lookup pinned "$pins/hits" key 8 0 0 0 > /dev/null 2>&1 &&
	fail "the orphaned map still answers"
rm -rf "$pins"

load_offnic
off=$(offnic_ifname) || fail "no netdev after reload"
ip link set "$off" up
ip link set dev "$off" xdpoffload obj firewall.bpf.o sec xdp || fail "offload after reload"
ip link set dev "$off" xdpoffload off
exit 0
