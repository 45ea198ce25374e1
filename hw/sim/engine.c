// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The engine seam shared by the backends: program slots, the model's
 * map state as the host sees it, and the swap of the model's program
 * between attach points.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "log.h"
#include "offnic_image.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const struct engine_backend *const backends[] = {
	&engine_model_backend,
#ifdef SIM_HAVE_RTL
	&engine_rtl_backend,
#endif
};

int engine_create(struct engine *eng, const char *kind)
{
	size_t i;
	int err;

	memset(eng, 0, sizeof(*eng));
	eng->model_prog = -1;
	for (i = 0; i < ARRAY_SIZE(backends); i++) {
		if (strcmp(backends[i]->name, kind))
			continue;
		eng->be = backends[i];
		err = eng->be->init(eng);
		if (err)
			eng->be = NULL;
		return err;
	}
	return -ENOENT;
}

void engine_destroy(struct engine *eng)
{
	uint32_t slot;

	if (!eng->be)
		return;
	for (slot = 0; slot < OFFNIC_NUM_SLOTS; slot++)
		engine_unload(eng, slot);
	if (eng->be->fini)
		eng->be->fini(eng);
	onm_destroy(eng->model);
	eng->model = NULL;
	eng->be = NULL;
}

uint32_t engine_lanes(const struct engine *eng)
{
	return onm_config(eng->model)->lanes;
}

uint32_t engine_cores(const struct engine *eng)
{
	return onm_config(eng->model)->cores;
}

const struct engine_prog *engine_prog(const struct engine *eng, uint32_t slot)
{
	return slot < OFFNIC_NUM_SLOTS && eng->prog[slot].img ? &eng->prog[slot] : NULL;
}

static void prog_clear(struct engine_prog *p)
{
	free(p->img);
	memset(p, 0, sizeof(*p));
}

void engine_unload(struct engine *eng, uint32_t slot)
{
	struct engine_prog *p = &eng->prog[slot];

	if (!p->img)
		return;
	if (eng->model_prog == (int)slot) {
		onm_unload(eng->model);
		eng->model_prog = -1;
	}
	if (eng->be->unload)
		eng->be->unload(eng, p);
	prog_clear(p);
}

/* The model holds one program; put the slot's there if it is not. */
int engine_model_hold(struct engine *eng, uint32_t slot)
{
	struct engine_prog *p = &eng->prog[slot];
	struct onm_err err = { 0 };
	int ret;

	if (eng->model_prog == (int)slot)
		return 0;
	eng->model_prog = -1;
	ret = onm_load_bound(eng->model, p->img, p->len, p->map_slots, &err);
	if (ret) {
		log_msg("engine: model refused slot %u's program on reload: %s", slot, err.msg);
		return ret;
	}
	eng->model_prog = (int)slot;
	return 0;
}

/*
 * A failed LOAD leaves the slot's old program in place; the model may
 * have dropped it, and picks it up again at the next packet.
 */
int engine_load(struct engine *eng, uint32_t slot, const void *img, size_t len,
		const int32_t *map_slots, uint32_t n_maps, struct onm_err *err)
{
	const struct offnic_image_hdr *h = img;
	struct engine_prog np = { 0 };
	uint32_t i;
	int ret;

	np.img = malloc(len);
	if (!np.img)
		return -ENOMEM;
	memcpy(np.img, img, len);
	np.len = len;
	np.id = ++eng->loads;
	np.n_maps = n_maps;
	np.prog_type = h->prog_type;
	np.n_bundles = h->n_bundles;
	memcpy(np.map_slots, map_slots, n_maps * sizeof(*map_slots));
	for (i = 0; i < n_maps; i++)
		np.has_perf_map |= map_slots[i] < 0;
	eng->model_prog = -1;
	ret = onm_load_bound(eng->model, np.img, np.len, np.map_slots, err);
	if (!ret && eng->be->load)
		ret = eng->be->load(eng, &np);
	if (ret) {
		onm_unload(eng->model);
		prog_clear(&np);
		return ret;
	}
	engine_unload(eng, slot);
	eng->prog[slot] = np;
	eng->model_prog = (int)slot;
	eng->map_gen++;
	return 0;
}

int engine_run(struct engine *eng, uint32_t slot, const struct onm_pkt_in *in,
	       struct onm_pkt_out *out)
{
	int ret;

	if (!engine_prog(eng, slot))
		return -ENOENT;
	ret = eng->be->run(eng, &eng->prog[slot], in, out);
	eng->map_gen++;
	return ret;
}

int engine_set_lockstep(struct engine *eng, uint32_t every)
{
	return eng->be->set_lockstep ? eng->be->set_lockstep(eng, every) : -EOPNOTSUPP;
}

int engine_event_pop(struct engine *eng, struct onm_event *ev, uint32_t *map_idx)
{
	uint32_t i, n;

	if (eng->be->event_pop)
		return eng->be->event_pop(eng, ev, map_idx);

	if (!onm_event_pop(eng->model, ev))
		return 0;
	*map_idx = UINT32_MAX;
	n = eng->model_prog >= 0 ? eng->prog[eng->model_prog].n_maps : 0;
	for (i = 0; i < n; i++)
		if (onm_prog_map_slot(eng->model, i) == (int)ev->map_slot)
			*map_idx = i;
	return 1;
}

static bool host_map(const struct engine *eng, uint32_t slot)
{
	return slot < OFFNIC_MAX_MAPS && (eng->host_maps & (1ULL << slot));
}

int engine_map_alloc(struct engine *eng, const struct onm_map_def *def)
{
	int slot = -ENOSPC, s, ret;

	/* the lowest slot free in the model and not held for a program */
	for (s = 0; s < OFFNIC_MAX_MAPS && slot == -ENOSPC; s++) {
		if (eng->reserved_slots & (1ULL << s) || host_map(eng, (uint32_t)s))
			continue;
		ret = onm_map_create(eng->model, s, def);
		if (ret != -EBUSY)
			slot = ret;
	}
	if (slot < 0)
		return slot;
	if (eng->be->map_alloc) {
		ret = eng->be->map_alloc(eng, (uint32_t)slot, def);
		if (ret) {
			onm_map_free(eng->model, slot);
			return ret;
		}
	}
	eng->host_maps |= 1ULL << slot;
	eng->map_gen++;
	return slot;
}

static bool map_in_use(const struct engine *eng, uint32_t slot)
{
	uint32_t s, i;

	for (s = 0; s < OFFNIC_NUM_SLOTS; s++) {
		const struct engine_prog *p = engine_prog(eng, s);

		for (i = 0; p && i < p->n_maps; i++)
			if (p->map_slots[i] == (int32_t)slot)
				return true;
	}
	return false;
}

int engine_map_free(struct engine *eng, uint32_t slot)
{
	int ret;

	if (!host_map(eng, slot))
		return -ENOENT;
	if (map_in_use(eng, slot))
		return -EBUSY;
	ret = onm_map_free(eng->model, (int)slot);
	if (ret)
		return ret;
	if (eng->be->map_free)
		eng->be->map_free(eng, slot);
	eng->host_maps &= ~(1ULL << slot);
	eng->map_gen++;
	return 0;
}

int engine_map_def(struct engine *eng, uint32_t slot, struct onm_map_def *def)
{
	struct onm_map_view v;

	if (!host_map(eng, slot) || onm_map_view(eng->model, (int)slot, &v))
		return -ENOENT;
	*def = v.def;
	return 0;
}

int engine_map_lookup(struct engine *eng, uint32_t slot, const void *key, void *value)
{
	if (eng->be->map_lookup)
		return eng->be->map_lookup(eng, slot, key, value);
	return onm_map_lookup(eng->model, (int)slot, key, value);
}

int engine_map_update(struct engine *eng, uint32_t slot, const void *key,
		      const void *value, uint64_t flags)
{
	eng->map_gen++;
	if (eng->be->map_update)
		return eng->be->map_update(eng, slot, key, value, flags);
	return onm_map_update(eng->model, (int)slot, key, value, flags);
}

int engine_map_delete(struct engine *eng, uint32_t slot, const void *key)
{
	eng->map_gen++;
	if (eng->be->map_delete)
		return eng->be->map_delete(eng, slot, key);
	return onm_map_delete(eng->model, (int)slot, key);
}

int engine_map_getnext(struct engine *eng, uint32_t slot, const void *key, void *next)
{
	if (eng->be->map_getnext)
		return eng->be->map_getnext(eng, slot, key, next);
	return onm_map_get_next_key(eng->model, (int)slot, key, next);
}
