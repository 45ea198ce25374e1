// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Image loading: validate every header field and section size against
 * the buffer, create or bind the program's maps, patch relocations,
 * predecode the bundles.  The image is untrusted input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onm_internal.h"
#include "offnic_image.h"

static int fail(struct onm_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

struct layout {
	const struct offnic_image_hdr *hdr;
	const uint64_t *words;
	const uint64_t *consts;
	const struct offnic_image_reloc *relocs;
	const struct offnic_image_map *maps;
};

static int check_header(const struct onm_engine *eng, const void *img,
			size_t len, struct layout *l, struct onm_err *err)
{
	const struct offnic_image_hdr *h = img;
	uint64_t need;

	if (len < sizeof(*h))
		return fail(err, -ONM_ENOEXEC, "image shorter than its header");
	if (h->magic != OFFNIC_IMG_MAGIC)
		return fail(err, -ONM_ENOEXEC, "bad magic 0x%08x", h->magic);
	if (h->version != OFFNIC_IMG_VERSION)
		return fail(err, -ONM_ENOEXEC, "version %u, expected %u",
			    h->version, OFFNIC_IMG_VERSION);
	if (h->lanes != eng->cfg.lanes)
		return fail(err, -ONM_EINVAL, "image has %u lanes, engine %u",
			    h->lanes, eng->cfg.lanes);
	if (!h->n_bundles || h->n_bundles > ONM_ISA_MAX_BUNDLES)
		return fail(err, -ONM_ENOEXEC, "n_bundles %u not in 1..%u",
			    h->n_bundles, ONM_ISA_MAX_BUNDLES);
	if (h->n_maps > ONM_MAX_MAPS)
		return fail(err, -ONM_E2BIG, "%u maps, at most %u", h->n_maps,
			    ONM_MAX_MAPS);
	if (h->stack_size > ONM_STACK_BYTES)
		return fail(err, -ONM_ENOEXEC, "stack_size %u > %u",
			    h->stack_size, ONM_STACK_BYTES);
	if (h->prog_type != OFFNIC_PROG_XDP && h->prog_type != OFFNIC_PROG_TC)
		return fail(err, -ONM_ENOEXEC, "unknown prog_type %u",
			    h->prog_type);
	if (h->flags & ~OFFNIC_IMG_F_LINES)
		return fail(err, -ONM_ENOEXEC, "unknown flags 0x%x", h->flags);
	need = offnic_image_need(h);
	if (len != need && len != offnic_image_size(h))
		return fail(err, -ONM_ENOEXEC, "image is %zu bytes, header says %llu",
			    len, (unsigned long long)need);
	l->hdr = h;
	l->words = (const uint64_t *)offnic_image_words(h);
	l->consts = (const uint64_t *)offnic_image_consts(h);
	l->relocs = offnic_image_relocs(h);
	l->maps = offnic_image_maps(h);
	return 0;
}

static int check_relocs(const struct layout *l, struct onm_err *err)
{
	uint32_t i;

	for (i = 0; i < l->hdr->n_relocs; i++) {
		if (l->relocs[i].const_idx >= l->hdr->n_consts ||
		    l->relocs[i].map_idx >= l->hdr->n_maps)
			return fail(err, -ONM_ENOEXEC,
				    "reloc %u: const %u / map %u out of range",
				    i, l->relocs[i].const_idx,
				    l->relocs[i].map_idx);
	}
	return 0;
}

static int same_def(const struct onm_map *m, const struct offnic_image_map *im)
{
	return m->def.type == im->type && m->def.key_size == im->key_size &&
	       m->def.value_size == im->value_size &&
	       m->def.max_entries == im->max_entries;
}

/* Create or bind map i; on failure the caller frees what was created. */
static int setup_map(struct onm_engine *eng, const struct layout *l,
		     uint32_t i, const int32_t *slots, struct onm_err *err)
{
	const struct offnic_image_map *im = &l->maps[i];
	struct onm_map_def def = {
		.type = im->type, .key_size = im->key_size,
		.value_size = im->value_size, .max_entries = im->max_entries,
		.flags = im->flags,
	};
	struct onm_map *m;
	int slot;

	if (slots && slots[i] >= 0) {
		m = onm_map_get(eng, slots[i]);
		if (!m || !same_def(m, im))
			return fail(err, -ONM_EINVAL,
				    "map %u: slot %d is not a matching map",
				    i, slots[i]);
		eng->map_slots[i] = slots[i];
		return 0;
	}
	slot = onm_map_create(eng, -1, &def);
	if (slot < 0)
		return fail(err, slot, "map %u: cannot create (type %u key %u value %u entries %u): %d",
			    i, im->type, im->key_size, im->value_size,
			    im->max_entries, slot);
	eng->maps[slot].by_loader = 1;
	eng->map_slots[i] = slot;
	return 0;
}

static int alloc_prog(struct onm_engine *eng, const struct layout *l)
{
	const struct offnic_image_hdr *h = l->hdr;

	eng->bundles = calloc(h->n_bundles, sizeof(*eng->bundles));
	eng->consts = calloc(h->n_consts + 1, sizeof(*eng->consts));
	eng->map_slots = calloc(h->n_maps + 1, sizeof(*eng->map_slots));
	if (!eng->bundles || !eng->consts || !eng->map_slots)
		return -ONM_ENOMEM;
	return 0;
}

static void free_prog(struct onm_engine *eng)
{
	uint32_t i;

	for (i = 0; eng->map_slots && i < eng->n_maps; i++) {
		int s = eng->map_slots[i];

		if (s >= 0 && eng->maps[s].used && eng->maps[s].by_loader)
			onm_map_free(eng, s);
	}
	free(eng->bundles);
	free(eng->consts);
	free(eng->map_slots);
	eng->bundles = NULL;
	eng->consts = NULL;
	eng->map_slots = NULL;
	eng->n_bundles = 0;
	eng->n_consts = 0;
	eng->n_maps = 0;
	eng->loaded = 0;
}

void onm_unload(struct onm_engine *eng)
{
	uint32_t i;

	free_prog(eng);
	for (i = 0; i < eng->cfg.cores; i++)
		eng->cores[i].running = 0;
}

int onm_load_bound(struct onm_engine *eng, const void *img, size_t len,
		   const int32_t *slots, struct onm_err *err)
{
	struct layout l = { 0 };
	uint32_t i;
	int ret;

	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
	ret = check_header(eng, img, len, &l, err);
	if (!ret)
		ret = check_relocs(&l, err);
	if (ret)
		return ret;
	onm_unload(eng);
	if (alloc_prog(eng, &l)) {
		ret = fail(err, -ONM_ENOMEM, "out of memory");
		goto err_free;
	}
	eng->n_maps = l.hdr->n_maps;
	for (i = 0; i < eng->n_maps; i++)
		eng->map_slots[i] = -1;
	for (i = 0; i < eng->n_maps; i++) {
		ret = setup_map(eng, &l, i, slots, err);
		if (ret)
			goto err_free;
	}
	eng->n_consts = l.hdr->n_consts;
	memcpy(eng->consts, l.consts, 8ULL * eng->n_consts);
	for (i = 0; i < l.hdr->n_relocs; i++)
		eng->consts[l.relocs[i].const_idx] =
			(uint64_t)ONM_SPACE_MAP << 60 |
			(uint32_t)eng->map_slots[l.relocs[i].map_idx];
	eng->n_bundles = l.hdr->n_bundles;
	for (i = 0; i < eng->n_bundles; i++)
		onm_decode_bundle(l.words + (size_t)i * l.hdr->lanes,
				  l.hdr->lanes, eng->n_consts,
				  &eng->bundles[i]);
	eng->prog_type = l.hdr->prog_type;
	eng->loaded = 1;
	return 0;

err_free:
	free_prog(eng);
	return ret;
}

int onm_load(struct onm_engine *eng, const void *img, size_t len,
	     struct onm_err *err)
{
	return onm_load_bound(eng, img, len, NULL, err);
}

int onm_prog_map_slot(const struct onm_engine *eng, uint32_t map_idx)
{
	if (!eng->loaded || map_idx >= eng->n_maps)
		return -ONM_ENOENT;
	return eng->map_slots[map_idx];
}
