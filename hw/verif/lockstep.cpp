// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/* Lockstep co-simulation of the C model and the RTL (see lockstep.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockstep.h"
#include "offnic_image.h"
extern "C" {
#include "onm_asm.h"
/* the model's internal map record: the live count a pull must set */
#include "onm_internal.h"
}

int lockstep_open(struct lockstep *ls, const char *src, uint32_t seed,
		  const char *fst)
{
	const struct offnic_image_hdr *h;
	struct onm_asm_out a = {};
	struct onm_config cfg = {};
	struct onm_err err = {};
	uint32_t i;
	int ret;

	memset(ls, 0, sizeof(*ls));
	if (onm_asm(src, &a)) {
		fprintf(stderr, "lockstep: assembly failed: %s\n", a.msg);
		return -1;
	}
	ls->img = a.img;
	ls->len = a.len;
	h = (const struct offnic_image_hdr *)ls->img;
	ls->lanes = h->lanes;
	ls->words = (const uint64_t *)(h + 1);
	ls->n_bundles = h->n_bundles;
	ls->n_maps = h->n_maps;
	cfg.lanes = rtl_lanes();
	cfg.cores = rtl_cores();
	cfg.prandom_seed = seed;
	cfg.event_slots = rtl_event_slots();
	ls->model = onm_create(&cfg);
	if (!ls->model)
		goto err_img;
	ret = onm_load(ls->model, ls->img, ls->len, &err);
	if (ret) {
		fprintf(stderr, "lockstep: model refuses the image: %s\n", err.msg);
		goto err_model;
	}
	ls->rtl = rtl_create(fst);
	if (!ls->rtl)
		goto err_model;
	rtl_config(ls->rtl, onm_config(ls->model)->watchdog_cycles,
		   onm_config(ls->model)->ns_per_cycle, h->prog_type);
	rtl_set_max_frame(ls->rtl, onm_config(ls->model)->max_frame);
	for (i = 0; i < ls->n_maps; i++) {
		struct onm_map_view v;

		ls->slots[i] = onm_prog_map_slot(ls->model, i);
		if (onm_map_view(ls->model, ls->slots[i], &v) ||
		    rtl_map_define(ls->rtl, ls->slots[i], &v.def)) {
			fprintf(stderr, "lockstep: map %u does not fit the RTL\n", i);
			goto err_rtl;
		}
	}
	ret = rtl_load(ls->rtl, ls->img, ls->len, ls->slots);
	if (ret) {
		fprintf(stderr, "lockstep: RTL refuses the image: %d\n", ret);
		goto err_rtl;
	}
	return 0;

err_rtl:
	rtl_destroy(ls->rtl);
err_model:
	onm_destroy(ls->model);
err_img:
	free(ls->img);
	ls->img = NULL;
	return -1;
}

void lockstep_close(struct lockstep *ls)
{
	rtl_destroy(ls->rtl);
	onm_destroy(ls->model);
	free(ls->img);
	memset(ls, 0, sizeof(*ls));
}

void lockstep_sync_map(struct lockstep *ls, uint32_t map_idx)
{
	struct onm_map_view v;

	if (!onm_map_view(ls->model, ls->slots[map_idx], &v))
		rtl_map_write(ls->rtl, ls->slots[map_idx], &v);
}

void lockstep_pull_map(struct lockstep *ls, int slot)
{
	struct onm_map *m = onm_map_get(ls->model, slot);
	struct onm_map_view v;

	if (!m || onm_map_view(ls->model, slot, &v))
		return;
	m->live = rtl_map_read(ls->rtl, slot, &v);
}

int lockstep_kept_event(struct lockstep *ls, struct onm_event *ev)
{
	if (ls->kept_head >= ls->n_kept)
		return 0;
	*ev = ls->kept[ls->kept_head++];
	return 1;
}

/* Every field that differs, not just the first */
static void report_fields(const struct onm_arch_state *m,
			  const struct onm_arch_state *r)
{
	uint32_t i, shown = 0;

#define FIELD(f)							\
	do {								\
		if (m->f != r->f)					\
			fprintf(stderr, "#   %-16s model 0x%llx rtl 0x%llx\n", #f, \
				(unsigned long long)m->f,		\
				(unsigned long long)r->f);		\
	} while (0)
	FIELD(pc);
	FIELD(exited);
	FIELD(verdict);
	FIELD(fault.cause);
	FIELD(fault.pc);
	FIELD(fault.lane);
	FIELD(fault.addr);
	FIELD(cycle);
	FIELD(clock);
	FIELD(ret_depth);
	FIELD(data_off);
	FIELD(data_end_off);
	FIELD(meta_off);
	FIELD(prandom);
	FIELD(redirected);
	FIELD(redirect_ifindex);
	FIELD(redirect_flags);
#undef FIELD
#define ELEM(a, n)							\
	do {								\
		for (i = 0; i < (n); i++)				\
			if (m->a[i] != r->a[i])				\
				fprintf(stderr, "#   %s[%u]%*s model 0x%llx rtl 0x%llx\n", \
					#a, i, (int)(13 - strlen(#a)), "", \
					(unsigned long long)m->a[i],	\
					(unsigned long long)r->a[i]);	\
	} while (0)
	ELEM(regs, ONM_NUM_REGS);
	ELEM(ret_stack, ONM_RET_STACK_DEPTH);
	ELEM(ctx, ONM_CTX_FIELDS);
	ELEM(perf, ONM_NUM_PERF);
#undef ELEM
	for (i = 0; i < ONM_STACK_BYTES && shown < 8; i++) {
		if (m->stack[i] != r->stack[i] && ++shown)
			fprintf(stderr, "#   stack[%u]        model 0x%02x rtl 0x%02x\n",
				i, m->stack[i], r->stack[i]);
	}
	for (i = 0; i < ONM_PKT_BUF_BYTES && shown < 16; i++) {
		if (m->pkt[i] != r->pkt[i] && ++shown)
			fprintf(stderr, "#   pkt[%u]        model 0x%02x rtl 0x%02x\n",
				i, m->pkt[i], r->pkt[i]);
	}
}

static void report(struct lockstep *ls, uint32_t pc,
		   const struct onm_arch_state *m,
		   const struct onm_arch_state *r, const char *first)
{
	char text[512];

	if (ls->quiet)
		return;
	if (pc < ls->n_bundles)
		onm_disasm_bundle(ls->words + (size_t)pc * ls->lanes, ls->lanes,
				  text, sizeof(text));
	else
		snprintf(text, sizeof(text), "(pc past the image)");
	fprintf(stderr, "# LOCKSTEP MISMATCH after bundle %llu, pc %u: %s\n",
		(unsigned long long)ls->bundles, pc, text);
	fprintf(stderr, "#   first difference (model vs rtl): %s\n", first);
	report_fields(m, r);
}

static int compare_maps(struct lockstep *ls)
{
	char buf[256];
	uint32_t i;

	for (i = 0; i < ls->n_maps; i++) {
		struct onm_map_view v;

		if (onm_map_view(ls->model, ls->slots[i], &v))
			continue;
		if (rtl_map_compare(ls->rtl, ls->slots[i], &v, buf, sizeof(buf))) {
			if (!ls->quiet)
				fprintf(stderr, "# LOCKSTEP MAP MISMATCH (model vs rtl): %s\n",
					buf);
			return 1;
		}
	}
	return 0;
}

/* Image map index of an event's slot: the two place perf arrays apart. */
static int ev_map_idx(struct lockstep *ls, int model, uint32_t slot)
{
	uint32_t i;

	for (i = 0; i < ls->n_maps; i++)
		if ((model ? onm_prog_map_slot(ls->model, i) : ls->slots[i]) == (int)slot)
			return (int)i;
	return -1;
}

/* Drain both event rings and compare them record by record */
static int compare_events(struct lockstep *ls)
{
	static struct onm_event m, r;
	int hm, hr, n = 0, bad = 0;

	ls->n_kept = 0;
	ls->kept_head = 0;
	for (;;) {
		hm = onm_event_pop(ls->model, &m);
		hr = rtl_event_pop(ls->rtl, &r);
		if (hr && ls->keep_events && ls->n_kept < sizeof(ls->kept) / sizeof(ls->kept[0]))
			ls->kept[ls->n_kept++] = r;
		if (!hm && !hr)
			return bad;
		if (bad)
			continue;	/* drain the rest: the RTL's are delivered */
		if (hm != hr || m.core != r.core ||
		    ev_map_idx(ls, 1, m.map_slot) != ev_map_idx(ls, 0, r.map_slot) ||
		    m.flags != r.flags || m.len != r.len ||
		    memcmp(m.data, r.data, m.len)) {
			if (!ls->quiet)
				fprintf(stderr, "# LOCKSTEP EVENT MISMATCH at record %d: "
					"model %s core %u slot %u flags 0x%llx len %u, "
					"rtl %s core %u slot %u flags 0x%llx len %u\n", n,
					hm ? "has" : "none", m.core, m.map_slot,
					(unsigned long long)m.flags, m.len,
					hr ? "has" : "none", r.core, r.map_slot,
					(unsigned long long)r.flags, r.len);
			bad = 1;
			continue;
		}
		n++;
	}
}

int lockstep_packet(struct lockstep *ls, uint32_t core,
		    const struct onm_pkt_in *in, struct onm_pkt_out *out)
{
	static struct onm_arch_state rs;
	const struct onm_arch_state *ms;
	char first[256];
	int mst, rst;
	uint32_t pc;

	if (onm_begin(ls->model, core, in))
		return -1;
	ms = onm_state(ls->model, core);
	rtl_begin(ls->rtl, core, ms);
	do {
		pc = ms->pc;
		mst = onm_step(ls->model, core);
		rst = rtl_step(ls->rtl, core);
		if (rst < 0) {
			if (!ls->quiet)
				fprintf(stderr, "# LOCKSTEP: RTL never retired pc %u\n", pc);
			return 1;
		}
		ls->bundles++;
		rtl_state(ls->rtl, core, &rs);
		if (onm_state_diff(ms, &rs, first, sizeof(first)) || mst != rst) {
			if (mst != rst)
				snprintf(first + strlen(first), sizeof(first) - strlen(first),
					 " (status model %d rtl %d)", mst, rst);
			report(ls, pc, ms, &rs, first);
			return 1;
		}
	} while (mst == ONM_RUNNING);
	if (out)
		onm_finish(ls->model, core, out);
	/* both: the events are drained (and kept) even after a map mismatch */
	mst = compare_maps(ls);
	return compare_events(ls) || mst;
}
