// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Registers.  BPF r0..r10 live in p0..p10 throughout; p11..p31 hold
 * temporaries: isel's, and the ones renaming creates.
 *
 * rename (before scheduling): a write to a BPF register whose value never
 * leaves the block (the register is written again later in the block, or
 * is dead at its end) and that follows an earlier access to the same
 * register gets a fresh temporary, so the WAR/WAW order on the BPF
 * register no longer serialises the schedule.
 *
 * regalloc (after scheduling): linear scan of the temporaries' live
 * ranges in bundles over p11..p31.  A register freed by a last read in
 * bundle b can be written in bundle b (reads come before writes).
 */
#include "sched.h"

#define N_TEMP_REGS	(ONM_ISA_NUM_REGS - OJ_FIRST_TEMP)
#define MAX_RENAMES	12

static bool implicit_use(const struct ojit_uop *u)
{
	/* EXIT too: the verdict stays in p0, where hosts look for r0 */
	return u->opc == ONM_OP_HCALL || u->opc == ONM_OP_CALL || u->opc == ONM_OP_RET ||
	       u->opc == ONM_OP_EXIT ||
	       (u->opc == ONM_OP_ATOMIC && u->rd != OJ_NOREG);
}

static bool accesses(const struct ojit_uop *u, u16 reg)
{
	u16 regs[OJ_MAX_READS];
	u32 n = ojit_uop_reads(u, regs), k;

	for (k = 0; k < n; k++)
		if (regs[k] == reg)
			return true;
	return ojit_uop_writes(u) == reg;
}

/* Uses of the value uop i writes, up to its next writer; false if the
 * value escapes the block or is read implicitly
 */
static bool value_is_local(struct ojit_block *blk, u32 i, u32 *end)
{
	u16 reg = blk->uops[i].rd, regs[OJ_MAX_READS];
	u32 j, n, k;

	for (j = i + 1; j < blk->n_uops; j++) {
		const struct ojit_uop *u = &blk->uops[j];

		n = ojit_uop_reads(u, regs);
		for (k = 0; k < n; k++)
			if (regs[k] == reg && implicit_use(u))
				return false;
		if (ojit_uop_writes(u) == reg) {
			*end = j;
			return !(n && accesses(u, reg) && implicit_use(u));
		}
	}
	*end = blk->n_uops;
	return !(blk->live_out & (1U << reg));
}

static void rename_uses(struct ojit_block *blk, u32 from, u32 to, u16 reg, u16 t)
{
	u32 j;

	for (j = from; j < to; j++) {
		struct ojit_uop *u = &blk->uops[j];

		if (u->ra == reg)
			u->ra = t;
		if (u->rb == reg && !u->i)
			u->rb = t;
	}
	if (to < blk->n_uops) {
		struct ojit_uop *u = &blk->uops[to];

		if (u->ra == reg)
			u->ra = t;
		if (u->rb == reg && !u->i)
			u->rb = t;
	}
}

int ojit_rename_block(struct ojit_prog *p, struct ojit_block *blk)
{
	u32 i, j, end, renamed = 0;
	u16 reg, t;

	for (i = 0; i < blk->n_uops && renamed < MAX_RENAMES; i++) {
		struct ojit_uop *u = &blk->uops[i];
		bool earlier = false;

		reg = u->rd;
		if (reg >= OJ_FIRST_TEMP || u->opc == ONM_OP_HCALL ||
		    u->opc == ONM_OP_ATOMIC || (u->flags & OJ_U_FIXED))
			continue;
		for (j = 0; j < i && !earlier; j++)
			earlier = accesses(&blk->uops[j], reg);
		if (!earlier || !value_is_local(blk, i, &end))
			continue;
		t = p->n_vregs < OJ_NOREG ? p->n_vregs++ : OJ_NOREG;
		if (t == OJ_NOREG)
			return 0;
		u->rd = t;
		/* the next writer may read the old value too (r = r + 1) */
		rename_uses(blk, i + 1, end, reg, t);
		renamed++;
	}
	return 0;
}

struct live_range {
	u32 def;
	u32 end;
	u16 vreg;
	u8 preg;
	u8 used;
};

static int assign(struct live_range *lr, u32 n)
{
	u32 free_at[N_TEMP_REGS] = { 0 };
	u32 i, k;

	/* ranges are created in program order; allocate by def bundle */
	for (i = 1; i < n; i++) {
		struct live_range x = lr[i];

		for (k = i; k > 0 && lr[k - 1].def > x.def; k--)
			lr[k] = lr[k - 1];
		lr[k] = x;
	}
	for (i = 0; i < n; i++) {
		for (k = 0; k < N_TEMP_REGS && free_at[k] > lr[i].def; k++)
			;
		if (k == N_TEMP_REGS)
			return -OJIT_E2BIG;
		lr[i].preg = OJ_FIRST_TEMP + k;
		free_at[k] = lr[i].end;
	}
	return 0;
}

static struct live_range *find_range(struct live_range *lr, u32 n, u16 vreg)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (lr[i].vreg == vreg)
			return &lr[i];
	return NULL;
}

static u16 preg_of(struct live_range *lr, u32 n, u16 vreg)
{
	struct live_range *r;

	if (vreg == OJ_NOREG || vreg < OJ_FIRST_TEMP)
		return vreg;
	r = find_range(lr, n, vreg);
	return r ? r->preg : OJ_NOREG;
}

static u32 collect_ranges(struct ojit_block *blk, struct live_range *lr)
{
	u16 regs[OJ_MAX_READS];
	u32 n = 0, i, k, c;

	for (i = 0; i < blk->n_uops; i++) {
		struct ojit_uop *u = &blk->uops[i];
		u16 w = ojit_uop_writes(u);
		struct live_range *r;

		c = ojit_uop_reads(u, regs);
		for (k = 0; k < c; k++) {
			r = regs[k] >= OJ_FIRST_TEMP ? find_range(lr, n, regs[k]) : NULL;
			if (r && u->bundle > r->end)
				r->end = u->bundle;
		}
		if (w != OJ_NOREG && w >= OJ_FIRST_TEMP && !find_range(lr, n, w)) {
			lr[n].vreg = w;
			lr[n].def = u->bundle;
			lr[n].end = u->bundle + 1;
			n++;
		}
	}
	return n;
}

int ojit_regalloc_block(struct ojit_prog *p, struct ojit_block *blk)
{
	struct live_range *lr;
	u32 n, i;
	int err;

	lr = ojit_zalloc(sizeof(*lr) * (blk->n_uops + 1));
	if (!lr)
		return ojit_fail(p, -OJIT_ENOMEM, -1, "out of memory");
	n = collect_ranges(blk, lr);
	err = assign(lr, n);
	if (err)
		goto out;
	for (i = 0; i < blk->n_uops; i++) {
		struct ojit_uop *u = &blk->uops[i];

		u->rd = preg_of(lr, n, u->rd);
		u->ra = preg_of(lr, n, u->ra);
		if (!u->i)
			u->rb = preg_of(lr, n, u->rb);
	}
out:
	ojit_free(lr);
	return err;
}
