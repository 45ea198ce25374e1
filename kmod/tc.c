// SPDX-License-Identifier: GPL-2.0
/*
 * offnic tc offload: a cls_bpf filter added with skip_sw on the ingress
 * (clsact) block runs on the device, after the XDP program.  Only
 * direct-action filters on chain 0 matching all protocols are taken.
 */
#include <linux/bpf.h>
#include <net/flow_offload.h>
#include <net/pkt_cls.h>

#include "offnic.h"

static LIST_HEAD(offnic_block_cb_list);

static int offnic_tc_cls_bpf(struct offnic *nic, struct tc_cls_bpf_offload *cls)
{
	struct netlink_ext_ack *extack = cls->common.extack;
	struct bpf_prog *prog = cls->prog;
	int err;

	if (!tc_cls_can_offload_and_chain0(nic->netdev, &cls->common))
		return -EOPNOTSUPP;
	if (cls->common.protocol != htons(ETH_P_ALL)) {
		NL_SET_ERR_MSG_MOD(extack, "only protocol all can be offloaded");
		return -EOPNOTSUPP;
	}
	if (cls->command != TC_CLSBPF_OFFLOAD)
		return -EOPNOTSUPP;
	if (prog && !cls->exts_integrated) {
		NL_SET_ERR_MSG_MOD(extack, "only direct-action (da) filters can be offloaded");
		return -EOPNOTSUPP;
	}
	if (prog && !prog->aux->offload) {
		NL_SET_ERR_MSG_MOD(extack, "program is not bound to the device (use skip_sw)");
		return -EOPNOTSUPP;
	}
	if (prog && READ_ONCE(nic->knobs.reject_tc)) {
		NL_SET_ERR_MSG_MOD(extack, "refused by the debugfs knob reject_tc");
		return -EOPNOTSUPP;
	}
	/* The device has one tc slot: replace only what we hold. */
	if (nic->tc_prog != cls->oldprog) {
		if (!prog)
			return 0;
		if (nic->tc_prog) {
			NL_SET_ERR_MSG_MOD(extack, "the device already runs a tc filter");
			return -EBUSY;
		}
	}
	if (prog) {
		if (!bpf_offload_dev_match(prog, nic->netdev)) {
			NL_SET_ERR_MSG_MOD(extack, "program bound to a different device");
			return -EINVAL;
		}
		err = offnic_dev_load_prog(nic, OFFNIC_SLOT_TC, prog);
		if (err) {
			NL_SET_ERR_MSG_MOD(extack, "the device did not accept the program");
			return err;
		}
	} else {
		offnic_dev_unload_prog(nic, OFFNIC_SLOT_TC);
	}
	nic->tc_prog = prog;
	return 0;
}

static int offnic_tc_block_cb(enum tc_setup_type type, void *type_data,
			      void *cb_priv)
{
	struct offnic *nic = cb_priv;

	if (type != TC_SETUP_CLSBPF)
		return -EOPNOTSUPP;
	return offnic_tc_cls_bpf(nic, type_data);
}

int offnic_ndo_setup_tc(struct net_device *netdev, enum tc_setup_type type,
			void *type_data)
{
	struct offnic *nic = offnic_from_netdev(netdev);

	if (type != TC_SETUP_BLOCK)
		return -EOPNOTSUPP;
	return flow_block_cb_setup_simple(type_data, &offnic_block_cb_list,
					  offnic_tc_block_cb, nic, nic, true);
}
