// SPDX-License-Identifier: GPL-2.0
/*
 * Split processing, host half: a driver-mode XDP program on an offnic
 * port.  The offloaded program (on the device) drops the bulk and passes
 * the rest; this program reads, through bpf_offnic_rx_meta(), what the
 * device decided and the metadata its program left, and counts it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "offnic_kfuncs.h"
#include "split.h"

extern int bpf_offnic_rx_meta(struct xdp_md *ctx, struct offnic_rx_meta *meta,
			      __u32 meta__sz) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, SPLIT_COUNTERS);
} seen SEC(".maps");

static void bump(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&seen, &idx);

	if (c)
		__sync_fetch_and_add(c, 1);
}

SEC("xdp")
int split_host(struct xdp_md *ctx)
{
	struct offnic_rx_meta m;

	if (bpf_offnic_rx_meta(ctx, &m, sizeof(m)))
		return XDP_PASS;
	bump(SPLIT_PACKETS);
	if (m.flags & OFFNIC_RX_META_ENGINE)
		bump(SPLIT_DEVICE_RAN);
	if (m.verdict == XDP_PASS)
		bump(SPLIT_DEVICE_PASSED);
	if (m.cycles)
		bump(SPLIT_HAVE_CYCLES);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
