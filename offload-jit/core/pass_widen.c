// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Widening byte copies: what compilers emit for __builtin_memcpy between
 * differently aligned objects, a run of "x = *(u8 *)(A + o); *(u8 *)(B +
 * o + d) = x" pairs, becomes 8/4/2/1-byte load/store pairs (hXDP added
 * 6-byte memory ops to the ISA for the same reason; offnic's unaligned
 * accesses do it with what exists).
 *
 * Safe when the run covers one contiguous source range exactly once with
 * one common displacement d, A and B are in different address spaces (so
 * the order of the loads and stores does not matter), A and B are not
 * written in the run, and every register the run writes is dead after it.
 * The wide accesses touch exactly the bytes the verifier checked.
 */
#include "passes.h"

#define REG_BIT(r)	((u16)(1U << (r)))
#define MAX_RUN		32

struct copy_pair {
	struct ojit_op *ld;
	struct ojit_op *st;
};

static bool plain_byte(const struct ojit_op *op, u8 kind)
{
	return op->kind == kind && op->size == 1 &&
	       !(op->flags & (OJ_F_SEXT | OJ_F_BSWAP | OJ_F_IMM | OJ_F_WITNESS));
}

static int space_class(u8 space)
{
	switch (space) {
	case OJIT_PTR_PKT:
	case OJIT_PTR_PKT_META:
		return 1;
	case OJIT_PTR_STACK:
		return 2;
	case OJIT_PTR_MAP_VALUE:
		return 3;
	}
	return 0;
}

/* Collect the run of copy pairs starting at op index i; returns its length */
static u32 collect(struct ojit_prog *p, struct ojit_block *blk, u32 i,
		   struct copy_pair *run, u32 *end)
{
	struct ojit_op *ld, *st;
	u32 n = 0, j;

	for (j = i; n < MAX_RUN;) {
		ld = ojit_next_op(p, blk, &j);
		if (!ld || !plain_byte(ld, OJ_LD))
			break;
		j++;
		st = ojit_next_op(p, blk, &j);
		if (!st || !plain_byte(st, OJ_ST) || st->b != ld->dst ||
		    ld->dst == ld->a || ld->dst == st->a)
			break;
		if (n && (ld->a != run[0].ld->a || st->a != run[0].st->a ||
			  ld->space != run[0].ld->space || st->space != run[0].st->space ||
			  st->off - ld->off != run[0].st->off - run[0].ld->off))
			break;
		run[n].ld = ld;
		run[n++].st = st;
		*end = j++;
	}
	return n;
}

static bool contiguous(const struct copy_pair *run, u32 n, s32 *first)
{
	u64 seen = 0;
	u32 k;

	*first = run[0].ld->off;
	for (k = 1; k < n; k++)
		if (run[k].ld->off < *first)
			*first = run[k].ld->off;
	for (k = 0; k < n; k++) {
		s32 at = run[k].ld->off - *first;

		if (at >= MAX_RUN || (seen & (1ULL << at)))
			return false;
		seen |= 1ULL << at;
	}
	return seen == (1ULL << n) - 1;
}

/* Rewrite the run into chunks; the unused pair slots become NOPs */
static int widen(const struct copy_pair *run, u32 n, s32 first)
{
	const struct copy_pair *slots = run;
	s32 d = run[0].st->off - run[0].ld->off, at = first;
	struct ojit_op ld0 = *run[0].ld, st0 = *run[0].st;
	u32 k, used = 0, size;
	s32 lo[MAX_RUN], so[MAX_RUN];

	/* stack offsets by source offset, before the slots are rewritten */
	for (k = 0; k < n; k++) {
		lo[run[k].ld->off - first] = run[k].ld->stack_off;
		so[run[k].ld->off - first] = run[k].st->stack_off;
	}
	while (at < first + (s32)n) {
		u32 left = first + n - at;

		size = left >= 8 ? 8 : left >= 4 ? 4 : left >= 2 ? 2 : 1;
		slots[used].ld->dst = ld0.dst;
		slots[used].ld->off = at;
		slots[used].ld->size = size;
		slots[used].ld->a = ld0.a;
		slots[used].ld->stack_off = lo[at - first];
		slots[used].ld->flags = ld0.flags;
		slots[used].ld->space = ld0.space;
		slots[used].st->b = ld0.dst;
		slots[used].st->off = at + d;
		slots[used].st->size = size;
		slots[used].st->a = st0.a;
		slots[used].st->stack_off = so[at - first];
		slots[used].st->flags = st0.flags;
		slots[used].st->space = st0.space;
		used++;
		at += size;
	}
	for (k = used; k < n; k++) {
		slots[k].ld->kind = OJ_NOP;
		slots[k].st->kind = OJ_NOP;
	}
	return (int)(2 * (n - used));
}

static bool run_is_safe(struct ojit_prog *p, struct ojit_block *blk,
			const struct copy_pair *run, u32 n, u32 end)
{
	u16 written = 0, live = blk->live_out;
	int cs, cd;
	u32 k, i;

	if (n < 2)
		return false;
	cs = space_class(run[0].ld->space);
	cd = space_class(run[0].st->space);
	if (!cs || !cd || cs == cd)
		return false;
	for (k = 0; k < n; k++)
		written |= REG_BIT(run[k].ld->dst);
	if (written & (REG_BIT(run[0].ld->a) | REG_BIT(run[0].st->a)))
		return false;
	/* dead after the run: not read before being written again */
	for (i = end + 1; i < blk->n_ops && written; i++) {
		const struct ojit_op *op = ojit_block_op(p, blk, i);

		if (ojit_op_uses(op) & written)
			return false;
		written &= ~ojit_op_defs(op);
	}
	return !(written & live);
}

int ojit_pass_widen(struct ojit_prog *p)
{
	struct copy_pair run[MAX_RUN];
	u32 b, i, n, end;
	s32 first;
	int changed = 0;

	for (b = 0; b < p->n_blocks; b++) {
		struct ojit_block *blk = &p->blocks[b];

		for (i = 0; blk->reachable && i < blk->n_ops; i++) {
			n = collect(p, blk, i, run, &end);
			if (!run_is_safe(p, blk, run, n, end) || !contiguous(run, n, &first))
				continue;
			changed += widen(run, n, first);
			i = end;
		}
	}
	return changed;
}
