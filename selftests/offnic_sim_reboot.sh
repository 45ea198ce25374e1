#!/bin/sh
# The device's firmware crashes and restarts (offnic-sim forgets all its
# state, goes silent, then powers on again in the same guest).  The driver
# declares it dead, then resets it and brings the port back without a
# module reload: traffic flows, the offloaded XDP program runs on the
# device again and its maps answer.  A restart too quick for the heartbeat
# watchdog (the heartbeat goes back) is caught and recovered too, and the
# module unloads afterwards.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")" || exit 1

load_offnic
off=$(offnic_ifname) || fail "no offnic netdev"
peer=$(peer_ifname) || fail "no virtio-net peer"
pci=$(basename "$(readlink "/sys/class/net/$off/device")")
dbg=/sys/kernel/debug/offnic/$pci

cleanup() {
	ip -n dut link set dev "$off" xdpoffload off 2>/dev/null
	ip netns del dut 2>/dev/null
	ip netns del peer 2>/dev/null
}
trap cleanup EXIT

ip netns add dut || fail "netns dut"
ip netns add peer || fail "netns peer"
ip link set "$off" netns dut || fail "move $off"
ip link set "$peer" netns peer || fail "move $peer"
ip -n dut addr add 10.95.0.1/24 dev "$off"
ip -n peer addr add 10.95.0.2/24 dev "$peer"
ip -n dut link set "$off" up
ip -n peer link set "$peer" up
ip -n dut link set dev "$off" xdpoffload obj firewall.bpf.o sec xdp ||
	fail "ip link xdpoffload"
ip netns exec peer ping -c 2 -W 10 10.95.0.1 > /dev/null || fail "no traffic before the crash"

wait_health() {	# wait_health DEAD SECONDS
	i=0
	while ! grep -q "dead: $1" "$dbg/health" && [ $i -lt "$2" ]; do
		sleep 1
		i=$((i + 1))
	done
	grep -q "dead: $1" "$dbg/health"
}

resets() {
	sed -n 's/^dev_resets: //p' "$dbg/errors"
}

check_back() {	# check_back WHAT
	ip netns exec peer ping -c 3 -W 10 10.95.0.1 > /dev/null ||
		fail "$1: no traffic after recovery"
	stats=$(cat "$dbg/xdp_hw/stats")
	echo "$stats" | grep -q '^loaded: 1$' ||
		fail "$1: the offloaded program is not on the device: $stats"
	echo "$stats" | grep -Eq '^packets: [1-9]' ||
		fail "$1: the offloaded program runs no packet: $stats"
	id=$(ip -n dut -d link show "$off" | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p' | head -n 1)
	for m in $(bpftool prog show id "$id" | sed -n 's/.*map_ids //p' | tr ',' ' '); do
		bpftool map dump id "$m" > /dev/null || fail "$1: map $m does not answer"
	done
}

mark_dmesg sim_reboot
# A firmware crash that lasts longer than the watchdog's patience (5 s).
echo "reboot 8000" > "$dbg/inject" || fail "inject reboot"
wait_health 1 20 || fail "device death not detected in 20 s"
dmesg_since sim_reboot | grep -q 'device failed: heartbeat stopped' ||
	fail "no dmesg line about the dead device"
wait_health 0 30 || fail "device not recovered 30 s after its death"
dmesg_since sim_reboot | grep -q 'device reset and back' || fail "no dmesg line about the recovery"
[ "$(resets)" -ge 1 ] || fail "recovery not counted"
check_back "slow restart"

# A restart within the watchdog's patience: the heartbeat goes back.
before=$(resets)
echo "reboot 1000" > "$dbg/inject" || fail "inject quick reboot"
i=0
while [ "$(resets)" -le "$before" ] && [ $i -lt 30 ]; do
	sleep 1
	i=$((i + 1))
done
[ "$(resets)" -gt "$before" ] || fail "a quick restart was not noticed in 30 s"
check_back "quick restart"

ip netns exec dut ethtool -S "$off" | grep -E 'dev_(deaths|resets)' | sed 's/^/#/'
ip -n dut link set dev "$off" xdpoffload off || fail "detach after recovery"
cleanup
trap - EXIT
rmmod offnic || fail "rmmod after recovery"
exit 0
