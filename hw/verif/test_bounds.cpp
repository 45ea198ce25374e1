// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Bounds rules in lockstep (docs/device-abi.md, "Frame length and helper
 * sizes"): adjust_head/tail never grow a frame past the port's frame
 * length, and every helper size argument, whatever its width or sign,
 * is checked against its space before use, with the same answer
 * (helper error or fault) in the model and the RTL.
 *
 * Each program checks the p0 of every call (a wrong one exits 1); the
 * harness compares the whole architectural state after every bundle.
 */
#include "lockstep.h"
#include "test_lockstep.h"
extern "C" {
#include "offnic_isa.h"
}

#define L4 ".lanes 4\n"
/* p0 must be v, else exit 1 */
#define EXPECT(v) "br.ne p0, " #v ", @bad\n"
#define BAD "exit 2\n@bad: exit 1\n"

struct bounds {
	const char *name;
	const char *src;
	uint32_t frame_len;
	int64_t verdict;	/* -1: not checked */
	int fault;		/* -1: not checked */
};

static const struct bounds bounds[] = {
	/* ---- frame length: adjust_head / adjust_tail ----------------- */
	{ "adjust_tail +200 on a 1514-byte frame is -EINVAL (issue 10)", L4
	  "mov p2, 200\n" "hcall adjust_tail\n" "exit p0\n",
	  1514, (uint32_t)-22, 0 },
	{ "adjust_tail and adjust_head grow a frame to 1514 bytes, no further", L4
	  "mov p6, p1 ; mov p2, 100\n" "hcall adjust_tail\n" EXPECT(0)
	  "mov p2, 1\n" "hcall adjust_tail\n" EXPECT(-22)
	  "mov p2, -1\n" "hcall adjust_tail\n" EXPECT(0)
	  "mov p2, -1\n" "hcall adjust_head\n" EXPECT(0)
	  "mov p2, -1\n" "hcall adjust_head\n" EXPECT(-22)
	  "mov p2, -20\n" "hcall adjust_head\n" EXPECT(-22)
	  "ld.d p3, [p6] ; ld.d p4, [p6+8]\n" "sub p5, p4, p3\n"
	  "br.ne p5, 1514, @bad\n" BAD,
	  1414, 2, 0 },
	{ "a frame over the limit (test run) shrinks but never grows", L4
	  "mov p2, -10\n" "hcall adjust_tail\n" EXPECT(0)
	  "mov p2, 14\n" "hcall adjust_head\n" EXPECT(0)
	  "mov p2, 1\n" "hcall adjust_tail\n" EXPECT(-22)
	  "mov p2, -1\n" "hcall adjust_head\n" EXPECT(-22) BAD,
	  3000, 2, 0 },
	{ "adjust deltas of every width are the low 32 bits of p2", L4
	  "ldk p2, =0xffffffffffffffff\n" "hcall adjust_tail\n" EXPECT(0)
	  "ldk p2, =0x8000000000000000\n" "hcall adjust_tail\n" EXPECT(0)
	  "ldk p2, =0x100000010\n" "hcall adjust_tail\n" EXPECT(0)
	  "ldk p2, =0x7fffffff\n" "hcall adjust_tail\n" EXPECT(-22)
	  "ldk p2, =0x80000000\n" "hcall adjust_tail\n" EXPECT(-22)
	  "ldk p2, =0x10000\n" "hcall adjust_tail\n" EXPECT(-22)
	  "ldk p2, =0xffffffff80000000\n" "hcall adjust_head\n" EXPECT(-22)
	  "ldk p2, =0x7fffffff\n" "hcall adjust_head\n" EXPECT(-22)
	  "ldk p2, =0xffffffffffff0000\n" "hcall adjust_head\n" EXPECT(-22)
	  "ldk p2, =0xffffffffffffffff\n" "hcall adjust_meta\n" EXPECT(-13)
	  "ldk p2, =0x80000000\n" "hcall adjust_meta\n" EXPECT(-22)
	  "ldk p2, =0x7fffffff\n" "hcall adjust_meta\n" EXPECT(-22)
	  "ldk p2, =0x1fffffffc\n" "hcall adjust_meta\n" EXPECT(0) BAD,
	  64, 2, 0 },

	/* ---- event_output: 64-bit size, stack data at the top -------- */
	{ "event_output sizes whose sum or width wraps are -E2BIG", L4
	  ".map ev perf_event key=4 value=4 entries=4\n"
	  "ldk p2, %ev ; ldk p3, =0x40ffffffff ; ldk p5, =0xffffffffffffffc8\n"
	  "mov p4, p10\n" "add p4, p4, -8\n"
	  "hcall event_output\n" EXPECT(-7)
	  "ldk p5, =0xffffffffffffffff\n" "hcall event_output\n" EXPECT(-7)
	  "ldk p5, =0x8000000000000000\n" "hcall event_output\n" EXPECT(-7)
	  "ldk p3, =0xffffffff ; ldk p5, =0x100000008\n" "hcall event_output\n" EXPECT(-7)
	  "ldk p5, =0x20008\n" "hcall event_output\n" EXPECT(-7)
	  "ldk p5, =0x10008\n" "hcall event_output\n" EXPECT(-7)
	  "ldk p5, =0x401\n" "hcall event_output\n" EXPECT(-7)
	  "ldk p3, =0x1ffffffff ; mov p5, 1024\n" "hcall event_output\n" EXPECT(-7)
	  "ldk p3, =0xffffffff ; mov p5, 8\n" "hcall event_output\n" EXPECT(0) BAD,
	  64, 2, 0 },
	{ "event_output of 9 bytes from 8 below the stack top faults OOB", L4
	  ".map ev perf_event key=4 value=4 entries=4\n"
	  "ldk p2, %ev ; ldk p3, =0xffffffff ; mov p4, p10 ; mov p5, 9\n"
	  "add p4, p4, -8\n" "hcall event_output\n" "exit 2\n",
	  64, 0, ONM_FAULT_OOB },
	{ "event_output of the last packet bytes; a huge size is -E2BIG first", L4
	  ".map ev perf_event key=4 value=4 entries=4\n"
	  "ld.d p4, [p1+8] ; ldk p2, %ev ; ldk p3, =0xffffffff ; mov p5, 8\n"
	  "add p4, p4, -8\n" "hcall event_output\n" EXPECT(0)
	  "ldk p5, =0xfffffffffffffff9\n" "hcall event_output\n" EXPECT(-7) BAD,
	  64, 2, 0 },
	{ "event_output one byte past the packet end faults OOB", L4
	  ".map ev perf_event key=4 value=4 entries=4\n"
	  "ld.d p4, [p1+8] ; ldk p2, %ev ; ldk p3, =0xffffffff ; mov p5, 9\n"
	  "add p4, p4, -8\n" "hcall event_output\n" "exit 2\n",
	  64, 0, ONM_FAULT_OOB },

	/* ---- csum_diff: u32 sizes --------------------------------------- */
	{ "csum_diff sizes of every width: u32, checked in 64 bits", L4
	  "mov p6, 5\n" "st.d [p10-8], p6 ; mov p1, p10\n"
	  "add p1, p1, -8 ; ldk p2, =0x100000008 ; mov p4, 0 ; mov p5, 0\n"
	  "hcall csum_diff\n" "mov p7, p0\n"
	  "ldk p2, =0xfffffffc ; mov p4, 8\n" "hcall csum_diff\n" EXPECT(-22)
	  "ldk p2, =0xffffffffffffff00 ; mov p4, 0\n" "hcall csum_diff\n" EXPECT(-22)
	  "ldk p2, =0xffffffff ; ldk p4, =0xffffffff\n" "hcall csum_diff\n" EXPECT(-22)
	  "mov p2, 8 ; ldk p4, =0x8000000000000000\n" "hcall csum_diff\n"
	  "br.ne p0, p7, @bad\n" BAD,
	  64, 2, 0 },
	{ "csum_diff over the stack top faults OOB", L4
	  "mov p1, p10 ; mov p2, 12 ; mov p4, 0\n"
	  "add p1, p1, -8\n" "hcall csum_diff\n" "exit 2\n",
	  64, 0, ONM_FAULT_OOB },
	{ "csum_diff past the packet end faults OOB", L4
	  "ld.d p3, [p1+8] ; mov p2, 0 ; mov p4, 8\n"
	  "add p3, p3, -4\n" "hcall csum_diff\n" "exit 2\n",
	  64, 0, ONM_FAULT_OOB },

	/* ---- map keys and values near the end of their space ---------- */
	{ "map key ending at the packet end is read", L4
	  ".map h hash key=4 value=8 entries=4\n"
	  "ld.d p2, [p1+8] ; ldk p1, %h\n" "add p2, p2, -4\n"
	  "hcall map_lookup\n" EXPECT(0) BAD,
	  64, 2, 0 },
	{ "map key one byte past the packet end faults OOB", L4
	  ".map h hash key=4 value=8 entries=4\n"
	  "ld.d p2, [p1+8] ; ldk p1, %h\n" "add p2, p2, -3\n"
	  "hcall map_lookup\n" "exit 2\n",
	  64, 0, ONM_FAULT_OOB },
	{ "map key across the stack top faults OOB", L4
	  ".map h hash key=8 value=8 entries=4\n"
	  "ldk p1, %h ; mov p2, p10\n" "add p2, p2, -4\n"
	  "hcall map_delete\n" "exit 2\n",
	  64, 0, ONM_FAULT_OOB },
	{ "map value across the stack top faults OOB", L4
	  ".map a array key=4 value=16 entries=2\n"
	  "ldk p1, %a ; mov p2, p10 ; mov p3, p10 ; mov p4, 0\n"
	  "add p2, p2, -32 ; add p3, p3, -8\n"
	  "hcall map_update\n" "exit 2\n",
	  64, 0, ONM_FAULT_OOB },
	{ "map key read from a map value past its end faults OOB", L4
	  ".map a array key=4 value=8 entries=2\n"
	  "ldk p1, %a ; mov p2, p10\n" "add p2, p2, -4\n"
	  "hcall map_lookup\n" "mov p2, p0\n" "add p2, p2, 6\n"
	  "hcall map_lookup\n" "exit 2\n",
	  64, 0, ONM_FAULT_OOB },
};

void test_bounds(void)
{
	size_t i;

	for (i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++)
		tap(run_prog_len(bounds[i].src, bounds[i].frame_len,
				 bounds[i].verdict, bounds[i].fault, NULL),
		    bounds[i].name);
}
