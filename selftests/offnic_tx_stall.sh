#!/bin/sh
# The TX queue stops when the ring is full and always wakes again.  The
# device is paused (debugfs inject tx_pause: it ignores TX doorbells)
# while more frames than the ring holds are sent.
#  - tx_resume: the device takes the ring at once; the queue must wake
#    and every frame leave by the wire.
#  - tx_resume_quiet: the device lost the doorbells and waits for the
#    next one, which a stopped queue never rings; only the TX watchdog
#    (ndo_tx_timeout kicks the device) gets the frames out.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$(readlink -f "$0")")" || exit 1

load_offnic
off=$(offnic_ifname) || fail "no offnic netdev"
pci=$(basename "$(readlink "/sys/class/net/$off/device")")
dbg=/sys/kernel/debug/offnic/$pci

cleanup() {
	echo tx_resume > "$dbg/inject" 2>/dev/null
}
trap cleanup EXIT

sysctl -qw "net.ipv6.conf.$off.disable_ipv6=1"
ip link set "$off" up

tx_frames() {
	sed -n 's/^tx_frames: //p' "$dbg/counters"
}

tx_timeouts() {
	cat "/sys/class/net/$off/queues/tx-0/tx_timeout"
}

# More than the 256-slot ring; few enough that the socket's send buffer
# holds the rest while the queue is stopped.
n=320

# round HOW SECONDS: pause, flood, resume HOW, wait for every frame
round() {
	tx0=$(tx_frames)
	echo tx_pause > "$dbg/inject" || fail "inject tx_pause"
	./offnic_traffic -i "$off" -d 02:00:00:00:00:01 -n $n -g 0 > /dev/null &
	sender=$!
	i=0
	until grep -q '^tx queue: stopped' "$dbg/rings"; do
		i=$((i + 1))
		[ $i -le 100 ] || fail "$1: the queue did not stop: $(cat "$dbg/rings")"
		sleep 0.1
	done
	echo "$1" > "$dbg/inject" || fail "inject $1"
	i=0
	while [ "$(tx_frames)" -lt $((tx0 + n)) ]; do
		i=$((i + 1))
		[ $i -le $(($2 * 10)) ] ||
			fail "$1: $(($(tx_frames) - tx0)) of $n frames left in $2 s: $(cat "$dbg/rings")"
		sleep 0.1
	done
	wait $sender || fail "offnic_traffic"
	grep -q '^tx queue: awake' "$dbg/rings" ||
		fail "$1: the queue is still stopped: $(cat "$dbg/rings")"
	echo "# $1: $(($(tx_frames) - tx0)) frames out after $((i / 10)).$((i % 10)) s"
}

t0=$(tx_timeouts)
round tx_resume 20
round tx_resume 20
[ "$(tx_timeouts)" = "$t0" ] || fail "the TX watchdog fired on a queue that woke"
# the watchdog period is 10 s: it fires 10 to 20 s after the stop
round tx_resume_quiet 60
[ "$(tx_timeouts)" -gt "$t0" ] || fail "frames left without a TX timeout"
grep 'tx queue' "$dbg/rings" | sed 's/^/# /'
exit 0
