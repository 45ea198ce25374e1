#!/bin/sh
# tc skip_sw programs on the wire: debugfs tc/stats names the device's
# verdicts as tc does (ok, shot, redirect, ...), and bpf_redirect() to the
# port itself sends the frame back out of the wire, while a redirect to
# any other device is dropped, not delivered.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$(readlink -f "$0")")" || exit 1

load_offnic
off=$(offnic_ifname) || fail "no offnic netdev"
peer=$(peer_ifname) || fail "no virtio-net peer"
pci=$(basename "$(readlink "/sys/class/net/$off/device")")
dbg=/sys/kernel/debug/offnic/$pci
offmac=$(cat "/sys/class/net/$off/address")

cleanup() {
	tc qdisc del dev "$off" clsact 2>/dev/null
	ip netns del peer 2>/dev/null
}
trap cleanup EXIT

# Quiet links: only the frames the test sends cross the wire.
sysctl -qw "net.ipv6.conf.$off.disable_ipv6=1"
ip link set "$off" up
ip netns add peer || fail "netns peer"
ip link set "$peer" netns peer || fail "move $peer"
ip netns exec peer sysctl -qw "net.ipv6.conf.$peer.disable_ipv6=1"
ip -n peer link set "$peer" up

stat_of() {	# stat_of NAME: a line of tc/stats
	sed -n "s/^$1: //p" "$dbg/tc/stats"
}

# send N: the offnic_traffic mix from the peer, N/5 frames of each class
# (icmp-echo, udp-53, udp-9999, tcp-22, tcp-80); waits until tc saw them.
send() {
	before=$(stat_of packets)
	ip netns exec peer ./offnic_traffic -i "$peer" -d "$offmac" -n "$1" -g 2000 \
		> /dev/null || fail "offnic_traffic"
	i=0
	while [ "$(stat_of packets)" -lt $((before + $1)) ]; do
		i=$((i + 1))
		[ $i -le 300 ] || fail "tc saw $(stat_of packets) of $1 frames: $(cat "$dbg/tc/stats")"
		sleep 0.1
	done
}

peer_rx() {
	ip netns exec peer cat "/sys/class/net/$peer/statistics/rx_packets"
}

tc qdisc add dev "$off" clsact || fail "clsact"

# 1. verdict names: tc_drop_udp returns TC_ACT_SHOT for UDP to 9999,
#    TC_ACT_OK for the rest
tc filter add dev "$off" ingress bpf skip_sw da obj tc_drop_udp.bpf.o sec tc ||
	fail "tc filter add tc_drop_udp"
send 50
sed 's/^/# /' "$dbg/tc/stats"
[ "$(stat_of verdict_shot)" = 10 ] || fail "verdict_shot is '$(stat_of verdict_shot)', not 10"
[ "$(stat_of verdict_ok)" = 40 ] || fail "verdict_ok is '$(stat_of verdict_ok)', not 40"
[ "$(stat_of verdict_redirect)" = 0 ] || fail "verdict_redirect is '$(stat_of verdict_redirect)'"
grep -q '^verdict_\(aborted\|pass\|drop\|tx\):' "$dbg/tc/stats" &&
	fail "tc/stats uses XDP's verdict names"
tc filter del dev "$off" ingress || fail "tc filter del"

# 2. redirect: UDP to 9999 back out of the port (MACs swapped), UDP to 53
#    to ifindex 1 (dropped), the rest passes to the host
tc filter add dev "$off" ingress bpf skip_sw da obj tc_redirect.bpf.o sec tc ||
	fail "tc filter add tc_redirect"
rx0=$(peer_rx)
host0=$(cat "/sys/class/net/$off/statistics/rx_packets")
send 50
sed 's/^/# /' "$dbg/tc/stats"
[ "$(stat_of verdict_redirect)" = 20 ] ||
	fail "verdict_redirect is '$(stat_of verdict_redirect)', not 20"
[ "$(stat_of verdict_ok)" = 30 ] || fail "verdict_ok is '$(stat_of verdict_ok)', not 30"
i=0
while [ "$(peer_rx)" -lt $((rx0 + 10)) ]; do
	i=$((i + 1))
	[ $i -le 100 ] || fail "the peer got $(($(peer_rx) - rx0)) of the 10 frames redirected back"
	sleep 0.1
done
sleep 1
got=$(($(peer_rx) - rx0))
echo "# the peer got $got frames back"
[ "$got" -eq 10 ] || fail "the peer got $got frames, not the 10 redirected to the port"
host=$(($(cat "/sys/class/net/$off/statistics/rx_packets") - host0))
[ "$host" -eq 30 ] || fail "the host got $host frames, not the 30 that passed"
exit 0
