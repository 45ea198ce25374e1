// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Image loading: every header field and section size is validated;
 * relocations turn constants into map handles; maps are created in
 * free slots or bound to the host's; unload frees only created maps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "onm_internal.h"
#include "offnic_image.h"

static const char *const prog =
	".map hash key=4 value=8 entries=8\n"
	".const 0x55\n"
	"mov p3, 3 ; mov p4, 44 ; ldk p1, %map0\n"
	"st.w [p10-4], p3 ; st.d [p10-16], p4 ; add p2, p10, -4 ; add p3, p10, -16\n"
	"mov p4, 0\nhcall map_update\nldk p5, k0\nexit p5\n";

static struct onm_asm_out img;

static struct offnic_image_hdr *hdr(void *copy)
{
	return copy;
}

/* Load a mutated copy of img; returns the load result. */
static int load_mutated(void (*mutate)(void *, size_t *), struct onm_err *err)
{
	struct onm_engine *e = onm_create(NULL);
	size_t len = img.len;
	void *copy = calloc(1, img.len + 16);
	int ret;

	memcpy(copy, img.img, img.len);
	mutate(copy, &len);
	ret = onm_load(e, copy, len, err);
	free(copy);
	onm_destroy(e);
	return ret;
}

static void m_magic(void *p, size_t *len) { hdr(p)->magic ^= 1; }
static void m_version(void *p, size_t *len) { hdr(p)->version = 2; }
static void m_lanes(void *p, size_t *len) { hdr(p)->lanes = 2; }
static void m_no_bundles(void *p, size_t *len) { hdr(p)->n_bundles = 0; }
static void m_truncated(void *p, size_t *len) { *len -= 8; }
static void m_extra(void *p, size_t *len) { *len += 16; }
static void m_stack(void *p, size_t *len) { hdr(p)->stack_size = 513; }
static void m_prog_type(void *p, size_t *len) { hdr(p)->prog_type = 9; }
static void m_flags(void *p, size_t *len) { hdr(p)->flags = 2; }
static void m_short(void *p, size_t *len) { *len = 10; }
static void m_many_maps(void *p, size_t *len) { hdr(p)->n_maps = 65; }

static struct offnic_image_reloc *reloc0(void *p)
{
	struct offnic_image_hdr *h = p;

	return (void *)((uint64_t *)(h + 1) + h->n_bundles * h->lanes + h->n_consts);
}

static struct offnic_image_map *map0(void *p)
{
	return (void *)(reloc0(p) + hdr(p)->n_relocs);
}

static void m_reloc_const(void *p, size_t *len) { reloc0(p)->const_idx = 99; }
static void m_reloc_map(void *p, size_t *len) { reloc0(p)->map_idx = 1; }
static void m_map_def(void *p, size_t *len) { map0(p)->key_size = 0; }
static void m_map_type(void *p, size_t *len) { map0(p)->type = 7; }

static void test_validation(void)
{
	static const struct {
		const char *what;
		void (*mutate)(void *, size_t *);
	} bad[] = {
		{ "bad magic", m_magic }, { "unknown version", m_version },
		{ "lanes differ from the engine", m_lanes },
		{ "no bundles", m_no_bundles }, { "truncated", m_truncated },
		{ "trailing bytes", m_extra }, { "stack over 512", m_stack },
		{ "unknown prog_type", m_prog_type }, { "unknown flags", m_flags },
		{ "shorter than the header", m_short },
		{ "more than 64 maps", m_many_maps },
		{ "reloc names a missing constant", m_reloc_const },
		{ "reloc names a missing map", m_reloc_map },
		{ "map with key_size 0", m_map_def },
		{ "map of unknown type", m_map_type },
	};
	struct onm_err err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = load_mutated(bad[i].mutate, &err);

		tap_ok(ret < 0 && err.code == ret && err.msg[0],
		       "image rejected: %s (%s)", bad[i].what, err.msg);
	}
}

static void test_load_and_relocate(void)
{
	struct onm_engine *e = onm_create(NULL);
	struct onm_pkt_out out;
	struct onm_err err;
	uint32_t k = 3;
	uint64_t v = 0;
	int slot;

	tap_ok(onm_load(e, img.img, img.len, &err) == 0, "a valid image loads");
	t_run(e, NULL, 0, &out);
	slot = onm_prog_map_slot(e, 0);
	tap_ok(out.verdict == 0x55 && slot >= 0 &&
	       !onm_map_lookup(e, slot, &k, &v) && v == 44,
	       "relocated constant is the handle of the map the loader created");
	onm_unload(e);
	tap_ok(onm_map_digest(e, slot) == 0 && onm_run(e, 0, &(struct onm_pkt_in){ 0 }, &out) ==
	       -ONM_ENOEXEC, "unload frees the maps the loader created; no program: -ENOEXEC");
	onm_destroy(e);
}

static void test_bound_maps(void)
{
	struct onm_map_def def = { ONM_MAP_HASH, 4, 8, 8, 0 };
	struct onm_map_def other = { ONM_MAP_HASH, 4, 16, 8, 0 };
	struct onm_engine *e = onm_create(NULL);
	struct onm_pkt_out out;
	struct onm_err err;
	int32_t slots[1] = { 5 };
	uint32_t k = 3;
	uint64_t v = 0;

	onm_map_create(e, 5, &def);
	tap_ok(onm_load_bound(e, img.img, img.len, slots, &err) == 0 &&
	       onm_prog_map_slot(e, 0) == 5, "the loader binds an image map to the host's slot");
	t_run(e, NULL, 0, &out);
	tap_ok(!onm_map_lookup(e, 5, &k, &v) && v == 44,
	       "the program updates the host's map");
	onm_unload(e);
	tap_ok(!onm_map_lookup(e, 5, &k, &v), "unload keeps bound maps");
	onm_map_free(e, 5);
	onm_map_create(e, 5, &other);
	tap_ok(onm_load_bound(e, img.img, img.len, slots, &err) == -ONM_EINVAL,
	       "binding to a map of another shape is refused");
	onm_destroy(e);
}

static void test_map_memory_budget(void)
{
	struct onm_config cfg = { .map_mem_bytes = 1024 };
	struct onm_map_def big = { ONM_MAP_ARRAY, 4, 64, 64, 0 };
	struct onm_map_def small = { ONM_MAP_ARRAY, 4, 8, 64, 0 };
	struct onm_engine *e = onm_create(&cfg);

	tap_ok(onm_map_create(e, -1, &big) == -ONM_ENOMEM &&
	       onm_map_create(e, -1, &small) == 0 &&
	       onm_map_create(e, -1, &small) == 1 &&
	       onm_map_create(e, -1, &small) == -ONM_ENOMEM,
	       "map creation honours the map memory budget");
	tap_ok(onm_map_create(e, 1, &small) == -ONM_EBUSY, "a used slot is busy");
	onm_destroy(e);
}

static void test_run_arguments(void)
{
	struct onm_engine *e = t_load("exit 2\n", NULL);
	struct onm_pkt_in in = { 0 };
	struct onm_pkt_out out;
	static uint8_t frame[4096];

	in.frame = frame;
	in.len = 4096 - 256 + 1;
	tap_ok(onm_run(e, 0, &in, &out) == -ONM_EINVAL && onm_run(e, 1, &in, &out) ==
	       -ONM_EINVAL, "frames that do not fit and unknown cores are refused");
	in.len = 4096 - 256;
	tap_ok(onm_run(e, 0, &in, &out) == 0 && out.len == 4096 - 256,
	       "a frame filling the buffer after the headroom runs");
	onm_destroy(e);
}

int main(void)
{
	if (onm_asm(prog, &img)) {
		printf("Bail out! %s\n", img.msg);
		return 1;
	}
	test_validation();
	test_load_and_relocate();
	test_bound_maps();
	test_map_memory_budget();
	test_run_arguments();
	onm_asm_free(&img);
	return tap_done();
}
