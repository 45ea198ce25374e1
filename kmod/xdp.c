// SPDX-License-Identifier: GPL-2.0
/*
 * offnic ndo_bpf: XDP in driver mode (runs on the host, in NAPI, on the
 * frames the device passed up) and in HW mode (runs on the device), which
 * may be attached at the same time, plus the map callbacks of the offload
 * API.  Program slots on the device are loaded over the control queue.
 */
#include <linux/bpf.h>
#include <linux/bpf_trace.h>
#include <linux/filter.h>
#include <linux/netdevice.h>
#include <linux/slab.h>

#include "offnic.h"

int offnic_dev_load_prog(struct offnic *nic, u32 slot, struct bpf_prog *prog)
{
	struct offnic_prog *op = prog->aux->offload->dev_priv;
	struct offnic_load_prog_req *req;
	size_t len = sizeof(*req) + op->image_len;
	u32 i;
	int err;

	if (!op->image || len > OFFNIC_CTRL_PAYLOAD_MAX)
		return -E2BIG;
	req = kzalloc(len, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	req->slot = slot;
	req->n_maps = op->n_maps;
	req->image_len = op->image_len;
	req->ifindex = nic->netdev->ifindex;	/* ctx ingress_ifindex */
	for (i = 0; i < op->n_maps; i++) {
		struct bpf_map *map = op->maps[i];
		struct offnic_map *m;

		req->map_slots[i] = -1;	/* host maps: perf event arrays */
		if (op->map_descs[i].type == OFFNIC_MAP_PERF_EVENT)
			continue;
		m = map_to_offmap(map)->dev_priv;
		req->map_slots[i] = m->slot;
	}
	memcpy(req + 1, op->image, op->image_len);
	err = offnic_ctrl_cmd(nic, OFFNIC_CMD_LOAD_PROG, req, len, NULL, 0, NULL);
	kfree(req);
	return err;
}

int offnic_dev_unload_prog(struct offnic *nic, u32 slot)
{
	struct offnic_prog_req req = { .slot = slot };

	return offnic_ctrl_cmd(nic, OFFNIC_CMD_UNLOAD_PROG, &req, sizeof(req),
			       NULL, 0, NULL);
}

static int offnic_xdp_setup_drv(struct offnic *nic, struct netdev_bpf *bpf)
{
	if (bpf->prog && bpf->prog->aux->offload) {
		NL_SET_ERR_MSG_MOD(bpf->extack,
				   "program is bound to a device: attach it with xdpoffload");
		return -EINVAL;
	}
	xdp_attachment_setup(&nic->xdp_drv, bpf);
	return 0;
}

static int offnic_xdp_setup_hw(struct offnic *nic, struct netdev_bpf *bpf)
{
	int err;

	if (bpf->prog) {
		if (!bpf->prog->aux->offload) {
			NL_SET_ERR_MSG_MOD(bpf->extack,
					   "xdpoffload of a program not bound to the device (load it with prog_ifindex)");
			return -EINVAL;
		}
		if (!bpf_offload_dev_match(bpf->prog, nic->netdev)) {
			NL_SET_ERR_MSG_MOD(bpf->extack,
					   "program bound to a different device");
			return -EINVAL;
		}
		if (READ_ONCE(nic->knobs.reject_xdp_hw)) {
			NL_SET_ERR_MSG_MOD(bpf->extack,
					   "refused by the debugfs knob reject_xdp_hw");
			return -EOPNOTSUPP;
		}
		err = offnic_dev_load_prog(nic, OFFNIC_SLOT_XDP, bpf->prog);
		if (err) {
			NL_SET_ERR_MSG_MOD(bpf->extack,
					   "the device did not accept the program");
			return err;
		}
	} else if (nic->xdp_hw.prog) {
		offnic_dev_unload_prog(nic, OFFNIC_SLOT_XDP);
	}
	xdp_attachment_setup(&nic->xdp_hw, bpf);
	return 0;
}

int offnic_ndo_bpf(struct net_device *netdev, struct netdev_bpf *bpf)
{
	struct offnic *nic = offnic_from_netdev(netdev);

	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return offnic_xdp_setup_drv(nic, bpf);
	case XDP_SETUP_PROG_HW:
		return offnic_xdp_setup_hw(nic, bpf);
	case BPF_OFFLOAD_MAP_ALLOC:
		return offnic_map_alloc(nic, bpf->offmap);
	case BPF_OFFLOAD_MAP_FREE:
		offnic_map_free(nic, bpf->offmap);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/**
 * offnic_run_xdp_drv() - run the driver-mode XDP program on an RX buffer
 * @nic: the device
 * @prog: the program
 * @buf: the RX buffer (OFFNIC_BUF_SIZE bytes in shared memory)
 * @off: frame offset in @buf, updated
 * @len: frame length, updated
 *
 * Return: the XDP verdict.  XDP_TX is carried out here; everything other
 * than XDP_PASS and XDP_TX means the frame is dropped.
 */
u32 offnic_run_xdp_drv(struct offnic *nic, struct bpf_prog *prog, u8 *buf,
		       u16 *off, u16 *len)
{
	struct xdp_buff xdp;
	u32 act;

	xdp_init_buff(&xdp, OFFNIC_BUF_SIZE, &nic->xdp_rxq);
	xdp_prepare_buff(&xdp, buf, *off, *len, true);
	act = bpf_prog_run_xdp(prog, &xdp);
	*off = xdp.data - xdp.data_hard_start;
	*len = xdp.data_end - xdp.data;

	switch (act) {
	case XDP_PASS:
		return act;
	case XDP_TX:
		if (!offnic_tx_frame(nic, xdp.data, *len)) {
			nic->xdp_tx++;
			return act;
		}
		trace_xdp_exception(nic->netdev, prog, act);
		break;
	case XDP_DROP:
		nic->xdp_drops++;
		return act;
	default:
		bpf_warn_invalid_xdp_action(nic->netdev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(nic->netdev, prog, act);
		break;
	}
	nic->xdp_aborted++;
	return XDP_ABORTED;
}
