// SPDX-License-Identifier: GPL-2.0
/*
 * offnic BPF kfuncs for programs that run on the host (docs/kfuncs.md).
 *
 * On 6.1 offloaded programs cannot call kfuncs at all (the core refuses
 * kernel calls from non-JITed programs), so these give host programs what
 * the device knows:
 *   bpf_offnic_dev_counter  a device counter           XDP, tc, tracing, syscall
 *   bpf_offnic_rx_meta      the device's verdict and   XDP (driver mode)
 *                           metadata for this packet
 *   bpf_offnic_test_run     run a packet through an    syscall (sleepable)
 *                           offloaded program
 *   bpf_offnic_prog_stats   a device slot's counters   syscall (sleepable)
 * 6.1 keeps one kfunc set per program-type hook and module, so each hook
 * gets a set of exactly the kfuncs it may call.  They need module BTF:
 * see docs/kernel-build.md.
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/xdp.h>

#include "offnic.h"
#include "offnic_kfuncs.h"

/* The offnic behind @ifindex, with a reference; NULL if it is not one. */
static struct net_device *offnic_get_port(int ifindex, struct offnic **nic)
{
	struct net_device *netdev = dev_get_by_index(&init_net, ifindex);

	if (netdev && !offnic_is_offnic_netdev(netdev)) {
		dev_put(netdev);
		return NULL;
	}
	if (netdev)
		*nic = offnic_from_netdev(netdev);
	return netdev;
}

static bool offnic_slot_loaded(struct offnic *nic, u32 slot)
{
	if (slot == OFFNIC_SLOT_XDP)
		return READ_ONCE(nic->xdp_hw.prog);
	if (slot == OFFNIC_SLOT_TC)
		return READ_ONCE(nic->tc_prog);
	return false;
}

__diag_push();
__diag_ignore_all("-Wmissing-prototypes",
		  "kfuncs are global functions called only from BPF");

/**
 * bpf_offnic_dev_counter() - read a counter the device reports
 * @ifindex: an offnic port in the initial network namespace
 * @id: enum offnic_counter
 *
 * Return: the counter value, -ENODEV if @ifindex is not an offnic port,
 * -EINVAL for an unknown @id.
 */
noinline s64 bpf_offnic_dev_counter(int ifindex, u32 id)
{
	struct net_device *netdev;
	struct offnic *nic;
	s64 val = -ENODEV;

	if (id >= OFFNIC_CNT_MAX)
		return -EINVAL;
	rcu_read_lock();
	netdev = dev_get_by_index_rcu(&init_net, ifindex);
	if (netdev && offnic_is_offnic_netdev(netdev)) {
		nic = offnic_from_netdev(netdev);
		val = READ_ONCE(nic->hdr->counters[id]) & S64_MAX;
	}
	rcu_read_unlock();
	return val;
}

/**
 * bpf_offnic_rx_meta() - what the device did with the current packet
 * @ctx: the XDP context of a driver-mode program on an offnic port
 * @meta: filled with the device's verdict, hash, timestamp, cycles and
 *	the metadata its program left
 * @meta__sz: size of @meta
 *
 * Return: 0, -EINVAL if @meta is too small, -ENODEV if the packet did not
 * come from an offnic port.
 */
noinline int bpf_offnic_rx_meta(struct xdp_md *ctx, struct offnic_rx_meta *meta,
				u32 meta__sz)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	struct net_device *netdev = xdp->rxq ? xdp->rxq->dev : NULL;
	struct offnic *nic;

	if (meta__sz < sizeof(*meta))
		return -EINVAL;
	if (!netdev || !offnic_is_offnic_netdev(netdev))
		return -ENODEV;
	nic = offnic_from_netdev(netdev);
	memcpy(meta, &nic->rx_meta, sizeof(*meta));
	return 0;
}

/**
 * bpf_offnic_test_run() - run a packet through an offloaded program, on
 *	the device, without touching the wire
 * @ifindex: the offnic port
 * @slot: OFFNIC_KF_SLOT_XDP or OFFNIC_KF_SLOT_TC
 * @buf: struct offnic_test_run_buf: in, the packet (len, data[]); out,
 *	the verdict, cycles, bundles, fault and the output packet
 * @buf__sz: size of @buf
 *
 * Return: 0, -ENODEV if @ifindex is not an offnic port, -ENOENT if no
 * program is offloaded in @slot, -EINVAL for a short buffer or a bad
 * length, -ENOSPC if the output does not fit @buf, or the device's error.
 */
noinline int bpf_offnic_test_run(int ifindex, u32 slot, void *buf, u32 buf__sz)
{
	struct offnic_test_run_buf *tr = buf;
	struct offnic_test_run_resp *resp;
	struct offnic_test_run_req *req;
	struct net_device *netdev;
	struct offnic *nic;
	u32 len, room, used = 0;
	int err;

	if (buf__sz < sizeof(*tr) || slot >= OFFNIC_NUM_SLOTS)
		return -EINVAL;
	len = tr->len;
	room = buf__sz - sizeof(*tr);
	if (len > room || len < ETH_HLEN || len > OFFNIC_MAX_FRAME)
		return -EINVAL;
	netdev = offnic_get_port(ifindex, &nic);
	if (!netdev)
		return -ENODEV;
	err = -ENOENT;
	if (!offnic_slot_loaded(nic, slot))
		goto out_put;

	err = -ENOMEM;
	req = kmalloc(sizeof(*req) + len, GFP_KERNEL);
	resp = kmalloc(sizeof(*resp) + OFFNIC_BUF_SIZE, GFP_KERNEL);
	if (!req || !resp)
		goto out_free;
	req->slot = slot;
	req->len = len;
	memcpy(req + 1, tr + 1, len);
	err = offnic_ctrl_cmd(nic, OFFNIC_CMD_TEST_RUN, req, sizeof(*req) + len,
			      resp, sizeof(*resp) + OFFNIC_BUF_SIZE, &used);
	if (err)
		goto out_free;
	/* The answer is the header, the metadata, then the frame. */
	err = -EPROTO;
	if (used < sizeof(*resp) || resp->meta_len > used - sizeof(*resp) ||
	    resp->len != used - sizeof(*resp) - resp->meta_len)
		goto out_free;
	err = -ENOSPC;
	if (resp->len > room)
		goto out_free;
	memcpy(tr + 1, (u8 *)(resp + 1) + resp->meta_len, resp->len);
	tr->len = resp->len;
	tr->verdict = resp->verdict;
	tr->cycles = resp->cycles;
	tr->bundles = resp->bundles;
	tr->fault_cause = resp->fault_cause;
	tr->fault_pc = resp->fault_pc;
	err = 0;
out_free:
	kfree(resp);
	kfree(req);
out_put:
	dev_put(netdev);
	return err;
}

/**
 * bpf_offnic_prog_stats() - counters of the program in a device slot
 * @ifindex: the offnic port
 * @slot: OFFNIC_KF_SLOT_XDP or OFFNIC_KF_SLOT_TC
 * @st: struct offnic_prog_counters, filled in
 * @st__sz: size of @st
 *
 * Return: 0, -ENODEV if @ifindex is not an offnic port, -EINVAL for a
 * short buffer or an unknown slot, or the device's error.
 */
noinline int bpf_offnic_prog_stats(int ifindex, u32 slot, void *st, u32 st__sz)
{
	struct offnic_prog_req req = { .slot = slot };
	struct offnic_prog_counters *out = st;
	struct offnic_prog_stats *ps;
	struct net_device *netdev;
	struct offnic *nic;
	u32 used = 0;
	int err;

	if (st__sz < sizeof(*out) || slot >= OFFNIC_NUM_SLOTS)
		return -EINVAL;
	netdev = offnic_get_port(ifindex, &nic);
	if (!netdev)
		return -ENODEV;
	ps = kmalloc(sizeof(*ps), GFP_KERNEL);
	err = ps ? offnic_ctrl_cmd(nic, OFFNIC_CMD_PROG_STATS, &req, sizeof(req),
				   ps, sizeof(*ps), &used) : -ENOMEM;
	if (!err && used != sizeof(*ps))
		err = -EPROTO;
	if (!err) {
		out->packets = ps->packets;
		memcpy(out->verdicts, ps->verdicts, sizeof(out->verdicts));
		out->faults = ps->faults;
		out->cycles_total = ps->cycles_total;
		out->cycles_min = ps->cycles_min;
		out->cycles_max = ps->cycles_max;
		out->loaded = ps->loaded;
		out->n_bundles = ps->n_bundles;
	}
	kfree(ps);
	dev_put(netdev);
	return err;
}

__diag_pop();

BTF_SET8_START(offnic_xdp_kfunc_ids)
BTF_ID_FLAGS(func, bpf_offnic_dev_counter)
BTF_ID_FLAGS(func, bpf_offnic_rx_meta)
BTF_SET8_END(offnic_xdp_kfunc_ids)

BTF_SET8_START(offnic_counter_kfunc_ids)
BTF_ID_FLAGS(func, bpf_offnic_dev_counter)
BTF_SET8_END(offnic_counter_kfunc_ids)

BTF_SET8_START(offnic_syscall_kfunc_ids)
BTF_ID_FLAGS(func, bpf_offnic_dev_counter)
BTF_ID_FLAGS(func, bpf_offnic_test_run, KF_SLEEPABLE)
BTF_ID_FLAGS(func, bpf_offnic_prog_stats, KF_SLEEPABLE)
BTF_SET8_END(offnic_syscall_kfunc_ids)

static const struct btf_kfunc_id_set offnic_xdp_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &offnic_xdp_kfunc_ids,
};

static const struct btf_kfunc_id_set offnic_counter_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &offnic_counter_kfunc_ids,
};

static const struct btf_kfunc_id_set offnic_syscall_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &offnic_syscall_kfunc_ids,
};

int offnic_kfunc_register(void)
{
	static const struct {
		enum bpf_prog_type type;
		const struct btf_kfunc_id_set *set;
	} hooks[] = {
		{ BPF_PROG_TYPE_XDP, &offnic_xdp_kfunc_set },
		{ BPF_PROG_TYPE_SCHED_CLS, &offnic_counter_kfunc_set },
		{ BPF_PROG_TYPE_TRACING, &offnic_counter_kfunc_set },
		{ BPF_PROG_TYPE_SYSCALL, &offnic_syscall_kfunc_set },
	};
	int i, err;

	for (i = 0; i < ARRAY_SIZE(hooks); i++) {
		err = register_btf_kfunc_id_set(hooks[i].type, hooks[i].set);
		if (err) {
			pr_err("offnic: kfunc registration for prog type %d failed: %d\n",
			       hooks[i].type, err);
			return err;
		}
	}
	return 0;
}
