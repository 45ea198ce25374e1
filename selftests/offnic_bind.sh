#!/bin/sh
# The module binds to the simulated device, identifies it over the
# control queue and creates one netdev for it.
. "$(dirname "$0")/lib.sh"

load_offnic
bound=$(find /sys/bus/pci/drivers/offnic -maxdepth 1 -name "0000:*" 2>/dev/null | wc -l)
[ "$bound" -eq 1 ] || fail "expected 1 bound device, found $bound"

ifname=$(offnic_ifname) || fail "no netdev for the bound device"
echo "# bound: $(ls -d /sys/bus/pci/drivers/offnic/0000:*) -> $ifname"

dbg=/sys/kernel/debug/offnic/$(basename /sys/bus/pci/drivers/offnic/0000:*)
grep -q '^name: offnic-sim$' "$dbg/identify" ||
	fail "device did not identify as offnic-sim: $(cat "$dbg/identify")"
grep -q "^abi: 1$" "$dbg/identify" || fail "wrong ABI in identify"
drv=$(ethtool -i "$ifname" | sed -n 's/^driver: //p')
[ "$drv" = offnic ] || fail "ethtool reports driver '$drv'"
exit 0
