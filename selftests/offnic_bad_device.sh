#!/bin/sh
# A device whose BAR2 has the wrong magic, or the wrong ABI version, is
# refused with a dmesg line that says why; the good device still binds.
. "$(dirname "$0")/lib.sh"

mark_dmesg bad_device
rmmod offnic 2>/dev/null
load_offnic
log=$(dmesg_since bad_device)

echo "$log" | grep -q 'not an offnic device: magic 0x0badc0de abi 1' ||
	fail "no refusal line for the wrong magic: $log"
echo "$log" | grep -q 'not an offnic device: magic 0x43494e4f abi 99' ||
	fail "no refusal line for the wrong ABI: $log"
bound=$(find /sys/bus/pci/drivers/offnic -maxdepth 1 -name "0000:*" 2>/dev/null | wc -l)
[ "$bound" -eq 1 ] || fail "expected only the good device bound, found $bound"
exit 0
