#!/bin/sh
# Interrupt moderation: ethtool -C sets rx-usecs/rx-frames, ethtool -c
# reads them back, values out of range are refused, and the device holds
# its data interrupts for rx-usecs (counted by dev_irqs).
. "$(dirname "$0")/lib.sh"

load_offnic
off=$(offnic_ifname) || fail "no offnic netdev"
peer=$(peer_ifname) || fail "no virtio-net peer"
offmac=$(cat "/sys/class/net/$off/address")

cleanup() {
	ip netns exec dut ethtool -C "$off" rx-usecs 50 rx-frames 32 2>/dev/null
	ip netns del dut 2>/dev/null
	ip netns del peer 2>/dev/null
}
trap cleanup EXIT

ip netns add dut || fail "netns dut"
ip netns add peer || fail "netns peer"
ip link set "$off" netns dut || fail "move $off"
ip link set "$peer" netns peer || fail "move $peer"
ip -n dut link set "$off" up
ip -n peer link set "$peer" up

coalesce() {	# coalesce FIELD: the value ethtool -c reports
	ip netns exec dut ethtool -c "$off" | sed -n "s/^$1: *//p"
}
irqs() {
	ip netns exec dut ethtool -S "$off" | sed -n 's/^ *dev_irqs: //p'
}
# irqs_for USECS FRAMES: data interrupts for 100 frames 1 ms apart
irqs_for() {
	ip netns exec dut ethtool -C "$off" rx-usecs "$1" rx-frames "$2" ||
		fail "ethtool -C rx-usecs $1 rx-frames $2"
	before=$(irqs)
	ip netns exec peer /selftests/offnic_traffic -i "$peer" -d "$offmac" -n 100 -g 1000 \
		> /dev/null || fail "offnic_traffic"
	sleep 0.5
	echo $(($(irqs) - before))
}

ip netns exec dut ethtool -C "$off" rx-usecs 120 rx-frames 7 || fail "ethtool -C refused"
[ "$(coalesce rx-usecs)" = 120 ] && [ "$(coalesce rx-frames)" = 7 ] ||
	fail "ethtool -c reads rx-usecs $(coalesce rx-usecs) rx-frames $(coalesce rx-frames)"
if ip netns exec dut ethtool -C "$off" rx-usecs 20000 2>/dev/null; then
	fail "rx-usecs 20000 accepted"
fi
[ "$(coalesce rx-usecs)" = 120 ] || fail "a refused value changed rx-usecs"

plain=$(irqs_for 0 0)
held=$(irqs_for 10000 0)
echo "# 100 frames 1 ms apart: $plain data interrupts unmoderated, $held with rx-usecs 10000"
[ "$plain" -ge 50 ] || fail "only $plain interrupts for 100 spaced frames without moderation"
[ $((held * 2)) -lt "$plain" ] || fail "rx-usecs 10000 did not hold interrupts ($held vs $plain)"
exit 0
