#!/bin/sh
# The simulator dies mid-traffic: the driver notices (heartbeat), says so,
# stops the datapath, and neither hangs nor oopses; the module still
# unloads.  Runs last: the device stays dead for the rest of the boot.
. "$(dirname "$0")/lib.sh"

load_offnic
off=$(offnic_ifname) || fail "no offnic netdev"
pci=$(basename "$(readlink "/sys/class/net/$off/device")")
dbg=/sys/kernel/debug/offnic/$pci
ip link set "$off" up
ip addr add 10.98.0.1/24 dev "$off"

mark_dmesg sim_crash
# traffic in the background while the device dies
ping -q -i 0.05 -c 400 -W 1 10.98.0.2 > /dev/null 2>&1 &
pinger=$!
sleep 1
echo crash > "$dbg/inject" || fail "inject crash"

i=0
while ! grep -q 'dead: 1' "$dbg/health" && [ $i -lt 30 ]; do
	sleep 1
	i=$((i + 1))
done
grep -q 'dead: 1' "$dbg/health" || fail "device death not detected in 30 s"
echo "# detected after ${i} s"
dmesg_since sim_crash | grep -q 'device failed: heartbeat stopped' ||
	fail "no dmesg line about the dead device"
[ "$(cat "/sys/class/net/$off/carrier" 2>/dev/null)" != 1 ] || fail "carrier still on"

# the control path answers at once with an error instead of hanging
start=$(date +%s)
cat "$dbg/counters" > /dev/null
[ $(($(date +%s) - start)) -le 2 ] || fail "control request hung on a dead device"

kill "$pinger" 2>/dev/null
wait "$pinger" 2>/dev/null
rmmod offnic || fail "rmmod after device death"
exit 0
