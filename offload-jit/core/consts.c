// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The constant pool: 64-bit constants (deduplicated) and one entry per
 * referenced map, which the loader relocates to the map's handle.
 */
#include "isel.h"

static int const_append(struct ojit_prog *p, u64 val)
{
	if (!p->consts) {
		p->consts = ojit_alloc(sizeof(u64) * OJIT_MAX_CONSTS);
		p->const_map = ojit_alloc(sizeof(s32) * OJIT_MAX_CONSTS);
		if (!p->consts || !p->const_map)
			return -OJIT_ENOMEM;
	}
	if (p->n_consts == OJIT_MAX_CONSTS)
		return -OJIT_E2BIG;
	p->consts[p->n_consts] = val;
	p->const_map[p->n_consts] = -1;
	return (int)p->n_consts++;
}

int ojit_const_index(struct ojit_prog *p, u64 val)
{
	u32 i;

	for (i = 0; i < p->n_consts; i++)
		if (p->const_map[i] < 0 && p->consts[i] == val)
			return (int)i;
	return const_append(p, val);
}

int ojit_map_const(struct ojit_prog *p, u32 map_idx)
{
	int idx;
	u32 i;

	for (i = 0; i < p->n_consts; i++)
		if (p->const_map[i] == (s32)map_idx)
			return (int)i;
	/* until relocated, the entry holds the map's index */
	idx = const_append(p, map_idx);
	if (idx >= 0)
		p->const_map[idx] = (s32)map_idx;
	return idx;
}
