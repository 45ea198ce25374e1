// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * LD, ST and ATOMIC.  Address = ra + sext(imm32); the space checks are
 * in spaces.c, the context fields are here.  Nothing is written until
 * the bundle commits (onm_memw_apply in lane order).
 */
#include "onm_internal.h"

#define LOW16_ONLY	0x0fffffffffff0000ULL

static uint64_t sext_bytes(uint64_t v, unsigned int n)
{
	unsigned int sh = 64 - 8 * n;

	return (uint64_t)((int64_t)(v << sh) >> sh);
}

/* Context field index of an 8-byte access at ptr, or -1 with f set. */
static int ctx_field(uint64_t ptr, unsigned int size, int write,
		     struct onm_fault_info *f)
{
	uint64_t off = ptr & 0xffff;
	uint64_t idx = off / 8;

	f->addr = ptr;
	if ((ptr & LOW16_ONLY) || size != 8 || off % 8 ||
	    idx >= ONM_ISA_CTX_FIELDS || !onm_ctx_table[idx].mnemonic) {
		f->cause = ONM_FAULT_OOB;
		return -1;
	}
	if (write && !onm_ctx_table[idx].writable) {
		f->cause = ONM_FAULT_RO;
		return -1;
	}
	return (int)idx;
}

static uint64_t ctx_read(const struct onm_arch_state *st, int idx)
{
	const uint64_t pkt = (uint64_t)ONM_SPACE_PKT << 60;

	switch (idx) {
	case ONM_CTX_DATA:	return pkt | st->data_off;
	case ONM_CTX_DATA_END:	return pkt | st->data_end_off;
	case ONM_CTX_DATA_META:	return pkt | st->meta_off;
	case ONM_CTX_LEN:	return st->data_end_off - st->data_off;
	}
	return st->ctx[idx];
}

int onm_exec_load(struct onm_engine *eng, struct onm_core *c,
		  const struct onm_uop *u, uint64_t *val,
		  struct onm_fault_info *f)
{
	uint64_t addr = c->st.regs[u->ra] + (uint64_t)u->imm;
	unsigned int n = 1U << u->ext;
	const uint8_t *p;
	uint64_t v;
	int idx;

	if ((addr >> 60) == ONM_SPACE_CTX) {
		idx = ctx_field(addr, n, 0, f);
		if (idx < 0)
			return -1;
		v = ctx_read(&c->st, idx);
	} else {
		p = onm_resolve_buf(eng, c, addr, n, f);
		if (!p)
			return -1;
		v = onm_load_le(p, n);
	}
	if (u->bswap)
		v = onm_bswap_n(v, n);
	if (u->sext)
		v = sext_bytes(v, n);
	*val = v;
	return 0;
}

int onm_exec_store(struct onm_engine *eng, struct onm_core *c,
		   const struct onm_uop *u, struct onm_memw *w,
		   struct onm_fault_info *f)
{
	uint64_t addr = c->st.regs[u->ra] + (uint64_t)u->imm;
	unsigned int n = 1U << u->ext;
	uint64_t v = c->st.regs[u->rb];
	int idx;

	w->p = NULL;
	w->ctx = NULL;
	w->size = (uint8_t)n;
	w->v = u->bswap ? onm_bswap_n(v, n) : v;
	if ((addr >> 60) == ONM_SPACE_CTX) {
		idx = ctx_field(addr, n, 1, f);
		if (idx < 0)
			return -1;
		w->ctx = &c->st.ctx[idx];
		return 0;
	}
	w->p = onm_resolve_buf(eng, c, addr, n, f);
	return w->p ? 0 : -1;
}

int onm_exec_atomic(struct onm_engine *eng, struct onm_core *c,
		    const struct onm_uop *u, uint64_t *rd_val,
		    struct onm_memw *w, struct onm_fault_info *f)
{
	const uint64_t *r = c->st.regs;
	uint64_t addr = r[u->ra] + (uint64_t)u->imm;
	unsigned int n = u->w32 ? 4 : 8;
	uint64_t mask = u->w32 ? 0xffffffffULL : ~0ULL;
	uint64_t tag = addr >> 60;
	uint64_t old;

	if (tag != ONM_SPACE_STACK && tag != ONM_SPACE_MAPVAL) {
		f->cause = ONM_FAULT_BAD_SPACE;
		f->addr = addr;
		return -1;
	}
	w->ctx = NULL;
	w->p = onm_resolve_buf(eng, c, addr, n, f);
	if (!w->p)
		return -1;
	old = onm_load_le(w->p, n);
	*rd_val = old;
	w->size = (uint8_t)n;
	if (u->ext == ONM_AOP_CMPXCHG) {
		if (old != (r[u->rd] & mask))
			w->size = 0;	/* compare failed: no write */
		w->v = r[u->rb] & mask;
		return 0;
	}
	w->v = onm_atomic_new(u->ext, old, r[u->rb] & mask) & mask;
	return 0;
}

void onm_memw_apply(const struct onm_memw *w)
{
	if (w->ctx)
		*w->ctx = w->v;
	else if (w->size)
		onm_store_le(w->p, w->size, w->v);
}
