#!/bin/sh
# Frames cross the simulated wire both ways: the virtio-net peer in one
# network namespace pings the offnic port in another, and back.
. "$(dirname "$0")/lib.sh"

load_offnic
off=$(offnic_ifname) || fail "no offnic netdev"
peer=$(peer_ifname) || fail "no virtio-net peer"

cleanup() {
	ip netns del dut 2>/dev/null
	ip netns del peer 2>/dev/null
}
trap cleanup EXIT

ip netns add dut || fail "netns dut"
ip netns add peer || fail "netns peer"
ip link set "$off" netns dut || fail "move $off"
ip link set "$peer" netns peer || fail "move $peer"
ip -n dut addr add 10.99.0.1/24 dev "$off"
ip -n peer addr add 10.99.0.2/24 dev "$peer"
ip -n dut link set "$off" up
ip -n peer link set "$peer" up

ip netns exec peer ping -c 3 -W 10 10.99.0.1 || fail "peer -> offnic"
ip netns exec dut ping -c 3 -W 10 10.99.0.2 || fail "offnic -> peer"

rx=$(ip netns exec dut cat "/sys/class/net/$off/statistics/rx_packets")
tx=$(ip netns exec dut cat "/sys/class/net/$off/statistics/tx_packets")
echo "# offnic rx_packets $rx tx_packets $tx"
[ "$rx" -ge 6 ] && [ "$tx" -ge 6 ] || fail "counters too low: rx $rx tx $tx"
exit 0
