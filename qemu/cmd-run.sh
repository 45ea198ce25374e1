#!/bin/sh
# Guest side of `make run`: offload a program to the offnic port with the
# standard tools, send traffic through it from the peer namespace over
# the simulated wire, and report what the device did.
#
# /mnt/out/run.env may set OFFNIC_PROG (an object in /mnt/out), OFFNIC_SEC
# and OFFNIC_PCAP; by default the built-in firewall runs on a built-in mix.
. /selftests/lib.sh
# shellcheck source=/dev/null # written by make run on the host
[ -f /mnt/out/run.env ] && . /mnt/out/run.env

prog=${OFFNIC_PROG:-/selftests/firewall.bpf.o}
sec=${OFFNIC_SEC:-xdp}
builtin=0
[ -z "$OFFNIC_PROG" ] && builtin=1

off=$(offnic_ifname) || fail "no offnic netdev (dmesg: $(dmesg | grep -i offnic | tail -n 3))"
peer=$(peer_ifname) || fail "no virtio-net peer"
pci=$(basename "$(readlink "/sys/class/net/$off/device")")
dbg=/sys/kernel/debug/offnic/$pci
offmac=$(cat "/sys/class/net/$off/address")

ip netns add dut && ip netns add peer || fail "netns"
ip link set "$off" netns dut && ip link set "$peer" netns peer || fail "move"
ip -n dut addr add 10.99.0.1/24 dev "$off"
ip -n peer addr add 10.99.0.2/24 dev "$peer"
ip -n dut link set "$off" up
ip -n peer link set "$peer" up
ip -n peer neigh add 10.99.0.1 lladdr "$offmac" dev "$peer"

echo "== offnic run: $(basename "$prog") (section $sec) -> $off ($pci), engine $(sed -n 's/^engine: //p' "$dbg/identify")"
if ! ip -n dut link set dev "$off" xdpoffload obj "$prog" sec "$sec" 2> /tmp/load.log; then
	cat /tmp/load.log
	fail "offload refused (verifier log above)"
fi
id=$(ip -n dut -d link show "$off" | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p' | head -n 1)
ip netns exec dut bpftool prog show id "$id" | sed 's/^/   /'
sed -n '1s/^# /   /p' "$dbg/xdp_hw/listing"

map_id() {	# map_id NAME: the id of the program's map called NAME
	for m in $(ip netns exec dut bpftool prog show id "$id" | sed -n 's/.*map_ids //p' | tr ',' ' '); do
		ip netns exec dut bpftool map show id "$m" | grep -q " name $1 " && echo "$m"
	done
}

if [ $builtin = 1 ]; then
	# rules: proto action dport(le16): drop udp/9999, drop tcp/22,
	# pass udp/53, pass icmp; everything else passes uncounted by a rule
	rules=$(map_id rules)
	set_rule() {
		ip netns exec dut bpftool map update id "$rules" key "$1" 0 0 0 value "$2" "$3" "$4" "$5"
	}
	set_rule 0 17 1 0x0f 0x27
	set_rule 1 6 1 22 0
	set_rule 2 17 2 53 0
	set_rule 3 1 2 0 0
	echo "== rules (map $rules): drop udp/9999, drop tcp/22, pass udp/53, pass icmp; default pass"
fi

if [ -n "$OFFNIC_PCAP" ]; then
	echo "== traffic: frames of $(basename "$OFFNIC_PCAP") from the peer"
	ip netns exec peer /selftests/offnic_traffic -i "$peer" -p "$OFFNIC_PCAP" | sed 's/^/   /'
else
	echo "== traffic: built-in mix from the peer (10.99.0.2 -> 10.99.0.1)"
	ip netns exec peer /selftests/offnic_traffic -i "$peer" -d "$offmac" -n 100 | sed 's/^/   /'
fi
ip netns exec peer ping -q -c 5 -i 0.2 -W 5 10.99.0.1 | sed -n 's/^/   ping: /p' | tail -n 1
sleep 1

echo "== device verdicts (debugfs xdp_hw/stats)"
sed -n 's/^verdict_\(.*\): \(.*\)/   \1 \2/p; s/^packets: /   packets /p; s/^faults: /   faults /p' "$dbg/xdp_hw/stats"
awk '
	/^cycles_min:/ { min = $2 } /^cycles_max:/ { max = $2 }
	/^cycles_total:/ { tot = $2 } /^packets:/ { n = $2 }
	END { if (n) printf "== device cycles per packet: min %d, mean %.1f, max %d\n", min, tot / n, max }' "$dbg/xdp_hw/stats"
sed -n 's/^recent_cycles://p' "$dbg/xdp_hw/stats" | tr ' ' '\n' | grep . | sort -n |
	awk '{ v[NR] = $1 } END { if (NR) printf "   median %d over the last %d packets\n", v[int((NR + 1) / 2)], NR }'
echo "== faults"
if grep -q . "$dbg/xdp_hw/faults"; then sed 's/^/   /' "$dbg/xdp_hw/faults"; else echo "   none"; fi

echo "== maps"
for m in $(ip netns exec dut bpftool prog show id "$id" | sed -n 's/.*map_ids //p' | tr ',' ' '); do
	ip netns exec dut bpftool map show id "$m" | sed -n '1s/^/   /p'
	ip netns exec dut bpftool map dump id "$m" 2>/dev/null | awk '
		function hex(s,  i, v) {
			v = 0
			for (i = 1; i <= length(s); i++)
				v = v * 16 + index("0123456789abcdef", substr(tolower(s), i, 1)) - 1
			return v
		}
		/^key:/ {
			k = 0; v = 0; n = split($0, f, " ")
			m = 1
			for (i = 2; f[i] != "value:"; i++) { k += hex(f[i]) * m; m *= 256 }
			m = 1
			raw = ""
			for (j = i + 1; j <= n; j++) { v += hex(f[j]) * m; m *= 256; raw = raw " " f[j] }
			if (!v)
				next
			if (n - i == 8)		# a 64-bit counter
				printf "     [%d] %d\n", k, v
			else
				printf "     [%d]%s\n", k, raw
		}'
done
# Throughput: a burst of the mix as fast as the peer can send it, timed
# until the device has seen every frame (or 30 s).
uptime_ms() {	# busybox date has no %N; /proc/uptime has centiseconds
	awk '{ printf "%d", $1 * 1000 }' /proc/uptime
}
if [ -z "$OFFNIC_PCAP" ]; then
	burst=2000
	before=$(sed -n 's/^packets: //p' "$dbg/xdp_hw/stats")
	start=$(uptime_ms)
	ip netns exec peer /selftests/offnic_traffic -i "$peer" -d "$offmac" -n $burst -g 0 > /dev/null
	# until every frame is seen, or nothing moved for 2 s (frames the
	# simulator could not take in time are lost, as on a real wire)
	last=$before
	last_ms=$start
	while :; do
		now=$(sed -n 's/^packets: //p' "$dbg/xdp_hw/stats")
		t=$(uptime_ms)
		if [ "$now" != "$last" ]; then
			last=$now
			last_ms=$t
		fi
		[ $((now - before)) -ge $burst ] && break
		[ $((t - last_ms)) -ge 2000 ] && break
		sleep 0.1
	done
	seen=$((last - before))
	ms=$((last_ms - start))
	pps=$((seen * 1000 / (ms ? ms : 1)))
	echo "== throughput: $pps packets/s through QEMU, the wire and the engine ($seen of a $burst-frame burst in $ms ms; $((burst - seen)) lost to full queues)"
	echo "$pps" > /mnt/out/pps.txt
fi

echo "== driver (ethtool -S $off)"
ip netns exec dut ethtool -S "$off" | grep -E 'rx_packets|tx_packets|dev_rx_frames|dev_tx_frames|bad_desc' | sed 's/^ */   /'

ip -n dut link set dev "$off" xdpoffload off
ip netns del dut
ip netns del peer
