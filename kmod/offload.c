// SPDX-License-Identifier: GPL-2.0
/*
 * offnic BPF offload: the bpf_prog_offload_ops the verifier calls.
 *
 * prepare   snapshot the instructions (helper ids and map pointers are
 *           still intact here) and build the program's map table; a
 *           program over the JIT's limit gets no snapshot (nothing is
 *           allocated for it) and is refused at its first instruction
 * insn_hook refuse what the device cannot run, through the verifier log,
 *           and record what the verifier knows of each register, merged
 *           over every visit
 * finalize  take zero-extension needs and compile, once: instructions the
 *           verifier never visited are dead code, which the JIT validates
 *           and compiles as a trap, so the image equals what the
 *           verifier's dead-code removal leaves.  A program the JIT
 *           refuses fails to load with the reason in the log.  The
 *           snapshot is freed.
 * replace_insn/remove_insns
 *           the dead-code optimisation, after finalize: nothing left to do,
 *           but present so that the core does not flag opt_failed
 * translate hand the finalize image over as jited_image
 * destroy   free it all
 *
 * All of them run in process context under bpf_devs_lock, an rwsem taken
 * for read (kernel/bpf/offload.c), so the JIT may sleep and yields in its
 * long loops (ojit_yield() is cond_resched()).
 */
#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/filter.h>
#include <linux/slab.h>
#include <linux/tnum.h>

#include "offnic.h"
#include "ojit.h"
#include "ojit_names.h"

#define offnic_vlog(env, fmt, ...) \
	bpf_verifier_log_write(env, "[offnic] " fmt, ##__VA_ARGS__)

static struct offnic_prog *offnic_prog_of(const struct bpf_prog *prog)
{
	return prog->aux->offload->dev_priv;
}

static bool offnic_is_map_ldimm(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW) &&
	       (insn->src_reg == BPF_PSEUDO_MAP_FD ||
		insn->src_reg == BPF_PSEUDO_MAP_IDX);
}

static int offnic_map_index(struct offnic_prog *op, struct bpf_map *map)
{
	struct ojit_map_desc *d;
	u32 i;

	for (i = 0; i < op->n_maps; i++)
		if (op->maps[i] == map)
			return i;
	if (op->n_maps == OFFNIC_MAX_MAPS)
		return -E2BIG;

	/* The verifier checked before prepare() that every map of a bound
	 * program is bound to the same device, or is offload-neutral (a
	 * perf event array, which stays on the host).
	 */
	d = &op->map_descs[op->n_maps];
	switch (map->map_type) {
	case BPF_MAP_TYPE_HASH:
		d->type = OFFNIC_MAP_HASH;
		break;
	case BPF_MAP_TYPE_ARRAY:
		d->type = OFFNIC_MAP_ARRAY;
		break;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		d->type = OFFNIC_MAP_PERF_EVENT;
		break;
	default:
		return -EOPNOTSUPP;
	}
	d->key_size = map->key_size;
	d->value_size = map->value_size;
	d->max_entries = map->max_entries;
	d->flags = map->map_flags;
	op->maps[op->n_maps] = map;
	return op->n_maps++;
}

static int offnic_bpf_prepare(struct bpf_prog *prog)
{
	struct bpf_prog_offload *offload = prog->aux->offload;
	struct offnic *nic = bpf_offload_dev_priv(offload->offdev);
	struct offnic_prog *op;
	u32 i, n = prog->len;

	op = kzalloc(sizeof(*op), GFP_KERNEL);
	if (!op)
		return -ENOMEM;
	op->nic = nic;
	op->n_insns = n;
	if (n > OJIT_MAX_INSNS) {
		/* no snapshot: insn_hook refuses it with the reason */
		offload->dev_priv = op;
		return 0;
	}
	op->insns = kvcalloc(n, sizeof(*op->insns), GFP_KERNEL);
	op->facts = kvcalloc(n, sizeof(*op->facts), GFP_KERNEL);
	if (!op->insns || !op->facts)
		goto err_free;
	op->prog_type = prog->type == BPF_PROG_TYPE_XDP ? OFFNIC_PROG_XDP :
							   OFFNIC_PROG_TC;
	BUILD_BUG_ON(sizeof(*op->insns) != sizeof(struct bpf_insn));
	memcpy(op->insns, prog->insnsi, n * sizeof(struct bpf_insn));

	for (i = 0; i < n; i++) {
		const struct bpf_insn *insn = &prog->insnsi[i];
		struct bpf_map *map;
		int idx;

		op->facts[i].map_idx = -1;
		if (!offnic_is_map_ldimm(insn) || i + 1 == n)
			continue;
		/* resolve_pseudo_ldimm64 left the map pointer in the imms */
		map = (struct bpf_map *)(unsigned long)
		      ((u32)insn[0].imm | ((u64)(u32)insn[1].imm << 32));
		idx = offnic_map_index(op, map);
		if (idx < 0) {
			dev_info(&nic->pdev->dev,
				 "insn %u: map type %s (%u) cannot be offloaded\n",
				 i, ojit_bpf_map_type_name(map->map_type) ?: "unknown",
				 map->map_type);
			goto err_free;
		}
		op->facts[i].map_idx = idx;
		i++;
	}
	offload->dev_priv = op;
	return 0;

err_free:
	kvfree(op->facts);
	kvfree(op->insns);
	kfree(op);
	return -EOPNOTSUPP;
}

static void offnic_reg_fact(struct ojit_reg_fact *f,
			    const struct bpf_reg_state *reg)
{
	bool is_const = tnum_is_const(reg->var_off);

	memset(f, 0, sizeof(*f));
	switch (base_type(reg->type)) {
	case SCALAR_VALUE:
		f->kind = OJIT_PTR_SCALAR;
		f->is_const = is_const;
		f->val = reg->var_off.value;
		return;
	case PTR_TO_CTX:
		f->kind = OJIT_PTR_CTX;
		break;
	case PTR_TO_PACKET:
		f->kind = OJIT_PTR_PKT;
		break;
	case PTR_TO_PACKET_END:
		f->kind = OJIT_PTR_PKT_END;
		break;
	case PTR_TO_PACKET_META:
		f->kind = OJIT_PTR_PKT_META;
		break;
	case PTR_TO_STACK:
		f->kind = OJIT_PTR_STACK;
		break;
	case PTR_TO_MAP_VALUE:
		f->kind = OJIT_PTR_MAP_VALUE;
		break;
	case CONST_PTR_TO_MAP:
		f->kind = OJIT_PTR_MAP;
		break;
	default:
		f->kind = OJIT_PTR_NONE;
		return;
	}
	f->const_off = is_const;
	f->off = reg->off + (is_const ? (s32)reg->var_off.value : 0);
}

/* What holds on every path: keep only what all visits agree on. */
static void offnic_merge_fact(struct ojit_reg_fact *old,
			      const struct ojit_reg_fact *new, bool first)
{
	if (first) {
		*old = *new;
		return;
	}
	if (old->kind != new->kind) {
		memset(old, 0, sizeof(*old));
		return;
	}
	if (!new->const_off || old->off != new->off)
		old->const_off = 0;
	if (!new->is_const || old->val != new->val)
		old->is_const = 0;
}

static int offnic_bpf_insn_hook(struct bpf_verifier_env *env, int idx,
				int prev_idx)
{
	struct offnic_prog *op = offnic_prog_of(env->prog);
	const struct bpf_reg_state *regs = cur_regs(env);
	const struct ojit_bpf_insn *insn;
	struct ojit_insn_facts *facts;
	struct ojit_reg_fact f;
	char msg[160];
	bool first;
	int err;

	if (!op->insns) {
		offnic_vlog(env, "program of %u instructions (the device takes %u)\n",
			    op->n_insns, OJIT_MAX_INSNS);
		return -E2BIG;
	}
	if (idx < 0 || idx >= op->n_insns)
		return -EINVAL;
	if (READ_ONCE(op->nic->knobs.reject_verify)) {
		offnic_vlog(env, "insn %d: refused by the debugfs knob reject_verify\n",
			    idx);
		return -EOPNOTSUPP;
	}
	err = ojit_check_insn(op->insns, op->n_insns, idx, op->prog_type,
			      msg, sizeof(msg));
	if (err) {
		offnic_vlog(env, "%s\n", msg);
		return err;
	}

	insn = &op->insns[idx];
	facts = &op->facts[idx];
	first = !(facts->flags & OJIT_FACT_SEEN);
	facts->flags |= OJIT_FACT_SEEN;
	if (insn->dst_reg < MAX_BPF_REG) {
		offnic_reg_fact(&f, &regs[insn->dst_reg]);
		offnic_merge_fact(&facts->dst, &f, first);
	}
	if (insn->src_reg < MAX_BPF_REG) {
		offnic_reg_fact(&f, &regs[insn->src_reg]);
		offnic_merge_fact(&facts->src, &f, first);
	}
	return 0;
}

static int offnic_compile(struct offnic_prog *op, u32 stack_depth,
			  char *msg, size_t msg_size)
{
	struct ojit_options opt = {
		.lanes = op->nic->ident.lanes ? op->nic->ident.lanes : 4,
	};
	struct ojit_input in = {
		.insns = op->insns,
		.n_insns = op->n_insns,
		.facts = op->facts,
		.maps = op->map_descs,
		.n_maps = op->n_maps,
		.prog_type = op->prog_type,
		.stack_depth = stack_depth,
	};
	struct ojit_result *res;
	int err;

	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	err = ojit_compile(&in, &opt, res);
	if (err) {
		strscpy(msg, res->msg, msg_size);
		kfree(res);
		return err;
	}
	ojit_free(op->image);
	op->image = res->image;
	op->image_len = res->image_size;
	op->stats = res->stats;
	kfree(res);
	return 0;
}

static int offnic_bpf_finalize(struct bpf_verifier_env *env)
{
	struct offnic_prog *op = offnic_prog_of(env->prog);
	char msg[160];
	u32 i;
	int err;

	/* No instruction was removed yet: indices are still the original. */
	for (i = 0; i < op->n_insns; i++)
		if (env->insn_aux_data[i].zext_dst)
			op->facts[i].flags |= OJIT_FACT_ZEXT_DST;

	err = offnic_compile(op, env->prog->aux->stack_depth, msg, sizeof(msg));
	if (err)
		offnic_vlog(env, "%s\n", msg);
	kvfree(op->facts);
	kvfree(op->insns);
	op->facts = NULL;
	op->insns = NULL;
	return err;
}

/* The image was compiled in finalize, dead code included as traps that no
 * path reaches: what the verifier now removes changes nothing on the
 * device.  Accepting it keeps offload->opt_failed clear.
 */
static int offnic_bpf_replace_insn(struct bpf_verifier_env *env, u32 off,
				   struct bpf_insn *insn)
{
	return 0;
}

static int offnic_bpf_remove_insns(struct bpf_verifier_env *env, u32 off,
				   u32 cnt)
{
	return 0;
}

/* Compiled once, in finalize: hand that image over */
static int offnic_bpf_translate(struct bpf_prog *prog)
{
	struct offnic_prog *op = offnic_prog_of(prog);

	if (!op->image)
		return -EINVAL;
	prog->aux->offload->jited_image = op->image;
	prog->aux->offload->jited_len = op->image_len;
	return 0;
}

static void offnic_bpf_destroy(struct bpf_prog *prog)
{
	struct offnic_prog *op = offnic_prog_of(prog);

	ojit_free(op->image);
	kvfree(op->facts);
	kvfree(op->insns);
	kfree(op);
}

static const struct bpf_prog_offload_ops offnic_bpf_dev_ops = {
	.prepare	= offnic_bpf_prepare,
	.insn_hook	= offnic_bpf_insn_hook,
	.finalize	= offnic_bpf_finalize,
	.replace_insn	= offnic_bpf_replace_insn,
	.remove_insns	= offnic_bpf_remove_insns,
	.translate	= offnic_bpf_translate,
	.destroy	= offnic_bpf_destroy,
};

int offnic_offload_init(struct offnic *nic)
{
	nic->bpf_dev = bpf_offload_dev_create(&offnic_bpf_dev_ops, nic);
	return PTR_ERR_OR_ZERO(nic->bpf_dev);
}

void offnic_offload_fini(struct offnic *nic)
{
	bpf_offload_dev_destroy(nic->bpf_dev);
}
