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

ip netns exec dut ethtool -S "$off" > /tmp/ethtool.txt
detail "driver (ethtool -S $off)" < /tmp/ethtool.txt
awk '{ sub(/:$/, "", $1); s[$1] = $2 }
	END { printf "== driver (ethtool -S %s): rx %d, tx %d packets; device rx %d, tx %d frames; %d bad descriptors\n",
		dev, s["rx_packets"], s["tx_packets"], s["dev_rx_frames"], s["dev_tx_frames"], s["bad_descriptors"] }' \
	dev="$off" /tmp/ethtool.txt

echo "== files in $host_dir: output.txt (this report), details.txt (VERBOSE=1 prints it),"
echo "   console.log (firmware and kernel console), cycles.svg (cycles histogram by verdict)"
if [ "${OFFNIC_VERBOSE:-0}" = 1 ]; then
	echo "== details (details.txt)"
	cat "$details"
fi

ip -n dut link set dev "$off" xdpoffload off
ip netns del dut
ip netns del peer
