// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * emit: lay the blocks out in BPF order, resolve branch targets to bundle
 * numbers, encode micro-ops into words and write the image
 * (hw/include/offnic_image.h).
 */
#include "ojit_int.h"

static u8 reg_field(u16 reg)
{
	return reg == OJ_NOREG ? 0 : reg;
}

/* The uop's fields as the format uses them, the rest 0: canonical */
static u64 encode(const struct ojit_prog *p, const struct ojit_uop *u)
{
	struct onm_ufields f = { .op = u->opc };
	u8 fmt = onm_op_table[u->opc].fmt;

	switch (fmt) {
	case ONM_FMT_N:
		break;
	case ONM_FMT_J:
		f.target = p->blocks[u->target].start_bundle;
		break;
	case ONM_FMT_B:
		f.cond = u->cond;
		f.w32 = u->w32;
		f.ra = reg_field(u->ra);
		f.rb = u->i ? 0 : reg_field(u->rb);
		f.i = u->i;
		f.target = p->blocks[u->target].start_bundle;
		f.imm = u->i ? u->imm : 0;
		break;
	case ONM_FMT_X:
		f.i = u->i;
		f.ra = u->i ? 0 : reg_field(u->ra);
		f.imm = u->i ? u->imm : 0;
		break;
	default:
		f.rd = reg_field(u->rd);
		f.ra = reg_field(u->ra);
		f.rb = u->i ? 0 : reg_field(u->rb);
		f.i = u->i;
		f.fn = u->fn;
		/* an R-format op has an immediate only with i */
		f.imm = fmt == ONM_FMT_R && !u->i ? 0 : u->imm;
	}
	return onm_encode(&f);
}

static void layout(struct ojit_prog *p)
{
	u32 b, next = 0;

	for (b = 0; b < p->n_blocks; b++) {
		p->blocks[b].start_bundle = next;
		if (p->blocks[b].reachable)
			next += p->blocks[b].n_bundles;
	}
	p->n_bundles = next;
}

static void write_bundles(struct ojit_prog *p, u64 *words, u32 *lines)
{
	u32 b, i, bundle, lane;
	u8 used[OJIT_MAX_LANES];

	for (b = 0; b < p->n_blocks; b++) {
		struct ojit_block *blk = &p->blocks[b];

		if (!blk->reachable)
			continue;
		for (bundle = 0; bundle < blk->n_bundles; bundle++) {
			u32 at = blk->start_bundle + bundle;

			__builtin_memset(used, 0, sizeof(used));
			lines[at] = blk->first_insn;
			for (i = 0, lane = 0; i < blk->n_uops; i++) {
				struct ojit_uop *u = &blk->uops[i];

				if (u->bundle != bundle)
					continue;
				if (!lane || u->insn < lines[at])
					lines[at] = u->insn;
				words[(u64)at * p->lanes + lane++] = encode(p, u);
			}
		}
	}
}

int ojit_emit(struct ojit_prog *p)
{
	struct offnic_image_hdr h = { 0 }, *hdr;
	struct offnic_image_reloc *rel;
	struct offnic_image_map *maps;
	u32 n_relocs = 0, i, k;
	unsigned long size;
	u64 *words, *consts;
	u32 *lines;
	u8 *img;

	layout(p);
	if (p->n_bundles > ONM_ISA_MAX_BUNDLES)
		return ojit_fail_fmt(p, -OJIT_E2BIG, "%u bundles (device holds %u)",
				     p->n_bundles, ONM_ISA_MAX_BUNDLES);
	for (i = 0; i < p->n_consts; i++)
		n_relocs += p->const_map[i] >= 0;
	h.magic = OFFNIC_IMG_MAGIC;
	h.version = OFFNIC_IMG_VERSION;
	h.lanes = p->lanes;
	h.n_bundles = p->n_bundles;
	h.n_consts = p->n_consts;
	h.n_relocs = n_relocs;
	h.n_maps = p->in->n_maps;
	h.prog_type = p->in->prog_type;
	h.stack_size = p->stack_size;
	h.flags = OFFNIC_IMG_F_LINES;
	h.bpf_insns = p->in->n_insns;
	size = offnic_image_size(&h);
	img = ojit_zalloc(size);
	if (!img)
		return ojit_fail(p, -OJIT_ENOMEM, -1, "out of memory");
	hdr = (struct offnic_image_hdr *)img;
	*hdr = h;
	words = (u64 *)(hdr + 1);
	consts = (u64 *)(img + offnic_image_consts_off(hdr));
	rel = (struct offnic_image_reloc *)(img + offnic_image_relocs_off(hdr));
	maps = (struct offnic_image_map *)(img + offnic_image_maps_off(hdr));
	lines = (u32 *)(img + offnic_image_lines_off(hdr));
	write_bundles(p, words, lines);
	for (i = 0, k = 0; i < p->n_consts; i++) {
		consts[i] = p->consts[i];
		if (p->const_map[i] < 0)
			continue;
		rel[k].const_idx = i;
		rel[k++].map_idx = (u32)p->const_map[i];
	}
	for (i = 0; i < p->in->n_maps; i++) {
		maps[i].type = p->in->maps[i].type;
		maps[i].key_size = p->in->maps[i].key_size;
		maps[i].value_size = p->in->maps[i].value_size;
		maps[i].max_entries = p->in->maps[i].max_entries;
		maps[i].flags = p->in->maps[i].flags;
	}
	p->res->image = img;
	p->res->image_size = size;
	return 0;
}
