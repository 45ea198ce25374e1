// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The RTL backend: every packet runs on the Verilated offnic_engine in
 * lockstep with the C model (hw/verif/lockstep.h), which compares the
 * architectural state after every bundle and map memory after the packet.
 * The model's result is the device's result; a disagreement is logged
 * with the pc and the differing state, counted, and the model finishes
 * the packet.
 *
 * One RTL instance serves both attach points, as the hardware would: the
 * program about to run is loaded into its instruction memory when it is
 * not there yet.  (Verilator 5.006 can deadlock destroying one of several
 * live instances of a model, so the instance lives as long as the engine;
 * it is only replaced, alone, when its map memory layout is full.)  The
 * model's maps are authoritative: they are copied into the RTL whenever
 * they may have changed since its last packet.  The model core adopts the
 * RTL core's clock and perf counters before each packet.
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

struct rtl_state {
	struct lockstep ls;		/* model + RTL; describes the program in the RTL */
	uint64_t in_rtl;		/* id of the program in the RTL, 0: none */
	uint64_t synced_gen;		/* eng->map_gen the RTL's maps were last equal at */
	bool defined[ONM_MAX_MAPS];	/* map slots laid out in the RTL ... */
	struct onm_map_def defs[ONM_MAX_MAPS];	/* ... with these shapes */
};

/* Per program: whether this RTL can run it at all. */
struct rtl_prog {
	bool model_only;
};

static int rtl_instance_new(struct engine *eng, struct rtl_state *rs)
{
	const struct onm_config *cfg = onm_config(eng->model);

	rtl_destroy(rs->ls.rtl);
	rs->ls.rtl = rtl_create(NULL);
	rs->in_rtl = 0;
	rs->synced_gen = 0;
	memset(rs->defined, 0, sizeof(rs->defined));
	if (!rs->ls.rtl)
		return -ENOMEM;
	rtl_config(rs->ls.rtl, cfg->watchdog_cycles, cfg->ns_per_cycle, OFFNIC_PROG_XDP);
	rtl_set_max_frame(rs->ls.rtl, cfg->max_frame);
	return 0;
}

static int rtl_backend_init(struct engine *eng)
{
	struct onm_config cfg = {
		.lanes = rtl_lanes(),
		.cores = rtl_cores(),
		.max_frame = OFFNIC_MAX_FRAME,
	};
	struct rtl_state *rs = calloc(1, sizeof(*rs));

	if (!rs)
		return -ENOMEM;
	eng->be_priv = rs;
	eng->model = onm_create(&cfg);
	rs->ls.model = eng->model;
	if (!eng->model || rtl_instance_new(eng, rs))
		return -ENOMEM;
	return 0;
}

static void rtl_backend_fini(struct engine *eng)
{
	struct rtl_state *rs = eng->be_priv;

	if (!rs)
		return;
	rtl_destroy(rs->ls.rtl);
	free(rs);
	eng->be_priv = NULL;
}

/* Lays out the program's maps in the RTL where their shape is new. */
static int rtl_define_maps(struct engine *eng, struct rtl_state *rs,
			   const struct engine_prog *p)
{
	struct onm_map_view v;
	uint32_t i;
	int slot, ret;

	for (i = 0; i < p->n_maps; i++) {
		slot = p->map_slots[i];
		if (onm_map_view(eng->model, slot, &v))
			return -ENOENT;
		if (rs->defined[slot] && !memcmp(&rs->defs[slot], &v.def, sizeof(v.def)))
			continue;
		rs->defined[slot] = false;
		ret = rtl_map_define(rs->ls.rtl, slot, &v.def);
		if (ret)
			return ret;
		rs->defined[slot] = true;
		rs->defs[slot] = v.def;
	}
	return 0;
}

/* Puts the program into the RTL: maps laid out, image loaded. */
static int rtl_switch(struct engine *eng, struct rtl_state *rs, const struct engine_prog *p)
{
	const struct offnic_image_hdr *h = p->img;
	struct lockstep *ls = &rs->ls;
	int ret;

	if (rs->in_rtl == p->id)
		return 0;
	rs->in_rtl = 0;
	ret = rtl_define_maps(eng, rs, p);
	if (ret == -E2BIG) {
		/* The map layout is full of old shapes: start from a clean one. */
		log_msg("rtl: map memory layout full: new RTL instance");
		ret = rtl_instance_new(eng, rs);
		if (!ret)
			ret = rtl_define_maps(eng, rs, p);
	}
	if (ret)
		return ret;
	ls->img = p->img;
	ls->len = p->len;
	ls->lanes = h->lanes;
	ls->words = (const uint64_t *)(h + 1);
	ls->n_bundles = h->n_bundles;
	ls->n_maps = p->n_maps;
	memcpy(ls->slots, p->map_slots, p->n_maps * sizeof(p->map_slots[0]));
	ret = rtl_load(ls->rtl, p->img, p->len, ls->slots);
	if (ret)
		return ret;
	rs->in_rtl = p->id;
	rs->synced_gen = 0;
	return 0;
}

/*
 * A program this RTL cannot hold still runs, on the model alone, so the
 * device keeps working; the log says so.  Today: perf event arrays (no
 * event ring in the RTL), keys or values over 64 bytes, more than 32 KiB
 * of map values, more than 1024 bundles or 256 constants.
 */
static int rtl_backend_load(struct engine *eng, struct engine_prog *p)
{
	struct rtl_state *rs = eng->be_priv;
	struct rtl_prog *rp = calloc(1, sizeof(*rp));
	int ret;

	if (!rp)
		return -ENOMEM;
	p->be_priv = rp;
	if (p->has_perf_map) {
		rp->model_only = true;
		log_msg("rtl: NOT ON RTL: the program has a perf event array and the RTL "
			"has no event ring; it runs on the model alone");
		return 0;
	}
	ret = rtl_switch(eng, rs, p);
	if (ret) {
		rp->model_only = true;
		log_msg("rtl: NOT ON RTL: the RTL cannot hold the program or its maps (%d); "
			"it runs on the model alone", ret);
	}
	return 0;
}

static void rtl_backend_unload(struct engine *eng, struct engine_prog *p)
{
	struct rtl_state *rs = eng->be_priv;

	if (rs->in_rtl == p->id)
		rs->in_rtl = 0;
	free(p->be_priv);
	p->be_priv = NULL;
}

static void sync_maps(struct engine *eng, struct rtl_state *rs)
{
	uint32_t i;

	if (rs->synced_gen == eng->map_gen)
		return;
	for (i = 0; i < rs->ls.n_maps; i++)
		lockstep_sync_map(&rs->ls, i);
}

/*
 * The model core continues from the RTL core's clock and counters, as
 * the hardware would.  Returns the bundle count so far.
 */
static uint64_t model_adopt_counters(struct engine *eng, struct rtl_state *rs)
{
	static struct onm_arch_state st;
	struct onm_arch_state *ms = onm_state_mut(eng->model, 0);

	rtl_state(rs->ls.rtl, 0, &st);
	ms->clock = st.clock;
	ms->cycle = st.cycle;
	memcpy(ms->perf, st.perf, sizeof(ms->perf));
	return st.perf[ONM_PERF_BUNDLES];
}

/* After a mismatch: the model finishes the packet, the RTL its own. */
static void finish_apart(struct engine *eng, struct rtl_state *rs, struct onm_pkt_out *out)
{
	while (onm_step(eng->model, 0) == ONM_RUNNING)
		;
	onm_finish(eng->model, 0, out);
	if (!rtl_run_all(rs->ls.rtl) && rtl_instance_new(eng, rs))
		log_msg("rtl: no new RTL instance after a stuck one");
	rs->synced_gen = 0;
}

static void report_mismatch(struct engine *eng, struct rtl_state *rs,
			    const struct onm_pkt_out *out)
{
	eng->mismatches++;
	/* Full reports for the first ones, then a line now and then. */
	if (eng->mismatches <= MISMATCH_REPORTS || !(eng->mismatches & (eng->mismatches - 1)))
		log_msg("rtl: LOCKSTEP MISMATCH #%llu: model verdict %u, fault %u at pc %u; "
			"the model's result is used", (unsigned long long)eng->mismatches,
			out->verdict, out->fault.cause, out->fault.pc);
	rs->ls.quiet = eng->mismatches >= MISMATCH_REPORTS;
}

static int rtl_backend_run(struct engine *eng, struct engine_prog *p,
			   const struct onm_pkt_in *in, struct onm_pkt_out *out)
{
	struct rtl_state *rs = eng->be_priv;
	struct rtl_prog *rp = p->be_priv;
	const struct onm_arch_state *ms = onm_state(eng->model, 0);
	uint64_t bundles0;
	int ret;

	if (!rp->model_only && (!rs->ls.rtl || rtl_switch(eng, rs, p))) {
		rp->model_only = true;
		log_msg("rtl: NOT ON RTL: the program no longer fits the RTL; "
			"it runs on the model alone");
	}
	if (rp->model_only)
		return onm_run(eng->model, 0, in, out);
	sync_maps(eng, rs);
	bundles0 = model_adopt_counters(eng, rs);
	ret = lockstep_packet(&rs->ls, 0, in, out);
	if (ret < 0)
		return -EINVAL;
	if (ret) {
		finish_apart(eng, rs, out);
		report_mismatch(eng, rs, out);
	} else {
		/*
		 * The packet left the RTL's maps equal to the model's, as they
		 * are at the generation engine_run() moves to after the packet.
		 */
		rs->synced_gen = eng->map_gen + 1;
	}
	out->bundles = ms->perf[ONM_PERF_BUNDLES] - bundles0;
	return 0;
}

const struct engine_backend engine_rtl_backend = {
	.name = "rtl",
	.abi_id = OFFNIC_ENGINE_RTL,
	.init = rtl_backend_init,
	.fini = rtl_backend_fini,
	.load = rtl_backend_load,
	.unload = rtl_backend_unload,
	.run = rtl_backend_run,
};
