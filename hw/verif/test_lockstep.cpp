// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * RTL tests, all in lockstep with the C model (every retired bundle's
 * architectural state compared): directed programs per micro-op, memory
 * protection in every space, the map engine, seeded random bundle
 * streams, and (4-core build) concurrent atomics.  TAP output.
 *
 *   test_lockstep [--first N] [--programs N] [--count-file F]
 *   test_lockstep --multicore       (4-core build: concurrent atomics)
 *   test_lockstep --bench           simulation speed
 *   test_lockstep --prog FILE.s     one program, one packet, in lockstep
 *   SEED=<n> reproduces a random run.  --fst F (or OFFNIC_WAVES=F)
 *   writes an FST waveform of each engine created (the last one stays),
 *   so use it with --prog or a reproduced failing SEED.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <string>

#include "lockstep.h"
#include "test_lockstep.h"
extern "C" {
#include "offnic_isa.h"
}

static int test_no;
static int failures;
static const char *fst_path;

int tap(int ok, const char *name)
{
	printf("%sok %d - rtl %s\n", ok ? "" : "not ", ++test_no, name);
	fflush(stdout);
	if (!ok)
		failures++;
	return ok;
}

/* A len-byte frame: Ethernet header with ethertype 0x0800, then a ramp */
static void frame_fill(uint8_t *f, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		f[i] = (uint8_t)(i * 7 + 3);
	f[12] = 0x08;
	f[13] = 0x00;
}

static void frame64(uint8_t *f)
{
	frame_fill(f, 64);
}

static void pkt_in(struct onm_pkt_in *in, const uint8_t *frame, uint32_t len)
{
	memset(in, 0, sizeof(*in));
	in->frame = frame;
	in->len = len;
	in->ctx[ONM_CTX_IFINDEX] = 7;
	in->ctx[ONM_CTX_RXQ] = 1;
	in->ctx[ONM_CTX_MARK] = 0x55;
	in->ctx[ONM_CTX_HASH] = 0x12345678;
}

int run_prog_len(const char *src, uint32_t len, int64_t verdict, int fault,
		 struct onm_pkt_out *outp)
{
	static uint8_t frame[ONM_PKT_BUF_BYTES];
	struct lockstep ls;
	struct onm_pkt_out out;
	struct onm_pkt_in in;
	int ret;

	if (len > ONM_PKT_BUF_BYTES - ONM_DEF_HEADROOM)
		return 0;
	if (lockstep_open(&ls, src, 1, fst_path))
		return 0;
	frame_fill(frame, len);
	pkt_in(&in, frame, len);
	ret = lockstep_packet(&ls, 0, &in, &out);
	lockstep_close(&ls);
	if (ret)
		return 0;
	if (verdict >= 0 && out.verdict != (uint32_t)verdict) {
		printf("# verdict %u, expected %lld (fault %s at pc %u lane %u)\n",
		       out.verdict, (long long)verdict,
		       onm_fault_name(out.fault.cause), out.fault.pc, out.fault.lane);
		return 0;
	}
	if (fault >= 0 && out.fault.cause != (uint32_t)fault) {
		printf("# fault %s, expected %s\n", onm_fault_name(out.fault.cause),
		       onm_fault_name(fault));
		return 0;
	}
	if (outp)
		*outp = out;
	return 1;
}

/* Run src on one 64-byte packet in lockstep; check verdict / fault when >= 0. */
static int run_prog(const char *src, int64_t verdict, int fault,
		    struct onm_pkt_out *outp)
{
	return run_prog_len(src, 64, verdict, fault, outp);
}

struct directed {
	const char *name;
	const char *src;
	int64_t verdict;	/* -1: not checked */
	int fault;		/* -1: not checked */
};

#define L4 ".lanes 4\n"

static const struct directed directed[] = {
	{ "alu64 ops agree with the model", L4
	  "mov p2, 100 ; mov p3, -7 ; ldk p5, =0x8000000000000000 ; mov p4, 0x7fffffff\n"
	  "add p6, p2, p3 ; sub p7, p2, p3 ; or p8, p2, p3 ; and p9, p2, p3\n"
	  "xor p11, p2, p3 ; lsh p12, p2, 70 ; rsh p13, p3, 60 ; arsh p14, p3, 1\n"
	  "neg p15, p3 ; mov p16, p5 ; movsx.b p17, p3 ; movsx.h p18, p4\n"
	  "movsx.w p19, p5 ; bswap.h p20, p4 ; bswap.w p21, p3 ; bswap.d p22, p5\n"
	  "lsh p23, p2, p3 ; rsh p24, p5, p2 ; arsh p25, p5, p2 ; sub p26, p5, 1\n"
	  "exit p6\n", 93, 0 },
	{ "alu32 ops zero-extend and mask shifts", L4
	  "mov p2, -100 ; mov p3, 37 ; ldk p4, =0x123456789abcdef0 ; nop\n"
	  "add.32 p6, p2, p3 ; sub.32 p7, p2, p3 ; or.32 p8, p4, p3 ; and.32 p9, p4, p2\n"
	  "xor.32 p11, p4, p2 ; lsh.32 p12, p4, p3 ; rsh.32 p13, p2, 33 ; arsh.32 p14, p2, 4\n"
	  "neg.32 p15, p3 ; mov.32 p16, p2 ; movsx.b.32 p17, p2 ; movsx.h.32 p18, p4\n"
	  "exit p13\n", 0x7fffffce, 0 },
	{ "mul, div and mod with BPF edge cases", L4
	  "mov p2, 100 ; mov p3, -7 ; ldk p4, =0x8000000000000000 ; mov p5, -1\n"
	  "mul p6, p2, p3 ; div p7, p2, 7\n"
	  "sdiv p8, p2, p3 ; mul.32 p16, p3, p3\n"
	  "mod p9, p2, 7\n" "smod p11, p3, 3\n" "div p12, p2, 0\n"
	  "mod p13, p2, 0\n" "sdiv p14, p4, p5\n" "smod p15, p4, p5\n"
	  "div.32 p17, p3, 3\n" "sdiv.32 p18, p3, 2\n" "mod.32 p19, p3, 0\n"
	  "smod.32 p20, p3, 4\n" "sdiv p21, p3, p2\n" "smod p22, p3, p2\n"
	  "exit p7\n", 14, 0 },
	{ "branch conditions decide by the lowest taken lane", L4
	  "mov p2, 5 ; mov p3, -1 ; mov p0, 0 ; nop\n"
	  "br.eq p2, 5, @a ; add p0, p0, 1\n"
	  "exit 99\n"
	  "@a: br.ne p2, p3, @b ; br.eq p2, p2, @x ; add p0, p0, 2\n"
	  "@x: exit 98\n"
	  "@b: br.gt p3, p2, @c ; exit 97\n"
	  "@c: br.sgt p3, p2, @x ; br.slt p3, p2, @d\n"
	  "exit 96\n"
	  "@d: br.ge p2, 5, @e ; exit 95\n"
	  "@e: br.le p2, 4, @x ; br.lt p2, 6, @f\n"
	  "exit 94\n"
	  "@f: br.sge p3, -1, @g ; exit 93\n"
	  "@g: br.sle p3, -2, @x ; br.set p2, 4, @h\n"
	  "exit 92\n"
	  "@h: br.eq.32 p3, 0x7fffff, @x ; br.eq.32 p3, -1, @i\n"
	  "exit 91\n"
	  "@i: ja @j ; exit 90\n"
	  "@j: exit p0\n", 3, 0 },
	{ "call and ret use the return stack", L4
	  "mov p0, 1\n"
	  "call @f\n"
	  "call @g\n"
	  "exit p0\n"
	  "@f: add p0, p0, 10 ; call @g\n"
	  "ret\n"
	  "@g: add p0, p0, 100\n"
	  "ret\n", 211, 0 },
	{ "ninth nested call faults RET_STACK", L4
	  "mov p0, 0\n"
	  "@r: add p0, p0, 1 ; call @r\n", 0, ONM_FAULT_RET_STACK },
	{ "ret on an empty return stack faults", L4
	  "ret\n", 0, ONM_FAULT_RET_STACK },
	{ "jump past the image faults BAD_PC", L4
	  "mov p0, 1 ; ja @40\n"
	  "exit 2\n", 0, ONM_FAULT_BAD_PC },
	{ "falling off the end faults BAD_PC", L4
	  "mov p0, 1\n", 0, ONM_FAULT_BAD_PC },
	{ "two multiplies in a bundle fault BUNDLE", L4
	  "mul p2, p3, p4 ; mul p5, p6, p7\n"
	  "exit 2\n", 0, ONM_FAULT_BUNDLE },
	{ "two writes of one register fault BUNDLE", L4
	  "mov p2, 1 ; add p2, p3, 4\n"
	  "exit 2\n", 0, ONM_FAULT_BUNDLE },
	{ "three memory ops in a bundle fault BUNDLE", L4
	  "ld.b p2, [p10-1] ; ld.b p3, [p10-2] ; ld.b p4, [p10-3]\n"
	  "exit 2\n", 0, ONM_FAULT_BUNDLE },
	{ "an illegal word faults BAD_OP in its lane", L4
	  "mov p2, 1 ; .word 0xff00000000000001\n"
	  "exit 2\n", 0, ONM_FAULT_BAD_OP },
	{ "ldk beyond the pool faults BAD_OP", L4
	  ".const 5\n"
	  "ldk p2, k0 ; ldk p3, k1\n"
	  "exit 2\n", 0, ONM_FAULT_BAD_OP },
	{ "an endless loop faults WATCHDOG", L4
	  "@l: add p2, p2, 1 ; ja @l\n", 0, ONM_FAULT_WATCHDOG },
	{ "interlock stalls follow the latency table", L4
	  "mov p2, 7 ; mov p3, 3\n"
	  "div p4, p2, p3\n"
	  "add p5, p4, 1\n"
	  "mul p6, p5, p5\n"
	  "ld.d p7, [p1]\n"
	  "ld.b p8, [p7]\n"
	  "mov p4, 1\n"
	  "exit p6\n", 9, 0 },
	{ "packet loads: sizes, byte swap, sign extension", L4
	  "ld.d p2, [p1] ; ld.d p3, [p1+8]\n"
	  "ld.b p4, [p2] ; ld.h.be p5, [p2+12]\n"
	  "ld.w p6, [p2+1] ; ld.d.be p7, [p2+3]\n"
	  "ld.b.s p8, [p2+20] ; ld.w.be.s p9, [p2+30]\n"
	  "ld.h.s p11, [p3-2] ; ld.d p12, [p3-8]\n"
	  "exit p5\n", 0x800, 0 },
	{ "packet and stack stores, then loads", L4
	  "ld.d p2, [p1] ; mov p3, -2\n"
	  "st.b [p2+1], p3 ; st.h.be [p2+2], p3\n"
	  "st.w [p2+5], p3 ; st.d.be [p2+9], p3\n"
	  "st.d [p10-8], p3 ; st.w [p10-13], p3\n"
	  "st.h.be [p10-512], p3 ; st.b [p10-1], p3\n"
	  "ld.d p4, [p2] ; ld.d p5, [p10-16]\n"
	  "exit p5\n", -1, 0 },
	{ "exit reads its register before the bundle's writes", L4
	  "mov p2, 7\n" "mov p2, 9 ; exit p2\n", 7, 0 },
	{ "a bundle reads before it writes", L4
	  "mov p2, 5 ; st.d [p10-8], p10\n"
	  "st.d [p10-8], p2 ; ld.d p3, [p10-8] ; add p2, p2, 1 ; mov p4, p2\n"
	  "exit p4\n", 5, 0 },
	{ "context fields: pointers, scalars, writable mark", L4
	  "ld.d p2, [p1] ; ld.d p3, [p1+8]\n"
	  "ld.d p4, [p1+16] ; ld.d p5, [p1+24]\n"
	  "ld.d p6, [p1+48] ; ld.d p7, [p1+64]\n"
	  "mov p8, 0x77 ; ld.d p9, [p1+72]\n"
	  "st.d [p1+64], p8 ; st.d [p1+96], p9\n"
	  "ld.d p11, [p1+64]\n"
	  "exit p6\n", 64, 0 },
	{ "stack atomics: every op, fetch, 32 and 64 bit", L4
	  "mov p2, 10 ; mov p3, 3\n"
	  "st.d [p10-8], p2 ; st.d [p10-16], p2\n"
	  "atomic.add.d [p10-8], p3\n"
	  "atomic.add.fetch.d p4, [p10-8], p3\n"
	  "atomic.or.fetch.w p5, [p10-8], p3\n"
	  "atomic.and.d [p10-8], p2\n"
	  "atomic.xor.fetch.d p6, [p10-16], p3\n"
	  "atomic.xchg.d p7, [p10-16], p2\n"
	  "mov p0, 10\n"
	  "atomic.cmpxchg.d p0, [p10-16], p3\n"
	  "atomic.cmpxchg.w p0, [p10-16], p2\n"
	  "ld.d p8, [p10-16]\n"
	  "exit p4\n", 13, 0 },
	{ "helpers: prandom, ktime, redirect", L4
	  "hcall prandom\n"
	  "mov p9, p0\n"
	  "hcall prandom\n"
	  "hcall ktime\n"
	  "mov p1, 3 ; mov p2, 0\n"
	  "hcall redirect\n"
	  "exit p0\n", 4, 0 },
	{ "redirect with flags answers ABORTED and records nothing", L4
	  "mov p1, 3 ; mov p2, 1\n"
	  "hcall redirect\n"
	  "exit p0\n", 0, 0 },
	{ "adjust_head, adjust_meta and adjust_tail", L4
	  "mov p6, p1 ; mov p2, -4\n"
	  "hcall adjust_meta\n"
	  "ld.d p3, [p6+16] ; mov p4, 0x1234\n"
	  "st.w [p3], p4 ; mov p2, 8\n"
	  "hcall adjust_head\n"
	  "mov p2, 16\n"
	  "hcall adjust_tail\n"
	  "mov p2, -4000\n"
	  "hcall adjust_head\n"
	  "mov p7, p0 ; mov p2, -3\n"
	  "hcall adjust_meta\n"
	  "ld.d p8, [p6+16] ; ld.d p9, [p6+8]\n"
	  "ld.w p11, [p8] ; ld.b p12, [p9-1]\n"
	  "exit p7\n", (uint32_t)-22, 0 },
	{ "event_output: stack data and packet bytes into the ring", L4
	  ".map ev perf_event key=4 value=4 entries=4\n"
	  "ldk p2, %ev ; ldk p3, =0xeffffffff ; ldk p6, =0x1122334455667788\n"
	  "st.d [p10-16], p6 ; st.d [p10-8], p3 ; mov p4, p10 ; mov p5, 13\n"
	  "add p4, p4, -16\n"
	  "hcall event_output\n"
	  "mov p9, p0 ; mov p5, 0 ; ldk p3, =2\n"
	  "hcall event_output\n"
	  "xor p9, p9, p0\n"
	  "exit p9\n", 0, 0 },
	{ "event_output argument errors answer -errno", L4
	  ".map ev perf_event key=4 value=4 entries=4\n"
	  "ldk p2, %ev ; ldk p3, =0x10000000000000 ; mov p4, p10 ; mov p5, 8\n"
	  "hcall event_output\n"
	  "mov p11, p0 ; ldk p3, =0xfff00000000\n"
	  "hcall event_output\n"
	  "mov p12, p0 ; mov p3, 4\n"
	  "hcall event_output\n"
	  "mov p13, p0 ; ldk p3, =0xffffffff ; mov p5, 1025\n"
	  "hcall event_output\n"
	  "add p11, p11, p12\n"
	  "exit p11\n", (uint32_t)-36, 0 },
	{ "event_output on a full ring answers -ENOSPC", L4
	  ".map ev perf_event key=4 value=4 entries=4\n"
	  "ldk p2, %ev ; ldk p3, =0x4ffffffff ; mov p5, 0 ; mov p7, 0\n"
	  "@l: add p7, p7, 1\n"
	  "hcall event_output\n"
	  "br.eq p0, 0, @l\n"
	  "exit p7\n", 17, 0 },
	{ "csum_diff over stack and packet words", L4
	  "mov p2, 0x11223344 ; ldk p3, =0xfffefdfcfbfaf9f8\n"
	  "st.d [p10-16], p3 ; st.w [p10-8], p2\n"
	  "ld.d p6, [p1] ; mov p1, p10\n"
	  "add p1, p1, -16 ; mov p2, 12 ; mov p4, 8 ; mov p5, 0x55\n"
	  "mov p3, p6\n"
	  "hcall csum_diff\n"
	  "mov p9, p0 ; mov p2, 6\n"
	  "hcall csum_diff\n"
	  "exit p0\n", (uint32_t)-22, 0 },
};

/* ---- memory protection: the access faults and memory is untouched --- */

static const struct directed protection[] = {
	{ "pkt load before the packet faults OOB", L4
	  "ld.d p2, [p1]\n" "ld.b p3, [p2-1]\n" "exit 2\n", 0, ONM_FAULT_OOB },
	{ "pkt load across data_end faults OOB", L4
	  "ld.d p2, [p1+8]\n" "ld.h p3, [p2-1]\n" "exit 2\n", 0, ONM_FAULT_OOB },
	{ "pkt store past data_end faults, memory untouched", L4
	  "ld.d p2, [p1+8] ; mov p4, -1\n" "st.b [p2], p4 ; st.b [p2-1], p4\n"
	  "exit 2\n", 0, ONM_FAULT_OOB },
	{ "pkt pointer with high offset bits faults OOB", L4
	  "ld.d p2, [p1] ; ldk p3, =0x10000\n" "add p2, p2, p3\n"
	  "ld.b p4, [p2]\n" "exit 2\n", 0, ONM_FAULT_OOB },
	{ "stack access at 512 faults OOB", L4
	  "ld.b p2, [p10]\n" "exit 2\n", 0, ONM_FAULT_OOB },
	{ "stack store across the top faults, memory untouched", L4
	  "mov p2, -1 ; st.d [p10-8], p2\n" "st.d [p10-4], p2 ; st.b [p10-9], p2\n"
	  "exit 2\n", 0, ONM_FAULT_OOB },
	{ "stack below 0 faults OOB", L4
	  "ld.b p2, [p10-513]\n" "exit 2\n", 0, ONM_FAULT_OOB },
	{ "ctx misaligned load faults OOB", L4
	  "ld.d p2, [p1+4]\n" "exit 2\n", 0, ONM_FAULT_OOB },
	{ "ctx narrow load faults OOB", L4
	  "ld.w p2, [p1]\n" "exit 2\n", 0, ONM_FAULT_OOB },
	{ "ctx undefined field faults OOB", L4
	  "ld.d p2, [p1+120]\n" "exit 2\n", 0, ONM_FAULT_OOB },
	{ "ctx store to a read-only field faults RO", L4
	  "mov p2, 1\n" "st.d [p1+24], p2\n" "exit 2\n", 0, ONM_FAULT_RO },
	{ "scalar dereference faults BAD_SPACE", L4
	  "mov p2, 64\n" "ld.b p3, [p2]\n" "exit 2\n", 0, ONM_FAULT_BAD_SPACE },
	{ "map handle dereference faults BAD_SPACE", L4
	  ".map m array key=4 value=8 entries=4\n"
	  "ldk p2, %m\n" "ld.b p3, [p2]\n" "exit 2\n", 0, ONM_FAULT_BAD_SPACE },
	{ "atomic on the packet faults BAD_SPACE", L4
	  "ld.d p2, [p1] ; mov p3, 1\n" "atomic.add.d [p2], p3\n" "exit 2\n",
	  0, ONM_FAULT_BAD_SPACE },
	{ "map value access past value_size faults OOB", L4
	  ".map m array key=4 value=12 entries=4\n"
	  "ldk p1, %m ; mov p3, 1 ; st.w [p10-4], p3\n"
	  "mov p2, p10\n" "add p2, p2, -4\n" "hcall map_lookup\n"
	  "ld.d p4, [p0] ; ld.w p5, [p0+8]\n"
	  "ld.w p6, [p0+9]\n" "exit 2\n", 0, ONM_FAULT_OOB },
	{ "map value of a deleted hash entry faults OOB", L4
	  ".map h hash key=4 value=8 entries=4\n"
	  "ldk p1, %h ; mov p3, 9 ; st.w [p10-4], p3 ; st.d [p10-16], p3\n"
	  "mov p2, p10 ; mov p4, 0\n" "add p2, p2, -4\n" "mov p3, p10\n"
	  "add p3, p3, -16\n" "hcall map_update\n" "hcall map_lookup\n"
	  "mov p7, p0\n" "ld.d p8, [p7]\n" "hcall map_delete\n"
	  "ld.d p9, [p7]\n" "exit 2\n", 0, ONM_FAULT_OOB },
	{ "map value pointer to an empty slot faults BAD_MAP", L4
	  "ldk p2, =0x3200000000000000\n" "ld.b p3, [p2]\n" "exit 2\n",
	  0, ONM_FAULT_BAD_MAP },
	{ "map helper on a scalar handle faults BAD_MAP", L4
	  "mov p1, 3 ; mov p2, p10\n" "hcall map_lookup\n" "exit 2\n",
	  0, ONM_FAULT_BAD_MAP },
	{ "event_output data out of bounds faults OOB", L4
	  ".map ev perf_event key=4 value=4 entries=4\n"
	  "ldk p2, %ev ; ldk p3, =0xffffffff ; mov p4, p10 ; mov p5, 8\n"
	  "add p4, p4, -4\n" "hcall event_output\n" "exit 2\n", 0, ONM_FAULT_OOB },
	{ "event_output to a data map faults BAD_MAP", L4
	  ".map m array key=4 value=8 entries=4\n"
	  "ldk p2, %m ; mov p3, 0 ; mov p5, 0\n" "hcall event_output\n"
	  "exit 2\n", 0, ONM_FAULT_BAD_MAP },
	{ "map key pointer out of bounds faults OOB", L4
	  ".map h hash key=16 value=8 entries=4\n"
	  "ldk p1, %h ; mov p2, p10\n" "add p2, p2, -8\n"
	  "hcall map_lookup\n" "exit 2\n", 0, ONM_FAULT_OOB },
};

static void run_table(const struct directed *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tap(run_prog(t[i].src, t[i].verdict, t[i].fault, NULL), t[i].name);
}

/* ---- maps ------------------------------------------------------------ */

static uint32_t crc32c(const uint8_t *p, uint32_t n)
{
	uint32_t crc = 0xffffffffU;
	int k;

	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78U & -(crc & 1));
	}
	return ~crc;
}

/* Three u32 keys whose crc32c lands in the same bucket of 8 */
static void colliding_keys(uint32_t *k)
{
	uint32_t key, n = 0, want = 0;

	for (key = 1; n < 3; key++) {
		uint32_t b = crc32c((const uint8_t *)&key, 4) & 7;

		if (!n)
			want = b;
		if (b == want)
			k[n++] = key;
	}
}

/* A program that runs a list of map operations on stack keys; the
 * verdict is the XOR of their results (lockstep checks each one). */
static std::string hash_program(const uint32_t *keys, int nkeys,
				const char *ops)
{
	std::string s = L4 ".map h hash key=4 value=8 entries=4\n";
	char line[200];
	int i;

	s += "mov p9, 0 ; ldk p7, %h\n";
	for (i = 0; ops[i]; i++) {
		uint32_t k = keys[i % nkeys];

		snprintf(line, sizeof(line),
			 "mov p3, %u ; mov p4, %u\n"
			 "st.w [p10-4], p3 ; st.d [p10-16], p4 ; mov p1, p7 ; mov p2, p10\n"
			 "add p2, p2, -4 ; mov p3, p10\n"
			 "add p3, p3, -16 ; mov p4, %d\n",
			 k, 1000 + i, ops[i] == 'n' ? 1 : ops[i] == 'e' ? 2 : 0);
		s += line;
		switch (ops[i]) {
		case 'u': case 'n': case 'e': s += "hcall map_update\n"; break;
		case 'd': s += "hcall map_delete\n"; break;
		default:
			s += "hcall map_lookup\n";
			s += "br.eq p0, 0, @s" + std::to_string(i) + "\n";
			s += "ld.d p0, [p0]\n";
			s += "@s" + std::to_string(i) + ": xor p9, p9, p0\n";
			continue;
		}
		s += "xor p9, p9, p0\n";
	}
	s += "exit p9\n";
	return s;
}

static void test_maps(void)
{
	uint32_t coll[3], many[6] = { 11, 22, 33, 44, 55, 66 };
	std::string p;

	colliding_keys(coll);
	p = hash_program(coll, 3, "uuulllddlul");
	tap(run_prog(p.c_str(), -1, 0, NULL),
	    "hash map: colliding keys probe, delete leaves tombstones, reinsert");
	p = hash_program(many, 6, "uuuuuulllll");
	tap(run_prog(p.c_str(), -1, 0, NULL),
	    "hash map: a full table answers -E2BIG");
	p = hash_program(coll, 2, "nneeudnel");
	tap(run_prog(p.c_str(), -1, 0, NULL),
	    "hash map: NOEXIST and EXIST flags, delete of an absent key");
	tap(run_prog(L4 ".map a array key=4 value=24 entries=3\n"
		     "ldk p7, %a ; mov p3, 2 ; mov p4, 77\n"
		     "st.w [p10-4], p3 ; st.d [p10-24], p4\n"
		     "st.d [p10-16], p3 ; st.d [p10-8], p4\n"
		     "mov p1, p7 ; mov p2, p10\n" "add p2, p2, -4 ; mov p3, p10\n"
		     "add p3, p3, -24 ; mov p4, 0\n" "hcall map_update\n"
		     "mov p4, 1\n" "hcall map_update\n" "mov p8, p0\n"
		     "hcall map_lookup\n" "ld.d p5, [p0+8] ; mov p6, 5\n"
		     "st.d [p0], p6 ; atomic.add.fetch.d p11, [p0+16], p6\n"
		     "mov p3, 3\n" "st.w [p10-4], p3\n" "hcall map_lookup\n"
		     "mov p12, p0 ; mov p3, p10\n" "add p3, p3, -24\n"
		     "hcall map_update\n" "mov p13, p0\n" "hcall map_delete\n"
		     "exit p8\n", (uint32_t)-17, 0, NULL),
	     "array map: update, lookup, value stores and atomics, bounds");
}

/* ---- random bundle streams ------------------------------------------ */

struct rng {
	uint64_t s;
};

static uint32_t rnd(struct rng *r, uint32_t n)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (uint32_t)(r->s % n);
}

static const char *const alu_ops[] = {
	"add", "sub", "or", "and", "xor", "lsh", "rsh", "arsh", "mov", "neg",
};
static const char *const conds[] = {
	"eq", "ne", "gt", "ge", "lt", "le", "sgt", "sge", "slt", "sle", "set",
};
static const char *const sizes = "bhwd";

/* Registers the random code may write: p0 and p11..p20 (p1 = ctx,
 * p2/p3 = packet pointers, p10 = stack, p4..p9 = inputs stay live) */
static int rnd_dst(struct rng *r, uint32_t *used)
{
	int reg;

	do {
		reg = rnd(r, 11);
		reg = reg ? reg + 10 : 0;
	} while (*used & (1U << reg));
	*used |= 1U << reg;
	return reg;
}

static int rnd_src(struct rng *r)
{
	static const int srcs[] = { 0, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16 };

	return srcs[rnd(r, sizeof(srcs) / sizeof(srcs[0]))];
}

static std::string rnd_uop(struct rng *r, int b, int nb, uint32_t *used,
			   int *mem, int *mul, int *div, int *atomic, int fault_ok)
{
	char t[128];
	int k = rnd(r, 100), sz = rnd(r, 4), rd;

	if (k < 45) {
		const char *op = alu_ops[rnd(r, 10)];

		rd = rnd_dst(r, used);
		if (!strcmp(op, "mov") || !strcmp(op, "neg"))
			snprintf(t, sizeof(t), "%s%s p%d, p%d", op, rnd(r, 3) ? "" : ".32",
				 rd, rnd_src(r));
		else if (rnd(r, 2))
			snprintf(t, sizeof(t), "%s%s p%d, p%d, %d", op,
				 rnd(r, 3) ? "" : ".32", rd, rnd_src(r),
				 (int)rnd(r, 200) - 100);
		else
			snprintf(t, sizeof(t), "%s%s p%d, p%d, p%d", op,
				 rnd(r, 3) ? "" : ".32", rd, rnd_src(r), rnd_src(r));
	} else if (k < 52 && !*mul) {
		*mul = 1;
		rd = rnd_dst(r, used);
		snprintf(t, sizeof(t), "mul%s p%d, p%d, p%d", rnd(r, 2) ? "" : ".32",
			 rd, rnd_src(r), rnd_src(r));
	} else if (k < 58 && !*div) {
		static const char *const dops[] = { "div", "sdiv", "mod", "smod" };

		*div = 1;
		rd = rnd_dst(r, used);
		snprintf(t, sizeof(t), "%s%s p%d, p%d, p%d", dops[rnd(r, 4)],
			 rnd(r, 2) ? "" : ".32", rd, rnd_src(r), rnd_src(r));
	} else if (k < 80 && *mem < 2) {
		/* stack or packet, in range unless a deliberate fault */
		int n = 1 << sz, pkt = rnd(r, 2), st = rnd(r, 3) == 0;
		int off = pkt ? (int)rnd(r, 64 - n + 1) : -(int)(rnd(r, 64) + n);

		if (fault_ok && rnd(r, 40) == 0)
			off += pkt ? 64 : 80;	/* past data_end / past the top */
		(*mem)++;
		if (st) {
			snprintf(t, sizeof(t), "st.%c%s [p%d%+d], p%d", sizes[sz],
				 sz && rnd(r, 3) == 0 ? ".be" : "", pkt ? 2 : 10, off,
				 rnd_src(r));
		} else {
			rd = rnd_dst(r, used);
			snprintf(t, sizeof(t), "ld.%c%s%s p%d, [p%d%+d]", sizes[sz],
				 sz && rnd(r, 3) == 0 ? ".be" : "",
				 sz < 3 && rnd(r, 3) == 0 ? ".s" : "", rd, pkt ? 2 : 10, off);
		}
	} else if (k < 82 && !*atomic) {
		static const char *const aops[] = { "add", "or", "and", "xor" };
		int off = -8 * (int)(rnd(r, 8) + 1);

		*atomic = 1;
		if (rnd(r, 3) == 0) {
			rd = rnd_dst(r, used);
			snprintf(t, sizeof(t), "atomic.%s.%s p%d, [p10%+d], p%d",
				 rnd(r, 2) ? "xchg" : "cmpxchg", rnd(r, 2) ? "w" : "d",
				 rd, off, rnd_src(r));
		} else if (rnd(r, 2)) {
			rd = rnd_dst(r, used);
			snprintf(t, sizeof(t), "atomic.%s.fetch.%s p%d, [p10%+d], p%d",
				 aops[rnd(r, 4)], rnd(r, 2) ? "w" : "d", rd, off, rnd_src(r));
		} else {
			snprintf(t, sizeof(t), "atomic.%s.%s [p10%+d], p%d",
				 aops[rnd(r, 4)], rnd(r, 2) ? "w" : "d", off, rnd_src(r));
		}
	} else if (k < 84) {
		rd = rnd_dst(r, used);
		snprintf(t, sizeof(t), "ldk p%d, =0x%llx", rd,
			 (unsigned long long)r->s);
	} else if (k < 85 && !(*used & 1)) {
		static const char *const h[] = { "prandom", "ktime" };

		*used |= 1;
		snprintf(t, sizeof(t), "hcall %s", h[rnd(r, 2)]);
	} else if (k < 86 && *mem < 2) {
		(*mem)++;
		rd = rnd_dst(r, used);
		snprintf(t, sizeof(t), "ld.d p%d, [p1+%d]", rd, 8 * (int)rnd(r, 13));
	} else if (k < 90 && b + 1 < nb) {
		/* forward branch: programs always terminate */
		int tgt = b + 1 + rnd(r, nb - b - 1);

		if (rnd(r, 2))
			snprintf(t, sizeof(t), "br.%s%s p%d, %d, @b%d", conds[rnd(r, 11)],
				 rnd(r, 3) ? "" : ".32", rnd_src(r), (int)rnd(r, 20) - 10, tgt);
		else
			snprintf(t, sizeof(t), "br.%s p%d, p%d, @b%d", conds[rnd(r, 11)],
				 rnd_src(r), rnd_src(r), tgt);
	} else if (k < 91) {
		snprintf(t, sizeof(t), "call @sub");
	} else if (k < 92 && fault_ok) {
		snprintf(t, sizeof(t), "exit p%d", rnd_src(r));
	} else {
		return "nop";
	}
	return t;
}

static std::string random_program(struct rng *r, int fault_ok)
{
	std::string s = L4;
	int nb = 8 + rnd(r, 40), b, l;
	char t[160];

	snprintf(t, sizeof(t),
		 "ld.d p2, [p1] ; ld.d p3, [p1+8] ; mov p4, %d ; mov p5, %d\n"
		 "ldk p6, =0x%llx ; mov p7, %d ; mov p8, -1 ; mov p9, 0x7fffffff\n",
		 (int)rnd(r, 1000), -(int)rnd(r, 1000),
		 (unsigned long long)r->s, (int)rnd(r, 64));
	s += t;
	for (b = 0; b < nb; b++) {
		uint32_t used = 0;
		int mem = 0, mul = 0, div = 0, atomic = 0;

		s += "@b" + std::to_string(b) + ": ";
		for (l = 0; l < 4; l++) {
			if (l)
				s += " ; ";
			s += rnd_uop(r, b, nb, &used, &mem, &mul, &div, &atomic,
				     fault_ok);
		}
		s += "\n";
	}
	s += "@b" + std::to_string(nb) + ": exit p0\n";
	/* a subroutine the bundles may call: one random bundle, then ret */
	{
		uint32_t used = 0;
		int mem = 0, mul = 0, div = 0, atomic = 0;

		s += "@sub: " + rnd_uop(r, nb, nb, &used, &mem, &mul, &div, &atomic, 0);
		s += " ; ret\n";
	}
	return s;
}

static void test_random(uint32_t seed, int programs)
{
	struct rng r = { seed * 0x9e3779b97f4a7c15ULL + 1 };
	uint64_t bundles = 0, clocks = 0, cycles = 0;
	int i, bad = 0, faults = 0;
	struct timespec t0, t1;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < programs && !bad; i++) {
		std::string src = random_program(&r, i % 2);
		struct lockstep ls;
		struct onm_pkt_out out = {};
		struct onm_pkt_in in;
		uint8_t frame[64];

		if (lockstep_open(&ls, src.c_str(), seed + i, fst_path)) {
			printf("# program %d does not load:\n%s", i, src.c_str());
			bad = 1;
			break;
		}
		frame64(frame);
		pkt_in(&in, frame, sizeof(frame));
		if (lockstep_packet(&ls, 0, &in, &out)) {
			printf("# random program %d (SEED=%u) diverged:\n%s", i, seed,
			       src.c_str());
			bad = 1;
		}
		faults += out.faulted;
		bundles += ls.bundles;
		cycles += out.cycles;
		clocks += rtl_step_clocks(ls.rtl);
		lockstep_close(&ls);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("# SEED=%u: %d programs, %llu bundles compared in lockstep, "
	       "%d faulted, %.1f s\n", seed, i, (unsigned long long)bundles,
	       faults, secs);
	printf("# per retired bundle: %.2f architectural cycles, %.2f RTL clocks\n",
	       bundles ? (double)cycles / bundles : 0.0,
	       bundles ? (double)clocks / bundles : 0.0);
	tap(!bad, "random bundle streams agree with the model bundle by bundle");
}

/* ---- several cores: concurrent atomics give the exact sum ----------- */

static void test_multicore(void)
{
	const char *src = L4 ".map a array key=4 value=8 entries=1\n"
		"ldk p1, %a ; mov p3, 0 ; mov p6, 0\n"
		"st.w [p10-4], p3 ; mov p2, p10\n"
		"add p2, p2, -4\n"
		"hcall map_lookup\n"
		"@l: atomic.add.d [p0], p6 ; add p6, p6, 1\n"
		"br.lt p6, 50, @l\n"
		"exit 2\n";
	unsigned int c, cores = rtl_cores();
	struct onm_arch_state st;
	struct onm_map_view v;
	struct lockstep ls;
	struct onm_pkt_in in;
	uint8_t frame[64];
	char buf[200];
	uint64_t sum, want = 0;
	int ok;

	if (lockstep_open(&ls, src, 1, fst_path)) {
		tap(0, "concurrent atomics from every core give the exact sum");
		return;
	}
	frame64(frame);
	pkt_in(&in, frame, sizeof(frame));
	/* the model runs the cores one after the other ... */
	for (c = 0; c < cores; c++) {
		onm_run(ls.model, c, &in, NULL);
		want += 49 * 50 / 2;
	}
	/* ... the RTL runs them at once, racing for the map engine */
	for (c = 0; c < cores; c++) {
		onm_begin(ls.model, c, &in);
		st = *onm_state(ls.model, c);
		st.prandom = onm_state(ls.model, c)->prandom;
		rtl_begin(ls.rtl, c, &st);
	}
	ok = rtl_run_all(ls.rtl) != 0;
	onm_map_view(ls.model, ls.slots[0], &v);
	memcpy(&sum, v.values, 8);
	ok = ok && sum == want;
	if (ok && rtl_map_compare(ls.rtl, ls.slots[0], &v, buf, sizeof(buf))) {
		printf("# %s\n", buf);
		ok = 0;
	}
	printf("# %u cores x 50 atomic adds: model %llu, expected %llu\n", cores,
	       (unsigned long long)sum, (unsigned long long)want);
	lockstep_close(&ls);
	tap(ok, "concurrent atomics from every core give the exact sum");
}

/*
 * Simulation speed: a 4-lane loop (ALU, MUL, loads, stores) on the RTL
 * alone, then the same packet in lockstep with the model.
 */
static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void bench(void)
{
	const char *src = L4
		"ld.d p2, [p1] ; mov p3, 0 ; mov p4, 1 ; mov p5, 3\n"
		"@l: add p3, p3, 1 ; mul p6, p4, p5 ; ld.w p7, [p2+4] ; xor p8, p4, p5\n"
		"st.d [p10-8], p6 ; add p4, p4, p7 ; sub p5, p5, 1 ; lsh p9, p8, 3\n"
		"br.lt p3, 5000, @l ; or p11, p9, p4 ; and p12, p6, p8 ; ld.d p13, [p10-8]\n"
		"exit 2\n";
	struct onm_pkt_out out;
	struct onm_pkt_in in;
	struct lockstep ls;
	struct timespec t0;
	uint64_t c0, bundles = 0;
	uint8_t frame[64];
	double secs;
	int st;

	if (lockstep_open(&ls, src, 1, fst_path))
		return;
	frame64(frame);
	pkt_in(&in, frame, sizeof(frame));
	onm_begin(ls.model, 0, &in);
	rtl_begin(ls.rtl, 0, onm_state(ls.model, 0));
	c0 = rtl_clocks(ls.rtl);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		st = rtl_step(ls.rtl, 0);
		bundles++;
	} while (st == ONM_RUNNING);
	secs = seconds_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (onm_step(ls.model, 0) == ONM_RUNNING)
		;
	printf("# bench C model alone: %.0f bundles/s\n",
	       bundles / seconds_since(&t0));
	printf("# bench RTL alone: %llu bundles, %llu clocks in %.2f s: "
	       "%.0f clocks/s, %.0f bundles/s, %.2f clocks/bundle\n",
	       (unsigned long long)bundles,
	       (unsigned long long)(rtl_clocks(ls.rtl) - c0), secs,
	       (rtl_clocks(ls.rtl) - c0) / secs, bundles / secs,
	       (double)(rtl_clocks(ls.rtl) - c0) / bundles);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	c0 = ls.bundles;
	st = lockstep_packet(&ls, 0, &in, &out);
	secs = seconds_since(&t0);
	printf("# bench lockstep (state compared every bundle): %llu bundles "
	       "in %.2f s: %.0f bundles/s; %llu architectural cycles, %s\n",
	       (unsigned long long)(ls.bundles - c0), secs,
	       (ls.bundles - c0) / secs, (unsigned long long)out.cycles,
	       st ? "MISMATCH" : "agree");
	lockstep_close(&ls);
}

static int run_file(const char *path)
{
	struct onm_pkt_out out;
	std::string src;
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		return 2;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		src.append(buf, n);
	fclose(f);
	if (!run_prog(src.c_str(), -1, -1, &out))
		return 1;
	printf("# %s: verdict %u, fault %s, %llu cycles; model and RTL agree\n",
	       path, out.verdict, onm_fault_name(out.fault.cause),
	       (unsigned long long)out.cycles);
	return 0;
}

/* Each core of a multi-core engine, in turn, in lockstep */
static void test_each_core(void)
{
	struct onm_pkt_in in;
	struct lockstep ls;
	uint8_t frame[64];
	const char *name = "every core of the engine agrees with the model, "
			   "packet after packet";
	unsigned int c;
	int ok = 1;

	if (lockstep_open(&ls, directed[0].src, 1, fst_path)) {
		tap(0, name);
		return;
	}
	frame64(frame);
	pkt_in(&in, frame, sizeof(frame));
	for (c = 0; ok && c < rtl_cores(); c++) {
		ok = !lockstep_packet(&ls, c, &in, NULL) &&
		     !lockstep_packet(&ls, c, &in, NULL);
	}
	lockstep_close(&ls);
	tap(ok, name);
}

int main(int argc, char **argv)
{
	const char *seed_env = getenv("SEED");
	const char *count_file = NULL, *prog = NULL;
	uint32_t seed = seed_env ? (uint32_t)strtoul(seed_env, NULL, 0) :
				   (uint32_t)time(NULL);
	int multicore = 0, programs = 1000, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--first") && i + 1 < argc)
			test_no = atoi(argv[++i]) - 1;
		else if (!strcmp(argv[i], "--multicore"))
			multicore = 1;
		else if (!strcmp(argv[i], "--bench"))
			multicore = 2;
		else if (!strcmp(argv[i], "--fst") && i + 1 < argc)
			fst_path = argv[++i];
		else if (!strcmp(argv[i], "--programs") && i + 1 < argc)
			programs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--count-file") && i + 1 < argc)
			count_file = argv[++i];
		else if (!strcmp(argv[i], "--prog") && i + 1 < argc)
			prog = argv[++i];
	}
	if (prog)
		return run_file(prog);
	if (multicore == 2) {
		bench();
	} else if (multicore) {
		test_each_core();
		test_multicore();
	} else {
		run_table(directed, sizeof(directed) / sizeof(directed[0]));
		run_table(protection, sizeof(protection) / sizeof(protection[0]));
		test_bounds();
		test_maps();
		printf("# random programs: SEED=%u\n", seed);
		test_random(seed, programs);
	}
	if (count_file) {
		FILE *f = fopen(count_file, "w");

		if (f) {
			fprintf(f, "%d\n", test_no);
			fclose(f);
		}
	}
	return failures ? 1 : 0;
}
