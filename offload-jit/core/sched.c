// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * schedule: list scheduling of a block's micro-ops into bundles.
 *
 * Per region: build the dependence DAG (ojit_dep), give every op its
 * critical-path height (latency-weighted), then fill bundle after bundle
 * with the highest ready ops that fit the lanes and the per-unit caps.
 * The block's control op depends on everything, so it lands in the last
 * bundle.  The lane count is the one parameter; the unit caps come from
 * offnic_isa.def.
 */
#include "sched.h"

struct sched_edge {
	u16 to;
	u8 dist;
	u8 lat;
};

struct sched_node {
	u32 first_edge;
	u32 n_edges;
	u32 waiting;	/* unscheduled predecessors */
	u32 earliest;	/* bundle */
	u32 height;	/* latency-weighted, for priority */
	u32 depth;	/* in bundles, for the critical-path statistic */
	u8 placed;
};

struct sched_region {
	struct ojit_uop *u;
	u32 n;
	struct sched_node *node;
	struct sched_edge *edge;
};

static u32 count_edges(const struct sched_region *r)
{
	u32 i, j, lat, n = 0;

	for (i = 0; i < r->n; i++)
		for (j = i + 1; j < r->n; j++)
			n += ojit_dep(&r->u[i], &r->u[j], &lat) >= 0;
	return n;
}

static void build_dag(struct sched_region *r)
{
	u32 i, j, lat, e = 0;
	int d;

	for (i = 0; i < r->n; i++) {
		r->node[i].first_edge = e;
		for (j = i + 1; j < r->n; j++) {
			d = ojit_dep(&r->u[i], &r->u[j], &lat);
			if (d < 0)
				continue;
			r->edge[e].to = j;
			r->edge[e].dist = d;
			r->edge[e].lat = lat;
			r->node[j].waiting++;
			e++;
		}
		r->node[i].n_edges = e - r->node[i].first_edge;
	}
	for (i = r->n; i-- > 0;) {
		struct sched_node *nd = &r->node[i];

		nd->height = r->u[i].lat;
		nd->depth = 1;
		for (e = nd->first_edge; e < nd->first_edge + nd->n_edges; e++) {
			struct sched_node *to = &r->node[r->edge[e].to];

			if (r->edge[e].lat + to->height > nd->height)
				nd->height = r->edge[e].lat + to->height;
			if (r->edge[e].dist + to->depth > nd->depth)
				nd->depth = r->edge[e].dist + to->depth;
		}
	}
}

struct bundle_fill {
	u32 lanes;
	u8 unit[ONM_NUM_UNITS];
};

static bool fits(const struct bundle_fill *f, const struct ojit_uop *u, u32 lanes)
{
	return f->lanes < lanes && f->unit[u->unit] < onm_unit_table[u->unit].per_bundle;
}

static int pick(const struct sched_region *r, const struct bundle_fill *f,
		u32 bundle, u32 lanes)
{
	int best = -1;
	u32 i;

	for (i = 0; i < r->n; i++) {
		const struct sched_node *nd = &r->node[i];

		if (nd->placed || nd->waiting || nd->earliest > bundle ||
		    !fits(f, &r->u[i], lanes))
			continue;
		if (best < 0 || nd->height > r->node[best].height)
			best = (int)i;
	}
	return best;
}

static void place(struct sched_region *r, struct bundle_fill *f, u32 i, u32 bundle)
{
	struct sched_node *nd = &r->node[i];
	u32 e;

	nd->placed = 1;
	r->u[i].bundle = bundle;
	f->lanes++;
	f->unit[r->u[i].unit]++;
	for (e = nd->first_edge; e < nd->first_edge + nd->n_edges; e++) {
		struct sched_node *to = &r->node[r->edge[e].to];

		to->waiting--;
		if (bundle + r->edge[e].dist > to->earliest)
			to->earliest = bundle + r->edge[e].dist;
	}
}

/* Returns the bundle after the region's last one */
static u32 list_schedule(struct sched_region *r, u32 base, u32 lanes, u32 *crit)
{
	struct bundle_fill f;
	u32 placed = 0, bundle = base, i;
	int k;

	for (i = 0; i < r->n; i++)
		r->node[i].earliest = base;
	*crit = 0;
	for (i = 0; i < r->n; i++)
		if (r->node[i].depth > *crit)
			*crit = r->node[i].depth;
	while (placed < r->n) {
		__builtin_memset(&f, 0, sizeof(f));
		while ((k = pick(r, &f, bundle, lanes)) >= 0) {
			place(r, &f, (u32)k, bundle);
			placed++;
		}
		bundle++;
	}
	return bundle;
}

static int schedule_region(struct ojit_prog *p, struct ojit_uop *u, u32 n,
			   u32 *bundle, u32 *crit)
{
	struct sched_region r = { .u = u, .n = n };
	u32 c;

	r.node = ojit_zalloc(sizeof(*r.node) * n);
	r.edge = ojit_alloc(sizeof(*r.edge) * (count_edges(&r) + 1));
	if (!r.node || !r.edge) {
		ojit_free(r.node);
		ojit_free(r.edge);
		return ojit_fail(p, -OJIT_ENOMEM, -1, "out of memory");
	}
	build_dag(&r);
	*bundle = list_schedule(&r, *bundle, p->lanes, &c);
	*crit += c;
	ojit_free(r.node);
	ojit_free(r.edge);
	return 0;
}

/* Number the values of base registers: equal (ra, base_ver) = equal address base */
static int version_bases(struct ojit_prog *p, struct ojit_block *blk)
{
	/* r0..r10 always exist; a register past n_vregs has no version */
	u32 n = p->n_vregs > OJ_FIRST_TEMP ? p->n_vregs : OJ_FIRST_TEMP;
	u16 *ver = ojit_zalloc(sizeof(u16) * n);
	u32 i;

	if (!ver)
		return ojit_fail(p, -OJIT_ENOMEM, -1, "out of memory");
	for (i = 0; i < blk->n_uops; i++) {
		struct ojit_uop *u = &blk->uops[i];
		u16 w = ojit_uop_writes(u);

		u->base_ver = u->ra < n ? ver[u->ra] : 0;
		if (w < n)
			ver[w]++;
		if (u->opc == ONM_OP_HCALL || u->opc == ONM_OP_CALL)
			for (w = 0; w <= 5; w++)
				ver[w]++;
	}
	ojit_free(ver);
	return 0;
}

int ojit_schedule_block(struct ojit_prog *p, struct ojit_block *blk,
			enum ojit_sched_mode mode)
{
	u32 bundle = 0, i, n;
	int err;

	err = version_bases(p, blk);
	if (err)
		return err;
	blk->crit_path = 0;
	if (mode == OJ_SCHED_SERIAL) {
		for (i = 0; i < blk->n_uops; i++)
			blk->uops[i].bundle = i;
		blk->n_bundles = blk->n_uops;
		blk->crit_path = blk->n_uops;
		return 0;
	}
	for (i = 0; i < blk->n_uops; i += n) {
		n = blk->n_uops - i;
		if (n > OJ_SCHED_REGION)
			n = OJ_SCHED_REGION;
		err = schedule_region(p, &blk->uops[i], n, &bundle, &blk->crit_path);
		if (err)
			return err;
	}
	blk->n_bundles = bundle;
	return 0;
}
