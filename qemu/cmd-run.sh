#!/bin/sh
# Guest side of `make run`: offload a program to the offnic port with the
# standard tools, send traffic through it from the peer namespace over
# the simulated wire, and report what the device did.
#
# /mnt/out/run.env may set OFFNIC_PROG (an object in /mnt/out), OFFNIC_SEC
# and OFFNIC_PCAP; by default the built-in firewall runs on a built-in mix.
# /mnt/out/vmtest.env (qemu/vmtest.sh) names the run directory on the host
# and sets OFFNIC_VERBOSE=1 for `make run VERBOSE=1`.
#
# The report stays on one screen; what it leaves out goes to details.txt
# (printed too with VERBOSE=1).  The device's cycles per packet go to
# cycles.dat and cycles-hist.dat, with cycles.gp, which qemu/vmtest.sh
# draws into cycles.svg with gnuplot on the host.
. /selftests/lib.sh
# shellcheck source=/dev/null # written by make run on the host
[ -f /mnt/out/run.env ] && . /mnt/out/run.env
# shellcheck source=/dev/null # written by qemu/vmtest.sh
[ -f /mnt/out/vmtest.env ] && . /mnt/out/vmtest.env
host_dir=${OFFNIC_HOST_DIR:-/mnt/out}
details=/mnt/out/details.txt
: > "$details"
detail() {	# detail TITLE: stdin, indented, into details.txt
	{ echo "== $1"; sed 's/^/   /'; echo; } >> "$details"
}

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

engine=$(sed -n 's/^engine: //p' "$dbg/identify")
case $engine in 1) engine=model ;; 2) engine=rtl ;; esac
echo "== offnic run: $(basename "$prog") (section $sec) -> $off ($pci), engine $engine"
if ! ip -n dut link set dev "$off" xdpoffload obj "$prog" sec "$sec" 2> /tmp/load.log; then
	cat /tmp/load.log
	fail "offload refused (verifier log above)"
fi
id=$(ip -n dut -d link show "$off" | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p' | head -n 1)
ip netns exec dut bpftool prog show id "$id" | detail "program (bpftool prog show)"
detail "device image (debugfs xdp_hw/listing)" < "$dbg/xdp_hw/listing"
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
	ip netns exec peer /selftests/offnic_traffic -i "$peer" -d "$offmac" -n 100 |
		awk '{ printf "%s%s %s", (NR > 1) ? ", " : "   sent ", $2, $3 } END { print "" }'
fi
ip netns exec peer ping -q -c 5 -i 0.2 -W 5 10.99.0.1 | sed -n 's/^/   ping: /p' | tail -n 1
sleep 1

# The device's own account (debugfs xdp_hw/stats): verdicts, then cycles
# per packet over the window of the last packets, by verdict.
cat "$dbg/xdp_hw/stats" > /tmp/stats.txt
detail "device counters (debugfs xdp_hw/stats)" < /tmp/stats.txt
awk '
	/^packets:/ { n = $2 } /^faults:/ { f = $2 }
	/^verdict_/ { if ($2 > 0) { sub(/^verdict_/, "", $1); sub(/:$/, "", $1); v = v sep $1 " " $2; sep = ", " } }
	END { printf "== device: %d packets: %s; %d faults\n", n, v, f }' /tmp/stats.txt
awk -v names="aborted drop pass tx redirect" -v title="$(basename "$prog")" \
    -v dat=/mnt/out/cycles.dat -v hist=/mnt/out/cycles-hist.dat -v gp=/mnt/out/cycles.gp '
	function median(vals, cnt,  i, j, t) {	# sorts vals[1..cnt]
		for (i = 2; i <= cnt; i++)
			for (j = i; j > 1 && vals[j - 1] > vals[j]; j--) {
				t = vals[j]; vals[j] = vals[j - 1]; vals[j - 1] = t
			}
		return cnt % 2 ? vals[(cnt + 1) / 2] : (vals[cnt / 2] + vals[cnt / 2 + 1]) / 2
	}
	/^cycles_min:/ { amin = $2 } /^cycles_max:/ { amax = $2 }
	/^cycles_total:/ { tot = $2 } /^packets:/ { pk = $2 }
	/^recent_cycles:/ { nr = split($0, c, " ") - 1 }
	/^recent_verdicts:/ { split($0, vd, " "); hasv = 1 }
	END {
		if (!pk) { print "== cycles per packet: no packets"; exit }
		printf "== cycles per packet: min %d, mean %.1f, max %d over %d packets; by verdict, last %d:\n", amin, tot / pk, amax, pk, nr
		if (!nr) exit
		split(names, vn, " ")
		split("\342\226\201 \342\226\202 \342\226\203 \342\226\204 \342\226\205 \342\226\206 \342\226\207 \342\226\210", bar, " ")
		lo = -1
		for (i = 1; i <= nr; i++) {
			x = c[i + 1]; k = vd[i + 1]
			name = !hasv ? "all" : (k + 1) in vn ? vn[k + 1] : "verdict" k
			seen[k + 0] = name
			cnt[name]++
			val[name, cnt[name]] = x
			if (lo < 0 || x < lo) lo = x
			if (x > hi) hi = x
			print x, name > dat
		}
		for (k = 0; k < 256; k++)	# in verdict order
			if (k in seen)
				order[++nv] = seen[k]
		w = 40	# bins of the text histogram and the picture
		bw = int((hi - lo + w) / w); if (bw < 1) bw = 1
		nb = int((hi - lo) / bw) + 1
		for (i = 1; i <= nr; i++) {
			k = vd[i + 1]
			name = !hasv ? "all" : (k + 1) in vn ? vn[k + 1] : "verdict" k
			b = int((c[i + 1] - lo) / bw)
			bin[name, b]++
		}
		printf "cycles" > hist
		for (j = 1; j <= nv; j++) printf " %s", order[j] > hist
		printf "\n" > hist
		for (b = 0; b < nb; b++) {
			printf "%d", lo + b * bw > hist
			for (j = 1; j <= nv; j++) printf " %d", bin[order[j], b] + 0 > hist
			printf "\n" > hist
		}
		for (j = 1; j <= nv; j++) {
			name = order[j]; m = cnt[name]; top = 0
			for (i = 1; i <= m; i++) s[i] = val[name, i]
			med = median(s, m)
			for (b = 0; b < nb; b++) if (bin[name, b] > top) top = bin[name, b]
			line = ""
			for (b = 0; b < nb; b++) {
				h = bin[name, b] + 0
				line = line (h ? bar[int((h * 8 - 1) / top) + 1] : " ")
			}
			printf "   %-8s %4d  min %4d  median %6.1f  max %4d  |%s|\n", name, m, s[1], med, s[m], line
		}
		pre = sprintf("   %-8s %4d  min %4d  median %6.1f  max %4d  |", "", 0, 0, 0, 0)
		ax = sprintf("%d", lo); hs = sprintf("%d", lo + nb * bw - 1)
		gap = nb - length(ax) - length(hs); if (gap < 1) gap = 1
		printf "%" length(pre) "s%s%" (gap + length(hs)) "s  cycles\n", "", ax, hs
		printf "set terminal svg size 800,420 dynamic background rgb \"white\" font \"sans,12\"\n" > gp
		printf "set output \"cycles.svg\"\n" > gp
		printf "set title \"%s: device cycles per packet by verdict (last %d packets)\"\n", title, nr > gp
		printf "set xlabel \"cycles per packet (bins of %d)\"\nset ylabel \"packets\"\n", bw > gp
		printf "set style fill transparent solid 0.6 border -1\nset boxwidth %d absolute\n", bw > gp
		printf "set key top left\nset yrange [0:*]\nset grid ytics\n" > gp
		printf "plot for [i=2:%d] \"cycles-hist.dat\" using ($1 + %g):i with boxes title columnheader(i)\n", nv + 1, bw / 2 > gp
	}' /tmp/stats.txt
if grep -q . "$dbg/xdp_hw/faults"; then
	echo "== faults"
	sed 's/^/   /' "$dbg/xdp_hw/faults"
else
	echo "== faults: none"
fi

# The maps, typed from the object's BTF (offloaded maps carry none on 6.1)
echo "== maps, typed by $(basename "$prog")'s BTF (offnic_maps; all entries in details.txt)"
/selftests/offnic_maps -n 6 "$prog" "$id" | sed 's/^/   /'
/selftests/offnic_maps -a "$prog" "$id" | detail "maps, every entry (offnic_maps -a)"
ip netns exec dut bpftool map show 2>/dev/null | detail "maps (bpftool map show)"
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

ip netns exec dut ethtool -S "$off" > /tmp/ethtool.txt
detail "driver (ethtool -S $off)" < /tmp/ethtool.txt
awk '{ sub(/:$/, "", $1); s[$1] = $2 }
	END { printf "== driver (ethtool -S %s): rx %d, tx %d packets; device rx %d, tx %d frames; %d bad descriptors\n",
		dev, s["rx_packets"], s["tx_packets"], s["dev_rx_frames"], s["dev_tx_frames"], s["bad_descriptors"]
	      printf "   %d interrupts, %d frames over the wire socket\n", s["dev_irqs"], s["dev_wire_overflow"] }' \
	dev="$off" /tmp/ethtool.txt
ip netns exec dut ethtool -c "$off" | awk '/^rx-(usecs|frames):/ { v = v sep $1 " " $2; sep = ", " }
	END { print "   interrupt moderation (ethtool -c): " v }'

echo "== files in $host_dir: output.txt (this report), details.txt (VERBOSE=1 prints it),"
echo "   console.log (firmware and kernel console), cycles.svg (cycles histogram by verdict)"
if [ "${OFFNIC_VERBOSE:-0}" = 1 ]; then
	echo "== details (details.txt)"
	cat "$details"
fi

ip -n dut link set dev "$off" xdpoffload off
ip netns del dut
ip netns del peer
