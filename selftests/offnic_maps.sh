#!/bin/sh
# offnic_maps prints offloaded maps with the object's BTF types: struct
# fields by name, u64 counters as numbers, addresses as dotted quads and
# MACs where the field names say so (docs/maps.md).  Offloaded maps carry
# no BTF on 6.1, so every field below is decoded from firewall.bpf.o's or
# l4lb.bpf.o's types; a field at the wrong offset or of the wrong width
# prints a different line.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")" || exit 1

expect() {	# expect FILE LINE: FILE has LINE, exactly
	grep -qxF "$2" "$1" || fail "expected '$2' in: $(cat "$1")"
}

# Entries given as bytes (a map image), decoded without a device: a
# struct key with two addresses, a value with an address and a MAC.
./offnic_maps -m conns l4lb.bpf.o "0a630002 0a640001 9c40 0035 11000000" "03000000" \
	> /tmp/maps.txt || fail "offnic_maps -m conns: $(cat /tmp/maps.txt)"
expect /tmp/maps.txt "map conns: key struct flow_key, value __u32"
expect /tmp/maps.txt "  [{ .saddr = 10.99.0.2, .daddr = 10.100.0.1, .sport = 16540, .dport = 13568, .proto = 17 }] = 3"
./offnic_maps -m backends l4lb.bpf.o "01000000" "0a000007 020ff0000007 0000" > /tmp/maps.txt ||
	fail "offnic_maps -m backends: $(cat /tmp/maps.txt)"
expect /tmp/maps.txt "  [1] = { .addr = 10.0.0.7, .mac = 02:0f:f0:00:00:07, .pad = 0 }"

# The live maps of an offloaded program: a rule set with bpftool, a
# counter the device incremented
load_offnic
off=$(offnic_ifname) || fail "no offnic netdev"
ip link set "$off" up
cleanup() {
	ip link set dev "$off" xdpoffload off 2>/dev/null
}
trap cleanup EXIT
ip link set dev "$off" xdpoffload obj firewall.bpf.o sec xdp || fail "ip link xdpoffload"
id=$(ip -d link show "$off" | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p' | head -n 1)
for m in $(bpftool prog show id "$id" | sed -n 's/.*map_ids //p' | tr ',' ' '); do
	bpftool map show id "$m" | grep -q ' name rules ' && rules=$m
done
[ -n "$rules" ] || fail "no rules map on program $id"
# rule 0: udp (17), drop (1), dport 9999 (0x270f, host order)
bpftool map update id "$rules" key 0 0 0 0 value 17 1 0x0f 0x27 || fail "bpftool map update"
# one udp/9999 packet, run on the device: rule 0 drops it and counts it
./offnic_testrun -i "$off" -q -x "020ff0000001020ff000000208004500002e0001000040110000 0a6300020a630001 9c40270f001a0000 6f66666e6963207465737420" > /tmp/testrun.txt ||
	fail "offnic_testrun: $(cat /tmp/testrun.txt)"
grep -q '^packet 0: DROP (1)' /tmp/testrun.txt || fail "rule 0 did not drop: $(cat /tmp/testrun.txt)"

./offnic_maps firewall.bpf.o "$id" > /tmp/maps.txt || fail "offnic_maps: $(cat /tmp/maps.txt)"
expect /tmp/maps.txt "  [0] = { .proto = 17, .action = 1, .dport = 9999 }"
expect /tmp/maps.txt "  [0] = 1"
expect /tmp/maps.txt "  (7 entries all zero, not shown)"
grep -q "^map $rules rules: array, 8 entries, key __u32, value struct fw_rule$" /tmp/maps.txt ||
	fail "no typed header for map $rules: $(cat /tmp/maps.txt)"
./offnic_maps -a firewall.bpf.o "$id" > /tmp/maps.txt || fail "offnic_maps -a"
expect /tmp/maps.txt "  [7] = { .proto = 0, .action = 0, .dport = 0 }"
echo "ok: offloaded maps printed with firewall.bpf.o's types"
