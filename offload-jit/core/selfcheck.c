// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * self-check: decode the emitted image again and verify what the hardware
 * would otherwise fault on or misbehave with: known opcodes, unit caps and
 * distinct destinations per bundle, targets, constant and relocation
 * indices in range, no falling off the end.
 */
#include "ojit_int.h"

/* A legal, canonical micro-op (the ISA's decoder) whose indices fit */
static int check_word(struct ojit_prog *p, const struct offnic_image_hdr *h,
		      u64 w, u32 at, struct onm_ufields *f)
{
	u8 fmt;

	if (onm_decode(w, f))
		return ojit_fail_fmt(p, -OJIT_EINVAL, "selfcheck: bundle %u: illegal word 0x%llx",
				     at, (unsigned long long)w);
	fmt = onm_op_table[f->op].fmt;
	if ((fmt == ONM_FMT_B || fmt == ONM_FMT_J) && f->target >= h->n_bundles)
		return ojit_fail_fmt(p, -OJIT_EINVAL,
				     "selfcheck: bundle %u: target %u past the end", at,
				     f->target);
	if (fmt == ONM_FMT_K && (u32)f->imm >= h->n_consts)
		return ojit_fail_fmt(p, -OJIT_EINVAL, "selfcheck: bundle %u: constant %u of %u",
				     at, (u32)f->imm, h->n_consts);
	return 0;
}

static int check_bundle(struct ojit_prog *p, const struct offnic_image_hdr *h,
			const u64 *words, u32 at)
{
	u8 units[ONM_NUM_UNITS] = { 0 };
	u32 written = 0, lane, rd;
	int err;

	for (lane = 0; lane < h->lanes; lane++) {
		u64 w = words[(u64)at * h->lanes + lane];
		struct onm_ufields f;
		u8 unit;

		err = check_word(p, h, w, at, &f);
		if (err)
			return err;
		if (!w)
			continue;
		unit = onm_op_table[f.op].unit;
		if (++units[unit] > onm_unit_table[unit].per_bundle)
			return ojit_fail_fmt(p, -OJIT_EINVAL,
					     "selfcheck: bundle %u: unit %u over its cap",
					     at, unit);
		if (!onm_uop_writes_rd(&f))
			continue;
		rd = f.rd;
		if (written & (1U << rd))
			return ojit_fail_fmt(p, -OJIT_EINVAL,
					     "selfcheck: bundle %u: p%u written twice", at, rd);
		written |= 1U << rd;
	}
	return 0;
}

static bool ends_flow(const u64 *bundle, u32 lanes)
{
	u32 lane;

	for (lane = 0; lane < lanes; lane++) {
		u8 opc = ONM_GET(bundle[lane], OPCODE);

		if (opc == ONM_OP_EXIT || opc == ONM_OP_JA || opc == ONM_OP_RET)
			return true;
	}
	return false;
}

int ojit_selfcheck(struct ojit_prog *p, const void *image, unsigned long size)
{
	const struct offnic_image_hdr *h = image;
	const struct offnic_image_reloc *rel;
	const u64 *words;
	u32 at, i;
	int err;

	if (size < sizeof(*h) || h->magic != OFFNIC_IMG_MAGIC || !h->n_bundles ||
	    !h->lanes || h->lanes > OJIT_MAX_LANES || offnic_image_need(h) > size)
		return ojit_fail(p, -OJIT_EINVAL, -1, "selfcheck: bad header");
	words = offnic_image_words(h);
	for (at = 0; at < h->n_bundles; at++) {
		err = check_bundle(p, h, words, at);
		if (err)
			return err;
	}
	if (!ends_flow(&words[(u64)(h->n_bundles - 1) * h->lanes], h->lanes))
		return ojit_fail(p, -OJIT_EINVAL, -1, "selfcheck: last bundle falls off the end");
	rel = offnic_image_relocs(h);
	for (i = 0; i < h->n_relocs; i++)
		if (rel[i].const_idx >= h->n_consts || rel[i].map_idx >= h->n_maps)
			return ojit_fail_fmt(p, -OJIT_EINVAL,
					     "selfcheck: relocation %u out of range", i);
	return 0;
}
