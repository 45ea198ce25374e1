// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * self-check: decode the emitted image again and verify what the hardware
 * would otherwise fault on or misbehave with: known opcodes, unit caps and
 * distinct destinations per bundle, targets, constant and relocation
 * indices in range, no falling off the end.
 */
#include "ojit_int.h"

static bool writes_rd(u64 w)
{
	u8 opc = ISA_GET(w, OPCODE);
	u32 fn = ISA_GET(w, FN);

	switch (ojit_isa_ops[opc].format) {
	case FMT_R:
	case FMT_K:
	case FMT_H:
		return opc != ISA_OP_NOP;
	case FMT_M:
		return opc == ISA_OP_LD;
	case FMT_A:
		return (fn >> 4) & 1;
	}
	return false;
}

static int check_word(struct ojit_prog *p, const struct offnic_image_hdr *h,
		      u64 w, u32 at)
{
	u8 opc = ISA_GET(w, OPCODE);
	const struct ojit_isa_opinfo *info = &ojit_isa_ops[opc];

	if (!info->valid)
		return ojit_fail_fmt(p, -OJIT_EINVAL, "selfcheck: bundle %u: opcode 0x%x",
				     at, opc);
	if ((info->format == FMT_B || info->format == FMT_J) &&
	    ISA_GET(w, B_TARGET) >= h->n_bundles)
		return ojit_fail_fmt(p, -OJIT_EINVAL,
				     "selfcheck: bundle %u: target %u past the end", at,
				     (u32)ISA_GET(w, B_TARGET));
	if (info->format == FMT_K && ISA_GET(w, IMM32) >= h->n_consts)
		return ojit_fail_fmt(p, -OJIT_EINVAL, "selfcheck: bundle %u: constant %u of %u",
				     at, (u32)ISA_GET(w, IMM32), h->n_consts);
	if (info->format == FMT_A && (ISA_GET(w, FN_AOP) > ISA_ATOMIC_CMPXCHG))
		return ojit_fail_fmt(p, -OJIT_EINVAL, "selfcheck: bundle %u: atomic op", at);
	return 0;
}

static int check_bundle(struct ojit_prog *p, const struct offnic_image_hdr *h,
			const u64 *words, u32 at)
{
	u8 units[ISA_N_UNITS] = { 0 };
	u32 written = 0, lane, rd;
	int err;

	for (lane = 0; lane < h->lanes; lane++) {
		u64 w = words[(u64)at * h->lanes + lane];
		u8 unit = ojit_isa_ops[ISA_GET(w, OPCODE)].unit;

		err = check_word(p, h, w, at);
		if (err)
			return err;
		if (!w)
			continue;
		if (++units[unit] > ojit_isa_unit_cap(unit))
			return ojit_fail_fmt(p, -OJIT_EINVAL,
					     "selfcheck: bundle %u: unit %u over its cap",
					     at, unit);
		if (!writes_rd(w))
			continue;
		rd = ISA_GET(w, RD);
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
		u8 opc = ISA_GET(bundle[lane], OPCODE);

		if (opc == ISA_OP_EXIT || opc == ISA_OP_JA || opc == ISA_OP_RET)
			return true;
	}
	return false;
}

int ojit_selfcheck(struct ojit_prog *p, const void *image, unsigned long size)
{
	const struct offnic_image_hdr *h = image;
	const struct offnic_image_reloc *rel;
	const u64 *words = (const u64 *)(h + 1);
	u32 at, i;
	int err;

	if (size < sizeof(*h) || h->magic != OFFNIC_IMG_MAGIC || !h->n_bundles ||
	    !h->lanes || h->lanes > OJIT_MAX_LANES)
		return ojit_fail(p, -OJIT_EINVAL, -1, "selfcheck: bad header");
	for (at = 0; at < h->n_bundles; at++) {
		err = check_bundle(p, h, words, at);
		if (err)
			return err;
	}
	if (!ends_flow(&words[(u64)(h->n_bundles - 1) * h->lanes], h->lanes))
		return ojit_fail(p, -OJIT_EINVAL, -1, "selfcheck: last bundle falls off the end");
	rel = (const struct offnic_image_reloc *)(words + (u64)h->n_bundles * h->lanes +
						  h->n_consts);
	for (i = 0; i < h->n_relocs; i++)
		if (rel[i].const_idx >= h->n_consts || rel[i].map_idx >= h->n_maps)
			return ojit_fail_fmt(p, -OJIT_EINVAL,
					     "selfcheck: relocation %u out of range", i);
	return 0;
}
