// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/* The RTL next to the model for the benchmark (see rtl_bench.h). */
#include <stdio.h>
#include <string.h>

#include "lockstep.h"
#include "offnic_image.h"
#include "rtl_bench.h"

struct rtl_bench {
	struct lockstep ls;		/* model and image owned by the caller */
};

unsigned int rtlb_lanes(void)
{
	return rtl_lanes();
}

unsigned int rtlb_cores(void)
{
	return rtl_cores();
}

static int define_maps(struct rtl_bench *rb, char *msg, size_t msg_size)
{
	struct lockstep *ls = &rb->ls;
	uint32_t i;

	for (i = 0; i < ls->n_maps; i++) {
		struct onm_map_view v;

		ls->slots[i] = onm_prog_map_slot(ls->model, i);
		if (ls->slots[i] < 0 || onm_map_view(ls->model, ls->slots[i], &v)) {
			snprintf(msg, msg_size, "map %u: no model slot", i);
			return -1;
		}
		if (rtl_map_define(ls->rtl, ls->slots[i], &v.def)) {
			snprintf(msg, msg_size,
				 "map %u (key %u, value %u, %u entries) does not fit the RTL",
				 i, v.def.key_size, v.def.value_size, v.def.max_entries);
			return -1;
		}
		rtl_map_write(ls->rtl, ls->slots[i], &v);
	}
	return 0;
}

struct rtl_bench *rtlb_open(struct onm_engine *model, const void *img,
			    size_t len, char *msg, size_t msg_size)
{
	const struct offnic_image_hdr *h = (const struct offnic_image_hdr *)img;
	struct rtl_bench *rb = new rtl_bench();
	struct lockstep *ls = &rb->ls;
	int ret;

	memset(ls, 0, sizeof(*ls));
	ls->model = model;
	ls->img = (void *)img;
	ls->len = len;
	ls->lanes = h->lanes;
	ls->words = (const uint64_t *)(h + 1);
	ls->n_bundles = h->n_bundles;
	ls->n_maps = h->n_maps;
	if (h->lanes != rtl_lanes()) {
		snprintf(msg, msg_size, "image has %u lanes, the RTL %u", h->lanes,
			 rtl_lanes());
		goto err;
	}
	ls->rtl = rtl_create(NULL);
	if (!ls->rtl) {
		snprintf(msg, msg_size, "cannot create the RTL engine");
		goto err;
	}
	rtl_config(ls->rtl, onm_config(model)->watchdog_cycles,
		   onm_config(model)->ns_per_cycle, h->prog_type);
	if (define_maps(rb, msg, msg_size))
		goto err_rtl;
	ret = rtl_load(ls->rtl, img, len, ls->slots);
	if (ret) {
		snprintf(msg, msg_size, "the RTL refuses the image: %d", ret);
		goto err_rtl;
	}
	return rb;

err_rtl:
	rtl_destroy(ls->rtl);
err:
	delete rb;
	return NULL;
}

void rtlb_close(struct rtl_bench *rb)
{
	if (!rb)
		return;
	rtl_destroy(rb->ls.rtl);
	delete rb;
}

void rtlb_sync_map(struct rtl_bench *rb, uint32_t map_idx)
{
	lockstep_sync_map(&rb->ls, map_idx);
}

int rtlb_packet(struct rtl_bench *rb, const struct onm_pkt_in *in,
		struct onm_pkt_out *out, uint64_t *rtl_cycles,
		uint64_t *rtl_clocks)
{
	static struct onm_arch_state rs;
	uint64_t s0 = rtl_step_clocks(rb->ls.rtl);
	int ret = lockstep_packet(&rb->ls, 0, in, out);

	*rtl_clocks = rtl_step_clocks(rb->ls.rtl) - s0;
	rtl_state(rb->ls.rtl, 0, &rs);
	*rtl_cycles = rs.cycle;
	return ret;
}

int rtlb_packet_alone(struct rtl_bench *rb, const struct onm_pkt_in *in,
		      uint64_t *clocks, uint64_t *bundles)
{
	uint64_t c0 = rtl_clocks(rb->ls.rtl);
	int st;

	if (onm_begin(rb->ls.model, 0, in))
		return -1;
	rtl_begin(rb->ls.rtl, 0, onm_state(rb->ls.model, 0));
	do {
		st = rtl_step(rb->ls.rtl, 0);
		*bundles += st >= 0;
	} while (st == ONM_RUNNING);
	*clocks += rtl_clocks(rb->ls.rtl) - c0;
	return st < 0 ? -1 : 0;
}

uint64_t rtlb_bundles(const struct rtl_bench *rb)
{
	return rb->ls.bundles;
}

uint64_t rtlb_clocks(const struct rtl_bench *rb)
{
	return rtl_clocks(rb->ls.rtl);
}
