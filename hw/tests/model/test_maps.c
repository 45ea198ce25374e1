// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The map engine: array bounds, the hash algorithm (crc32c buckets,
 * linear probing, tombstones, -E2BIG), update flags, helper results,
 * host API, digests, and atomics on map values and the stack.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "onm_internal.h"

static struct onm_pkt_out out;
static uint64_t r[32];

static void test_crc32c(void)
{
	tap_ok(onm_crc32c((const uint8_t *)"123456789", 9) == 0xe3069283,
	       "crc32c check value (Castagnoli, reflected, init/xorout ~0)");
}

static void test_array(void)
{
	struct onm_map_def d = { ONM_MAP_ARRAY, 4, 12, 3, 0 };
	struct onm_engine *e = onm_create(NULL);
	uint8_t v[12], z[12] = { 0 }, w[12];
	uint32_t k;
	int s = onm_map_create(e, -1, &d);
	struct onm_map_view view;

	onm_map_view(e, s, &view);
	k = 2;
	tap_ok(view.stride == 16 && view.n_buckets == 3 && !view.keys,
	       "array: value stride is next_pow2(max(value_size, 8))");
	tap_ok(!onm_map_lookup(e, s, &k, v) && !memcmp(v, z, 12),
	       "array values start zeroed");
	memset(w, 0xab, sizeof(w));
	tap_ok(!onm_map_update(e, s, &k, w, ONM_ANY) &&
	       !onm_map_lookup(e, s, &k, v) && !memcmp(v, w, 12),
	       "array update then lookup of the last index");
	k = 3;
	tap_ok(onm_map_lookup(e, s, &k, v) == -ONM_ENOENT &&
	       onm_map_update(e, s, &k, w, ONM_ANY) == -ONM_E2BIG,
	       "array index max_entries: lookup -ENOENT, update -E2BIG");
	k = 0;
	tap_ok(onm_map_update(e, s, &k, w, ONM_NOEXIST) == -ONM_EEXIST &&
	       onm_map_update(e, s, &k, w, ONM_EXIST) == 0 &&
	       onm_map_update(e, s, &k, w, 3) == -ONM_EINVAL,
	       "array flags: NOEXIST -EEXIST, EXIST ok, unknown -EINVAL");
	tap_ok(onm_map_delete(e, s, &k) == -ONM_EINVAL, "array delete is -EINVAL");
	{
		uint32_t next = 99, last = 2, past = 7;
		int first = onm_map_get_next_key(e, s, NULL, &next) == 0 && next == 0;
		int step = !onm_map_get_next_key(e, s, &next, &next) && next == 1;
		int end = onm_map_get_next_key(e, s, &last, &next) == -ONM_ENOENT;
		int restart = !onm_map_get_next_key(e, s, &past, &next) && next == 0;

		tap_ok(first && step && end && restart,
		       "array get_next_key: 0 first, index order, -ENOENT after the last, restart past the end");
	}
	onm_destroy(e);
}

/* n keys (u32) whose crc32c lands in bucket b of a C-bucket table */
static int colliding_keys(uint32_t c, uint32_t b, uint32_t *keys, int n)
{
	uint32_t k;
	int got = 0;

	for (k = 1; got < n && k < 1000000; k++)
		if ((onm_crc32c((uint8_t *)&k, 4) & (c - 1)) == b)
			keys[got++] = k;
	return got == n;
}

static int state_of(struct onm_engine *e, int s, uint32_t b)
{
	struct onm_map_view v;

	onm_map_view(e, s, &v);
	return v.state[b];
}

static void test_hash_probing(void)
{
	struct onm_map_def d = { ONM_MAP_HASH, 4, 8, 4, 0 };
	struct onm_engine *e = onm_create(NULL);
	int s = onm_map_create(e, -1, &d);
	uint32_t keys[4], absent;
	uint64_t v, one = 1, two = 2, three = 3;
	struct onm_map_view view;

	onm_map_view(e, s, &view);
	tap_ok(view.n_buckets == 8, "hash: 4 entries get next_pow2(8) = 8 buckets");
	colliding_keys(8, 7, keys, 4);
	onm_map_update(e, s, &keys[0], &one, ONM_ANY);
	onm_map_update(e, s, &keys[1], &two, ONM_ANY);
	tap_ok(state_of(e, s, 7) == ONM_BUCKET_LIVE && state_of(e, s, 0) == ONM_BUCKET_LIVE,
	       "colliding keys in the last bucket: the second wraps to bucket 0");
	tap_ok(!onm_map_delete(e, s, &keys[0]) && state_of(e, s, 7) == ONM_BUCKET_TOMB,
	       "delete leaves a tombstone");
	tap_ok(!onm_map_lookup(e, s, &keys[1], &v) && v == 2,
	       "lookup probes past a tombstone");
	tap_ok(onm_map_lookup(e, s, &keys[0], &v) == -ONM_ENOENT &&
	       onm_map_delete(e, s, &keys[0]) == -ONM_ENOENT,
	       "deleted key: lookup and delete -ENOENT");
	onm_map_update(e, s, &keys[2], &three, ONM_ANY);
	tap_ok(state_of(e, s, 7) == ONM_BUCKET_LIVE && !onm_map_lookup(e, s, &keys[2], &v) &&
	       v == 3, "a new key takes the first tombstone on its probe path");
	tap_ok(!onm_map_update(e, s, &keys[1], &one, ONM_ANY) && state_of(e, s, 1) == 0,
	       "updating a key that sits past a tombstone stays in place");
	onm_map_update(e, s, &keys[0], &one, ONM_ANY);
	tap_ok(state_of(e, s, 1) == ONM_BUCKET_LIVE, "reinsert after delete: next free bucket");
	onm_map_update(e, s, &keys[3], &one, ONM_ANY);
	absent = 0;
	while (!onm_map_lookup(e, s, &absent, &v) || absent == keys[0] ||
	       absent == keys[1] || absent == keys[2] || absent == keys[3])
		absent++;
	tap_ok(onm_map_update(e, s, &absent, &one, ONM_ANY) == -ONM_E2BIG,
	       "a fifth key in a 4-entry table is -E2BIG");
	tap_ok(onm_map_update(e, s, &keys[3], &two, ONM_ANY) == 0,
	       "a full table still updates existing keys");
	tap_ok(!onm_map_delete(e, s, &keys[3]) &&
	       !onm_map_update(e, s, &absent, &one, ONM_NOEXIST),
	       "delete one, insert another in a full table");
	tap_ok(onm_map_update(e, s, &absent, &one, ONM_NOEXIST) == -ONM_EEXIST &&
	       onm_map_update(e, s, &keys[3], &one, ONM_EXIST) == -ONM_ENOENT &&
	       onm_map_update(e, s, &absent, &two, ONM_EXIST) == 0 &&
	       !onm_map_lookup(e, s, &absent, &v) && v == 2,
	       "hash flags: NOEXIST on present -EEXIST, EXIST on absent -ENOENT, EXIST on present updates");
	onm_destroy(e);
}

static void test_hash_geometry_and_iteration(void)
{
	struct onm_map_def d5 = { ONM_MAP_HASH, 4, 24, 5, 0 };
	struct onm_engine *e = onm_create(NULL);
	int s = onm_map_create(e, -1, &d5);
	struct onm_map_view v;
	uint32_t k, next, seen = 0;
	uint8_t val[24] = { 0 };
	int ret;

	onm_map_view(e, s, &v);
	tap_ok(v.n_buckets == 16 && v.stride == 32, "5 entries: 16 buckets, stride 32");
	for (k = 10; k < 15; k++)
		onm_map_update(e, s, &k, val, ONM_ANY);
	ret = onm_map_get_next_key(e, s, NULL, &next);
	while (!ret) {
		seen |= 1U << (next - 10);
		k = next;
		ret = onm_map_get_next_key(e, s, &k, &next);
	}
	tap_ok(seen == 0x1f && ret == -ONM_ENOENT,
	       "get_next_key visits every key once, then -ENOENT");
	k = 99;
	tap_ok(!onm_map_get_next_key(e, s, &k, &next) &&
	       !onm_map_get_next_key(e, s, NULL, &k) && k == next,
	       "get_next_key of an absent key starts over");
	onm_destroy(e);
}

static void test_digest(void)
{
	struct onm_map_def d = { ONM_MAP_HASH, 4, 8, 4, 0 };
	struct onm_engine *a = onm_create(NULL), *b = onm_create(NULL);
	int sa = onm_map_create(a, -1, &d), sb = onm_map_create(b, -1, &d);
	uint64_t v1 = 1, v2 = 2;
	uint32_t k = 7;
	uint64_t d0 = onm_map_digest(a, sa);

	onm_map_update(a, sa, &k, &v1, ONM_ANY);
	onm_map_update(b, sb, &k, &v1, ONM_ANY);
	tap_ok(onm_map_digest(a, sa) != d0 &&
	       onm_map_digest(a, sa) == onm_map_digest(b, sb),
	       "digest changes with an update and matches an identical map");
	onm_map_update(a, sa, &k, &v2, ONM_ANY);
	tap_ok(onm_map_digest(a, sa) != onm_map_digest(b, sb), "digest covers values");
	onm_map_delete(a, sa, &k);
	onm_map_delete(b, sb, &k);
	tap_ok(onm_map_digest(a, sa) == onm_map_digest(b, sb),
	       "digest ignores the stale value of a tombstone");
	onm_destroy(a);
	onm_destroy(b);
}

/* Program-level helper results (p0) for the map helpers */
static const char *const helper_prog =
	".map hash key=4 value=8 entries=2\n"
	".map array key=4 value=8 entries=2\n"
	"mov p3, 1 ; mov p4, 77\n"
	"st.w [p10-4], p3 ; st.d [p10-16], p4\n"
	"ldk p1, %map0 ; add p2, p10, -4 ; add p3, p10, -16 ; mov p4, 1\n"
	"hcall map_update\nmov p20, p0\n"		/* NOEXIST: 0 */
	"hcall map_update\nmov p21, p0\n"		/* NOEXIST again: -EEXIST */
	"hcall map_lookup\nmov p22, p0\n"		/* value pointer */
	"ld.d p23, [p0]\n"				/* 77 */
	"hcall map_delete\nmov p24, p0\n"		/* 0 */
	"hcall map_delete\nmov p25, p0\n"		/* -ENOENT */
	"hcall map_lookup\nmov p26, p0\n"		/* 0: absent */
	"ldk p1, %map1\nhcall map_lookup\nmov p27, p0\n"	/* array index 1 */
	"mov p5, 2\nst.w [p10-4], p5\nhcall map_lookup\nmov p28, p0\n" /* index 2: 0 */
	"hcall map_delete\nmov p29, p0\n"		/* array: -EINVAL */
	"mov p1, 5\nhcall map_lookup\n"			/* scalar handle: BAD_MAP */
	"exit 2\n";

static void test_map_helpers(void)
{
	const uint64_t mv = (uint64_t)ONM_SPACE_MAPVAL << 60;
	struct onm_engine *e = t_load(helper_prog, NULL);
	struct onm_map_view hv;
	const uint64_t *x;
	uint32_t k = 1;
	int64_t b;

	t_run(e, NULL, 0, &out);
	x = onm_state(e, 0)->regs;
	onm_map_view(e, onm_prog_map_slot(e, 0), &hv);
	b = onm_crc32c((uint8_t *)&k, 4) & 7;
	tap_ok(x[20] == 0 && x[21] == (uint64_t)-ONM_EEXIST,
	       "map_update NOEXIST: 0, then -EEXIST");
	tap_ok(x[22] == (mv | (uint64_t)onm_prog_map_slot(e, 0) << 52 | b * 8) &&
	       x[23] == 77, "map_lookup returns MAPVAL|slot<<52|bucket*stride of the copied value");
	tap_ok(x[24] == 0 && x[25] == (uint64_t)-ONM_ENOENT && x[26] == 0,
	       "map_delete 0 then -ENOENT; lookup of a deleted key is 0");
	tap_ok(x[27] == (mv | (uint64_t)onm_prog_map_slot(e, 1) << 52 | 8) &&
	       x[28] == 0 && x[29] == (uint64_t)-ONM_EINVAL,
	       "array lookup: index*stride, 0 past the end; array delete -EINVAL");
	tap_ok(out.fault.cause == ONM_FAULT_BAD_MAP && out.fault.addr == 5,
	       "a map helper on a non-handle faults BAD_MAP");
	tap_ok(onm_perf(e, 0, ONM_PERF_MAP_OPS) == 9 &&
	       onm_perf(e, 0, ONM_PERF_HELPER_CALLS) == 9,
	       "map_ops and helper_calls count retired map helpers");
	onm_destroy(e);
}

struct atomic_case {
	const char *op;		/* on [p10-8] = 0x00000000f0f0f0f0 | hi, operand p4 */
	uint64_t operand, want_mem, want_rd;	/* rd = p5 (was 0x5555) */
};

#define MEM0	0x11111111f0000001ULL

static const struct atomic_case atomics[] = {
	{ "atomic.add.d [p10-8], p4", 1, MEM0 + 1, 0x5555 },
	{ "atomic.add.w [p10-8], p4", 0xffffffff, 0x11111111f0000000ULL, 0x5555 },
	{ "atomic.add.fetch.d p5, [p10-8], p4", 2, MEM0 + 2, MEM0 },
	{ "atomic.add.fetch.w p5, [p10-8], p4", 0x100000001ULL, 0x11111111f0000002ULL, 0xf0000001 },
	{ "atomic.or.fetch.d p5, [p10-8], p4", 0x0e, MEM0 | 0x0e, MEM0 },
	{ "atomic.or.w [p10-8], p4", 0xff00000000000006ULL, MEM0 | 6, 0x5555 },
	{ "atomic.and.fetch.w p5, [p10-8], p4", 0x1, 0x1111111100000001ULL, 0xf0000001 },
	{ "atomic.and.d [p10-8], p4", 0xff, 1, 0x5555 },
	{ "atomic.xor.fetch.d p5, [p10-8], p4", 0x3, MEM0 ^ 3, MEM0 },
	{ "atomic.xor.w [p10-8], p4", 0xffffffff, 0x111111110ffffffeULL, 0x5555 },
	{ "atomic.xchg.d p5, [p10-8], p4", 42, 42, MEM0 },
	{ "atomic.xchg.w p5, [p10-8], p4", 0xaaaaaaaa00000007ULL, 0x1111111100000007ULL, 0xf0000001 },
};

static void test_atomics(void)
{
	size_t i;

	for (i = 0; i < sizeof(atomics) / sizeof(atomics[0]); i++) {
		const struct atomic_case *c = &atomics[i];
		char src[512];

		snprintf(src, sizeof(src),
			 "ldk p3, =0x%llx ; ldk p4, =0x%llx ; mov p5, 0x5555\n"
			 "st.d [p10-8], p3\n%s\nld.d p6, [p10-8]\nexit 2\n",
			 (unsigned long long)MEM0, (unsigned long long)c->operand, c->op);
		t_exec(src, r, &out);
		if (!tap_ok(r[6] == c->want_mem && r[5] == c->want_rd && !out.faulted,
			    "%s: memory 0x%llx, p5 0x%llx", c->op,
			    (unsigned long long)c->want_mem,
			    (unsigned long long)c->want_rd))
			tap_diag("memory 0x%llx p5 0x%llx", (unsigned long long)r[6],
				 (unsigned long long)r[5]);
	}
}

static void test_cmpxchg(void)
{
	static const char *const prog =
		"ldk p3, =0x100000007 ; mov p4, 9\n"
		"st.d [p10-8], p3 ; mov p5, 7 ; mov p6, 7\n"
		"atomic.cmpxchg.d p5, [p10-8], p4\nld.d p7, [p10-8]\n"
		"atomic.cmpxchg.w p6, [p10-8], p4\nld.d p8, [p10-8]\n"
		"ldk p9, =0xffffffff00000009\n"
		"atomic.cmpxchg.w p9, [p10-8], p3\nld.d p11, [p10-8]\nexit 2\n";

	t_exec(prog, r, &out);
	tap_ok(r[5] == 0x100000007ULL && r[7] == 0x100000007ULL,
	       "cmpxchg.d mismatch: memory kept, rd = old");
	tap_ok(r[6] == 7 && r[8] == 0x100000009ULL,
	       "cmpxchg.w compares the low 32 bits only and writes 4 bytes");
	tap_ok(r[9] == 9 && r[11] == 0x100000007ULL,
	       "cmpxchg.w ignores rd's high half; old value is zero-extended");
}

static void test_atomic_on_map_value(void)
{
	static const char *const prog =
		".map array key=4 value=8 entries=1\n"
		"mov p3, 0\nst.w [p10-4], p3\nldk p1, %map0 ; add p2, p10, -4\n"
		"hcall map_lookup\nmov p4, 5\natomic.add.fetch.d p5, [p0], p4\n"
		"atomic.add.d [p0], p4\nexit 2\n";
	struct onm_engine *e = t_load(prog, NULL);
	uint32_t k = 0;
	uint64_t v;

	t_run(e, NULL, 0, &out);
	t_run(e, NULL, 0, &out);
	onm_map_lookup(e, onm_prog_map_slot(e, 0), &k, &v);
	tap_ok(v == 20 && onm_state(e, 0)->regs[5] == 10,
	       "atomics on an array value persist across packets");
	onm_destroy(e);
}

static void test_cores_share_maps(void)
{
	struct onm_config cfg = { .cores = 3 };
	struct onm_engine *e = t_load(
		".map array key=4 value=8 entries=1\n"
		"mov p3, 0\nst.w [p10-4], p3\nldk p1, %map0 ; add p2, p10, -4\n"
		"hcall map_lookup\nmov p4, 1\natomic.add.d [p0], p4\nexit 2\n", &cfg);
	struct onm_pkt_in in = { 0 };
	uint8_t frame[60] = { 0 };
	uint32_t k = 0, c;
	uint64_t v;

	in.frame = frame;
	in.len = sizeof(frame);
	for (c = 0; c < 3; c++)
		onm_run(e, c, &in, &out);
	onm_run(e, 1, &in, &out);
	onm_map_lookup(e, onm_prog_map_slot(e, 0), &k, &v);
	tap_ok(v == 4 && onm_perf(e, 1, ONM_PERF_PACKETS) == 2 &&
	       onm_perf(e, UINT32_MAX, ONM_PERF_PACKETS) == 4,
	       "cores share map memory; counters are per core");
	onm_destroy(e);
}

int main(void)
{
	test_crc32c();
	test_array();
	test_hash_probing();
	test_hash_geometry_and_iteration();
	test_digest();
	test_map_helpers();
	test_atomics();
	test_cmpxchg();
	test_atomic_on_map_value();
	test_cores_share_maps();
	return tap_done();
}
