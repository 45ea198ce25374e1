// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * rtl_engine: drives the Verilated offnic_engine (see rtl_engine.h).
 * Built per configuration: NUM_CORES and NUM_LANES must match the
 * -GNumCores / -GNumLanes the model was verilated with.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <verilated.h>
#include <verilated_fst_c.h>

#include "Voffnic_engine.h"
#include "Voffnic_engine___024root.h"

#include "offnic_image.h"
extern "C" {
#include "offnic_isa.h"
}
#include "rtl_engine.h"

#ifndef NUM_CORES
#define NUM_CORES 1
#endif
#ifndef NUM_LANES
#define NUM_LANES 4
#endif

/* Sizes the engine was built with (offnic_engine parameter defaults) */
#define IMEM_DEPTH	1024
#define CONST_DEPTH	256
#define VAL_BYTES	(4096 * 8)
#define KEY_ROWS	2048
#define STATE_ROWS	2048
#define MAX_KEY		64
#define MAX_VALUE	64
#define STEP_TIMEOUT	100000
#define EVENT_SLOTS	16	/* offnic_map_engine EventSlots */

/* host port targets: offnic_pkg::host_tgt_e */
enum {
	HOST_IMEM, HOST_CONST, HOST_PKT, HOST_CTX, HOST_CFG, HOST_REG,
	HOST_STACK, HOST_PERF, HOST_MAP_SLOT, HOST_MAP_VAL, HOST_MAP_KEY,
	HOST_MAP_STATE, HOST_EVENT,
};

struct rtl_slot {
	int used;
	struct onm_map_def def;
	uint32_t stride_log2, nb_log2, n_buckets;
	uint32_t val_base, key_base, key_rows_log2, state_base;
};

struct rtl_engine {
	VerilatedContext *ctx;
	Voffnic_engine *top;
	VerilatedFstC *fst;
	uint64_t clocks;
	uint64_t step_clocks;
	struct rtl_slot slots[ONM_MAX_MAPS];
	uint64_t pkt_rows;		/* packet buffer rows written by the host */
	uint64_t perf0[NUM_CORES][ONM_NUM_PERF];	/* counters at packet start */
	uint8_t out_buf[NUM_CORES][ONM_PKT_BUF_BYTES];	/* rtl_finish's frames */
};

#define ROOT(r)		((r)->top->rootp)
#define CORE_SIG(r, c, name) \
	(ROOT(r)->offnic_engine__DOT__gen_core__BRA__##c##__KET____DOT__u_core__DOT__##name)
#define CORE_BANK(r, c, ram, b) \
	(ROOT(r)->offnic_engine__DOT__gen_core__BRA__##c##__KET____DOT__u_core__DOT__##ram##__DOT__gen_bank__BRA__##b##__KET____DOT__mem)
#define MAP_BANK(r, b) \
	(ROOT(r)->offnic_engine__DOT__u_maps__DOT__u_values__DOT__gen_bank__BRA__##b##__KET____DOT__mem)

static void tick(struct rtl_engine *r)
{
	Voffnic_engine *t = r->top;

	t->clk_i = 0;
	t->eval();
	if (r->fst)
		r->fst->dump(2 * r->clocks);
	t->clk_i = 1;
	t->eval();
	if (r->fst)
		r->fst->dump(2 * r->clocks + 1);
	r->clocks++;
}

static void host_write(struct rtl_engine *r, unsigned int tgt,
		       unsigned int core, uint32_t addr, uint64_t v)
{
	Voffnic_engine *t = r->top;

	t->host_valid_i = 1;
	t->host_we_i = 1;
	t->host_tgt_i = tgt;
	t->host_core_i = core;
	t->host_addr_i = addr;
	t->host_wdata_i = v;
	tick(r);
	t->host_valid_i = 0;
	t->host_we_i = 0;
}

static uint64_t host_read(struct rtl_engine *r, unsigned int tgt,
			  unsigned int core, uint32_t addr)
{
	Voffnic_engine *t = r->top;

	t->host_valid_i = 1;
	t->host_we_i = 0;
	t->host_tgt_i = tgt;
	t->host_core_i = core;
	t->host_addr_i = addr;
	tick(r);
	t->host_valid_i = 0;
	return t->host_rdata_o;
}

unsigned int rtl_event_slots(void)
{
	return EVENT_SLOTS;
}

int rtl_event_pop(struct rtl_engine *r, struct onm_event *ev)
{
	uint64_t w;
	uint32_t i;

	if (!host_read(r, HOST_EVENT, 0, 0))
		return 0;
	w = host_read(r, HOST_EVENT, 0, 1);
	ev->core = (uint32_t)(w >> 16);
	ev->map_slot = (uint32_t)(w & 0x3f);
	ev->flags = host_read(r, HOST_EVENT, 0, 2);
	ev->len = (uint32_t)host_read(r, HOST_EVENT, 0, 3);
	for (i = 0; i < ev->len && i < ONM_EVENT_MAX_BYTES; i += 8) {
		w = host_read(r, HOST_EVENT, 0, 4096 + i);
		memcpy(ev->data + i, &w, ev->len - i < 8 ? ev->len - i : 8);
	}
	host_write(r, HOST_EVENT, 0, 0, 0);	/* pop */
	return 1;
}

struct rtl_engine *rtl_create(const char *fst)
{
	struct rtl_engine *r = (struct rtl_engine *)calloc(1, sizeof(*r));
	const char *env = getenv("OFFNIC_WAVES");

	if (!r)
		return NULL;
	if (!fst && env && *env)
		fst = env;
	r->ctx = new VerilatedContext;
	if (fst)
		r->ctx->traceEverOn(true);
	r->top = new Voffnic_engine(r->ctx);
	if (fst) {
		r->fst = new VerilatedFstC;
		r->top->trace(r->fst, 99);
		r->fst->open(fst);
	}
	r->top->rst_ni = 0;
	tick(r);
	r->top->rst_ni = 1;
	tick(r);
	return r;
}

void rtl_destroy(struct rtl_engine *r)
{
	if (!r)
		return;
	if (r->fst) {
		r->fst->close();
		delete r->fst;
	}
	r->top->final();
	delete r->top;
	delete r->ctx;
	free(r);
}

unsigned int rtl_cores(void)
{
	return NUM_CORES;
}

unsigned int rtl_lanes(void)
{
	return NUM_LANES;
}

uint64_t rtl_clocks(const struct rtl_engine *r)
{
	return r->clocks;
}

uint64_t rtl_step_clocks(const struct rtl_engine *r)
{
	return r->step_clocks;
}

void rtl_config(struct rtl_engine *r, uint64_t watchdog, uint32_t ns_per_cycle,
		uint32_t prog_type)
{
	host_write(r, HOST_CFG, 0, 18, watchdog);
	host_write(r, HOST_CFG, 0, 19, ns_per_cycle);
	host_write(r, HOST_CFG, 0, 20, prog_type);
}

void rtl_set_max_frame(struct rtl_engine *r, uint32_t max_frame)
{
	host_write(r, HOST_CFG, 0, 21, max_frame);
}

int rtl_load(struct rtl_engine *r, const void *img, size_t len,
	     const int *slots)
{
	const struct offnic_image_hdr *h = (const struct offnic_image_hdr *)img;
	const uint64_t *words = (const uint64_t *)(h + 1);
	const uint64_t *consts;
	const struct offnic_image_reloc *rel;
	uint64_t nwords, k[CONST_DEPTH];
	uint32_t i;

	if (len < sizeof(*h) || h->lanes != NUM_LANES)
		return -EINVAL;
	if (h->n_bundles > IMEM_DEPTH || h->n_consts > CONST_DEPTH)
		return -E2BIG;
	nwords = (uint64_t)h->n_bundles * h->lanes;
	consts = words + nwords;
	rel = (const struct offnic_image_reloc *)(consts + h->n_consts);
	if (sizeof(*h) + 8 * (nwords + h->n_consts) +
	    sizeof(*rel) * h->n_relocs > len)
		return -EINVAL;
	for (i = 0; i < nwords; i++)
		host_write(r, HOST_IMEM, 0, i, words[i]);
	memcpy(k, consts, 8 * h->n_consts);
	for (i = 0; i < h->n_relocs; i++) {
		if (rel[i].const_idx >= h->n_consts ||
		    rel[i].map_idx >= ONM_MAX_MAPS || !slots)
			return -EINVAL;
		k[rel[i].const_idx] = (uint64_t)ONM_SPACE_MAP << 60 |
				      (uint32_t)slots[rel[i].map_idx];
	}
	for (i = 0; i < h->n_consts; i++)
		host_write(r, HOST_CONST, 0, i, k[i]);
	host_write(r, HOST_CFG, 0, 16, h->n_bundles);
	host_write(r, HOST_CFG, 0, 17, h->n_consts);
	host_write(r, HOST_CFG, 0, 20, h->prog_type);
	return 0;
}

static uint32_t log2_ceil(uint32_t v)
{
	uint32_t l = 0;

	while ((1U << l) < v)
		l++;
	return l;
}

/* Lowest base where size units fit beside every other slot's range. */
static int fit(const struct rtl_engine *r, int self, uint32_t size, uint32_t limit,
	       uint32_t (*range)(const struct rtl_slot *s, uint32_t *len))
{
	uint32_t base = 0, b, l;
	int i, moved = 1;

	while (moved) {
		moved = 0;
		for (i = 0; i < ONM_MAX_MAPS; i++) {
			if (i == self || !r->slots[i].used)
				continue;
			b = range(&r->slots[i], &l);
			if (l && size && base < b + l && b < base + size) {
				base = b + l;
				moved = 1;
			}
		}
	}
	return (uint64_t)base + size > limit ? -1 : (int)base;
}

static uint32_t val_bytes(const struct rtl_slot *s)
{
	return s->def.type == ONM_MAP_PERF_EVENT ? 0 : s->n_buckets << s->stride_log2;
}

static uint32_t val_range(const struct rtl_slot *s, uint32_t *len)
{
	*len = val_bytes(s);
	return s->val_base;
}

static uint32_t key_range(const struct rtl_slot *s, uint32_t *len)
{
	*len = s->def.type == ONM_MAP_HASH ? s->n_buckets << s->key_rows_log2 : 0;
	return s->key_base;
}

static uint32_t state_range(const struct rtl_slot *s, uint32_t *len)
{
	*len = s->def.type == ONM_MAP_HASH ? s->n_buckets : 0;
	return s->state_base;
}

int rtl_map_define(struct rtl_engine *r, int slot,
		   const struct onm_map_def *def)
{
	struct rtl_slot *s, ns;
	uint32_t klen, slen, i;
	int vb, kb, sb;

	if (slot < 0 || slot >= ONM_MAX_MAPS)
		return -EINVAL;
	if (def->type != ONM_MAP_PERF_EVENT &&
	    (def->key_size > MAX_KEY || def->value_size > MAX_VALUE))
		return -E2BIG;
	s = &r->slots[slot];
	memset(&ns, 0, sizeof(ns));
	ns.def = *def;
	ns.stride_log2 = log2_ceil(def->value_size < 8 ? 8 : def->value_size);
	ns.n_buckets = def->max_entries;
	if (def->type == ONM_MAP_HASH) {
		ns.nb_log2 = log2_ceil(2 * def->max_entries);
		if (ns.nb_log2 < 3)
			ns.nb_log2 = 3;
		ns.n_buckets = 1U << ns.nb_log2;
	}
	ns.key_rows_log2 = log2_ceil((def->key_size + 7) / 8);
	if (def->type != ONM_MAP_PERF_EVENT &&
	    (def->max_entries > VAL_BYTES || (uint64_t)ns.n_buckets << ns.stride_log2 > VAL_BYTES))
		return -ENOSPC;
	key_range(&ns, &klen);
	state_range(&ns, &slen);
	vb = fit(r, slot, val_bytes(&ns), VAL_BYTES, val_range);
	kb = fit(r, slot, klen, KEY_ROWS, key_range);
	sb = fit(r, slot, slen, STATE_ROWS, state_range);
	if (vb < 0 || kb < 0 || sb < 0)
		return -ENOSPC;
	ns.val_base = (uint32_t)vb;
	ns.key_base = (uint32_t)kb;
	ns.state_base = (uint32_t)sb;
	ns.used = 1;
	*s = ns;
	host_write(r, HOST_MAP_SLOT, 0, slot * 16 + 0, def->type);
	host_write(r, HOST_MAP_SLOT, 0, slot * 16 + 1, def->key_size);
	host_write(r, HOST_MAP_SLOT, 0, slot * 16 + 2, def->value_size);
	host_write(r, HOST_MAP_SLOT, 0, slot * 16 + 3, def->max_entries);
	host_write(r, HOST_MAP_SLOT, 0, slot * 16 + 4, s->stride_log2);
	host_write(r, HOST_MAP_SLOT, 0, slot * 16 + 5, s->nb_log2);
	host_write(r, HOST_MAP_SLOT, 0, slot * 16 + 6, s->val_base);
	host_write(r, HOST_MAP_SLOT, 0, slot * 16 + 7, s->key_base);
	host_write(r, HOST_MAP_SLOT, 0, slot * 16 + 8, s->key_rows_log2);
	host_write(r, HOST_MAP_SLOT, 0, slot * 16 + 9, s->state_base);
	host_write(r, HOST_MAP_SLOT, 0, slot * 16 + 10,
		   def->type == ONM_MAP_ARRAY ? def->max_entries : 0);
	/* A new map is empty: zero values (ARRAY), empty buckets (HASH). */
	if (def->type == ONM_MAP_ARRAY)
		for (i = 0; i < val_bytes(s); i += 8)
			host_write(r, HOST_MAP_VAL, 0, s->val_base + i, 0);
	if (def->type == ONM_MAP_HASH)
		for (i = 0; i < s->n_buckets; i++)
			host_write(r, HOST_MAP_STATE, 0, s->state_base + i, ONM_BUCKET_EMPTY);
	return 0;
}

void rtl_map_undefine(struct rtl_engine *r, int slot)
{
	if (slot < 0 || slot >= ONM_MAX_MAPS)
		return;
	r->slots[slot].used = 0;
	host_write(r, HOST_MAP_SLOT, 0, slot * 16 + 0, 0);
}

static uint64_t le64(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;
	uint32_t i;

	for (i = 0; i < n && i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

void rtl_map_write(struct rtl_engine *r, int slot, const struct onm_map_view *v)
{
	const struct rtl_slot *s = &r->slots[slot];
	uint32_t b, off, ks = s->def.key_size, stride = 1U << s->stride_log2;

	if (s->def.type == ONM_MAP_PERF_EVENT)
		return;
	for (b = 0; b < s->n_buckets; b++) {
		for (off = 0; off < stride; off += 8)
			host_write(r, HOST_MAP_VAL, 0, s->val_base + b * stride + off,
				   le64(v->values + (size_t)b * stride + off, 8));
		if (s->def.type != ONM_MAP_HASH)
			continue;
		host_write(r, HOST_MAP_STATE, 0, s->state_base + b, v->state[b]);
		for (off = 0; off < ks; off += 8)
			host_write(r, HOST_MAP_KEY, 0,
				   s->key_base + (b << s->key_rows_log2) + off / 8,
				   le64(v->keys + (size_t)b * ks + off, ks - off));
	}
	if (s->def.type == ONM_MAP_HASH)
		host_write(r, HOST_MAP_SLOT, 0, slot * 16 + 10, v->live);
}

static uint8_t map_val_byte(struct rtl_engine *r, uint32_t a)
{
	switch (a % 8) {
	case 0: return MAP_BANK(r, 0)[a / 8];
	case 1: return MAP_BANK(r, 1)[a / 8];
	case 2: return MAP_BANK(r, 2)[a / 8];
	case 3: return MAP_BANK(r, 3)[a / 8];
	case 4: return MAP_BANK(r, 4)[a / 8];
	case 5: return MAP_BANK(r, 5)[a / 8];
	case 6: return MAP_BANK(r, 6)[a / 8];
	default: return MAP_BANK(r, 7)[a / 8];
	}
}

int rtl_map_compare(struct rtl_engine *r, int slot,
		    const struct onm_map_view *v, char *buf, size_t size)
{
	const struct rtl_slot *s = &r->slots[slot];
	uint32_t b, i, ks = s->def.key_size, stride = 1U << s->stride_log2;
	uint32_t live = ROOT(r)->offnic_engine__DOT__u_maps__DOT__sl_live[slot];

	if (s->def.type == ONM_MAP_PERF_EVENT)
		return 0;	/* no memory: events are compared separately */
	if (s->def.type == ONM_MAP_HASH && live != v->live) {
		snprintf(buf, size, "map %d: live %u != %u", slot, v->live, live);
		return 1;
	}
	for (b = 0; b < s->n_buckets; b++) {
		if (s->def.type == ONM_MAP_HASH) {
			uint8_t st = ROOT(r)->offnic_engine__DOT__u_maps__DOT__statemem[s->state_base + b];

			if (st != v->state[b]) {
				snprintf(buf, size, "map %d bucket %u: state %u != %u",
					 slot, b, v->state[b], st);
				return 1;
			}
			if (st != ONM_BUCKET_LIVE)
				continue;
			for (i = 0; i < ks; i++) {
				uint64_t row = ROOT(r)->offnic_engine__DOT__u_maps__DOT__keymem[s->key_base + (b << s->key_rows_log2) + i / 8];
				uint8_t kb = (uint8_t)(row >> (8 * (i % 8)));

				if (kb != v->keys[(size_t)b * ks + i]) {
					snprintf(buf, size, "map %d bucket %u: key[%u] 0x%02x != 0x%02x",
						 slot, b, i, v->keys[(size_t)b * ks + i], kb);
					return 1;
				}
			}
		}
		for (i = 0; i < s->def.value_size; i++) {
			uint8_t vb = map_val_byte(r, s->val_base + b * stride + i);

			if (vb != v->values[(size_t)b * stride + i]) {
				snprintf(buf, size, "map %d entry %u: value[%u] 0x%02x != 0x%02x",
					 slot, b, i, v->values[(size_t)b * stride + i], vb);
				return 1;
			}
		}
	}
	return 0;
}

/*
 * The packet buffer through the host port: the rows of [lo, hi) from
 * buf (buf[0] is buffer byte lo), and zeros where the core's dirty window
 * says an earlier packet wrote outside them.  The rest of the buffer is
 * zero already, so it reads as the model's, which clears it all.
 */
static void pkt_load(struct rtl_engine *r, unsigned int core, const uint8_t *buf,
		     uint32_t lo, uint32_t hi)
{
	uint32_t a, i, rlo = lo & ~7U, rhi = (hi + 7) & ~7U;
	uint64_t dlo, dhi, v;

	dlo = host_read(r, HOST_CFG, core, 12) & ~7ULL;
	dhi = (host_read(r, HOST_CFG, core, 13) + 7) & ~7ULL;
	if (dhi > ONM_PKT_BUF_BYTES)
		dhi = ONM_PKT_BUF_BYTES;
	for (a = (uint32_t)dlo; a < dhi; a += 8) {
		if (a >= rlo && a < rhi)
			continue;
		host_write(r, HOST_PKT, core, a, 0);
		r->pkt_rows++;
	}
	host_write(r, HOST_CFG, core, 12, 0);	/* the window restarts */
	for (a = rlo; a < rhi; a += 8) {
		v = 0;
		for (i = 0; i < 8; i++)
			if (a + i >= lo && a + i < hi)
				v |= (uint64_t)buf[a + i - lo] << (8 * i);
		host_write(r, HOST_PKT, core, a, v);
		r->pkt_rows++;
	}
}

/* The counters a packet's result reports the increments of */
static const uint32_t pkt_perf[] = { ONM_PERF_BUNDLES, ONM_PERF_UOPS, ONM_PERF_STALLS };

static void perf_mark(struct rtl_engine *r, unsigned int core)
{
	uint32_t i;

	for (i = 0; i < sizeof(pkt_perf) / sizeof(pkt_perf[0]); i++)
		r->perf0[core][pkt_perf[i]] = host_read(r, HOST_PERF, core, pkt_perf[i]);
}

uint32_t rtl_map_read(struct rtl_engine *r, int slot, const struct onm_map_view *v)
{
	const struct rtl_slot *s = &r->slots[slot];
	uint32_t b, i, ks = s->def.key_size, stride = 1U << s->stride_log2;

	if (s->def.type == ONM_MAP_PERF_EVENT || !s->used)
		return 0;
	for (b = 0; b < s->n_buckets; b++) {
		for (i = 0; i < s->def.value_size; i++)
			v->values[(size_t)b * stride + i] = map_val_byte(r, s->val_base + b * stride + i);
		if (s->def.type != ONM_MAP_HASH)
			continue;
		v->state[b] = ROOT(r)->offnic_engine__DOT__u_maps__DOT__statemem[s->state_base + b];
		for (i = 0; i < ks; i++)
			v->keys[(size_t)b * ks + i] = (uint8_t)(ROOT(r)->offnic_engine__DOT__u_maps__DOT__keymem[s->key_base + (b << s->key_rows_log2) + i / 8] >> (8 * (i % 8)));
	}
	return s->def.type == ONM_MAP_HASH ?
	       ROOT(r)->offnic_engine__DOT__u_maps__DOT__sl_live[slot] : s->def.max_entries;
}

void rtl_begin(struct rtl_engine *r, unsigned int core,
	       const struct onm_arch_state *st)
{
	uint32_t i, lo = st->meta_off < st->data_off ? st->meta_off : st->data_off;

	pkt_load(r, core, st->pkt + lo, lo, st->data_end_off);
	for (i = 0; i < ONM_CTX_FIELDS; i++)
		host_write(r, HOST_CTX, core, i, st->ctx[i]);
	host_write(r, HOST_CFG, core, 1, st->data_off);
	host_write(r, HOST_CFG, core, 2, st->data_end_off);
	host_write(r, HOST_CFG, core, 3, st->meta_off);
	host_write(r, HOST_CFG, core, 4, st->prandom);
	perf_mark(r, core);
	host_write(r, HOST_CFG, core, 0, 1);	/* start */
}

int rtl_begin_frame(struct rtl_engine *r, unsigned int core,
		    const struct onm_pkt_in *in)
{
	uint32_t i, hr = in->headroom ? in->headroom : ONM_DEF_HEADROOM;

	if (core >= NUM_CORES || (uint64_t)hr + in->len > ONM_PKT_BUF_BYTES ||
	    (in->len && !in->frame))
		return -EINVAL;
	pkt_load(r, core, in->frame, hr, hr + in->len);
	for (i = 0; i < ONM_CTX_FIELDS; i++) {
		uint64_t v = in->ctx[i];

		/* pointer fields: derived from the offsets, as in the model */
		if (i == ONM_CTX_DATA || i == ONM_CTX_DATA_END ||
		    i == ONM_CTX_DATA_META || i == ONM_CTX_LEN)
			v = 0;
		host_write(r, HOST_CTX, core, i, v);
	}
	host_write(r, HOST_CFG, core, 1, hr);
	host_write(r, HOST_CFG, core, 2, hr + in->len);
	host_write(r, HOST_CFG, core, 3, hr);
	perf_mark(r, core);
	host_write(r, HOST_CFG, core, 0, 1);	/* start */
	return 0;
}

int rtl_finish(struct rtl_engine *r, unsigned int core, struct onm_pkt_out *out)
{
	uint8_t *buf = r->out_buf[core < NUM_CORES ? core : 0];
	uint64_t w, perf[ONM_NUM_PERF];
	uint32_t a, i;

	memset(out, 0, sizeof(*out));
	if (core >= NUM_CORES)
		return -EINVAL;
	if (r->top->busy_o >> core & 1)
		return -EBUSY;
	w = host_read(r, HOST_CFG, core, 6);
	out->verdict = (uint32_t)w;
	out->redirected = (uint32_t)(w >> 32) & 1;
	w = host_read(r, HOST_CFG, core, 7);
	out->fault.pc = (uint32_t)w;
	out->fault.cause = (uint32_t)(w >> 32) & 0xf;
	out->fault.lane = (uint32_t)(w >> 36) & 0xf;
	out->faulted = out->fault.cause != 0;
	out->fault.addr = host_read(r, HOST_CFG, core, 8);
	out->data_off = (uint32_t)host_read(r, HOST_CFG, core, 1);
	out->data_end_off = (uint32_t)host_read(r, HOST_CFG, core, 2);
	out->meta_off = (uint32_t)host_read(r, HOST_CFG, core, 3);
	out->redirect_ifindex = host_read(r, HOST_CFG, core, 10);
	out->redirect_flags = host_read(r, HOST_CFG, core, 11);
	out->cycles = host_read(r, HOST_CFG, core, 9);
	for (i = 0; i < sizeof(pkt_perf) / sizeof(pkt_perf[0]); i++)
		perf[pkt_perf[i]] = host_read(r, HOST_PERF, core, pkt_perf[i]);
	out->bundles = perf[ONM_PERF_BUNDLES] - r->perf0[core][ONM_PERF_BUNDLES];
	out->uops = perf[ONM_PERF_UOPS] - r->perf0[core][ONM_PERF_UOPS];
	out->stalls = perf[ONM_PERF_STALLS] - r->perf0[core][ONM_PERF_STALLS];
	if (out->meta_off > out->data_off || out->data_off > out->data_end_off ||
	    out->data_end_off > ONM_PKT_BUF_BYTES)
		return -EIO;
	/* the metadata and the frame, read back through the port */
	for (a = out->meta_off & ~7U; a < out->data_end_off; a += 8) {
		w = host_read(r, HOST_PKT, core, a);
		memcpy(buf + a, &w, 8);
	}
	out->data = buf + out->data_off;
	out->len = out->data_end_off - out->data_off;
	out->meta = buf + out->meta_off;
	out->meta_len = out->data_off - out->meta_off;
	return 0;
}

uint64_t rtl_perf(struct rtl_engine *r, unsigned int core, uint32_t idx)
{
	return host_read(r, HOST_PERF, core, idx);
}

uint64_t rtl_pkt_rows(const struct rtl_engine *r)
{
	return r->pkt_rows;
}

/* ---- host map operations, through the port (cores idle) ---- */

static uint32_t crc32c(const uint8_t *p, uint32_t n)
{
	uint32_t crc = 0xffffffffU;
	uint32_t i;
	int k;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78U & -(crc & 1));
	}
	return crc ^ 0xffffffffU;
}

static const struct rtl_slot *data_slot(const struct rtl_engine *r, int slot)
{
	const struct rtl_slot *s;

	if (slot < 0 || slot >= ONM_MAX_MAPS)
		return NULL;
	s = &r->slots[slot];
	return s->used && s->def.type != ONM_MAP_PERF_EVENT ? s : NULL;
}

static void read_bytes(struct rtl_engine *r, unsigned int tgt, uint32_t addr,
		       uint32_t stride, uint8_t *out, uint32_t n)
{
	uint64_t w;
	uint32_t off;

	for (off = 0; off < n; off += 8) {
		w = host_read(r, tgt, 0, addr + off / 8 * stride);
		memcpy(out + off, &w, n - off < 8 ? n - off : 8);
	}
}

static void write_bytes(struct rtl_engine *r, unsigned int tgt, uint32_t addr,
			uint32_t stride, const uint8_t *in, uint32_t n)
{
	uint32_t off;

	for (off = 0; off < n; off += 8)
		host_write(r, tgt, 0, addr + off / 8 * stride, le64(in + off, n - off));
}

static uint32_t key_addr(const struct rtl_slot *s, uint32_t b)
{
	return s->key_base + (b << s->key_rows_log2);
}

static uint32_t val_addr(const struct rtl_slot *s, uint32_t b)
{
	return s->val_base + (b << s->stride_log2);
}

static uint32_t bucket_state(struct rtl_engine *r, const struct rtl_slot *s, uint32_t b)
{
	return (uint32_t)host_read(r, HOST_MAP_STATE, 0, s->state_base + b) & 3;
}

/* The model's probe (onm_hash_find); -1: not there. */
static int64_t hash_find(struct rtl_engine *r, const struct rtl_slot *s, const uint8_t *key)
{
	uint32_t mask = s->n_buckets - 1, ks = s->def.key_size;
	uint32_t b = crc32c(key, ks) & mask, i, st;
	uint8_t k[MAX_KEY];

	for (i = 0; i < s->n_buckets; i++, b = (b + 1) & mask) {
		st = bucket_state(r, s, b);
		if (st == ONM_BUCKET_EMPTY)
			return -1;
		if (st != ONM_BUCKET_LIVE)
			continue;
		read_bytes(r, HOST_MAP_KEY, key_addr(s, b), 1, k, ks);
		if (!memcmp(k, key, ks))
			return b;
	}
	return -1;
}

static uint32_t live_of(struct rtl_engine *r, int slot)
{
	return (uint32_t)host_read(r, HOST_MAP_SLOT, 0, slot * 16 + 10);
}

int rtl_map_lookup(struct rtl_engine *r, int slot, const void *key, void *value)
{
	const struct rtl_slot *s = data_slot(r, slot);
	int64_t b;

	if (!s || !key)
		return -EINVAL;
	if (s->def.type == ONM_MAP_ARRAY) {
		b = le64((const uint8_t *)key, 4);
		if (b >= s->def.max_entries)
			return -ENOENT;
	} else {
		b = hash_find(r, s, (const uint8_t *)key);
		if (b < 0)
			return -ENOENT;
	}
	read_bytes(r, HOST_MAP_VAL, val_addr(s, (uint32_t)b), 8, (uint8_t *)value,
		   s->def.value_size);
	return 0;
}

int rtl_map_update(struct rtl_engine *r, int slot, const void *key,
		   const void *value, uint64_t flags)
{
	const struct rtl_slot *s = data_slot(r, slot);
	uint32_t mask, live;
	int64_t b;

	if (!s || !key || !value)
		return -EINVAL;
	if (flags > ONM_EXIST)
		return -EINVAL;
	if (s->def.type == ONM_MAP_ARRAY) {
		b = le64((const uint8_t *)key, 4);
		if (b >= s->def.max_entries)
			return -E2BIG;
		if (flags == ONM_NOEXIST)
			return -EEXIST;
	} else {
		b = hash_find(r, s, (const uint8_t *)key);
		if (b >= 0 && flags == ONM_NOEXIST)
			return -EEXIST;
		if (b < 0) {
			if (flags == ONM_EXIST)
				return -ENOENT;
			live = live_of(r, slot);
			if (live >= s->def.max_entries)
				return -E2BIG;
			mask = s->n_buckets - 1;
			b = crc32c((const uint8_t *)key, s->def.key_size) & mask;
			while (bucket_state(r, s, (uint32_t)b) == ONM_BUCKET_LIVE)
				b = (b + 1) & mask;
			write_bytes(r, HOST_MAP_KEY, key_addr(s, (uint32_t)b), 1,
				    (const uint8_t *)key, s->def.key_size);
			host_write(r, HOST_MAP_STATE, 0, s->state_base + (uint32_t)b,
				   ONM_BUCKET_LIVE);
			host_write(r, HOST_MAP_SLOT, 0, slot * 16 + 10, live + 1);
		}
	}
	write_bytes(r, HOST_MAP_VAL, val_addr(s, (uint32_t)b), 8, (const uint8_t *)value,
		    s->def.value_size);
	return 0;
}

int rtl_map_delete(struct rtl_engine *r, int slot, const void *key)
{
	const struct rtl_slot *s = data_slot(r, slot);
	int64_t b;

	if (!s || !key)
		return -EINVAL;
	if (s->def.type != ONM_MAP_HASH)
		return -EINVAL;
	b = hash_find(r, s, (const uint8_t *)key);
	if (b < 0)
		return -ENOENT;
	host_write(r, HOST_MAP_STATE, 0, s->state_base + (uint32_t)b, ONM_BUCKET_TOMB);
	host_write(r, HOST_MAP_SLOT, 0, slot * 16 + 10, live_of(r, slot) - 1);
	return 0;
}

int rtl_map_get_next_key(struct rtl_engine *r, int slot, const void *key, void *next)
{
	const struct rtl_slot *s = data_slot(r, slot);
	uint32_t b = 0, idx;
	int64_t cur;

	if (!s || !next)
		return -EINVAL;
	if (s->def.type == ONM_MAP_ARRAY) {
		idx = key ? (uint32_t)le64((const uint8_t *)key, 4) : 0;
		if (key && idx + 1 == s->def.max_entries)
			return -ENOENT;
		idx = key && idx < s->def.max_entries ? idx + 1 : 0;
		memcpy(next, &idx, 4);
		return 0;
	}
	cur = key ? hash_find(r, s, (const uint8_t *)key) : -1;
	if (cur >= 0)
		b = (uint32_t)cur + 1;
	for (; b < s->n_buckets; b++) {
		if (bucket_state(r, s, b) == ONM_BUCKET_LIVE) {
			read_bytes(r, HOST_MAP_KEY, key_addr(s, b), 1, (uint8_t *)next,
				   s->def.key_size);
			return 0;
		}
	}
	return -ENOENT;
}

#define FILL_STATE(c)							\
	do {								\
		st->pc = CORE_SIG(r, c, pc_q);				\
		st->exited = CORE_SIG(r, c, exited_q);			\
		st->verdict = CORE_SIG(r, c, verdict_q);		\
		st->ret_depth = CORE_SIG(r, c, ret_depth_q);		\
		for (i = 0; i < ONM_RET_STACK_DEPTH; i++)		\
			st->ret_stack[i] = CORE_SIG(r, c, ret_stack_q)[i]; \
		for (i = 0; i < ONM_NUM_REGS; i++)			\
			st->regs[i] = CORE_SIG(r, c, rf_q)[i];		\
		for (i = 0; i < ONM_CTX_FIELDS; i++)			\
			st->ctx[i] = CORE_SIG(r, c, ctx_q)[i];		\
		st->data_off = CORE_SIG(r, c, data_off_q);		\
		st->data_end_off = CORE_SIG(r, c, data_end_off_q);	\
		st->meta_off = CORE_SIG(r, c, meta_off_q);		\
		st->prandom = CORE_SIG(r, c, prandom_q);		\
		st->cycle = CORE_SIG(r, c, cycle_q);			\
		st->clock = CORE_SIG(r, c, clock_q);			\
		st->redirected = CORE_SIG(r, c, redirected_q);		\
		st->redirect_ifindex = CORE_SIG(r, c, redir_ifindex_q);	\
		st->redirect_flags = CORE_SIG(r, c, redir_flags_q);	\
		st->fault.cause = CORE_SIG(r, c, fault_cause_q);	\
		st->fault.pc = CORE_SIG(r, c, fault_pc_q);		\
		st->fault.lane = CORE_SIG(r, c, fault_lane_q);		\
		st->fault.addr = CORE_SIG(r, c, fault_addr_q);		\
		for (i = 0; i < ONM_NUM_PERF; i++)			\
			st->perf[i] = CORE_SIG(r, c, perf_q)[i];	\
		for (i = 0; i < ONM_STACK_BYTES; i++)			\
			st->stack[i] = bank_byte(CORE_BANKS(r, c, u_stack), i); \
		for (i = 0; i < ONM_PKT_BUF_BYTES; i++)			\
			st->pkt[i] = bank_byte(CORE_BANKS(r, c, u_pkt), i); \
	} while (0)

#define CORE_BANKS(r, c, ram)						\
	{ CORE_BANK(r, c, ram, 0).m_storage, CORE_BANK(r, c, ram, 1).m_storage, \
	  CORE_BANK(r, c, ram, 2).m_storage, CORE_BANK(r, c, ram, 3).m_storage, \
	  CORE_BANK(r, c, ram, 4).m_storage, CORE_BANK(r, c, ram, 5).m_storage, \
	  CORE_BANK(r, c, ram, 6).m_storage, CORE_BANK(r, c, ram, 7).m_storage }

struct banks {
	const uint8_t *b[8];
};

static uint8_t bank_byte(struct banks bk, uint32_t a)
{
	return bk.b[a % 8][a / 8];
}

void rtl_state(struct rtl_engine *r, unsigned int core,
	       struct onm_arch_state *st)
{
	uint32_t i;

	memset(st, 0, sizeof(*st));
	switch (core) {
	case 0: FILL_STATE(0); break;
#if NUM_CORES > 1
	case 1: FILL_STATE(1); break;
#endif
#if NUM_CORES > 2
	case 2: FILL_STATE(2); break;
#endif
#if NUM_CORES > 3
	case 3: FILL_STATE(3); break;
#endif
	default: break;
	}
}

int rtl_step(struct rtl_engine *r, unsigned int core)
{
	struct onm_arch_state st;
	int n;

	for (n = 0; n < STEP_TIMEOUT; n++) {
		tick(r);
		if ((r->top->retire_o >> core) & 1)
			break;
	}
	r->step_clocks += n + 1;
	if (n == STEP_TIMEOUT)
		return -ETIMEDOUT;
	rtl_state(r, core, &st);
	if (st.fault.cause)
		return ONM_FAULTED;
	return st.exited ? ONM_EXITED : ONM_RUNNING;
}

uint64_t rtl_run_all(struct rtl_engine *r)
{
	uint64_t start = r->clocks;

	while (r->top->busy_o) {
		tick(r);
		if (r->clocks - start > 100ULL * STEP_TIMEOUT)
			return 0;
	}
	return r->clocks - start;
}
