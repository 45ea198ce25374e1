// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Helper units (HCALL).  Arguments p1..p5, result p0; argument rules and
 * error codes follow the kernel's helpers (net/core/filter.c,
 * kernel/bpf/helpers.c in 6.1) so the device and the host agree.
 *
 * Each helper runs in two halves: exec reads everything (pre-bundle
 * state), decides p0 and may fault; commit applies its writes in the
 * helper's lane position.  Handle and pointer faults come before errno
 * results, in argument order, except where a size argument decides the
 * range (csum_diff, event_output check their sizes first).
 */
#include <string.h>

#include "onm_internal.h"

enum {
	EFF_NONE,
	EFF_MAP_UPDATE,
	EFF_MAP_DELETE,
	EFF_PKT,
	EFF_PRANDOM,
	EFF_EVENT,
	EFF_REDIRECT,
};

#define MAP_HANDLE_RSVD		0x0fffffffffffff00ULL
#define CTXLEN_MASK		(0xfffffULL << 32)
#define INDEX_MASK		0xffffffffULL
#define TC_ACT_SHOT		2
#define TC_ACT_REDIRECT		7
#define BPF_F_INGRESS		1

static struct onm_map *map_arg(struct onm_engine *eng, uint64_t handle,
			       struct onm_fault_info *f)
{
	struct onm_map *m = NULL;

	if ((handle >> 60) == ONM_SPACE_MAP && !(handle & MAP_HANDLE_RSVD))
		m = onm_map_get(eng, (int)(handle & 0xff));
	if (!m) {
		f->cause = ONM_FAULT_BAD_MAP;
		f->addr = handle;
	}
	return m;
}

static struct onm_map *data_map_arg(struct onm_engine *eng, uint64_t handle,
				    struct onm_fault_info *f)
{
	struct onm_map *m = map_arg(eng, handle, f);

	if (m && m->def.type == ONM_MAP_PERF_EVENT) {
		f->cause = ONM_FAULT_BAD_MAP;
		f->addr = handle;
		return NULL;
	}
	return m;
}

static uint64_t value_ptr(uint64_t slot, const struct onm_map *m, uint32_t b)
{
	return (uint64_t)ONM_SPACE_MAPVAL << 60 | slot << 52 |
	       (uint64_t)b * m->stride;
}

static int map_lookup(struct onm_engine *eng, struct onm_core *c,
		      uint64_t *p0, struct onm_fault_info *f)
{
	const uint64_t *r = c->st.regs;
	struct onm_map *m = data_map_arg(eng, r[1], f);
	const uint8_t *key;
	int64_t b;

	if (!m)
		return -1;
	key = onm_resolve_buf(eng, c, r[2], m->def.key_size, f);
	if (!key)
		return -1;
	if (m->def.type == ONM_MAP_ARRAY) {
		b = (uint32_t)onm_load_le(key, 4);
		if (b >= m->def.max_entries)
			b = -1;
	} else {
		b = onm_hash_find(m, key);
	}
	*p0 = b < 0 ? 0 : value_ptr(r[1] & 0xff, m, (uint32_t)b);
	return 0;
}

static int map_update(struct onm_engine *eng, struct onm_core *c,
		      uint64_t *p0, struct onm_heffect *e,
		      struct onm_fault_info *f)
{
	const uint64_t *r = c->st.regs;
	struct onm_map *m = data_map_arg(eng, r[1], f);
	const uint8_t *key, *value;
	int is_new, ret;

	if (!m)
		return -1;
	key = onm_resolve_buf(eng, c, r[2], m->def.key_size, f);
	if (!key)
		return -1;
	value = onm_resolve_buf(eng, c, r[3], m->def.value_size, f);
	if (!value)
		return -1;
	ret = onm_map_plan_update(m, key, r[4], &e->bucket, &is_new);
	*p0 = (uint64_t)(int64_t)ret;
	if (ret)
		return 0;
	e->kind = EFF_MAP_UPDATE;
	e->slot = (uint32_t)(r[1] & 0xff);
	e->is_new = (uint8_t)is_new;
	memcpy(e->key, key, m->def.key_size);
	memcpy(eng->value_stage, value, m->def.value_size);
	return 0;
}

static int map_delete(struct onm_engine *eng, struct onm_core *c,
		      uint64_t *p0, struct onm_heffect *e,
		      struct onm_fault_info *f)
{
	const uint64_t *r = c->st.regs;
	struct onm_map *m = data_map_arg(eng, r[1], f);
	const uint8_t *key;
	int ret;

	if (!m)
		return -1;
	key = onm_resolve_buf(eng, c, r[2], m->def.key_size, f);
	if (!key)
		return -1;
	ret = onm_map_plan_delete(m, key, &e->bucket);
	*p0 = (uint64_t)(int64_t)ret;
	if (!ret) {
		e->kind = EFF_MAP_DELETE;
		e->slot = (uint32_t)(r[1] & 0xff);
	}
	return 0;
}

/*
 * The port's frame length limit: a call that grows the frame (data_end -
 * data) past max_frame answers -EINVAL and changes nothing, as the
 * kernel's XDP helpers do past the buffer's hard end.  A frame that
 * already is longer (a long test-run frame) may still shrink.
 */
static int grows_past(uint64_t new_len, uint64_t old_len, uint32_t max_frame)
{
	return new_len > old_len && new_len > max_frame;
}

/* bpf_xdp_adjust_head: metadata moves with the data */
static int64_t adj_head(const struct onm_arch_state *st, int32_t delta,
			uint32_t max_frame, struct onm_heffect *e)
{
	int64_t metalen = (int64_t)st->data_off - st->meta_off;
	int64_t data = (int64_t)st->data_off + delta;

	if (data < metalen || data > (int64_t)st->data_end_off - ONM_ETH_HLEN)
		return -ONM_EINVAL;
	if (grows_past((uint64_t)(st->data_end_off - data),
		       st->data_end_off - st->data_off, max_frame))
		return -ONM_EINVAL;
	e->data_off = (uint32_t)data;
	e->meta_off = (uint32_t)(data - metalen);
	e->data_end_off = st->data_end_off;
	e->move_from = st->meta_off;
	e->move_len = (uint32_t)metalen;
	return 0;
}

/* bpf_xdp_adjust_tail: grown bytes read as zero */
static int64_t adj_tail(const struct onm_arch_state *st, int32_t delta,
			uint32_t max_frame, struct onm_heffect *e)
{
	int64_t end = (int64_t)st->data_end_off + delta;

	if (end > ONM_PKT_BUF_BYTES || end < (int64_t)st->data_off + ONM_ETH_HLEN)
		return -ONM_EINVAL;
	if (grows_past((uint64_t)(end - st->data_off),
		       st->data_end_off - st->data_off, max_frame))
		return -ONM_EINVAL;
	e->data_off = st->data_off;
	e->meta_off = st->meta_off;
	e->data_end_off = (uint32_t)end;
	if (delta > 0) {
		e->zero_from = st->data_end_off;
		e->zero_len = (uint32_t)delta;
	}
	return 0;
}

/* bpf_xdp_adjust_meta: 0..32 bytes of metadata, a multiple of 4 */
static int64_t adj_meta(const struct onm_arch_state *st, int32_t delta,
			struct onm_heffect *e)
{
	int64_t meta = (int64_t)st->meta_off + delta;
	int64_t metalen = (int64_t)st->data_off - meta;

	if (meta < 0 || meta > st->data_off)
		return -ONM_EINVAL;
	if ((metalen & 3) || metalen > ONM_META_MAX)
		return -ONM_EACCES;
	e->data_off = st->data_off;
	e->data_end_off = st->data_end_off;
	e->meta_off = (uint32_t)meta;
	return 0;
}

/* delta is the helper's int argument: the low 32 bits of p2 */
static void adjust(struct onm_engine *eng, struct onm_core *c, uint32_t id,
		   uint64_t *p0, struct onm_heffect *e)
{
	int32_t delta = (int32_t)c->st.regs[2];
	int64_t ret;

	if (id == ONM_HELPER_ADJ_HEAD)
		ret = adj_head(&c->st, delta, eng->cfg.max_frame, e);
	else if (id == ONM_HELPER_ADJ_TAIL)
		ret = adj_tail(&c->st, delta, eng->cfg.max_frame, e);
	else
		ret = adj_meta(&c->st, delta, e);
	*p0 = (uint64_t)ret;
	if (!ret)
		e->kind = EFF_PKT;
}

/*
 * bpf_csum_diff on x86-64: csum_partial of (~from words, to words) with
 * the seed, folded to 32 bits with end-around carry.  The 64-bit
 * end-around-carry sum is unique (0 only when every input is 0), so the
 * result is: 0 if seed and all words are 0, otherwise the representative
 * in [1, 2^32-1] of (seed + sum of 32-bit LE words) mod (2^32 - 1).
 */
uint32_t onm_csum_diff32(const uint8_t *from, uint32_t from_size,
			 const uint8_t *to, uint32_t to_size, uint32_t seed)
{
	uint64_t sum = seed;
	uint64_t w;
	uint32_t i;

	for (i = 0; i < from_size; i += 4) {
		w = (uint32_t)~onm_load_le(from + i, 4);
		sum += w;
		sum += sum < w;		/* end-around carry */
	}
	for (i = 0; i < to_size; i += 4) {
		w = onm_load_le(to + i, 4);
		sum += w;
		sum += sum < w;
	}
	w = (sum >> 32) + (sum & 0xffffffffULL);
	return (uint32_t)(w + (w >> 32));
}

static int csum_diff(struct onm_engine *eng, struct onm_core *c,
		     uint64_t *p0, struct onm_fault_info *f)
{
	const uint64_t *r = c->st.regs;
	uint32_t from_size = (uint32_t)r[2], to_size = (uint32_t)r[4];
	const uint8_t *from = NULL, *to = NULL;

	if (((from_size | to_size) & 3) ||
	    (uint64_t)from_size + to_size > ONM_CSUM_MAX) {
		*p0 = (uint64_t)-ONM_EINVAL;
		return 0;
	}
	if (from_size) {
		from = onm_resolve_buf(eng, c, r[1], from_size, f);
		if (!from)
			return -1;
	}
	if (to_size) {
		to = onm_resolve_buf(eng, c, r[3], to_size, f);
		if (!to)
			return -1;
	}
	*p0 = onm_csum_diff32(from, from_size, to, to_size, (uint32_t)r[5]);
	return 0;
}

static int64_t event_check(struct onm_engine *eng, const struct onm_map *m,
			   const struct onm_arch_state *st, uint64_t flags,
			   uint64_t size)
{
	uint64_t ctxlen = (flags & CTXLEN_MASK) >> 32;
	uint64_t index = flags & INDEX_MASK;

	if (flags & ~(CTXLEN_MASK | INDEX_MASK))
		return -ONM_EINVAL;
	if (ctxlen > (uint64_t)(st->data_end_off - st->data_off))
		return -ONM_EFAULT;
	if (index != INDEX_MASK && index >= m->def.max_entries)
		return -ONM_E2BIG;
	/* size is a full 64-bit argument: compare before adding */
	if (size > ONM_EVENT_MAX_BYTES || ctxlen > ONM_EVENT_MAX_BYTES - size)
		return -ONM_E2BIG;
	(void)eng;
	return 0;
}

static int event_out(struct onm_engine *eng, struct onm_core *c,
		     uint64_t *p0, struct onm_heffect *e,
		     struct onm_fault_info *f)
{
	const struct onm_arch_state *st = &c->st;
	const uint64_t *r = st->regs;
	struct onm_map *m = map_arg(eng, r[2], f);
	struct onm_event *ev = &eng->ev_stage;
	const uint8_t *data = NULL;
	uint64_t ctxlen = (r[3] & CTXLEN_MASK) >> 32;
	int64_t ret;

	if (!m)
		return -1;
	if (m->def.type != ONM_MAP_PERF_EVENT) {
		f->cause = ONM_FAULT_BAD_MAP;
		f->addr = r[2];
		return -1;
	}
	ret = event_check(eng, m, st, r[3], r[5]);
	if (!ret && r[5]) {
		data = onm_resolve_buf(eng, c, r[4], r[5], f);
		if (!data)
			return -1;
	}
	if (!ret && eng->ev_count == eng->cfg.event_slots)
		ret = -ONM_ENOSPC;
	*p0 = (uint64_t)ret;
	if (ret)
		return 0;
	ev->map_slot = (uint32_t)(r[2] & 0xff);
	ev->flags = r[3];
	ev->len = (uint32_t)(r[5] + ctxlen);
	if (r[5])
		memcpy(ev->data, data, r[5]);
	memcpy(ev->data + r[5], st->pkt + st->data_off, ctxlen);
	e->kind = EFF_EVENT;
	return 0;
}

static void redirect(struct onm_engine *eng, struct onm_core *c,
		     uint64_t *p0, struct onm_heffect *e)
{
	uint64_t flags = c->st.regs[2];

	if (eng->prog_type == 2) {	/* OFFNIC_PROG_TC: bpf_redirect */
		if (flags & ~(uint64_t)BPF_F_INGRESS) {
			*p0 = TC_ACT_SHOT;
			return;
		}
		*p0 = TC_ACT_REDIRECT;
	} else {			/* XDP: bpf_xdp_redirect */
		if (flags) {
			*p0 = ONM_XDP_ABORTED;
			return;
		}
		*p0 = ONM_XDP_REDIRECT;
	}
	e->kind = EFF_REDIRECT;
	e->redirect_ifindex = (uint32_t)c->st.regs[1];
	e->redirect_flags = flags;
}

static uint32_t xorshift32(uint32_t x)
{
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

/* Read half: 0, or -1 with f filled (the bundle faults). */
int onm_helper_exec(struct onm_engine *eng, struct onm_core *c,
		    uint32_t id, uint64_t t_issue, uint64_t *p0,
		    struct onm_heffect *e, struct onm_fault_info *f)
{
	e->kind = EFF_NONE;
	e->move_len = 0;
	e->zero_len = 0;
	switch (id) {
	case ONM_HELPER_MAP_LOOKUP:
		return map_lookup(eng, c, p0, f);
	case ONM_HELPER_MAP_UPDATE:
		return map_update(eng, c, p0, e, f);
	case ONM_HELPER_MAP_DELETE:
		return map_delete(eng, c, p0, e, f);
	case ONM_HELPER_ADJ_HEAD:
	case ONM_HELPER_ADJ_TAIL:
	case ONM_HELPER_ADJ_META:
		adjust(eng, c, id, p0, e);
		return 0;
	case ONM_HELPER_PRANDOM:
		e->kind = EFF_PRANDOM;
		e->prandom = xorshift32(c->st.prandom);
		*p0 = e->prandom;
		return 0;
	case ONM_HELPER_KTIME:
		*p0 = (c->st.clock + t_issue) * eng->cfg.ns_per_cycle;
		return 0;
	case ONM_HELPER_CSUM_DIFF:
		return csum_diff(eng, c, p0, f);
	case ONM_HELPER_EVENT_OUT:
		return event_out(eng, c, p0, e, f);
	case ONM_HELPER_REDIRECT:
		redirect(eng, c, p0, e);
		return 0;
	case ONM_HELPER_CORE_ID:
		*p0 = (uint64_t)(c - eng->cores);
		return 0;
	case ONM_HELPER_BUFF_LEN:
		/* frames are linear: no fragments to add */
		*p0 = (uint64_t)(c->st.data_end_off - c->st.data_off);
		return 0;
	}
	f->cause = ONM_FAULT_BAD_OP;	/* unreachable: decode checks ids */
	f->addr = id;
	return -1;
}

static void push_event(struct onm_engine *eng, struct onm_core *c)
{
	uint32_t tail = (eng->ev_head + eng->ev_count) % eng->cfg.event_slots;
	struct onm_event *ev = &eng->events[tail];

	ev->core = (uint32_t)(c - eng->cores);
	ev->map_slot = eng->ev_stage.map_slot;
	ev->flags = eng->ev_stage.flags;
	ev->len = eng->ev_stage.len;
	memcpy(ev->data, eng->ev_stage.data, ev->len);
	eng->ev_count++;
}

void onm_helper_commit(struct onm_engine *eng, struct onm_core *c,
		       struct onm_heffect *e)
{
	struct onm_arch_state *st = &c->st;

	switch (e->kind) {
	case EFF_MAP_UPDATE:
		onm_map_apply_update(&eng->maps[e->slot], e->bucket,
				     e->is_new, e->key, eng->value_stage);
		break;
	case EFF_MAP_DELETE:
		onm_map_apply_delete(&eng->maps[e->slot], e->bucket);
		break;
	case EFF_PKT:
		if (e->move_len)
			memmove(st->pkt + e->meta_off, st->pkt + e->move_from,
				e->move_len);
		if (e->zero_len)
			memset(st->pkt + e->zero_from, 0, e->zero_len);
		st->data_off = e->data_off;
		st->data_end_off = e->data_end_off;
		st->meta_off = e->meta_off;
		break;
	case EFF_PRANDOM:
		st->prandom = e->prandom;
		break;
	case EFF_EVENT:
		push_event(eng, c);
		break;
	case EFF_REDIRECT:
		st->redirected = 1;
		st->redirect_ifindex = e->redirect_ifindex;
		st->redirect_flags = e->redirect_flags;
		break;
	}
}
