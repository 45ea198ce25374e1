// SPDX-License-Identifier: GPL-2.0
/*
 * offnic events: bpf_perf_event_output() calls made by offloaded programs
 * arrive as records in the device's event ring; NAPI delivers each to the
 * host PERF_EVENT_ARRAY the program named, as if the program had run on
 * the host.  Records are untrusted: the slot, the map index and the length
 * are checked against the program the driver itself loaded.
 */
#include <linux/bpf.h>
#include <linux/filter.h>

#include "offnic.h"

#define OFFNIC_EVRING_MASK	(OFFNIC_EVRING_SIZE - 1)

static struct bpf_map *offnic_event_map(struct offnic *nic,
					const struct offnic_event *ev)
{
	u32 slot = READ_ONCE(ev->slot), idx = READ_ONCE(ev->map_idx);
	struct offnic_prog *op;
	struct bpf_prog *prog;

	if (slot == OFFNIC_SLOT_XDP)
		prog = READ_ONCE(nic->xdp_hw.prog);
	else if (slot == OFFNIC_SLOT_TC)
		prog = READ_ONCE(nic->tc_prog);
	else
		return NULL;
	if (!prog)
		return NULL;
	op = prog->aux->offload->dev_priv;
	if (idx >= op->n_maps || op->map_descs[idx].type != OFFNIC_MAP_PERF_EVENT)
		return NULL;
	return op->maps[idx];
}

/* Called from NAPI. */
void offnic_events_poll(struct offnic *nic)
{
	struct offnic_event_ring *ring = nic->evring;
	u32 prod = READ_ONCE(ring->idx.prod);
	u32 cons = nic->ev_cons;

	if (prod - cons > OFFNIC_EVRING_SIZE) {
		dev_err_ratelimited(&nic->pdev->dev,
				    "refusing event ring index %u (consumed %u)\n",
				    prod, cons);
		atomic64_inc(&nic->bad_desc);
		return;
	}
	dma_rmb();
	for (; cons != prod; cons++) {
		struct offnic_event *ev = &ring->rec[cons & OFFNIC_EVRING_MASK];
		u32 len = READ_ONCE(ev->len);
		struct bpf_map *map;

		map = offnic_event_map(nic, ev);
		if (!map || len > OFFNIC_EVENT_MAX) {
			nic->events_bad++;
			continue;
		}
		if (bpf_event_output(map, READ_ONCE(ev->flags), ev->data, len,
				     NULL, 0, NULL))
			nic->events_lost++;
		else
			nic->events++;
	}
	nic->ev_cons = cons;
	WRITE_ONCE(ring->idx.cons, cons);
}

void offnic_events_init(struct offnic *nic)
{
	nic->evring = nic->shm + OFFNIC_EVRING_OFF;
	nic->ev_cons = READ_ONCE(nic->evring->idx.prod);
	WRITE_ONCE(nic->evring->idx.cons, nic->ev_cons);
}
