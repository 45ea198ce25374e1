// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Merging facts.  The verifier visits an instruction once per distinct
 * state; the kernel's insn_hook turns each visit's registers into a
 * struct ojit_insn_facts and merges it into the instruction's facts with
 * ojit_facts_merge().  What differs between visits is no longer known.
 */
#include "ojit_int.h"

void ojit_reg_fact_join(struct ojit_reg_fact *into, const struct ojit_reg_fact *f)
{
	if (into->kind != f->kind) {
		__builtin_memset(into, 0, sizeof(*into));
		return;
	}
	if (into->const_off && (!f->const_off || f->off != into->off))
		into->const_off = 0;
	if (into->is_const && (!f->is_const || f->val != into->val))
		into->is_const = 0;
}

void ojit_facts_merge(struct ojit_insn_facts *into, const struct ojit_insn_facts *visit)
{
	if (!(into->flags & OJIT_FACT_SEEN)) {
		*into = *visit;
		into->flags |= OJIT_FACT_SEEN;
		return;
	}
	ojit_reg_fact_join(&into->dst, &visit->dst);
	ojit_reg_fact_join(&into->src, &visit->src);
	into->flags |= visit->flags;
	if (into->map_idx != visit->map_idx)
		into->map_idx = -1;
}
