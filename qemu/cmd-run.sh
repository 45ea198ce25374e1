#!/bin/sh
# Guest side of `make run`: put the offnic port and its virtio-net peer in
# two network namespaces, send traffic across the simulated wire and
# report what the driver and the device counted.
. /selftests/lib.sh

off=$(offnic_ifname) || fail "no offnic netdev (dmesg: $(dmesg | grep -i offnic | tail -n 3))"
peer=$(peer_ifname) || fail "no virtio-net peer"
pci=$(basename "$(readlink "/sys/class/net/$off/device")")

ip netns add dut && ip netns add peer || fail "netns"
ip link set "$off" netns dut && ip link set "$peer" netns peer || fail "move"
ip -n dut addr add 10.99.0.1/24 dev "$off"
ip -n peer addr add 10.99.0.2/24 dev "$peer"
ip -n dut link set "$off" up
ip -n peer link set "$peer" up

echo "== offnic run: $off ($pci) <-> $peer over the simulated wire"
ip netns exec peer ping -q -c 20 -i 0.2 -W 10 10.99.0.1 || fail "no traffic"

echo "== driver statistics (ethtool -S $off)"
ip netns exec dut ethtool -S "$off" | sed 's/^ */  /'
echo "== device (debugfs identify)"
sed 's/^/  /' "/sys/kernel/debug/offnic/$pci/identify"
ip netns del dut
ip netns del peer
