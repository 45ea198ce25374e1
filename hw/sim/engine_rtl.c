// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The RTL backend: the Verilated offnic_engine is the device.  Every
 * result the driver sees comes from it, through its host port: verdicts,
 * frames and metadata, faults, cycles and counters, map contents (host
 * map operations run on the RTL's map memory) and event records.
 *
 * The C model is a checker beside it.  With lockstep on (every Nth
 * packet, offnic-sim --lockstep), a packet runs on both and the states
 * are compared after every bundle, maps and events after the packet
 * (hw/verif/lockstep.h); host map operations run on both while the
 * model is in step.  A disagreement is reported and counted
 * (eng->mismatches) and the device still answers with the RTL's result.
 * Whenever the model has not seen what the RTL did (packets not checked,
 * host operations with lockstep off, a mismatch) it is stale, and takes
 * the RTL's maps, clock, counters and prandom state before it checks the
 * next packet.
 *
 * One RTL instance serves both attach points, as the hardware would: the
 * program about to run is loaded into its instruction memory when it is
 * not there yet.  Maps are laid out in the RTL's map memory when the
 * host creates them; one that does not fit is refused there.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
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
	uint32_t every;			/* lockstep every Nth packet, 0: off */
	uint64_t packets;
	bool model_stale;		/* the model has not seen all the RTL did */
	bool from_kept;			/* events of the last packet: ls.kept first */
	uint64_t rtl_maps;		/* slots defined in the RTL */
	const struct engine_prog *last;	/* program of the last packet */
};

/* Per program: the RTL slot of each image map. */
struct rtl_prog {
	int slots[ONM_MAX_MAPS];
	uint64_t perf_slots;		/* perf event arrays defined for it */
};

static struct rtl_engine *rtl_of(struct engine *eng)
{
	return ((struct rtl_state *)eng->be_priv)->ls.rtl;
}

static int rtl_backend_init(struct engine *eng)
{
	struct onm_config cfg = {
		.lanes = rtl_lanes(),
		.cores = rtl_cores(),
		.max_frame = OFFNIC_MAX_FRAME,
		.event_slots = rtl_event_slots(),
	};
	struct rtl_state *rs = calloc(1, sizeof(*rs));

	if (!rs)
		return -ENOMEM;
	eng->be_priv = rs;
	rs->every = 1;
	rs->ls.keep_events = 1;
	eng->model = onm_create(&cfg);
	rs->ls.model = eng->model;
	rs->ls.rtl = rtl_create(NULL);
	if (!eng->model || !rs->ls.rtl)
		return -ENOMEM;
	rtl_config(rs->ls.rtl, onm_config(eng->model)->watchdog_cycles,
		   onm_config(eng->model)->ns_per_cycle, OFFNIC_PROG_XDP);
	rtl_set_max_frame(rs->ls.rtl, OFFNIC_MAX_FRAME);
	return 0;
}

static void rtl_backend_fini(struct engine *eng)
{
	struct rtl_state *rs = eng->be_priv;

	if (!rs)
		return;
	if (rs->ls.rtl && rs->packets)
		log_msg("rtl: %llu packets, %llu clocks in all (%.1f per packet), %.1f packet "
			"buffer rows loaded per packet, %llu checked in lockstep, %llu mismatches",
			(unsigned long long)rs->packets,
			(unsigned long long)rtl_clocks(rs->ls.rtl),
			(double)rtl_clocks(rs->ls.rtl) / (double)rs->packets,
			(double)rtl_pkt_rows(rs->ls.rtl) / (double)rs->packets,
			(unsigned long long)eng->checked, (unsigned long long)eng->mismatches);
	rtl_destroy(rs->ls.rtl);
	free(rs);
	eng->be_priv = NULL;
}

static int rtl_set_lockstep(struct engine *eng, uint32_t every)
{
	struct rtl_state *rs = eng->be_priv;

	rs->every = every;
	return 0;
}

static bool lockstep_live(const struct rtl_state *rs)
{
	return rs->every && !rs->model_stale;
}

/* ---- maps: the RTL's memory; the model in step while lockstepping ---- */

static int rtl_map_alloc_be(struct engine *eng, uint32_t slot, const struct onm_map_def *def)
{
	struct rtl_state *rs = eng->be_priv;
	int ret = rtl_map_define(rs->ls.rtl, (int)slot, def);

	if (ret) {
		log_msg("rtl: map refused: type %u key %u value %u entries %u does not fit "
			"the RTL's map memory (%s)", def->type, def->key_size,
			def->value_size, def->max_entries,
			ret == -E2BIG ? "key or value over 64 bytes" : "no room left");
		return ret == -E2BIG ? -E2BIG : -ENOSPC;
	}
	rs->rtl_maps |= 1ULL << slot;
	return 0;
}

static void rtl_map_free_be(struct engine *eng, uint32_t slot)
{
	struct rtl_state *rs = eng->be_priv;

	rtl_map_undefine(rs->ls.rtl, (int)slot);
	rs->rtl_maps &= ~(1ULL << slot);
}

static void count_mismatch(struct engine *eng, const char *what)
{
	struct rtl_state *rs = eng->be_priv;

	eng->mismatches++;
	rs->model_stale = true;
	if (eng->mismatches <= MISMATCH_REPORTS || !(eng->mismatches & (eng->mismatches - 1)))
		log_msg("rtl: LOCKSTEP MISMATCH #%llu: %s; the RTL's result is used",
			(unsigned long long)eng->mismatches, what);
	rs->ls.quiet = eng->mismatches >= MISMATCH_REPORTS;
}

/* The model's answer to the same host operation, while it is in step. */
static void check_map_op(struct engine *eng, int ret, int mret, const void *a,
			 const void *b, size_t n, const char *op)
{
	char what[96];

	if (ret == mret && (ret || !n || !memcmp(a, b, n)))
		return;
	snprintf(what, sizeof(what), "host map %s: rtl %d, model %d%s", op, ret, mret,
		 ret == mret ? " with different data" : "");
	count_mismatch(eng, what);
}

static uint32_t value_size(struct engine *eng, uint32_t slot)
{
	struct onm_map_view v;

	return onm_map_view(eng->model, (int)slot, &v) ? 0 : v.def.value_size;
}

static uint32_t key_size(struct engine *eng, uint32_t slot)
{
	struct onm_map_view v;

	return onm_map_view(eng->model, (int)slot, &v) ? 0 : v.def.key_size;
}

static int rtl_map_lookup_be(struct engine *eng, uint32_t slot, const void *key, void *value)
{
	struct rtl_state *rs = eng->be_priv;
	int ret = rtl_map_lookup(rs->ls.rtl, (int)slot, key, value);
	uint32_t n = value_size(eng, slot);
	uint8_t *mv;

	if (lockstep_live(rs) && n) {
		mv = malloc(n);
		if (mv) {
			check_map_op(eng, ret, onm_map_lookup(eng->model, (int)slot, key, mv),
				     value, mv, n, "lookup");
			free(mv);
		}
	}
	return ret;
}

static int rtl_map_update_be(struct engine *eng, uint32_t slot, const void *key,
			     const void *value, uint64_t flags)
{
	struct rtl_state *rs = eng->be_priv;
	int ret = rtl_map_update(rs->ls.rtl, (int)slot, key, value, flags);

	if (lockstep_live(rs))
		check_map_op(eng, ret, onm_map_update(eng->model, (int)slot, key, value, flags),
			     NULL, NULL, 0, "update");
	else
		rs->model_stale = true;
	return ret;
}

static int rtl_map_delete_be(struct engine *eng, uint32_t slot, const void *key)
{
	struct rtl_state *rs = eng->be_priv;
	int ret = rtl_map_delete(rs->ls.rtl, (int)slot, key);

	if (lockstep_live(rs))
		check_map_op(eng, ret, onm_map_delete(eng->model, (int)slot, key),
			     NULL, NULL, 0, "delete");
	else
		rs->model_stale = true;
	return ret;
}

static int rtl_map_getnext_be(struct engine *eng, uint32_t slot, const void *key, void *next)
{
	struct rtl_state *rs = eng->be_priv;
	int ret = rtl_map_get_next_key(rs->ls.rtl, (int)slot, key, next);
	uint32_t n = key_size(eng, slot);
	uint8_t *mk;

	if (lockstep_live(rs) && n) {
		mk = malloc(n);
		if (mk) {
			check_map_op(eng, ret, onm_map_get_next_key(eng->model, (int)slot, key, mk),
				     next, mk, n, "get_next_key");
			free(mk);
		}
	}
	return ret;
}

/* ---- programs ---- */

/* Puts the program into the RTL's instruction memory. */
static int rtl_switch(struct rtl_state *rs, const struct engine_prog *p)
{
	const struct offnic_image_hdr *h = p->img;
	const struct rtl_prog *rp = p->be_priv;
	struct lockstep *ls = &rs->ls;
	int ret;

	if (rs->in_rtl == p->id)
		return 0;
	rs->in_rtl = 0;
	ls->img = p->img;
	ls->len = p->len;
	ls->lanes = h->lanes;
	ls->words = (const uint64_t *)(h + 1);
	ls->n_bundles = h->n_bundles;
	ls->n_maps = p->n_maps;
	memcpy(ls->slots, rp->slots, sizeof(ls->slots));
	ret = rtl_load(ls->rtl, p->img, p->len, ls->slots);
	if (ret)
		return ret;
	rs->in_rtl = p->id;
	return 0;
}

/* A slot no host map and no program holds, in the engine or the RTL. */
static int free_slot(struct engine *eng, struct rtl_state *rs)
{
	uint64_t busy = eng->reserved_slots | eng->host_maps | rs->rtl_maps;
	int s;

	for (s = 0; s < ONM_MAX_MAPS; s++)
		if (!(busy & (1ULL << s)))
			return s;
	return -1;
}

/*
 * A program this RTL cannot hold is refused at load: more bundles or
 * constants than its memories, another lane count.  Its maps are the
 * host's, laid out at creation; a perf event array (no memory: a slot
 * type) gets a free RTL slot, held for the program until it is unloaded.
 * (The model's loader places its own copy; lockstep compares event
 * records by image map index.)
 */
static int rtl_backend_load(struct engine *eng, struct engine_prog *p)
{
	struct rtl_state *rs = eng->be_priv;
	const struct onm_map_def perf = {
		.type = ONM_MAP_PERF_EVENT, .key_size = 4, .value_size = 4, .max_entries = 1,
	};
	struct rtl_prog *rp = calloc(1, sizeof(*rp));
	uint32_t i;
	int ret, slot;

	if (!rp)
		return -ENOMEM;
	p->be_priv = rp;
	for (i = 0; i < p->n_maps; i++) {
		slot = p->map_slots[i];
		if (slot < 0) {
			slot = free_slot(eng, rs);
			if (slot < 0 || rtl_map_define(rs->ls.rtl, slot, &perf))
				goto busy;
			rp->perf_slots |= 1ULL << slot;
			eng->reserved_slots |= 1ULL << slot;
		} else if (!(rs->rtl_maps & (1ULL << slot))) {
			goto busy;
		}
		rp->slots[i] = slot;
	}
	ret = rtl_switch(rs, p);
	if (ret) {
		log_msg("rtl: program refused: the RTL cannot hold it (%d: %u bundles of %u "
			"lanes; the RTL has %u lanes, 1024 bundles, 256 constants)", ret,
			p->n_bundles, ((const struct offnic_image_hdr *)p->img)->lanes,
			rtl_lanes());
		goto err;
	}
	return 0;
busy:
	log_msg("rtl: program refused: map %u has no slot in the RTL", i);
	ret = -ENOSPC;
err:
	for (i = 0; i < ONM_MAX_MAPS; i++)
		if (rp->perf_slots & (1ULL << i))
			rtl_map_undefine(rs->ls.rtl, (int)i);
	eng->reserved_slots &= ~rp->perf_slots;
	free(rp);
	p->be_priv = NULL;
	return ret;
}

static void rtl_backend_unload(struct engine *eng, struct engine_prog *p)
{
	struct rtl_state *rs = eng->be_priv;
	struct rtl_prog *rp = p->be_priv;
	uint32_t i;

	if (rs->in_rtl == p->id)
		rs->in_rtl = 0;
	if (rs->last == p)
		rs->last = NULL;
	if (rp) {
		for (i = 0; i < ONM_MAX_MAPS; i++)
			if (rp->perf_slots & (1ULL << i))
				rtl_map_undefine(rs->ls.rtl, (int)i);
		eng->reserved_slots &= ~rp->perf_slots;
	}
	free(rp);
	p->be_priv = NULL;
}

/* ---- packets ---- */

/* The model takes the RTL's state: maps, clock, counters, prandom. */
static void model_catch_up(struct engine *eng, struct rtl_state *rs)
{
	static struct onm_arch_state st;
	struct onm_arch_state *ms = onm_state_mut(eng->model, 0);
	struct onm_event ev;
	uint32_t i;

	for (i = 0; i < ONM_MAX_MAPS; i++)
		if (rs->rtl_maps & (1ULL << i))
			lockstep_pull_map(&rs->ls, (int)i);
	rtl_state(rs->ls.rtl, 0, &st);
	ms->clock = st.clock;
	ms->cycle = st.cycle;
	ms->prandom = st.prandom;
	memcpy(ms->perf, st.perf, sizeof(ms->perf));
	while (onm_event_pop(eng->model, &ev))
		;
	rs->model_stale = false;
}

static int run_checked(struct engine *eng, struct rtl_state *rs, struct engine_prog *p,
		       const struct onm_pkt_in *in)
{
	struct onm_event ev;
	char what[64];
	int ret;

	ret = engine_model_hold(eng, (uint32_t)(p - eng->prog));
	if (ret)
		return ret;
	if (rs->model_stale)
		model_catch_up(eng, rs);
	eng->checked++;
	ret = lockstep_packet(&rs->ls, 0, in, NULL);
	if (ret < 0)
		return -EINVAL;
	if (!ret)
		return 0;
	/* Apart: each finishes on its own; the RTL's result stands. */
	while (onm_step(eng->model, 0) == ONM_RUNNING)
		;
	while (onm_event_pop(eng->model, &ev))
		;
	rtl_run_all(rs->ls.rtl);	/* rtl_finish says if it never ends */
	snprintf(what, sizeof(what), "packet %llu, program %llu",
		 (unsigned long long)rs->packets, (unsigned long long)p->id);
	count_mismatch(eng, what);
	return 0;
}

static int rtl_backend_run(struct engine *eng, struct engine_prog *p,
			   const struct onm_pkt_in *in, struct onm_pkt_out *out)
{
	struct rtl_state *rs = eng->be_priv;
	int ret;

	ret = rtl_switch(rs, p);
	if (ret)
		return ret;
	rs->packets++;
	rs->last = p;
	rs->ls.n_kept = 0;
	rs->ls.kept_head = 0;
	rs->from_kept = rs->every && rs->packets % rs->every == 0;
	if (rs->from_kept) {
		ret = run_checked(eng, rs, p, in);
	} else {
		rs->model_stale = true;
		ret = rtl_begin_frame(rs->ls.rtl, 0, in);
		if (!ret)
			rtl_run_all(rs->ls.rtl);
	}
	if (ret) {
		log_msg("rtl: packet %llu did not run: %d", (unsigned long long)rs->packets, ret);
		return ret;
	}
	ret = rtl_finish(rs->ls.rtl, 0, out);
	if (ret)
		log_msg("rtl: packet %llu has no result: %d", (unsigned long long)rs->packets, ret);
	return ret;
}

/* The RTL's records: kept by the lockstep compare, or from its ring. */
static int rtl_backend_event_pop(struct engine *eng, struct onm_event *ev, uint32_t *map_idx)
{
	struct rtl_state *rs = eng->be_priv;
	uint32_t i;

	if (!lockstep_kept_event(&rs->ls, ev) && !rtl_event_pop(rtl_of(eng), ev))
		return 0;
	*map_idx = UINT32_MAX;
	for (i = 0; rs->last && i < rs->last->n_maps; i++)
		if (((const struct rtl_prog *)rs->last->be_priv)->slots[i] == (int)ev->map_slot)
			*map_idx = i;
	return 1;
}

const struct engine_backend engine_rtl_backend = {
	.name = "rtl",
	.abi_id = OFFNIC_ENGINE_RTL,
	.init = rtl_backend_init,
	.fini = rtl_backend_fini,
	.load = rtl_backend_load,
	.unload = rtl_backend_unload,
	.run = rtl_backend_run,
	.map_alloc = rtl_map_alloc_be,
	.map_free = rtl_map_free_be,
	.map_lookup = rtl_map_lookup_be,
	.map_update = rtl_map_update_be,
	.map_delete = rtl_map_delete_be,
	.map_getnext = rtl_map_getnext_be,
	.event_pop = rtl_backend_event_pop,
	.set_lockstep = rtl_set_lockstep,
};
