// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The RTL backend: every packet runs on the Verilated offnic_engine in
 * lockstep with the C model (hw/verif/lockstep.h), which compares the
 * architectural state after every bundle and map memory after the packet.
 * The model's result is the device's result; a disagreement is logged
 * with the pc and the differing state, counted, and the model finishes
 * the packet.
 *
 * Each program gets its own RTL instance (the RTL's map memory is laid
 * out once per instance).  The model's maps are authoritative: they are
 * copied into the instance whenever they may have changed since its last
 * packet (host map operations, the other slot's packets).  The core's
 * clock and perf counters are the instance's: the model takes them over
 * before each packet, so KTIME counts the cycles of that program's packets.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "lockstep.h"
#include "log.h"
#include "offnic_image.h"
#include "offnic_isa.h"

#define MISMATCH_REPORTS	16	/* full lockstep reports before going quiet */

struct rtl_prog {
	struct lockstep ls;
	uint64_t synced_gen;		/* eng->map_gen its maps were last equal at */
	bool model_only;		/* this RTL cannot run the program */
};

static int rtl_backend_init(struct engine *eng)
{
	struct onm_config cfg = {
		.lanes = rtl_lanes(),
		.cores = rtl_cores(),
	};

	eng->model = onm_create(&cfg);
	return eng->model ? 0 : -ENOMEM;
}

static int rtl_prog_open(struct engine *eng, struct engine_prog *p, struct rtl_prog *rp)
{
	const struct offnic_image_hdr *h = p->img;
	const struct onm_config *cfg = onm_config(eng->model);
	struct lockstep *ls = &rp->ls;
	struct onm_map_view v;
	uint32_t i;
	int ret;

	ls->model = eng->model;
	ls->img = p->img;
	ls->len = p->len;
	ls->lanes = h->lanes;
	ls->words = (const uint64_t *)(h + 1);
	ls->n_bundles = h->n_bundles;
	ls->n_maps = p->n_maps;
	ls->rtl = rtl_create(NULL);
	if (!ls->rtl)
		return -ENOMEM;
	rtl_config(ls->rtl, cfg->watchdog_cycles, cfg->ns_per_cycle, h->prog_type);
	for (i = 0; i < p->n_maps; i++) {
		ls->slots[i] = p->map_slots[i];
		if (onm_map_view(eng->model, ls->slots[i], &v))
			return -ENOENT;
		ret = rtl_map_define(ls->rtl, ls->slots[i], &v.def);
		if (ret)
			return ret;
	}
	return rtl_load(ls->rtl, p->img, p->len, ls->slots);
}

static int rtl_backend_load(struct engine *eng, struct engine_prog *p)
{
	struct rtl_prog *rp = calloc(1, sizeof(*rp));
	int ret;

	if (!rp)
		return -ENOMEM;
	p->be_priv = rp;
	/*
	 * A program this RTL cannot hold still runs, on the model alone, so
	 * the device keeps working; the log says so.  Today: perf event
	 * arrays (no event ring in the RTL), keys or values over 64 bytes,
	 * more than 32 KiB of map values, more than 1024 bundles.
	 */
	if (p->has_perf_map) {
		rp->model_only = true;
		log_msg("rtl: NOT ON RTL: the program has a perf event array and the RTL "
			"has no event ring; it runs on the model alone");
		return 0;
	}
	ret = rtl_prog_open(eng, p, rp);
	if (ret) {
		rtl_destroy(rp->ls.rtl);
		rp->ls.rtl = NULL;
		rp->model_only = true;
		log_msg("rtl: NOT ON RTL: the RTL cannot hold the program or its maps (%d); "
			"it runs on the model alone", ret);
	}
	return 0;
}

static void rtl_backend_unload(struct engine *eng, struct engine_prog *p)
{
	struct rtl_prog *rp = p->be_priv;

	(void)eng;
	if (!rp)
		return;
	rtl_destroy(rp->ls.rtl);
	free(rp);
	p->be_priv = NULL;
}

static void sync_maps(struct engine *eng, struct rtl_prog *rp)
{
	uint32_t i;

	if (rp->synced_gen == eng->map_gen)
		return;
	for (i = 0; i < rp->ls.n_maps; i++)
		lockstep_sync_map(&rp->ls, i);
}

/*
 * The model core continues from the RTL instance's clock and counters,
 * as the instance's hardware would.  Returns the bundle count so far.
 */
static uint64_t model_adopt_counters(struct engine *eng, struct rtl_prog *rp)
{
	static struct onm_arch_state rs;
	struct onm_arch_state *ms = onm_state_mut(eng->model, 0);

	rtl_state(rp->ls.rtl, 0, &rs);
	ms->clock = rs.clock;
	ms->cycle = rs.cycle;
	memcpy(ms->perf, rs.perf, sizeof(ms->perf));
	return rs.perf[ONM_PERF_BUNDLES];
}

/* After a mismatch the model finishes the packet on its own. */
static void model_finish(struct engine *eng, struct onm_pkt_out *out)
{
	while (onm_step(eng->model, 0) == ONM_RUNNING)
		;
	onm_finish(eng->model, 0, out);
}

static int rtl_backend_run(struct engine *eng, struct engine_prog *p,
			   const struct onm_pkt_in *in, struct onm_pkt_out *out)
{
	struct rtl_prog *rp = p->be_priv;
	const struct onm_arch_state *ms = onm_state(eng->model, 0);
	uint64_t bundles0;
	int ret;

	if (rp->model_only)
		return onm_run(eng->model, 0, in, out);
	sync_maps(eng, rp);
	bundles0 = model_adopt_counters(eng, rp);
	ret = lockstep_packet(&rp->ls, 0, in, out);
	if (ret < 0)
		return -EINVAL;
	if (ret) {
		eng->mismatches++;
		model_finish(eng, out);
		/* Full reports for the first ones, then a line now and then. */
		if (eng->mismatches <= MISMATCH_REPORTS ||
		    !(eng->mismatches & (eng->mismatches - 1)))
			log_msg("rtl: LOCKSTEP MISMATCH #%llu: model verdict %u, fault %u at pc %u; "
				"the model's result is used", (unsigned long long)eng->mismatches,
				out->verdict, out->fault.cause, out->fault.pc);
		rp->ls.quiet = eng->mismatches >= MISMATCH_REPORTS;
		rp->synced_gen = 0;
		out->bundles = ms->perf[ONM_PERF_BUNDLES] - bundles0;
		return 0;
	}
	out->bundles = ms->perf[ONM_PERF_BUNDLES] - bundles0;
	/* The packet left the RTL's maps equal to the model's. */
	rp->synced_gen = eng->map_gen + 1;
	return 0;
}

const struct engine_backend engine_rtl_backend = {
	.name = "rtl",
	.abi_id = OFFNIC_ENGINE_RTL,
	.init = rtl_backend_init,
	.load = rtl_backend_load,
	.unload = rtl_backend_unload,
	.run = rtl_backend_run,
};
