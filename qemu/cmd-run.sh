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
# Throughput and loss.  Each measurement polls the receiver until every
# frame is accounted for, or nothing moved for 2 s; the rate is frames
# delivered over the time from the first sent to the last delivered.
uptime_ms() {	# busybox date has no %N; /proc/uptime has centiseconds
	awk '{ printf "%d", $1 * 1000 }' /proc/uptime
}
ethstats() {	# ethstats NS DEV: "name value" lines of ethtool -S
	ip netns exec "$1" ethtool -S "$2" | sed 's/^ *//; s/: / /'
}
stat_of() {	# stat_of FILE NAME
	awk -v n="$2" '$1 == n { v = $2 } END { print v + 0 }' "$1"
}
devstat() {	# devstat NS DEV COUNTER: /sys/class/net statistics
	ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"
}
# Every frame the wire brings to the device ends in one of these.
dev_accounted() {
	awk '/^(rx_frames|rx_drops_no_buffer|rx_errors|wire_overflow|queue_drops|prog_drops|prog_tx): [0-9]/ { s += $2 }
	     END { print s + 0 }' "$dbg/counters"
}
# wait_for CMD TARGET: until CMD prints TARGET or more, or stalls 2 s;
# sets $waited_ms (start to last change) and $reached
wait_for() {
	w_last=''
	w_last_ms=$start
	while :; do
		w_now=$($1)
		w_t=$(uptime_ms)
		if [ "$w_now" != "$w_last" ]; then
			w_last=$w_now
			w_last_ms=$w_t
		fi
		[ "$w_now" -ge "$2" ] && break
		[ $((w_t - w_last_ms)) -ge 2000 ] && break
		sleep 0.1
	done
	waited_ms=$((w_last_ms - start))
	[ $waited_ms -gt 0 ] || waited_ms=1
	reached=$w_now
}
# pktgen NS DEV DSTMAC DSTIP COUNT: 64-byte frames (60 + FCS), as fast as
# the sender can go; prints the rate pktgen sent at (packets/s)
pktgen() {
	ip netns exec "$1" sh -c "
		pg=/proc/net/pktgen
		echo rem_device_all > \$pg/kpktgend_0
		echo 'add_device $2' > \$pg/kpktgend_0
		for c in 'count $5' 'pkt_size 60' 'delay 0' 'dst $4' 'dst_mac $3' \
			 'udp_dst_min 9' 'udp_dst_max 9' 'clone_skb 0'; do
			echo \"\$c\" > \$pg/$2
		done
		echo start > \$pg/pgctrl
		sed -n 's/^ *\([0-9]*\)pps .*/\1/p' \$pg/$2"
}
rxcount() {	# frames the receiver under test took in
	devstat "$rx_ns" "$rx_dev" rx_packets
}

# The path under test: wire_accounting BEFORE AFTER SENT prints where
# each of SENT frames went, from ethtool -S snapshots of the offnic port.
wire_accounting() {
	awk -v sent="$3" '
		$2 !~ /^[0-9]+$/ { next }	# the "NIC statistics:" heading
		FNR == NR { b[$1] = $2; next }
		# ethtool -S shows a counter the device did not answer for as 2^64-1
		$2 > 1e19 || b[$1] > 1e19 { bad = bad " " $1; next }
		{ d[$1] = $2 - b[$1] }
		END {
			n = split("dev_wire_overflow:device: wire socket buffer full (SO_RXQ_OVFL)|" \
				  "dev_rx_errors:device: not a frame|" \
				  "dev_queue_drops:device: engine queue full|" \
				  "dev_prog_drops:device: program verdict (drop, aborted, fault)|" \
				  "dev_prog_tx:device: program sent it back out (XDP_TX)|" \
				  "dev_rx_drops_no_buffer:device: RX ring full|" \
				  "bad_descriptors:driver: malformed descriptor|" \
				  "rx_alloc_fail:driver: no skb|" \
				  "xdp_drv_drop:driver: driver-mode XDP drop", p, "|")
			if (bad != "")
				printf "   unreadable (the device did not answer in time):%s\n", bad
			delivered = d["rx_packets"]
			dropped = 0
			printf "   sent %d, delivered %d\n", sent, delivered
			for (i = 1; i <= n; i++) {
				c = index(p[i], ":")
				name = substr(p[i], 1, c - 1)
				if (!(name in d))
					continue
				v = d[name]
				dropped += v
				printf "   dropped %d: %s\n", v, substr(p[i], c + 1)
			}
			rest = sent - delivered - dropped
			printf "   sum: %d delivered + %d dropped = %d of %d sent", delivered, dropped,
			       delivered + dropped, sent
			if (rest == 0)
				printf " (all accounted for)\n"
			else if (rest > 0)
				printf " (%d never reached the device: in flight, or lost in the peer NIC or QEMU)\n", rest
			else
				printf " (%d more than sent: frames that were in flight before the burst)\n", -rest
		}' "$1" "$2"
}

# offnic_burst TAG COUNT GEN: traffic through offnic, then its accounting.
# GEN is "mix" (offnic_traffic) or "pktgen".
offnic_burst() {
	ethstats dut "$off" > /tmp/before.txt
	tx0=$(devstat peer "$peer" tx_packets)
	base=$(dev_accounted)
	rx_ns=dut rx_dev=$off
	start=$(uptime_ms)
	if [ "$3" = pktgen ]; then
		echo "   pktgen sent at $(pktgen peer "$peer" "$offmac" 10.99.0.1 "$2") packets/s"
	else
		ip netns exec peer /selftests/offnic_traffic -i "$peer" -d "$offmac" -n "$2" -g 0 > /dev/null
	fi
	wait_for dev_accounted_since "$2"
	sleep 0.3	# the heartbeat publishes the socket's drop count
	ethstats dut "$off" > /tmp/after.txt
	sent=$(( $(devstat peer "$peer" tx_packets) - tx0 ))
	delivered=$(( $(stat_of /tmp/after.txt rx_packets) - $(stat_of /tmp/before.txt rx_packets) ))
	pps=$((delivered * 1000 / waited_ms))
	handled_pps=$((reached * 1000 / waited_ms))
	echo "== $1: $handled_pps packets/s through the device, $pps/s delivered to the host ($reached frames handled, $delivered delivered, of $sent sent, in $waited_ms ms)"
	wire_accounting /tmp/before.txt /tmp/after.txt "$sent"
}
dev_accounted_since() {
	echo $(( $(dev_accounted) - base ))
}

# The baseline: the same traffic between two plain virtio NICs in this
# VM, wired to each other by QEMU's UDP socket backend like the peer and
# the simulator.  Same guest, same QEMU, same TCG, same sender; the
# receive side is virtio-net instead of the simulator and offnic.
bsrc=$(netdev_of_mac 02:0f:f0:00:00:03) && bdst=$(netdev_of_mac 02:0f:f0:00:00:04) ||
	fail "no baseline virtio NICs (qemu/vmtest.sh adds them)"
bdstmac=02:0f:f0:00:00:04
ip netns add bsrc && ip netns add bdst || fail "netns"
ip link set "$bsrc" netns bsrc && ip link set "$bdst" netns bdst || fail "move"
ip -n bsrc addr add 10.98.0.2/24 dev "$bsrc"
ip -n bdst addr add 10.98.0.1/24 dev "$bdst"
ip -n bsrc link set "$bsrc" up
ip -n bdst link set "$bdst" up
ip -n bsrc neigh add 10.98.0.1 lladdr "$bdstmac" dev "$bsrc"
sleep 1

baseline_burst() {	# baseline_burst COUNT
	rx0=$(devstat bdst "$bdst" rx_packets)
	tx0=$(devstat bsrc "$bsrc" tx_packets)
	rx_ns=bdst rx_dev=$bdst
	start=$(uptime_ms)
	echo "   pktgen sent at $(pktgen bsrc "$bsrc" "$bdstmac" 10.98.0.1 "$1") packets/s"
	wait_for rxcount $((rx0 + $1))
	sent=$(( $(devstat bsrc "$bsrc" tx_packets) - tx0 ))
	delivered=$((reached - rx0))
	base_pps=$((delivered * 1000 / waited_ms))
	echo "== baseline, virtio to virtio: $base_pps packets/s delivered ($delivered of $sent sent in $waited_ms ms; $((sent - delivered)) lost in QEMU's socket backend, uncounted by the guest)"
}

# The guest alone: a veth pair, no device emulation at all.  What the
# guest's own stack can take under TCG, for scale.
veth_burst() {	# veth_burst COUNT
	ip netns add vsrc && ip netns add vdst || fail "netns"
	ip -n vsrc link add va type veth peer name vb netns vdst || fail "veth"
	ip -n vdst addr add 10.97.0.1/24 dev vb	# its stack does what dut's does
	ip -n vsrc link set va up
	ip -n vdst link set vb up
	vbmac=$(ip netns exec vdst cat /sys/class/net/vb/address)
	rx0=$(devstat vdst vb rx_packets)
	rx_ns=vdst rx_dev=vb
	start=$(uptime_ms)
	echo "   pktgen sent at $(pktgen vsrc va "$vbmac" 10.97.0.1 "$1") packets/s"
	wait_for rxcount $((rx0 + $1))
	veth_pps=$(((reached - rx0) * 1000 / waited_ms))
	echo "== guest alone, veth to veth: $veth_pps packets/s delivered ($((reached - rx0)) of $1 in $waited_ms ms)"
	ip netns del vsrc
	ip netns del vdst
}

iperf() {	# iperf SERVER_NS CLIENT_NS SERVER_IP: prints receiver Mbit/s
	ip netns exec "$1" iperf3 -s -1 -D -p 5201 > /dev/null 2>&1
	sleep 0.5
	ip netns exec "$2" timeout 30 iperf3 -c "$3" -p 5201 -t 5 -f m 2> /dev/null |
		awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") print $i }'
}

if [ -z "$OFFNIC_PCAP" ]; then
	burst=2000
	offnic_burst "burst: $burst frames of the mix (offnic_traffic)" $burst mix
	echo "$handled_pps" > /mnt/out/pps.txt

	flood=20000
	baseline_burst $flood
	offnic_burst "flood: $flood 64-byte frames (pktgen) through offnic" $flood pktgen
	veth_burst $flood
	[ "$base_pps" -gt 0 ] && [ "$veth_pps" -gt 0 ] &&
		echo "   offnic: $((pps * 100 / base_pps))% of the virtio baseline ($pps / $base_pps packets/s), $((pps * 100 / veth_pps))% of the guest-alone veth rate"

	echo "== TCP (iperf3, 5 s)"
	base_mbit=$(iperf bdst bsrc 10.98.0.1)
	off_mbit=$(iperf dut peer 10.99.0.1)
	echo "   baseline, virtio to virtio: ${base_mbit:-?} Mbit/s"
	echo "   through offnic and the offloaded firewall: ${off_mbit:-?} Mbit/s"
	if [ -n "$base_mbit" ] && [ -n "$off_mbit" ]; then
		awk -v a="$off_mbit" -v b="$base_mbit" 'BEGIN { if (b > 0) printf "   offnic: %d%% of the virtio baseline\n", a * 100 / b }'
	fi
fi
ip netns del bsrc
ip netns del bdst

echo "== driver (ethtool -S $off)"
ip netns exec dut ethtool -S "$off" | grep -E 'rx_packets|tx_packets|dev_rx_frames|dev_tx_frames|bad_desc|dev_irqs|dev_wire_overflow' | sed 's/^ */   /'
echo "== interrupt moderation (ethtool -c $off)"
ip netns exec dut ethtool -c "$off" | grep -E '^rx-(usecs|frames):' | sed 's/^/   /'

ip -n dut link set dev "$off" xdpoffload off
ip netns del dut
ip netns del peer
