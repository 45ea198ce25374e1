// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Tagged-pointer bounds checks: bits [63:60] of an address name its
 * space; every access is checked against that space before any memory
 * is touched.  CTX is handled by exec_mem.c (it is fields, not bytes).
 */
#include "onm_internal.h"

#define TAG(p)		((uint32_t)((p) >> 60))
#define LOW16_ONLY	0x0fffffffffff0000ULL	/* bits [59:16] must be 0 */
#define MAPVAL_RSVD	0x000fffff00000000ULL	/* bits [51:32] must be 0 */

static uint8_t *fail(struct onm_fault_info *f, uint32_t cause, uint64_t ptr)
{
	f->cause = cause;
	f->addr = ptr;
	return NULL;
}

/*
 * [off, off + size) lies within [0, end).  size is a helper's argument
 * and may be anything up to 2^64 - 1: compare, never add.
 */
static int fits(uint64_t off, uint64_t size, uint64_t end)
{
	return size <= end && off <= end - size;
}

static uint8_t *resolve_mapval(struct onm_engine *eng, uint64_t ptr,
			       uint64_t size, struct onm_fault_info *f)
{
	struct onm_map *m = onm_map_get(eng, (int)((ptr >> 52) & 0xff));
	uint64_t off = ptr & 0xffffffffULL;
	uint64_t entry;

	if (!m || m->def.type == ONM_MAP_PERF_EVENT)
		return fail(f, ONM_FAULT_BAD_MAP, ptr);
	if (ptr & MAPVAL_RSVD)
		return fail(f, ONM_FAULT_OOB, ptr);
	entry = off / m->stride;
	if (entry >= m->n_buckets || !fits(off % m->stride, size, m->def.value_size))
		return fail(f, ONM_FAULT_OOB, ptr);
	if (m->state && m->state[entry] != ONM_BUCKET_LIVE)
		return fail(f, ONM_FAULT_OOB, ptr);
	return m->values + off;
}

/*
 * Host address of [ptr, ptr + size) in the PKT, STACK or MAPVAL space,
 * or NULL with the fault filled in.  size may be 0 only for helper
 * buffers; callers skip the check for empty buffers.
 */
uint8_t *onm_resolve_buf(struct onm_engine *eng, struct onm_core *c,
			 uint64_t ptr, uint64_t size,
			 struct onm_fault_info *f)
{
	struct onm_arch_state *st = &c->st;
	uint64_t off = ptr & 0xffff;

	switch (TAG(ptr)) {
	case ONM_SPACE_PKT:
		if ((ptr & LOW16_ONLY) || off < st->meta_off ||
		    !fits(off, size, st->data_end_off))
			return fail(f, ONM_FAULT_OOB, ptr);
		return st->pkt + off;
	case ONM_SPACE_STACK:
		if ((ptr & LOW16_ONLY) || !fits(off, size, ONM_STACK_BYTES))
			return fail(f, ONM_FAULT_OOB, ptr);
		return st->stack + off;
	case ONM_SPACE_MAPVAL:
		return resolve_mapval(eng, ptr, size, f);
	default:
		return fail(f, ONM_FAULT_BAD_SPACE, ptr);
	}
}
