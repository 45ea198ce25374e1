#!/bin/sh
# The offnic netdev comes up with carrier, and goes down again cleanly.
. "$(dirname "$0")/lib.sh"

load_offnic
ifname=$(offnic_ifname) || fail "no offnic netdev"
ip link set "$ifname" up || fail "ip link set up"
# operstate follows carrier asynchronously (linkwatch): give it 5 s.
i=0
while [ "$(cat "/sys/class/net/$ifname/operstate")" != up ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ "$(cat "/sys/class/net/$ifname/carrier")" = 1 ] || fail "no carrier after up"
ip link show "$ifname" | grep -q 'state UP' || fail "$(ip link show "$ifname")"
mac=$(cat "/sys/class/net/$ifname/address")
[ "$mac" = 02:0f:f0:00:00:01 ] || fail "MAC $mac is not the device's"
ip link set "$ifname" down || fail "ip link set down"
ip link show "$ifname" | grep -q 'state DOWN' || fail "still up after down"
exit 0
