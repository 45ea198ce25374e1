// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The map engine: ARRAY and HASH maps in map memory, shared by all cores.
 *
 * HASH: open addressing, linear probing over n_buckets =
 * next_pow2(2 * max_entries) (at least 8) buckets, each empty, live or a
 * tombstone; bucket = crc32c(key) & (n_buckets - 1).  Operations are
 * split into a plan (pure read: the helper's read phase) and an apply
 * (the bundle's write phase), so a bundle reads before it writes.
 */
#include <stdlib.h>
#include <string.h>

#include "onm_internal.h"

uint32_t onm_crc32c(const uint8_t *p, uint32_t n)
{
	uint32_t crc = 0xffffffffU;
	uint32_t i;
	int k;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78U & -(crc & 1));
	}
	return crc ^ 0xffffffffU;
}

struct onm_map *onm_map_get(struct onm_engine *eng, int slot)
{
	if (slot < 0 || slot >= ONM_MAX_MAPS || !eng->maps[slot].used)
		return NULL;
	return &eng->maps[slot];
}

static int def_valid(const struct onm_map_def *d)
{
	switch (d->type) {
	case ONM_MAP_ARRAY:
		return d->key_size == 4 && d->value_size >= 1 &&
		       d->value_size <= ONM_VALUE_MAX && d->max_entries >= 1 &&
		       d->max_entries <= (1U << 24);
	case ONM_MAP_HASH:
		return d->key_size >= 1 && d->key_size <= ONM_KEY_MAX &&
		       d->value_size >= 1 && d->value_size <= ONM_VALUE_MAX &&
		       d->max_entries >= 1 && d->max_entries <= (1U << 22);
	case ONM_MAP_PERF_EVENT:
		return d->key_size == 4 && d->value_size == 4 &&
		       d->max_entries >= 1;
	}
	return 0;
}

static void geometry(struct onm_map *m)
{
	const struct onm_map_def *d = &m->def;

	m->stride = onm_next_pow2(d->value_size < 8 ? 8 : d->value_size);
	m->n_buckets = d->max_entries;
	if (d->type == ONM_MAP_HASH) {
		m->n_buckets = onm_next_pow2(2 * d->max_entries);
		if (m->n_buckets < 8)
			m->n_buckets = 8;
	}
	m->bytes = 0;
	if (d->type == ONM_MAP_PERF_EVENT)
		return;
	m->bytes = (size_t)m->n_buckets * m->stride;
	if (d->type == ONM_MAP_HASH)
		m->bytes += (size_t)m->n_buckets * (d->key_size + 1);
}

int onm_map_create(struct onm_engine *eng, int slot,
		   const struct onm_map_def *def)
{
	struct onm_map *m;

	if (!def || !def_valid(def))
		return -ONM_EINVAL;
	if (slot < 0) {
		for (slot = 0; slot < ONM_MAX_MAPS; slot++)
			if (!eng->maps[slot].used)
				break;
		if (slot == ONM_MAX_MAPS)
			return -ONM_ENOSPC;
	} else if (slot >= ONM_MAX_MAPS) {
		return -ONM_EINVAL;
	} else if (eng->maps[slot].used) {
		return -ONM_EBUSY;
	}
	m = &eng->maps[slot];
	memset(m, 0, sizeof(*m));
	m->def = *def;
	geometry(m);
	if (eng->map_mem_used + m->bytes > eng->cfg.map_mem_bytes)
		return -ONM_ENOMEM;
	if (m->bytes) {
		m->values = calloc(1, m->bytes);
		if (!m->values)
			return -ONM_ENOMEM;
	}
	if (def->type == ONM_MAP_HASH) {
		m->keys = m->values + (size_t)m->n_buckets * m->stride;
		m->state = m->keys + (size_t)m->n_buckets * def->key_size;
	} else if (def->type == ONM_MAP_ARRAY) {
		m->live = def->max_entries;
	}
	eng->map_mem_used += m->bytes;
	m->used = 1;
	return slot;
}

int onm_map_free(struct onm_engine *eng, int slot)
{
	struct onm_map *m = onm_map_get(eng, slot);

	if (!m)
		return -ONM_ENOENT;
	eng->map_mem_used -= m->bytes;
	free(m->values);
	memset(m, 0, sizeof(*m));
	return 0;
}

void onm_maps_free_all(struct onm_engine *eng)
{
	int s;

	for (s = 0; s < ONM_MAX_MAPS; s++)
		onm_map_free(eng, s);
}

static uint32_t array_index(const uint8_t *key)
{
	return (uint32_t)onm_load_le(key, 4);
}

int64_t onm_hash_find(const struct onm_map *m, const uint8_t *key)
{
	uint32_t mask = m->n_buckets - 1;
	uint32_t b = onm_crc32c(key, m->def.key_size) & mask;
	uint32_t i;

	for (i = 0; i < m->n_buckets; i++, b = (b + 1) & mask) {
		if (m->state[b] == ONM_BUCKET_EMPTY)
			return -1;
		if (m->state[b] == ONM_BUCKET_LIVE &&
		    !memcmp(m->keys + (size_t)b * m->def.key_size, key,
			    m->def.key_size))
			return b;
	}
	return -1;
}

/* First tombstone-or-empty bucket on key's probe path. */
static uint32_t hash_free_bucket(const struct onm_map *m, const uint8_t *key)
{
	uint32_t mask = m->n_buckets - 1;
	uint32_t b = onm_crc32c(key, m->def.key_size) & mask;

	while (m->state[b] == ONM_BUCKET_LIVE)
		b = (b + 1) & mask;
	return b;
}

int onm_map_plan_update(const struct onm_map *m, const uint8_t *key,
			uint64_t flags, uint32_t *bucket, int *is_new)
{
	int64_t b;

	if (flags > ONM_EXIST)
		return -ONM_EINVAL;
	*is_new = 0;
	if (m->def.type == ONM_MAP_ARRAY) {
		*bucket = array_index(key);
		if (*bucket >= m->def.max_entries)
			return -ONM_E2BIG;
		return flags == ONM_NOEXIST ? -ONM_EEXIST : 0;
	}
	b = onm_hash_find(m, key);
	if (b >= 0) {
		if (flags == ONM_NOEXIST)
			return -ONM_EEXIST;
		*bucket = (uint32_t)b;
		return 0;
	}
	if (flags == ONM_EXIST)
		return -ONM_ENOENT;
	if (m->live >= m->def.max_entries)
		return -ONM_E2BIG;
	*bucket = hash_free_bucket(m, key);
	*is_new = 1;
	return 0;
}

void onm_map_apply_update(struct onm_map *m, uint32_t bucket, int is_new,
			  const uint8_t *key, const uint8_t *value)
{
	memcpy(m->values + (size_t)bucket * m->stride, value,
	       m->def.value_size);
	if (!is_new)
		return;
	memcpy(m->keys + (size_t)bucket * m->def.key_size, key,
	       m->def.key_size);
	m->state[bucket] = ONM_BUCKET_LIVE;
	m->live++;
}

int onm_map_plan_delete(const struct onm_map *m, const uint8_t *key,
			uint32_t *bucket)
{
	int64_t b;

	if (m->def.type != ONM_MAP_HASH)
		return -ONM_EINVAL;
	b = onm_hash_find(m, key);
	if (b < 0)
		return -ONM_ENOENT;
	*bucket = (uint32_t)b;
	return 0;
}

void onm_map_apply_delete(struct onm_map *m, uint32_t bucket)
{
	m->state[bucket] = ONM_BUCKET_TOMB;
	m->live--;
}

/* ---- host API ---- */

static struct onm_map *data_map(struct onm_engine *eng, int slot)
{
	struct onm_map *m = onm_map_get(eng, slot);

	return m && m->def.type != ONM_MAP_PERF_EVENT ? m : NULL;
}

int onm_map_lookup(struct onm_engine *eng, int slot, const void *key,
		   void *value)
{
	struct onm_map *m = data_map(eng, slot);
	int64_t b;

	if (!m || !key)
		return -ONM_EINVAL;
	if (m->def.type == ONM_MAP_ARRAY) {
		b = array_index(key);
		if (b >= m->def.max_entries)
			return -ONM_ENOENT;
	} else {
		b = onm_hash_find(m, key);
		if (b < 0)
			return -ONM_ENOENT;
	}
	memcpy(value, m->values + (size_t)b * m->stride, m->def.value_size);
	return 0;
}

int onm_map_update(struct onm_engine *eng, int slot, const void *key,
		   const void *value, uint64_t flags)
{
	struct onm_map *m = data_map(eng, slot);
	uint32_t bucket;
	int is_new, ret;

	if (!m || !key || !value)
		return -ONM_EINVAL;
	ret = onm_map_plan_update(m, key, flags, &bucket, &is_new);
	if (ret)
		return ret;
	onm_map_apply_update(m, bucket, is_new, key, value);
	return 0;
}

int onm_map_delete(struct onm_engine *eng, int slot, const void *key)
{
	struct onm_map *m = data_map(eng, slot);
	uint32_t bucket;
	int ret;

	if (!m || !key)
		return -ONM_EINVAL;
	ret = onm_map_plan_delete(m, key, &bucket);
	if (ret)
		return ret;
	onm_map_apply_delete(m, bucket);
	return 0;
}

int onm_map_get_next_key(struct onm_engine *eng, int slot, const void *key,
			 void *next_key)
{
	struct onm_map *m = data_map(eng, slot);
	uint32_t b = 0;
	int64_t cur;

	if (!m || !next_key)
		return -ONM_EINVAL;
	if (m->def.type == ONM_MAP_ARRAY) {
		uint32_t idx = key ? array_index(key) : 0;

		if (key && idx + 1 == m->def.max_entries)
			return -ONM_ENOENT;
		idx = key && idx < m->def.max_entries ? idx + 1 : 0;
		onm_store_le(next_key, 4, idx);
		return 0;
	}
	cur = key ? onm_hash_find(m, key) : -1;
	if (cur >= 0)
		b = (uint32_t)cur + 1;
	for (; b < m->n_buckets; b++) {
		if (m->state[b] == ONM_BUCKET_LIVE) {
			memcpy(next_key, m->keys + (size_t)b * m->def.key_size,
			       m->def.key_size);
			return 0;
		}
	}
	return -ONM_ENOENT;
}

int onm_map_view(struct onm_engine *eng, int slot, struct onm_map_view *v)
{
	struct onm_map *m = onm_map_get(eng, slot);

	if (!m)
		return -ONM_ENOENT;
	v->def = m->def;
	v->stride = m->stride;
	v->n_buckets = m->n_buckets;
	v->live = m->live;
	v->values = m->values;
	v->keys = m->keys;
	v->state = m->state;
	return 0;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

uint64_t onm_map_digest(struct onm_engine *eng, int slot)
{
	struct onm_map *m = onm_map_get(eng, slot);
	uint64_t h = 0xcbf29ce484222325ULL;
	uint32_t b;

	if (!m)
		return 0;
	h = fnv(h, &m->def, sizeof(m->def));
	if (m->def.type == ONM_MAP_PERF_EVENT)
		return h;
	for (b = 0; b < m->n_buckets; b++) {
		if (m->state) {
			h = fnv(h, &m->state[b], 1);
			if (m->state[b] != ONM_BUCKET_LIVE)
				continue;
			h = fnv(h, m->keys + (size_t)b * m->def.key_size,
				m->def.key_size);
		}
		h = fnv(h, m->values + (size_t)b * m->stride,
			m->def.value_size);
	}
	return h;
}
