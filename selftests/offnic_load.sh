#!/bin/sh
# offnic-load, the user's loader: it folds .rodata into the instructions
# and says so, the kernel then offloads the program; a .rodata address
# that escapes is refused with offnic-load's reason before the kernel
# sees it; xdpoffload shows what it attached, and the instructions the
# kernel keeps refer to no map value (libbpf still binds the .rodata map
# to the program, for bpf_metadata, so map_ids lists it).
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")" || exit 1

load_offnic
off=$(offnic_ifname) || fail "no offnic netdev"
ip link set "$off" up

cleanup() {
	ip link set dev "$off" xdpoffload off 2>/dev/null
}
trap cleanup EXIT

out=$(./offnic-load -p folds_config rodata.bpf.o "$off" 2>&1) ||
	fail "offnic-load folds_config: $out"
echo "$out" | sed 's/^/# /'
echo "$out" | grep -q "folds_config: 4 load(s) from .rodata folded" ||
	fail "no fold report"
id=$(ip -d link show "$off" | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p' | head -n 1)
[ -n "$id" ] || fail "nothing attached in xdpoffload: $(ip -d link show "$off")"
bpftool prog show id "$id" | grep -q "offloaded_to $off" ||
	fail "not offloaded: $(bpftool prog show id "$id")"
xlated=$(bpftool prog dump xlated id "$id")
echo "$xlated" | grep -q exit || fail "no instructions from bpftool: $xlated"
echo "$xlated" | grep 'map\[id:' &&
	fail "the instructions still refer to a map value"
cleanup

if out=$(./offnic-load -n -p passes_rodata rodata.bpf.o "$off" 2>&1); then
	fail "passes_rodata was loaded: $out"
fi
echo "$out" | grep -q "reference to .*key.* passed to helper bpf_map_lookup_elem" ||
	fail "refused without offnic-load's reason: $out"
echo "ok: folded and offloaded; an escaping .rodata address refused with the reason"
