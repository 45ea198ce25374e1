#!/bin/sh
# Split processing end to end: the offloaded firewall drops the bulk on
# the device; a driver-mode XDP program on the same port sees only what
# the device passed, and reads the device's verdict and cycles for each
# packet through bpf_offnic_rx_meta().
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")" || exit 1

load_offnic
off=$(offnic_ifname) || fail "no offnic netdev"
peer=$(peer_ifname) || fail "no virtio-net peer"
offmac=$(cat "/sys/class/net/$off/address")

cleanup() {
	ip -n dut link set dev "$off" xdpdrv off 2>/dev/null
	ip -n dut link set dev "$off" xdpoffload off 2>/dev/null
	ip netns del dut 2>/dev/null
	ip netns del peer 2>/dev/null
}
trap cleanup EXIT
ip netns add dut && ip netns add peer || fail "netns"
ip link set "$off" netns dut && ip link set "$peer" netns peer || fail "move"
ip -n dut link set "$off" up
ip -n peer link set "$peer" up

prog_id() {	# prog_id NAME
	ip netns exec dut bpftool prog show name "$1" | sed -n 's/^\([0-9]*\): .*/\1/p' | head -n 1
}
map_of() {	# map_of PROG_ID MAP_NAME
	for m in $(ip netns exec dut bpftool prog show id "$1" | sed -n 's/.*map_ids //p' | tr ',' ' '); do
		ip netns exec dut bpftool map show id "$m" | grep -q " name $2 " && echo "$m"
	done
}

ip -n dut link set dev "$off" xdpoffload obj firewall.bpf.o sec xdp || fail "offload"
rules=$(map_of "$(prog_id firewall)" rules)
[ -n "$rules" ] || fail "no rules map"
# drop everything UDP and TCP; ICMP (1 in 5 of the mix) passes
ip netns exec dut bpftool map update id "$rules" key 0 0 0 0 value 17 1 0 0 || fail "rule 0"
ip netns exec dut bpftool map update id "$rules" key 1 0 0 0 value 6 1 0 0 || fail "rule 1"

ip -n dut link set dev "$off" xdpdrv obj split_host.bpf.o sec xdp || fail "driver-mode program"
seen=$(map_of "$(prog_id split_host)" seen)
[ -n "$seen" ] || fail "no seen map"

ip netns exec peer ./offnic_traffic -i "$peer" -d "$offmac" -n 50 -g 5000 > /dev/null || fail "traffic"
sleep 2

counter() {	# the host map has BTF: bpftool prints "value": N
	ip netns exec dut bpftool map lookup id "$seen" key "$1" 0 0 0 |
		sed -n 's/.*"value": \([0-9]*\).*/\1/p'
}
# A late packet (IPv6 DAD, say) landing between two lookups would make the
# counters disagree: take a snapshot that no packet crossed.
for _ in 1 2 3 4 5 6 7 8 9 10; do
	packets=$(counter 0) ran=$(counter 1) passed=$(counter 2) cycles=$(counter 3)
	[ "$(counter 0)" = "$packets" ] && break
	sleep 1
done
echo "# host program saw $packets packets: device ran on $ran, passed $passed, cycles on $cycles"
[ "$packets" -ge 10 ] || fail "the host saw $packets packets; 10 ICMP were passed"
[ "$packets" -le 15 ] || fail "the host saw $packets packets: the device did not drop the bulk"
[ "$ran" -eq "$packets" ] || fail "device metadata missing on some packets"
[ "$passed" -eq "$packets" ] || fail "device verdicts are not PASS"
[ "$cycles" -eq "$packets" ] || fail "device cycles missing"
exit 0
