#!/usr/bin/env bash
# Boot the offnic test guest: start offnic-sim (one good device, and two
# that must be refused: wrong magic, wrong ABI), boot the Debian kernel
# under QEMU (TCG, or KVM when /dev/kvm is usable) with the simulated NIC
# and a virtio-net peer on the simulator's wire, run a command in the
# guest, collect its TAP log and dmesg, fail on any kernel splat, and
# stop everything it started, also on Ctrl-C and on timeout.
#
# The console (firmware, kernel, guest) goes to RUNDIR/console.log; the
# terminal, and RUNDIR/output.txt, get only what the guest command prints,
# without escape codes.  RUNDIR/vmtest.env tells the guest the run
# directory's host path and VERBOSE.  Pictures the guest describes as
# RUNDIR/*.gp are drawn with gnuplot afterwards (the guest has none).
#
# usage: vmtest.sh -k KIMAGE -i INITRD -S OFFNIC_SIM -d RUNDIR
#                  [-c CMDFILE | -s] [-t SECONDS] [-e SIM_ARGS]
#   -c  script the guest runs (copied to RUNDIR/cmd.sh)
#   -s  interactive guest shell instead
#   -t  outer timeout (default 900)
#   -e  extra arguments for the good device's offnic-sim
#   -f  a file to put in RUNDIR (the guest's /mnt/out); repeatable
# Exit status: the guest command's, or 1 on panic, timeout or splat.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

kimage='' initrd='' sim='' rundir='' cmdfile='' shell=0 tmo=900 sim_extra='' files=()
while getopts "k:i:S:d:c:st:e:f:" opt; do
	case $opt in
	k) kimage=$OPTARG ;;
	i) initrd=$OPTARG ;;
	S) sim=$OPTARG ;;
	d) rundir=$OPTARG ;;
	c) cmdfile=$OPTARG ;;
	s) shell=1 ;;
	t) tmo=$OPTARG ;;
	e) sim_extra=$OPTARG ;;
	f) files+=("$OPTARG") ;;
	*) exit 2 ;;
	esac
done
for v in kimage initrd sim rundir; do
	[[ -n ${!v} ]] || { echo "vmtest: -$v missing" >&2; exit 2; }
done

say() { echo "vmtest: $*" >&2; }

rm -rf "$rundir"
mkdir -p "$rundir"
echo 130 > "$rundir/exitstatus"		# stays if the guest never reports
for f in "${files[@]}"; do
	cp "$f" "$rundir/" || exit 2
done
# The marker the console filter waits for: the guest command starts
mark="offnic-vmtest: the command starts"
if ((shell)); then
	: > "$rundir/cmd.sh"
else
	{ echo "echo '$mark'"; cat "$cmdfile"; } > "$rundir/cmd.sh"
fi
shown=${rundir#"$PWD"/}
printf 'OFFNIC_HOST_DIR=%q\nOFFNIC_VERBOSE=%q\n' "$shown" "${VERBOSE:-0}" > "$rundir/vmtest.env"

pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null
	done
	pids=()
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM

# Free UDP ports for the wire: the simulator's and QEMU's end.
port_base=$((20000 + (RANDOM % 2000) * 10))

start_sim() {
	local name=$1
	shift
	"$sim" --socket "$rundir/$name.sock" --pidfile "$rundir/$name.pid" \
		--log "$rundir/$name.log" --exit-on-disconnect "$@" &
	pids+=($!)
}
# shellcheck disable=SC2086 # $sim_extra is a list of options: split it
start_sim dev0 --wire-port "$port_base" --wire-peer $((port_base + 1)) \
	--pcap "$rundir/wire.pcap" --mac 02:0f:f0:00:00:01 $sim_extra
start_sim badmagic --magic 0x0badc0de
start_sim badabi --abi-version 99
for name in dev0 badmagic badabi; do
	for _ in $(seq 50); do
		[[ -S $rundir/$name.sock ]] && break
		sleep 0.1
	done
	[[ -S $rundir/$name.sock ]] || { say "offnic-sim $name did not start"; exit 1; }
done

# TCG unless ACCEL=kvm: a /dev/kvm that opens is not always one that
# boots (nested KVM on this project's CI hosts fails on MSR 0x10a).
accel=${ACCEL:-tcg} cpu=max
if [[ $accel == kvm ]]; then
	[[ -w /dev/kvm ]] || { say "ACCEL=kvm but /dev/kvm is not usable"; exit 1; }
	cpu=host
fi
append="console=ttyS0 panic=-1 oops=panic quiet loglevel=3 printk.devkmsg=on"
((shell)) && append+=" offnic.shell"

# shellcheck disable=SC2054 # the commas are QEMU's option syntax
qemu=(qemu-system-x86_64 -machine q35 -accel "$accel" -cpu "$cpu" -m 1024
	-smp 2 -nodefaults -nographic -no-reboot -serial mon:stdio
	-kernel "$kimage" -initrd "$initrd" -append "$append"
	-device pvpanic-pci -action panic=exit-failure
	-virtfs "local,path=$rundir,mount_tag=offnic_out,security_model=none,id=out"
	-netdev "socket,id=wire0,udp=127.0.0.1:$port_base,localaddr=127.0.0.1:$((port_base + 1))"
	-device virtio-net-pci,netdev=wire0,mac=02:0f:f0:00:00:02
	# The baseline `make run` compares with: two virtio NICs wired to each
	# other the same way (QEMU's UDP socket backend), no offnic between.
	-netdev "socket,id=base0,udp=127.0.0.1:$((port_base + 3)),localaddr=127.0.0.1:$((port_base + 2))"
	-device virtio-net-pci,netdev=base0,mac=02:0f:f0:00:00:03
	-netdev "socket,id=base1,udp=127.0.0.1:$((port_base + 2)),localaddr=127.0.0.1:$((port_base + 3))"
	-device virtio-net-pci,netdev=base1,mac=02:0f:f0:00:00:04)
i=0
for name in dev0 badmagic badabi; do
	qemu+=(-chardev "socket,path=$rundir/$name.sock,id=ivs$i"
	       -device "ivshmem-doorbell,chardev=ivs$i,vectors=2")
	i=$((i + 1))
done

# The console without the firmware's screen and escape codes: the lines
# from the marker on, but the kernel's last word.
console_filter() {
	local line up=0
	sed -u -e $'s/\x1b\\[[0-9;?]*[A-Za-z]//g' -e $'s/\x1b[c78=>]//g' -e 's/\r//g' |
	while IFS= read -r line; do
		if ((!up)); then
			[[ $line == *"$mark"* ]] || continue
			up=1
			printf 'vmtest: guest up in %.1f s\n' "$(echo "$(date +%s.%N) - $start" | bc)" >&2
			continue
		fi
		[[ $line =~ ^\[\ *[0-9.]+\]\ reboot:\ Power\ down ]] && continue
		printf '%s\n' "$line"
	done | tee "$rundir/output.txt"
}

say "booting $(basename "$kimage") ($accel), console in $shown/console.log"
start=$(date +%s.%N)
if ((shell)); then
	"${qemu[@]}"
	qrc=$?
else
	timeout --foreground -k 10 "$tmo" "${qemu[@]}" < /dev/null 2>&1 |
		tee "$rundir/console.log" | console_filter
	qrc=${PIPESTATUS[0]}
fi
end=$(date +%s.%N)
cleanup
printf 'vmtest: guest ran %.1f s\n' "$(echo "$end - $start" | bc)" >&2

for gp in "$rundir"/*.gp; do
	[[ -f $gp ]] || continue
	if ! command -v gnuplot > /dev/null; then
		say "no gnuplot (scripts/deps.sh installs gnuplot-nox): $shown/${gp##*/} not drawn"
	elif ! (cd "$rundir" && gnuplot "${gp##*/}") > "$gp.log" 2>&1; then
		say "gnuplot $shown/${gp##*/} failed: $(head -n 3 "$gp.log")"
	fi
done

fail=0
if ((qrc == 124)); then
	say "FAIL: guest timed out after ${tmo}s"
	fail=1
elif ((qrc != 0)); then
	say "FAIL: QEMU exited with status $qrc (kernel panic?)"
	fail=1
fi
if ((qrc != 0)) && ! grep -q "$mark" "$rundir/console.log"; then
	say "the guest command never started; the console's last lines:"
	sed -e $'s/\x1b\\[[0-9;?]*[A-Za-z]//g' -e $'s/\x1b[c78=>]//g' -e 's/\r//g' \
		"$rundir/console.log" | tail -n 20 | sed 's/^/vmtest:   /' >&2
fi
rc=$(cat "$rundir/exitstatus" 2>/dev/null || echo 130)
if [[ $rc != 0 ]]; then
	say "FAIL: guest command exited with status $rc"
	fail=1
fi
if [[ ! -s $rundir/dmesg.txt ]]; then
	((shell)) || { say "FAIL: no dmesg from the guest"; fail=1; }
elif grep -E -v '^#|^$' "$HERE/splat-denylist" > "$rundir/.splat-re" &&
	grep -E -f "$rundir/.splat-re" "$rundir/dmesg.txt" > "$rundir/splats.txt"; then
	say "FAIL: kernel splat in the guest log:"
	sed 's/^/vmtest:   /' "$rundir/splats.txt" | head -n 20 >&2
	fail=1
fi
exit "$fail"
