// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Control requests for programs: LOAD_PROG, UNLOAD_PROG, PROG_STATS,
 * READ_FAULTS and TEST_RUN.  Every length is checked against what the
 * request carries before anything is read.
 */
#include <errno.h>
#include <string.h>

#include "log.h"
#include "offnic_image.h"
#include "sim.h"

#define ETH_HLEN	14

static const uint32_t slot_prog_type[OFFNIC_NUM_SLOTS] = {
	[OFFNIC_SLOT_XDP] = OFFNIC_PROG_XDP,
	[OFFNIC_SLOT_TC] = OFFNIC_PROG_TC,
};

/* The image's map table, if the header's counts fit in len. */
static const struct offnic_image_map *image_maps(const void *img, uint32_t len)
{
	const struct offnic_image_hdr *h = img;

	/* the lane bound keeps the section offsets from overflowing */
	if (len < sizeof(*h) || h->lanes > ONM_MAX_LANES ||
	    offnic_image_lines_off(h) > len)
		return NULL;
	return offnic_image_maps(h);
}

/* Each image map must be bound to a host slot of the same shape, or -1
 * for a perf event array (events leave the device through the event ring).
 */
static int check_bindings(struct sim *sim, const struct offnic_load_prog_req *req,
			  const struct offnic_image_map *maps)
{
	struct onm_map_def def;
	uint32_t i;

	for (i = 0; i < req->n_maps; i++) {
		const struct offnic_image_map *m = &maps[i];
		int32_t slot = req->map_slots[i];

		if (slot < 0) {
			if (m->type != OFFNIC_MAP_PERF_EVENT)
				goto bad;
			continue;
		}
		if (engine_map_def(&sim->ol.eng, (uint32_t)slot, &def))
			goto bad;
		if (def.type != m->type || def.key_size != m->key_size ||
		    def.value_size != m->value_size || def.max_entries != m->max_entries)
			goto bad;
	}
	return 0;
bad:
	log_msg("load: image map %u does not match slot %d", i, req->map_slots[i]);
	return -EINVAL;
}

int ctrl_load_prog(struct sim *sim, const uint8_t *in, uint32_t in_len,
		   uint8_t *out, uint32_t *out_len)
{
	struct offnic_load_prog_req req;
	const struct offnic_image_hdr *h;
	const struct offnic_image_map *maps;
	const uint8_t *img = in + sizeof(req);
	struct onm_err err = { 0 };
	int ret;

	(void)out;
	(void)out_len;
	if (in_len < sizeof(req))
		return -EINVAL;
	memcpy(&req, in, sizeof(req));
	if (req.slot >= OFFNIC_NUM_SLOTS || req.n_maps > OFFNIC_MAX_MAPS ||
	    req.image_len != in_len - sizeof(req) || req.image_len < sizeof(*h))
		return -EINVAL;
	h = (const struct offnic_image_hdr *)img;
	maps = image_maps(img, req.image_len);
	if (!maps || h->n_maps != req.n_maps || h->prog_type != slot_prog_type[req.slot])
		return -EINVAL;
	ret = check_bindings(sim, &req, maps);
	if (ret)
		return ret;
	ret = engine_load(&sim->ol.eng, req.slot, img, req.image_len, req.map_slots,
			  req.n_maps, &err);
	if (ret) {
		log_msg("load: slot %u: %s (%d)", req.slot, err.msg, ret);
		return ret;
	}
	memset(&sim->ol.slot[req.slot], 0, sizeof(sim->ol.slot[req.slot]));
	sim->ol.slot[req.slot].ifindex = req.ifindex;
	log_msg("load: slot %u: %u bundles, %u maps, ifindex %u", req.slot, h->n_bundles,
		req.n_maps, req.ifindex);
	return 0;
}

static int prog_req_slot(const uint8_t *in, uint32_t in_len, uint32_t *slot)
{
	struct offnic_prog_req req;

	if (in_len != sizeof(req))
		return -EINVAL;
	memcpy(&req, in, sizeof(req));
	if (req.slot >= OFFNIC_NUM_SLOTS)
		return -EINVAL;
	*slot = req.slot;
	return 0;
}

/* Unloading an empty slot succeeds: the slot ends up empty either way. */
int ctrl_unload_prog(struct sim *sim, const uint8_t *in, uint32_t in_len,
		     uint8_t *out, uint32_t *out_len)
{
	uint32_t slot;
	int ret = prog_req_slot(in, in_len, &slot);

	(void)out;
	(void)out_len;
	if (ret)
		return ret;
	engine_unload(&sim->ol.eng, slot);
	return 0;
}

int ctrl_prog_stats(struct sim *sim, const uint8_t *in, uint32_t in_len,
		    uint8_t *out, uint32_t *out_len)
{
	const struct engine_prog *p;
	struct offnic_prog_stats st;
	uint32_t slot;
	int ret = prog_req_slot(in, in_len, &slot);

	if (ret)
		return ret;
	p = engine_prog(&sim->ol.eng, slot);
	st = sim->ol.slot[slot].stats;
	st.loaded = p != NULL;
	st.n_bundles = p ? p->n_bundles : 0;
	memcpy(out, &st, sizeof(st));
	*out_len = sizeof(st);
	return 0;
}

/* The last OFFNIC_MAX_FAULT_RECS records, oldest first. */
int ctrl_read_faults(struct sim *sim, const uint8_t *in, uint32_t in_len,
		     uint8_t *out, uint32_t *out_len)
{
	const struct offload_slot *s;
	uint64_t seq, first;
	uint32_t slot, n = 0;
	int ret = prog_req_slot(in, in_len, &slot);

	if (ret)
		return ret;
	s = &sim->ol.slot[slot];
	first = s->fault_seq > OFFNIC_MAX_FAULT_RECS ?
		s->fault_seq - OFFNIC_MAX_FAULT_RECS + 1 : 1;
	for (seq = first; seq <= s->fault_seq; seq++, n++)
		memcpy(out + n * sizeof(struct offnic_fault_rec),
		       &s->faults[(seq - 1) % OFFNIC_MAX_FAULT_RECS],
		       sizeof(struct offnic_fault_rec));
	*out_len = n * sizeof(struct offnic_fault_rec);
	return 0;
}

/*
 * The frame runs as it would from the wire, but nothing reaches the wire
 * or the RX ring and the slot's statistics and fault records are not
 * touched.  Map updates and events the program makes are real.  Answer:
 * the response header, meta_len bytes of metadata, then len frame bytes.
 */
int ctrl_test_run(struct sim *sim, const uint8_t *in, uint32_t in_len,
		  uint8_t *out, uint32_t *out_len)
{
	struct offnic_test_run_req req;
	struct offnic_test_run_resp resp = { 0 };
	struct onm_pkt_out res;
	int ret;

	if (in_len < sizeof(req))
		return -EINVAL;
	memcpy(&req, in, sizeof(req));
	if (req.slot >= OFFNIC_NUM_SLOTS || req.len != in_len - sizeof(req) ||
	    req.len < ETH_HLEN || req.len > ONM_PKT_BUF_BYTES - OFFNIC_RX_HEADROOM)
		return -EINVAL;
	ret = offload_run(&sim->ol, req.slot, in + sizeof(req), req.len, &res);
	if (ret)
		return ret;
	if (offload_events_flush(&sim->ol, req.slot))
		sim->ol.ev_irq = true;
	resp.verdict = res.faulted ? ONM_XDP_ABORTED : res.verdict;
	resp.len = res.len;
	resp.meta_len = res.meta_len;
	resp.cycles = res.cycles;
	resp.bundles = res.bundles;
	resp.fault_cause = res.faulted ? res.fault.cause : 0;
	resp.fault_pc = res.faulted ? res.fault.pc : 0;
	if (sizeof(resp) + res.meta_len + res.len > OFFNIC_CTRL_PAYLOAD_MAX)
		return -E2BIG;
	memcpy(out, &resp, sizeof(resp));
	memcpy(out + sizeof(resp), res.meta, res.meta_len);
	memcpy(out + sizeof(resp) + res.meta_len, res.data, res.len);
	*out_len = sizeof(resp) + res.meta_len + res.len;
	return 0;
}
