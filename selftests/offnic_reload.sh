#!/bin/sh
# 20 unload/reload cycles leave nothing behind: no netdev, no IRQ, no
# debugfs entry, no module reference, memory back where it was, and no
# kernel splat (the runner scans dmesg for those).
. "$(dirname "$0")/lib.sh"

CYCLES=20

mem_avail_kb() {
	sed -n 's/^MemAvailable: *\([0-9]*\) kB/\1/p' /proc/meminfo
}

load_offnic
ifname=$(offnic_ifname) || fail "no offnic netdev"
ip link set "$ifname" up

# One warm-up cycle so caches reach their steady state.
rmmod offnic || fail "rmmod"
load_offnic
sync
echo 3 > /proc/sys/vm/drop_caches
before=$(mem_avail_kb)

i=0
while [ $i -lt $CYCLES ]; do
	ifname=$(offnic_ifname) || fail "cycle $i: no netdev after load"
	ip link set "$ifname" up || fail "cycle $i: link up"
	rmmod offnic || fail "cycle $i: rmmod"
	offnic_module_loaded && fail "cycle $i: module still loaded"
	[ -e /sys/kernel/debug/offnic ] && fail "cycle $i: debugfs left behind"
	grep -q offnic /proc/interrupts && fail "cycle $i: IRQ left behind"
	offnic_ifname >/dev/null && fail "cycle $i: netdev left behind"
	load_offnic
	i=$((i + 1))
	if [ $i -eq $((CYCLES / 2)) ]; then
		sync
		echo 3 > /proc/sys/vm/drop_caches
		mid=$(mem_avail_kb)
	fi
done

sync
echo 3 > /proc/sys/vm/drop_caches
after=$(mem_avail_kb)
lost=$((before - after)) lost2=$((mid - after))
echo "# MemAvailable before $before kB, after $((CYCLES / 2)) cycles $mid kB, after $CYCLES $after kB"
echo "# $lost kB lost over $CYCLES cycles, $lost2 kB over the last $((CYCLES / 2))"
# A leak repeats every cycle, so it shows in the second half as in the
# first; a one-off growth (a cache or pool reaching its size, memory of
# an earlier test released late) shows only once. Page-cache noise is a
# few hundred kB; a leak of the 32 MiB BAR mapping or the netdev per
# cycle would be far more. kmemleak on the debug kernel is the exact check.
[ "$lost2" -lt 2048 ] || fail "lost $lost2 kB over the last $((CYCLES / 2)) cycles"
[ "$lost" -lt 8192 ] || fail "lost $lost kB over $CYCLES cycles"
exit 0
