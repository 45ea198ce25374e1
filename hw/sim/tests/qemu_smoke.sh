#!/bin/bash
# SPDX-License-Identifier: (GPL-2.0 OR MIT)
#
# offnic-sim against a real, stock QEMU: the exact -chardev/-device pair the
# VM runner uses, with QEMU's qtest protocol standing in for a guest (it
# programs the BARs and does the MMIO a driver would).  No guest boots.
#
# usage: qemu_smoke.sh PATH/TO/offnic-sim        TAP output, exit 1 on failure

SIM=$1
QEMU=${QEMU:-qemu-system-x86_64}
BAR0=0xfe000000
BAR1=0xfe001000
BAR2=0x80000000
MSI_ADDR=0x2000			# guest RAM the MSI-X messages are aimed at
CTRL=$((BAR2 + 0x1000))
RESP=$((CTRL + 0x10 + 0xf000))	# sizeof(struct offnic_ctrl_req)

echo "TAP version 13"
if ! command -v "$QEMU" >/dev/null; then
	echo "1..0 # SKIP $QEMU not installed"
	exit 0
fi
echo "1..6"

dir=$(mktemp -d /tmp/offnic-qemu-smoke.XXXXXX)
failed=0
sim_pid=
qemu_pid=

cleanup()
{
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

result()	# result N NAME CONDITION-STATUS [diagnostic]
{
	if [ "$3" -eq 0 ]; then
		echo "ok $1 - $2"
	else
		echo "not ok $1 - $2"
		[ -n "$4" ] && echo "# $4"
		failed=$((failed + 1))
	fi
}

# One qtest command, one "OK [value]" line back.
qt()
{
	local line

	echo "$1" >&"${QT[1]}"
	read -t 10 -r line <&"${QT[0]}" || return 1
	case $line in
	OK*) echo "${line#OK }" ;;
	*) return 1 ;;
	esac
}

pci_cfg_write()	# reg value width(l|w)
{
	qt "outl 0xcf8 $((0x80000800 | $1))" >/dev/null &&
		qt "out$3 0xcfc $2" >/dev/null
}

"$SIM" --socket "$dir/sim.sock" --exit-on-disconnect --log "$dir/sim.log" &
sim_pid=$!
for _ in $(seq 50); do [ -S "$dir/sim.sock" ] && break; sleep 0.1; done

coproc QT { exec nice "$QEMU" -machine q35 -S -display none -nodefaults \
	-qtest stdio -qtest-log /dev/null \
	-chardev socket,path="$dir/sim.sock",id=ivs0 \
	-device ivshmem-doorbell,chardev=ivs0,vectors=2 2>"$dir/qemu.err"; }
qemu_pid=$QT_PID

# ivshmem is device 00:01.0: BAR0 registers, BAR2 (64-bit) shared memory.
pci_cfg_write 0x10 $BAR0 l && pci_cfg_write 0x14 $BAR1 l &&
	pci_cfg_write 0x18 $BAR2 l && pci_cfg_write 0x1c 0 l && pci_cfg_write 0x04 0x6 w
ivpos=$(qt "readl $((BAR0 + 8))")
magic=$(qt "readl $BAR2")
[ "$((ivpos))" -eq 1 ] && [ "$((magic))" -eq $((0x43494e4f)) ]
result 1 qemu_maps_sim_memory_as_bar2_with_peer_id_1 $? \
	"IVPosition '$ivpos', BAR2 magic '$magic'; qemu: $(head -c 300 "$dir/qemu.err")"

# IDENTIFY, seq 1.  QEMU attaches the doorbell eventfds from its main loop
# after the device is realized, so ring until the answer comes.
qt "writel $((CTRL + 4)) 1" >/dev/null && qt "writel $((CTRL + 8)) 0" >/dev/null &&
	qt "writel $CTRL 1" >/dev/null
seq=0
for _ in $(seq 30); do
	qt "writel $((BAR0 + 12)) 0" >/dev/null
	sleep 0.1
	seq=$(qt "readl $RESP")
	[ "$((seq))" -eq 1 ] && break
done
[ "$((seq))" -eq 1 ]
result 2 qemu_doorbell_reaches_sim_control_queue $? "resp.seq '$seq'"

status=$(qt "readl $((RESP + 4))")
len=$(qt "readl $((RESP + 8))")
name=$(qt "readq $((RESP + 16))")
# "offnic-s" as a little-endian 64-bit load
[ "$((status))" -eq 0 ] && [ "$((len))" -eq 56 ] && [ "$name" = "0x732d63696e66666f" ]
result 3 identify_answer_is_visible_in_bar2 $? "status '$status' len '$len' name '$name'"

# MSI-X as a driver sets it up: QEMU's ivshmem has its table at BAR1 + 0
# and its capability at 0x40.  Vector v writes 0xab00 + v to MSI_ADDR + 4v.
for v in 0 1; do
	e=$((BAR1 + 16 * v))
	qt "writel $e $((MSI_ADDR + 4 * v))" >/dev/null && qt "writel $((e + 4)) 0" >/dev/null &&
		qt "writel $((e + 8)) $((0xab00 + v))" >/dev/null &&
		qt "writel $((e + 12)) 0" >/dev/null
done
qt "outl 0xcf8 $((0x80000840))" >/dev/null && qt "outw 0xcfe 0x8001" >/dev/null

wait_msi()	# vector -> prints what landed
{
	local got

	for _ in $(seq 30); do
		got=$(qt "readl $((MSI_ADDR + 4 * $1))")
		[ "$((got))" -eq $((0xab00 + $1)) ] && break
		sleep 0.1
	done
	echo "$got"
}

qt "writel $CTRL 2" >/dev/null && qt "writel $((BAR0 + 12)) 0" >/dev/null
got=$(wait_msi 0)
[ "$((got))" -eq $((0xab00)) ]
result 4 control_answer_raises_msix_vector_0 $? "RAM at MSI address holds '$got'"

# One 60-byte TX frame in slot 0 (no wire attached: completed, not sent).
qt "writel $((BAR2 + 0x40000 + 128)) 60" >/dev/null && qt "writel $((BAR2 + 0x40000)) 1" >/dev/null &&
	qt "writel $((BAR0 + 12)) 1" >/dev/null
got=$(wait_msi 1)
cons=$(qt "readl $((BAR2 + 0x40000 + 64))")
[ "$((got))" -eq $((0xab01)) ] && [ "$((cons))" -eq 1 ]
result 5 tx_completion_raises_msix_vector_1 $? "MSI '$got', tx cons '$cons'"

kill "$qemu_pid"
wait "$qemu_pid" 2>/dev/null
qemu_pid=
for _ in $(seq 50); do kill -0 "$sim_pid" 2>/dev/null || break; sleep 0.1; done
wait "$sim_pid"
rc=$?
sim_pid=
[ $rc -eq 0 ] && ! [ -e "$dir/sim.sock" ]
result 6 sim_exits_zero_when_qemu_disconnects $? "exit status $rc; log: $(tail -3 "$dir/sim.log")"

echo "# $failed failed"
[ $failed -eq 0 ]
