// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Helper units: adjust_head/tail/meta limits (XDP rules), csum_diff
 * against an independent reference, prandom determinism, ktime,
 * event_output records and errors, redirect, argument preservation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "onm_internal.h"

static struct onm_pkt_out out;
static uint64_t r[32];

/* Run src on a len-byte packet 0, 1, 2, ... with the given headroom. */
static struct onm_engine *run_len(const char *src, uint32_t len,
				  uint32_t headroom,
				  const struct onm_config *cfg)
{
	struct onm_engine *e = t_load(src, cfg);
	struct onm_pkt_in in = { 0 };
	static uint8_t frame[ONM_PKT_BUF_BYTES];
	uint32_t i;

	for (i = 0; i < len; i++)
		frame[i] = (uint8_t)i;
	in.frame = frame;
	in.len = len;
	in.headroom = headroom;
	onm_run(e, 0, &in, &out);
	memcpy(r, onm_state(e, 0)->regs, sizeof(r));
	return e;
}

/* Run src on a 64-byte packet 0..63 with the given headroom. */
static struct onm_engine *run_hr(const char *src, uint32_t headroom,
				 const struct onm_config *cfg)
{
	return run_len(src, 64, headroom, cfg);
}

/*
 * p0 of one adjust call with delta (p2 = delta as a 64-bit value) on a
 * len-byte frame, and the window afterwards in out.
 */
static int64_t adjust_on(const char *helper, long long delta, uint32_t len,
			 uint32_t headroom, const struct onm_config *cfg,
			 const char *before)
{
	char src[512];

	/* out.data points into the engine: keep it until the next call */
	static struct onm_engine *last;

	snprintf(src, sizeof(src), "%sldk p2, =0x%llx\nhcall %s\nexit 2\n",
		 before ? before : "", (unsigned long long)delta, helper);
	onm_destroy(last);
	last = run_len(src, len, headroom, cfg);
	return (int64_t)r[0];
}

static int64_t adjust(const char *helper, int delta, uint32_t headroom,
		      const char *before)
{
	return adjust_on(helper, delta, 64, headroom, NULL, before);
}

static void test_adjust_head(void)
{
	tap_ok(adjust("adjust_head", 14, 256, NULL) == 0 && out.data_off == 270 &&
	       out.len == 50 && out.data[0] == 14, "adjust_head +14 drops the Ethernet header");
	tap_ok(adjust("adjust_head", -256, 256, NULL) == 0 && out.data_off == 0 &&
	       out.len == 320 && out.data[0] == 0, "adjust_head may grow into all the headroom");
	tap_ok(adjust("adjust_head", -257, 256, NULL) == -ONM_EINVAL &&
	       out.data_off == 256 && out.len == 64,
	       "adjust_head past the buffer start is -EINVAL and changes nothing");
	tap_ok(adjust("adjust_head", 50, 256, NULL) == 0 && out.len == 14,
	       "adjust_head may leave exactly 14 bytes");
	tap_ok(adjust("adjust_head", 51, 256, NULL) == -ONM_EINVAL && out.len == 64,
	       "adjust_head leaving 13 bytes is -EINVAL");
	tap_ok(adjust("adjust_head", -8, 256,
		      "mov p2, -8\nhcall adjust_meta\nld.d p5, [p1+16]\n"
		      "ldk p6, =0x1122334455667788\nst.d [p5], p6\n") == 0 &&
	       out.meta_len == 8 && out.meta_off == 240 &&
	       !memcmp(out.meta, "\x88\x77\x66\x55\x44\x33\x22\x11", 8),
	       "adjust_head moves the metadata with the data");
	tap_ok(adjust("adjust_head", -249, 256, "mov p2, -8\nhcall adjust_meta\n") ==
	       -ONM_EINVAL && out.meta_off == 248,
	       "adjust_head may not push the metadata out of the buffer");
}

static void test_adjust_tail(void)
{
	struct onm_config whole_buf = { .max_frame = ONM_PKT_BUF_BYTES };
	struct onm_engine *e;

	tap_ok(adjust("adjust_tail", -50, 256, NULL) == 0 && out.len == 14,
	       "adjust_tail may shrink to 14 bytes");
	tap_ok(adjust("adjust_tail", -51, 256, NULL) == -ONM_EINVAL && out.len == 64,
	       "adjust_tail below 14 bytes is -EINVAL");
	tap_ok(adjust_on("adjust_tail", 4096 - 320, 64, 256, &whole_buf, NULL) == 0 &&
	       out.data_end_off == 4096,
	       "adjust_tail may grow to the end of the buffer (max_frame = buffer)");
	tap_ok(adjust_on("adjust_tail", 4096 - 319, 64, 256, &whole_buf, NULL) ==
	       -ONM_EINVAL && out.data_end_off == 320,
	       "adjust_tail past the buffer is -EINVAL");
	e = run_hr("mov p2, -10\nhcall adjust_tail\nmov p2, 10\nhcall adjust_tail\n"
		   "ld.d p3, [p1+8]\nld.d p4, [p3-8]\nexit 2\n", 256, NULL);
	tap_ok(r[0] == 0 && r[4] == 0 && out.len == 64,
	       "bytes grown by adjust_tail read as zero, even where old data was");
	onm_destroy(e);
}

/*
 * issue 10: a program that grew a 1514-byte frame by 200 bytes made the
 * device write a 1714-byte RX descriptor, which the driver must refuse.
 */
static void test_adjust_max_frame(void)
{
	struct onm_config small = { .max_frame = 100 };
	struct onm_engine *e;

	e = onm_create(NULL);
	tap_ok(e && onm_config(e)->max_frame == ONM_DEF_MAX_FRAME &&
	       ONM_DEF_MAX_FRAME == 1514,
	       "the default frame limit is the port's 1514 bytes");
	onm_destroy(e);
	small.max_frame = ONM_ETH_HLEN - 1;
	e = onm_create(&small);
	tap_ok(!e, "a frame limit under 14 bytes is refused");
	onm_destroy(e);
	small.max_frame = ONM_PKT_BUF_BYTES + 1;
	e = onm_create(&small);
	tap_ok(!e, "a frame limit over the packet buffer is refused");
	onm_destroy(e);
	small.max_frame = 100;

	tap_ok(adjust_on("adjust_tail", 200, 1514, 256, NULL, NULL) == -ONM_EINVAL &&
	       out.len == 1514 && out.data_end_off == 256 + 1514,
	       "adjust_tail +200 on a 1514-byte frame is -EINVAL and changes nothing");
	tap_ok(adjust_on("adjust_tail", 100, 1414, 256, NULL, NULL) == 0 &&
	       out.len == 1514, "adjust_tail may grow a frame to exactly 1514 bytes");
	tap_ok(adjust_on("adjust_tail", 101, 1414, 256, NULL, NULL) == -ONM_EINVAL &&
	       out.len == 1414, "adjust_tail to 1515 bytes is -EINVAL");
	tap_ok(adjust_on("adjust_tail", 37, 64, 256, &small, NULL) == -ONM_EINVAL &&
	       adjust_on("adjust_tail", 36, 64, 256, &small, NULL) == 0 &&
	       out.len == 100, "adjust_tail honours a configured frame limit");
	tap_ok(adjust_on("adjust_head", -20, 1514, 256, NULL, NULL) == -ONM_EINVAL &&
	       out.len == 1514 && out.data_off == 256,
	       "adjust_head -20 on a 1514-byte frame is -EINVAL and changes nothing");
	tap_ok(adjust_on("adjust_head", -20, 1494, 256, NULL, NULL) == 0 &&
	       out.len == 1514 && out.data_off == 236,
	       "adjust_head may grow a frame to exactly 1514 bytes");
	tap_ok(adjust_on("adjust_tail", -10, 3000, 256, NULL, NULL) == 0 &&
	       out.len == 2990 &&
	       adjust_on("adjust_head", 14, 3000, 256, NULL, NULL) == 0 &&
	       out.len == 2986,
	       "a frame already over the limit (a test run) may still shrink");
	tap_ok(adjust_on("adjust_tail", 1, 3000, 256, NULL, NULL) == -ONM_EINVAL &&
	       adjust_on("adjust_head", -1, 3000, 256, NULL, NULL) == -ONM_EINVAL &&
	       out.len == 3000, "... but never grow");
	tap_ok(adjust_on("adjust_tail", 0x100000010LL, 64, 256, NULL, NULL) == 0 &&
	       out.len == 80 &&
	       adjust_on("adjust_tail", 0x7fffffff, 64, 256, NULL, NULL) == -ONM_EINVAL &&
	       adjust_on("adjust_tail", -(1LL << 31), 64, 256, NULL, NULL) == -ONM_EINVAL &&
	       adjust_on("adjust_head", INT64_MIN, 64, 256, NULL, NULL) == 0 &&
	       out.len == 64 && out.data_off == 256,
	       "adjust deltas are the helper's int: the low 32 bits of p2");
	tap_ok(adjust_on("adjust_meta", -1LL, 64, 256, NULL, NULL) == -ONM_EACCES &&
	       adjust_on("adjust_meta", -(1LL << 31), 64, 256, NULL, NULL) == -ONM_EINVAL &&
	       adjust_on("adjust_meta", 0x7fffffff, 64, 256, NULL, NULL) == -ONM_EINVAL &&
	       out.meta_len == 0, "adjust_meta with huge deltas changes nothing");
}

static void test_adjust_meta(void)
{
	tap_ok(adjust("adjust_meta", -4, 256, NULL) == 0 && out.meta_len == 4,
	       "adjust_meta -4 makes 4 bytes of metadata");
	tap_ok(adjust("adjust_meta", -32, 256, NULL) == 0 && out.meta_len == 32,
	       "adjust_meta allows 32 bytes");
	tap_ok(adjust("adjust_meta", -36, 256, NULL) == -ONM_EACCES && out.meta_len == 0,
	       "adjust_meta over 32 bytes is -EACCES");
	tap_ok(adjust("adjust_meta", -6, 256, NULL) == -ONM_EACCES,
	       "adjust_meta to a length not a multiple of 4 is -EACCES");
	tap_ok(adjust("adjust_meta", 4, 256, NULL) == -ONM_EINVAL,
	       "metadata may not start after the data");
	tap_ok(adjust("adjust_meta", -20, 16, NULL) == -ONM_EINVAL,
	       "metadata may not start before the buffer");
}

/* Independent reference: 32-bit ones'-complement accumulation. */
static uint32_t csum_ref(const uint8_t *from, uint32_t fs, const uint8_t *to,
			 uint32_t ts, uint32_t seed)
{
	uint32_t sum = seed, w, i;

	for (i = 0; i < fs + ts; i += 4) {
		if (i < fs)
			memcpy(&w, from + i, 4), w = ~w;
		else
			memcpy(&w, to + (i - fs), 4);
		sum += w;
		if (sum < w)
			sum++;
	}
	return sum;
}

static void test_csum_diff(void)
{
	static uint8_t from[512], to[512];
	uint64_t x = 88172645463325252ULL;
	int i, bad = 0;

	tap_ok(onm_csum_diff32((const uint8_t *)"\0\0\0\0", 4,
			       (const uint8_t *)"\1\0\0\0", 4, 0) == 1,
	       "csum_diff 0 -> 1 is 1 (0xffffffff + 1 folds to 1)");
	for (i = 0; i < 2000; i++) {
		uint32_t fs, ts, seed, k;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		fs = (uint32_t)(x % 129) * 4;
		ts = (uint32_t)((x >> 16) % (129 - fs / 4)) * 4;
		seed = (uint32_t)(x >> 32);
		if (i % 7 == 0)
			seed = 0;
		for (k = 0; k < 512; k++) {
			from[k] = (uint8_t)(x >> (k % 56));
			to[k] = (uint8_t)((x >> (k % 48)) * 3);
		}
		if (i % 11 == 0)
			memset(to, 0, sizeof(to)), memset(from, 0xff, sizeof(from));
		if (onm_csum_diff32(from, fs, to, ts, seed) != csum_ref(from, fs, to, ts, seed))
			bad++;
	}
	tap_ok(!bad, "csum_diff agrees with a 32-bit ones'-complement reference on 2000 random inputs");
	onm_destroy(run_hr("ld.d p1, [p1] ; mov p2, 8 ; add p3, p10, -8 ; mov p4, 4\nmov p5, 0\n"
			   "mov p6, 0x0a\nst.w [p10-8], p6\nhcall csum_diff\nexit 2\n", 256, NULL));
	tap_ok(r[0] == csum_ref((const uint8_t *)"\0\1\2\3\4\5\6\7", 8,
				(const uint8_t *)"\x0a\0\0\0", 4, 0),
	       "csum_diff helper: packet bytes -> stack bytes");
	onm_destroy(run_hr("mov p2, 6 ; mov p4, 0\nhcall csum_diff\nexit 2\n", 256, NULL));
	tap_ok(r[0] == (uint64_t)-ONM_EINVAL, "csum_diff size not a multiple of 4 is -EINVAL");
	onm_destroy(run_hr("mov p2, 256 ; mov p4, 260\nhcall csum_diff\nexit 2\n", 256, NULL));
	tap_ok(r[0] == (uint64_t)-ONM_EINVAL, "csum_diff over 512 bytes in total is -EINVAL");
	onm_destroy(run_hr("mov p2, 0 ; mov p4, 0 ; mov p5, 0x1234\nhcall csum_diff\nexit 2\n",
			   256, NULL));
	tap_ok(r[0] == 0x1234, "csum_diff of nothing is the seed (pointers unused)");
	onm_destroy(run_hr("add p1, p10, -4 ; mov p2, 8 ; mov p4, 0\nhcall csum_diff\nexit 2\n",
			   256, NULL));
	tap_ok(out.fault.cause == ONM_FAULT_OOB, "csum_diff over the stack top faults OOB");
}

static void test_prandom(void)
{
	struct onm_config cfg = { .prandom_seed = 1, .cores = 2 };
	struct onm_engine *a, *b;
	uint64_t first;

	a = run_hr("hcall prandom\nmov p3, p0\nhcall prandom\nexit 2\n", 256, &cfg);
	first = r[3];
	tap_ok(first == 270369, "prandom is xorshift32 (13, 17, 5): seed 1 -> 270369");
	b = run_hr("hcall prandom\nmov p3, p0\nhcall prandom\nexit 2\n", 256, &cfg);
	tap_ok(r[3] == first, "prandom is deterministic for a seed");
	t_run(a, NULL, 0, &out);
	tap_ok(onm_state(a, 0)->regs[3] != first,
	       "prandom state carries over to the next packet");
	onm_set_seed(a, 0, 1);
	t_run(a, NULL, 0, &out);
	tap_ok(onm_state(a, 0)->regs[3] == first && onm_state(a, 1)->prandom == 2,
	       "onm_set_seed restarts the sequence; core c is seeded with seed + c");
	onm_destroy(a);
	onm_destroy(b);
}

static void test_ktime(void)
{
	struct onm_engine *e = run_hr("mov p3, 1\nmul p4, p3, p3\nhcall ktime\nexit 2\n",
				      256, NULL);
	uint64_t c1 = out.cycles;
	uint64_t t1 = r[0];

	t_run(e, NULL, 0, &out);
	/* the hcall waits for p4 (mul, latency 2): it issues at cycle 3 */
	tap_ok(t1 == 3 * 4 && onm_state(e, 0)->regs[0] == (c1 + 3) * 4,
	       "ktime = (core cycles before this packet + issue cycle) * 4 ns");
	onm_destroy(e);
}

static const char *const event_prog =
	".map perf_event key=4 value=4 entries=4\n"
	".map array key=4 value=4 entries=1\n"
	"ldk p3, =0x1122334455667788\nst.d [p10-8], p3\n"
	"ldk p2, %%map0 ; ldk p3, =0x%llx ; add p4, p10, -8 ; ldk p5, =0x%llx\n"
	"hcall event_output\nexit 2\n";

static int64_t event(unsigned long long flags, long long size, uint32_t slots,
		     int times)
{
	struct onm_config cfg = { .event_slots = slots };
	struct onm_engine *e;
	char src[512];
	int i;

	snprintf(src, sizeof(src), event_prog, flags, (unsigned long long)size);
	e = run_hr(src, 256, &cfg);
	for (i = 1; i < times; i++)
		t_run(e, NULL, 0, &out);
	r[0] = onm_state(e, 0)->regs[0];
	r[1] = onm_event_count(e);
	if (r[1]) {
		static struct onm_event ev;

		onm_event_pop(e, &ev);
		r[2] = ev.len;
		r[3] = ev.flags;
		r[4] = onm_load_le(ev.data, 8);
		r[5] = onm_load_le(ev.data + 8, 4);
		r[6] = ev.map_slot == (uint32_t)onm_prog_map_slot(e, 0);
	}
	onm_destroy(e);
	return (int64_t)r[0];
}

static void test_event_output(void)
{
	unsigned long long cur = 0xffffffffULL;

	tap_ok(event(cur | 4ULL << 32, 8, 4, 1) == 0 && r[1] == 1 && r[2] == 12 &&
	       r[3] == (cur | 4ULL << 32) && r[4] == 0x1122334455667788ULL &&
	       r[5] == 0x03020100 && r[6],
	       "event_output records the data, then ctxlen packet bytes, with flags and map");
	tap_ok(event(cur | 1ULL << 52, 8, 4, 1) == -ONM_EINVAL && r[1] == 0,
	       "event_output with reserved flag bits is -EINVAL");
	tap_ok(event(cur | 65ULL << 32, 8, 4, 1) == -ONM_EFAULT,
	       "event_output of more packet bytes than the packet has is -EFAULT");
	tap_ok(event(4, 8, 4, 1) == -ONM_E2BIG && event(3, 8, 4, 1) == 0,
	       "event_output index past the map's entries is -E2BIG");
	tap_ok(event(cur | 64ULL << 32, ONM_EVENT_MAX_BYTES - 63, 4, 1) == -ONM_E2BIG,
	       "event_output larger than a ring record is -E2BIG");
	tap_ok(event(cur, 8, 1, 2) == -ONM_ENOSPC && r[1] == 1,
	       "event_output into a full ring is -ENOSPC");
	/* issue 10: size + ctxlen wrapped, then a 2^64 - 56 byte memcpy */
	tap_ok(event(cur | 64ULL << 32, -56, 4, 1) == -ONM_E2BIG && r[1] == 0,
	       "event_output whose size + ctxlen wraps to 8 is -E2BIG");
	tap_ok(event(cur, -1, 4, 1) == -ONM_E2BIG && event(cur, INT64_MIN, 4, 1) == -ONM_E2BIG &&
	       event(cur, (1LL << 32) + 8, 4, 1) == -ONM_E2BIG &&
	       event(cur | 1ULL << 32, ONM_EVENT_MAX_BYTES, 4, 1) == -ONM_E2BIG &&
	       r[1] == 0, "event_output sizes 2^64-1, 2^63, 2^32+8 and 1024+1 are -E2BIG");
	tap_ok(event(cur | 1016ULL << 32, 8, 4, 1) == -ONM_EFAULT,
	       "event_output ctxlen is checked against the packet first");
	onm_destroy(run_hr(".map array key=4 value=4 entries=1\n"
			   "ldk p2, %map0 ; mov p3, 0 ; mov p5, 0\nhcall event_output\nexit 2\n",
			   256, NULL));
	tap_ok(out.fault.cause == ONM_FAULT_BAD_MAP,
	       "event_output to a map that is not a perf_event array faults BAD_MAP");
}

/*
 * The space checks take any 64-bit size: an end that would wrap is out
 * of bounds, never a small range.
 */
static void test_resolve_huge_sizes(void)
{
	static const uint64_t sizes[] = {
		~0ULL, ~0ULL - 55, 1ULL << 63, (1ULL << 32) + 8, 1ULL << 32,
		0x10008, 0x1fff8,
	};
	struct onm_engine *e = t_load(".map a array key=4 value=24 entries=2\n"
				      "exit 2\n", NULL);
	struct onm_pkt_in in = { 0 };
	uint8_t frame[64] = { 0 };
	struct onm_fault_info f;
	struct onm_core *c;
	uint64_t pkt, stk, val;
	unsigned int i, bad = 0;

	in.frame = frame;
	in.len = sizeof(frame);
	onm_begin(e, 0, &in);
	c = &e->cores[0];
	pkt = (uint64_t)ONM_SPACE_PKT << 60 | (256 + 60);
	stk = (uint64_t)ONM_SPACE_STACK << 60 | 504;
	val = (uint64_t)ONM_SPACE_MAPVAL << 60 |
	      (uint64_t)onm_prog_map_slot(e, 0) << 52 | 16;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		f.cause = 0;
		if (onm_resolve_buf(e, c, pkt, sizes[i], &f) || f.cause != ONM_FAULT_OOB)
			bad++, tap_diag("pkt size 0x%llx", (unsigned long long)sizes[i]);
		f.cause = 0;
		if (onm_resolve_buf(e, c, stk, sizes[i], &f) || f.cause != ONM_FAULT_OOB)
			bad++, tap_diag("stack size 0x%llx", (unsigned long long)sizes[i]);
		f.cause = 0;
		if (onm_resolve_buf(e, c, val, sizes[i], &f) || f.cause != ONM_FAULT_OOB)
			bad++, tap_diag("mapval size 0x%llx", (unsigned long long)sizes[i]);
	}
	tap_ok(!bad, "packet, stack and map value checks refuse sizes whose end wraps");
	tap_ok(onm_resolve_buf(e, c, pkt, 4, &f) && onm_resolve_buf(e, c, stk, 8, &f) &&
	       onm_resolve_buf(e, c, val, 8, &f) && !onm_resolve_buf(e, c, pkt, 5, &f) &&
	       !onm_resolve_buf(e, c, stk, 9, &f) && !onm_resolve_buf(e, c, val, 9, &f),
	       "the last bytes of each space resolve, one more does not");
	onm_destroy(e);
}

static void test_csum_diff_huge_sizes(void)
{
	onm_destroy(run_hr("add p1, p10, -8 ; ldk p2, =0x100000004 ; mov p4, 0\n"
			   "mov p6, 5\nst.w [p10-8], p6\nhcall csum_diff\nexit 2\n",
			   256, NULL));
	tap_ok(r[0] == csum_ref((const uint8_t *)"\5\0\0\0", 4, NULL, 0, 0),
	       "csum_diff sizes are the helper's u32: 2^32 + 4 is 4");
	onm_destroy(run_hr("ldk p2, =0xfffffffc ; mov p4, 8\nhcall csum_diff\nexit 2\n",
			   256, NULL));
	tap_ok(r[0] == (uint64_t)-ONM_EINVAL && !out.faulted,
	       "csum_diff sizes whose 32-bit sum wraps are -EINVAL");
	onm_destroy(run_hr("ldk p2, =0xffffffff ; ldk p4, =0xffffffff\nhcall csum_diff\nexit 2\n",
			   256, NULL));
	tap_ok(r[0] == (uint64_t)-ONM_EINVAL && !out.faulted,
	       "csum_diff sizes of 2^32 - 1 are -EINVAL");
	onm_destroy(run_hr("add p3, p10, -8 ; mov p2, 0 ; mov p4, 12\nhcall csum_diff\nexit 2\n",
			   256, NULL));
	tap_ok(out.fault.cause == ONM_FAULT_OOB,
	       "csum_diff over the end of the stack faults OOB");
}

static void test_redirect(void)
{
	onm_destroy(run_hr("mov p1, 7 ; mov p2, 0\nhcall redirect\nexit p0\n", 256, NULL));
	tap_ok(out.verdict == ONM_XDP_REDIRECT && out.redirected &&
	       out.redirect_ifindex == 7, "xdp redirect records the target and returns XDP_REDIRECT");
	onm_destroy(run_hr("mov p1, 7 ; mov p2, 1\nhcall redirect\nexit p0\n", 256, NULL));
	tap_ok(out.verdict == ONM_XDP_ABORTED && !out.redirected && !out.faulted,
	       "xdp redirect with flags returns XDP_ABORTED and records nothing");
	onm_destroy(run_hr(".prog tc\nmov p1, 3 ; mov p2, 1\nhcall redirect\nexit p0\n",
			   256, NULL));
	tap_ok(out.verdict == 7 && out.redirected && out.redirect_flags == 1,
	       "tc redirect with BPF_F_INGRESS returns TC_ACT_REDIRECT");
	onm_destroy(run_hr(".prog tc\nmov p1, 3 ; mov p2, 2\nhcall redirect\nexit p0\n",
			   256, NULL));
	tap_ok(out.verdict == 2 && !out.redirected, "tc redirect with unknown flags returns TC_ACT_SHOT");
}

static void test_arguments_preserved(void)
{
	onm_destroy(run_hr("mov p1, 11 ; mov p2, 12 ; mov p3, 13 ; mov p4, 14\n"
			   "mov p5, 15 ; mov p6, 16\nhcall prandom\nexit 2\n", 256, NULL));
	tap_ok(r[1] == 11 && r[2] == 12 && r[3] == 13 && r[4] == 14 && r[5] == 15 &&
	       r[6] == 16 && r[0] != 0, "helpers write p0 and preserve p1..p5");
}

int main(void)
{
	test_adjust_head();
	test_adjust_tail();
	test_adjust_max_frame();
	test_adjust_meta();
	test_csum_diff();
	test_prandom();
	test_ktime();
	test_event_output();
	test_resolve_huge_sizes();
	test_csum_diff_huge_sizes();
	test_redirect();
	test_arguments_preserved();
	return tap_done();
}
