// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * emit: lay the blocks out in BPF order, resolve branch targets to bundle
 * numbers, encode micro-ops into words and write the image
 * (hw/include/offnic_image.h).
 */
#include "ojit_int.h"

static u64 reg_field(u16 reg)
{
	return reg == OJ_NOREG ? 0 : reg;
}

static u64 encode(const struct ojit_prog *p, const struct ojit_uop *u)
{
	u64 w = ISA_PUT(0, OPCODE, u->opc);
	u32 target;

	switch (ojit_isa_ops[u->opc].format) {
	case FMT_B:
		target = p->blocks[u->target].start_bundle;
		w = ISA_PUT(w, B_COND, u->cond);
		w = ISA_PUT(w, B_W32, u->w32);
		w = ISA_PUT(w, RA, reg_field(u->ra));
		w = ISA_PUT(w, RB, u->i ? 0 : reg_field(u->rb));
		w = ISA_PUT(w, I, u->i);
		w = ISA_PUT(w, B_TARGET, target);
		return ISA_PUT(w, B_IMM24, u->i ? (u32)u->imm : 0);
	case FMT_J:
		return ISA_PUT(w, B_TARGET, p->blocks[u->target].start_bundle);
	case FMT_N:
		return w;
	case FMT_X:
		w = ISA_PUT(w, I, u->i);
		w = ISA_PUT(w, RA, u->i ? 0 : reg_field(u->ra));
		return ISA_PUT(w, IMM32, u->i ? (u32)u->imm : 0);
	}
	w = ISA_PUT(w, RD, reg_field(u->rd));
	w = ISA_PUT(w, RA, reg_field(u->ra));
	w = ISA_PUT(w, RB, u->i ? 0 : reg_field(u->rb));
	w = ISA_PUT(w, I, u->i);
	w = ISA_PUT(w, FN, u->fn);
	/* canonical encoding: an R-format op has an immediate only with i */
	if (ojit_isa_ops[u->opc].format == FMT_R && !u->i)
		return w;
	return ISA_PUT(w, IMM32, (u32)u->imm);
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

static unsigned long image_size(const struct ojit_prog *p, u32 n_relocs)
{
	return sizeof(struct offnic_image_hdr) +
	       8UL * p->n_bundles * p->lanes + 8UL * p->n_consts +
	       sizeof(struct offnic_image_reloc) * n_relocs +
	       sizeof(struct offnic_image_map) * p->in->n_maps +
	       ((4UL * p->n_bundles + 7) & ~7UL);
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
	struct offnic_image_hdr *hdr;
	struct offnic_image_reloc *rel;
	struct offnic_image_map *maps;
	u32 n_relocs = 0, i, k;
	unsigned long size;
	u64 *words, *consts;
	u32 *lines;
	u8 *img;

	layout(p);
	if (p->n_bundles > ISA_MAX_BUNDLES)
		return ojit_fail_fmt(p, -OJIT_E2BIG, "%u bundles (device holds %u)",
				     p->n_bundles, ISA_MAX_BUNDLES);
	for (i = 0; i < p->n_consts; i++)
		n_relocs += p->const_map[i] >= 0;
	size = image_size(p, n_relocs);
	img = ojit_zalloc(size);
	if (!img)
		return ojit_fail(p, -OJIT_ENOMEM, -1, "out of memory");
	hdr = (struct offnic_image_hdr *)img;
	words = (u64 *)(hdr + 1);
	consts = words + (u64)p->n_bundles * p->lanes;
	rel = (struct offnic_image_reloc *)(consts + p->n_consts);
	maps = (struct offnic_image_map *)(rel + n_relocs);
	lines = (u32 *)(maps + p->in->n_maps);

	hdr->magic = OFFNIC_IMG_MAGIC;
	hdr->version = OFFNIC_IMG_VERSION;
	hdr->lanes = p->lanes;
	hdr->n_bundles = p->n_bundles;
	hdr->n_consts = p->n_consts;
	hdr->n_relocs = n_relocs;
	hdr->n_maps = p->in->n_maps;
	hdr->prog_type = p->in->prog_type;
	hdr->stack_size = p->stack_size;
	hdr->flags = OFFNIC_IMG_F_LINES;
	hdr->bpf_insns = p->in->n_insns;
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
