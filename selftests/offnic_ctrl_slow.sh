#!/bin/sh
# A control answer later than the driver's timeout fails that one request
# (-ETIMEDOUT) and is counted; the device is not declared dead, later
# requests are answered and the port passes traffic.
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
ip -n dut addr add 10.96.0.1/24 dev "$off"
ip -n peer addr add 10.96.0.2/24 dev "$peer"
ip -n dut link set "$off" up
ip -n peer link set "$peer" up

mark_dmesg ctrl_slow
# the driver waits 5 s for an answer; this one comes after 7 s
echo "ctrl_delay 7000" > "$dbg/inject" || fail "inject ctrl_delay"
cat "$dbg/counters" > /tmp/ctrl_slow.txt
sed 's/^/# /' /tmp/ctrl_slow.txt
grep -q '^rx_frames: error -110$' /tmp/ctrl_slow.txt ||
	fail "the late answer did not time out its own request"
[ "$(grep -c ': error' /tmp/ctrl_slow.txt)" -eq 1 ] ||
	fail "requests after the slow one failed too"
grep -q 'dead: 0' "$dbg/health" || fail "a slow answer killed the device"
grep -q '^ctrl_timeouts: 1$' "$dbg/errors" || fail "the timeout is not counted: $(cat "$dbg/errors")"

cat "$dbg/counters" > /tmp/ctrl_slow.txt
grep -q ': error' /tmp/ctrl_slow.txt && fail "control requests still fail: $(cat /tmp/ctrl_slow.txt)"
ip netns exec peer ping -c 3 -W 10 10.96.0.1 > /dev/null || fail "no traffic after a slow answer"
dmesg_since ctrl_slow | grep -q 'device failed' && fail "the device was declared dead"
exit 0
