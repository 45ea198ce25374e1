// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The pipeline: validate -> import -> cfg -> passes -> isel -> rename -> schedule ->
 * regalloc -> emit -> self-check.
 */
#include "sched.h"

char *ojit_msgbuf(struct ojit_prog *p)
{
	return p->res->msg[0] ? p->scratch : p->res->msg;
}

int ojit_fail(struct ojit_prog *p, int err, s32 insn, const char *why)
{
	if (p->res->msg[0])
		return err;
	if (insn >= 0)
		ojit_snprintf(p->res->msg, sizeof(p->res->msg), "insn %d: %s", insn, why);
	else
		ojit_snprintf(p->res->msg, sizeof(p->res->msg), "%s", why);
	return err;
}

/*
 * Renaming buys parallelism with registers; when a block's schedule then
 * needs more than p11..p31, fall back to no renaming, then to one
 * micro-op per bundle, which needs only isel's short-lived temporaries.
 */
static int lower_block(struct ojit_prog *p, struct ojit_block *blk,
		       struct ojit_uop *orig)
{
	static const enum ojit_sched_mode mode[] = {
		OJ_SCHED_LIST, OJ_SCHED_LIST, OJ_SCHED_SERIAL
	};
	u32 attempt;
	int err;

	__builtin_memcpy(orig, blk->uops, sizeof(*orig) * blk->n_uops);
	for (attempt = 0; attempt < 3; attempt++) {
		if (attempt)
			__builtin_memcpy(blk->uops, orig, sizeof(*orig) * blk->n_uops);
		else if (!(p->opt->disabled_passes & OJIT_NO_RENAME))
			ojit_rename_block(p, blk);
		err = ojit_schedule_block(p, blk, mode[attempt]);
		if (err)
			return err;
		err = ojit_regalloc_block(p, blk);
		if (err != -OJIT_E2BIG)
			return err;
	}
	return ojit_fail(p, -OJIT_E2BIG, blk->first_insn,
			 "block needs more temporaries than p11..p31");
}

static int lower(struct ojit_prog *p)
{
	struct ojit_uop *orig = NULL;
	u32 b, max = 0;
	int err = 0;

	for (b = 0; b < p->n_blocks; b++)
		if (p->blocks[b].reachable && p->blocks[b].n_uops > max)
			max = p->blocks[b].n_uops;
	orig = ojit_alloc(sizeof(*orig) * (max + 1));
	if (!orig)
		return ojit_fail(p, -OJIT_ENOMEM, -1, "out of memory");
	for (b = 0; b < p->n_blocks && !err; b++) {
		struct ojit_block *blk = &p->blocks[b];

		if (!blk->reachable)
			continue;
		ojit_yield();
		err = lower_block(p, blk, orig);
		p->res->stats.uops += blk->n_uops;
		p->res->stats.critical_path += blk->crit_path;
		p->res->stats.blocks++;
	}
	ojit_free(orig);
	return err;
}

static void count_ir(struct ojit_prog *p)
{
	u32 b, i;

	for (b = 0; b < p->n_blocks; b++) {
		struct ojit_block *blk = &p->blocks[b];

		for (i = 0; blk->reachable && i < blk->n_ops; i++)
			p->res->stats.ir_ops += ojit_block_op(p, blk, i)->kind != OJ_NOP;
	}
}

static void prog_free(struct ojit_prog *p)
{
	u32 b;

	for (b = 0; p->blocks && b < p->n_blocks; b++)
		ojit_free(p->blocks[b].uops);
	ojit_free(p->blocks);
	ojit_free(p->block_of_insn);
	ojit_free(p->live);
	ojit_free(p->ops);
	ojit_free(p->consts);
	ojit_free(p->const_map);
}

static int run_pipeline(struct ojit_prog *p)
{
	int err;

	err = ojit_validate(p);
	if (!err)
		err = ojit_import(p);
	if (!err)
		err = ojit_cfg_build(p);
	if (err)
		return err;
	ojit_cfg_reachability(p);
	ojit_cfg_liveness(p);
	err = ojit_run_passes(p);
	if (!err)
		count_ir(p);
	if (!err)
		err = ojit_isel(p);
	if (!err)
		err = lower(p);
	if (!err && !(p->opt->disabled_passes & OJIT_NO_BRMERGE))
		err = ojit_merge_branches(p);
	if (!err)
		err = ojit_emit(p);
	if (!err)
		err = ojit_selfcheck(p, p->res->image, p->res->image_size);
	return err;
}

int ojit_compile(const struct ojit_input *in, const struct ojit_options *opt,
		 struct ojit_result *res)
{
	struct ojit_prog *p;
	u64 t0 = ojit_time_ns();
	int err;

	__builtin_memset(res, 0, sizeof(*res));
	if (!opt->lanes || opt->lanes > OJIT_MAX_LANES) {
		ojit_snprintf(res->msg, sizeof(res->msg), "%u lanes (1..%u)", opt->lanes,
			      OJIT_MAX_LANES);
		return -OJIT_EINVAL;
	}
	p = ojit_zalloc(sizeof(*p));
	if (!p) {
		ojit_snprintf(res->msg, sizeof(res->msg), "out of memory");
		return -OJIT_ENOMEM;
	}
	p->in = in;
	p->opt = opt;
	p->res = res;
	p->lanes = opt->lanes;
	err = run_pipeline(p);
	res->stats.bpf_insns = in->n_insns;
	res->stats.bundles = p->n_bundles;
	res->stats.consts = p->n_consts;
	if (err) {
		ojit_free(res->image);
		res->image = NULL;
		res->image_size = 0;
	}
	prog_free(p);
	ojit_free(p);
	res->stats.jit_ns = ojit_time_ns() - t0;
	return err;
}
