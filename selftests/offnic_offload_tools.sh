#!/bin/sh
# The standard tools drive offload: `ip link ... xdpoffload`, `tc ... bpf
# skip_sw`, and bpftool, which shows the device binding and dumps the
# device image.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")" || exit 1

load_offnic
off=$(offnic_ifname) || fail "no offnic netdev"
ip link set "$off" up

cleanup() {
	ip link set dev "$off" xdpoffload off 2>/dev/null
	tc qdisc del dev "$off" clsact 2>/dev/null
}
trap cleanup EXIT

# XDP offload with ip
ip link set dev "$off" xdpoffload obj firewall.bpf.o sec xdp ||
	fail "ip link xdpoffload"
ip -d link show "$off" | grep -q 'xdpoffload' || fail "ip link does not report xdpoffload"
id=$(ip -d link show "$off" | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p' | head -n 1)
[ -n "$id" ] || fail "no program id in ip link: $(ip -d link show "$off")"

# bpftool: device binding, image, maps
bpftool prog show id "$id" | grep -q "offloaded_to $off" ||
	fail "bpftool does not show the binding: $(bpftool prog show id "$id")"
# The kernel hands out the device image (bpftool prog dump jited would
# too, were Debian's bpftool built with libbfd).
bpftool prog show id "$id" | grep -q 'jited [0-9]' ||
	fail "bpftool shows no jited image size"
./offnic_dump_image "$id" /tmp/offnic.img > /dev/null || fail "dumping the device image"
magic=$(od -A n -t x4 -N 4 /tmp/offnic.img | tr -d ' ')
[ "$magic" = 4d49554f ] || fail "the jited image is not an offnic image (magic $magic)"
maps=$(bpftool prog show id "$id" | sed -n 's/.*map_ids //p' | tr ',' ' ')
[ -n "$maps" ] || fail "no maps on the program"
for m in $maps; do
	bpftool map show id "$m" | grep -q "offloaded_to $off" ||
		fail "map $m is not offloaded: $(bpftool map show id "$m")"
	bpftool map dump id "$m" > /dev/null || fail "bpftool map dump id $m"
done
grep -q "^# prog id $id:" "/sys/kernel/debug/offnic/$(basename "$(readlink "/sys/class/net/$off/device")")/xdp_hw/listing" ||
	fail "debugfs listing does not show the program"
# the device test-run command: udp/9999 ... the firewall has no rules yet,
# so it passes, bytes unchanged
./offnic_testrun -i "$off" -q -x "020ff0000001020ff000000208004500002e0001000040110000 0a6300020a630001 9c40270f001a0000 6f66666e6963207465737420" > /tmp/testrun.txt ||
	fail "offnic_testrun: $(cat /tmp/testrun.txt)"
grep -q '^packet 0: PASS (2) cycles [1-9]' /tmp/testrun.txt ||
	fail "unexpected test-run result: $(cat /tmp/testrun.txt)"
ip link set dev "$off" xdpoffload off || fail "detach"
ip -d link show "$off" | grep -q 'xdpoffload' && fail "still attached after off"

# tc skip_sw offload
tc qdisc add dev "$off" clsact || fail "clsact"
tc filter add dev "$off" ingress bpf skip_sw da obj tc_drop_udp.bpf.o sec tc ||
	fail "tc filter add skip_sw"
tc filter show dev "$off" ingress | grep -q 'in_hw' ||
	fail "filter not in_hw: $(tc filter show dev "$off" ingress)"
tc filter del dev "$off" ingress || fail "tc filter del"
[ -z "$(tc filter show dev "$off" ingress)" ] || fail "filter left behind"

# without hw-tc-offload, skip_sw filters are refused
ethtool -K "$off" hw-tc-offload off
tc filter add dev "$off" ingress bpf skip_sw da obj tc_drop_udp.bpf.o sec tc 2>/dev/null &&
	fail "skip_sw filter accepted with hw-tc-offload off"
ethtool -K "$off" hw-tc-offload on
exit 0
