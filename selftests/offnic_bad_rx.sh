#!/bin/sh
# A malformed RX descriptor (a length past the largest frame, as a
# program that grew a frame with bpf_xdp_adjust_tail writes; a length no
# buffer holds; metadata longer than the headroom; an unknown flag) is
# dropped and counted, one counter per kind, and the port goes on passing
# traffic: the device is not declared dead.
. "$(dirname "$0")/lib.sh"

load_offnic
off=$(offnic_ifname) || fail "no offnic netdev"
peer=$(peer_ifname) || fail "no virtio-net peer"
pci=$(basename "$(readlink "/sys/class/net/$off/device")")
dbg=/sys/kernel/debug/offnic/$pci

cleanup() {
	ip netns del dut 2>/dev/null
	ip netns del peer 2>/dev/null
}
trap cleanup EXIT

ip netns add dut || fail "netns dut"
ip netns add peer || fail "netns peer"
ip link set "$off" netns dut || fail "move $off"
ip link set "$peer" netns peer || fail "move $peer"
ip -n dut addr add 10.97.0.1/24 dev "$off"
ip -n peer addr add 10.97.0.2/24 dev "$peer"
ip -n dut link set "$off" up
ip -n peer link set "$peer" up

counter() {	# counter NAME: its value in debugfs "errors"
	sed -n "s/^$1: //p" "$dbg/errors"
}

mark_dmesg bad_rx
ip netns exec peer ping -c 2 -W 10 10.97.0.1 > /dev/null || fail "no traffic before any injection"

# plain "bad_rx" is a length no buffer holds
for kind in "" long meta flags; do
	case $kind in
	"" | long) name=rx_bad_len ;;
	*) name=rx_bad_$kind ;;
	esac
	before=$(counter "$name")
	echo "bad_rx${kind:+ $kind}" > "$dbg/inject" || fail "inject bad_rx $kind"
	# The next frame the device delivers carries the bad descriptor.
	ip netns exec peer ping -c 3 -i 0.3 -W 3 10.97.0.1 > /dev/null
	grep -q 'dead: 0' "$dbg/health" || fail "device declared dead after bad_rx $kind"
	ip netns exec peer ping -c 3 -W 10 10.97.0.1 > /dev/null ||
		fail "no traffic after a malformed descriptor ($kind)"
	after=$(counter "$name")
	echo "# bad_rx $kind: $name $before -> $after"
	[ "$after" -gt "$before" ] || fail "bad_rx $kind not counted in $name"
done

stats=$(ip netns exec dut ethtool -S "$off")
for name in rx_bad_len rx_bad_meta rx_bad_flags; do
	echo "$stats" | grep -Eq "^ +$name: [1-9]" ||
		fail "ethtool -S: $name not counted: $(echo "$stats" | grep "$name")"
done
echo "$stats" | grep -Eq '^ +dev_deaths: 0$' || fail "ethtool -S counts a device death"
dmesg_since bad_rx | grep -q 'dropping malformed RX descriptor' ||
	fail "no dmesg line about the dropped descriptor"
dmesg_since bad_rx | grep -q 'device failed' && fail "the device was declared dead"
exit 0
