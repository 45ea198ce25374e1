// SPDX-License-Identifier: GPL-2.0
/*
 * offnic BPF kfuncs for programs that run on the host.
 *
 * On 6.1 offloaded programs cannot call kfuncs at all (the core refuses
 * kernel calls from non-JITed programs), so these serve driver-mode XDP,
 * tc and syscall programs.  They need module BTF: see
 * docs/kernel-build.md.
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>

#include "offnic.h"

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

__diag_pop();

BTF_SET8_START(offnic_kfunc_ids)
BTF_ID_FLAGS(func, bpf_offnic_dev_counter)
BTF_SET8_END(offnic_kfunc_ids)

static const struct btf_kfunc_id_set offnic_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &offnic_kfunc_ids,
};

int offnic_kfunc_register(void)
{
	static const enum bpf_prog_type types[] = {
		BPF_PROG_TYPE_XDP,
		BPF_PROG_TYPE_SCHED_CLS,
		BPF_PROG_TYPE_SYSCALL,
	};
	int i, err;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		err = register_btf_kfunc_id_set(types[i], &offnic_kfunc_set);
		if (err) {
			pr_err("offnic: kfunc registration for prog type %d failed: %d\n",
			       types[i], err);
			return err;
		}
	}
	return 0;
}
