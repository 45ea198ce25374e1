// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Bundle semantics: reads before writes, lane-order writes, lowest-lane
 * control, illegal bundles, faults retire nothing, call/return stack,
 * bad PCs, watchdog, initial state, lane counts, stepping API.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "onm_internal.h"

static struct onm_pkt_out out;
static uint64_t r[32];

static void run(const char *src)
{
	t_exec(src, r, &out);
}

static int faulted(uint32_t cause, uint32_t pc, uint32_t lane)
{
	if (out.verdict == ONM_XDP_ABORTED && out.fault.cause == cause &&
	    out.fault.pc == pc && out.fault.lane == lane)
		return 1;
	tap_diag("verdict %u, fault %s pc %u lane %u addr 0x%llx", out.verdict,
		 onm_fault_name(out.fault.cause), out.fault.pc, out.fault.lane,
		 (unsigned long long)out.fault.addr);
	return 0;
}

static void test_reads_before_writes(void)
{
	run("mov p3, 1 ; mov p4, 2\nmov p3, p4 ; mov p4, p3\nexit 0\n");
	tap_ok(r[3] == 2 && r[4] == 1, "a bundle reads registers before any lane writes (swap)");
	run("mov p5, 7\nst.d [p10-8], p5 ; ld.d p6, [p10-8]\nld.d p7, [p10-8]\nexit 0\n");
	tap_ok(r[6] == 0 && r[7] == 7, "a load sees memory as before its bundle's stores");
	run("mov p3, 5\nexit p3 ; mov p3, 7\n");
	tap_ok(out.verdict == 5, "exit reads its verdict register before the bundle's writes");
	run("mov p3, 5\nbr.eq p3, 5, @t ; mov p3, 6\nexit 0\n@t: exit p3\n");
	tap_ok(out.verdict == 6, "a branch compares pre-bundle values; the target sees the writes");
	run("mov p3, 5\nadd p3, p3, 1 ; add p4, p3, 10\nexit 0\n");
	tap_ok(r[3] == 6 && r[4] == 15, "a lane reads the pre-bundle value of a register another lane writes");
}

static void test_lane_order_writes(void)
{
	run("ldk p3, =0x1111111111111111 ; ldk p4, =0x2222222222222222\n"
	    "st.d [p10-8], p3 ; st.d [p10-8], p4\nld.d p5, [p10-8]\nexit 0\n");
	tap_ok(r[5] == 0x2222222222222222ULL, "stores to one address commit in lane order (lane 1 last)");
	run("ldk p3, =0x1111111111111111 ; mov p4, 0x22\n"
	    "st.b [p10-8], p4 ; st.d [p10-8], p3\n"
	    "st.d [p10-16], p3 ; st.b [p10-16], p4\n"
	    "ld.d p5, [p10-8] ; ld.d p6, [p10-16]\nexit 0\n");
	tap_ok(r[5] == 0x1111111111111111ULL && r[6] == 0x1111111111111122ULL,
	       "overlapping stores of different sizes commit in lane order");
}

static void test_control(void)
{
	run("mov p3, 0\nbr.eq p3, 0, @a ; ja @b\n@a: exit 1\n@b: exit 2\n");
	tap_ok(out.verdict == 1, "lowest lane with a taken branch decides the next PC");
	run("mov p3, 1\nbr.eq p3, 0, @a ; ja @b\n@a: exit 1\n@b: exit 2\n");
	tap_ok(out.verdict == 2, "a not-taken branch yields to a higher-lane jump");
	run("exit 1 ; exit 2\n");
	tap_ok(out.verdict == 1, "two exits: lane 0's verdict");
	run("ja @x ; mov p5, 7 ; exit 3\n@x: exit 4\n");
	tap_ok(out.verdict == 4 && r[5] == 7,
	       "non-control lanes of a bundle with a taken jump execute; a later exit does not");
	run("mov p3, 1\nbr.eq p3, 0, @a ; br.eq p3, 1, @b ; br.eq p3, 1, @a\n"
	    "exit 9\n@a: exit 1\n@b: exit 2\n");
	tap_ok(out.verdict == 2, "multiway branch: the first lane whose condition holds");
	run("mov p3, 0\nbr.ne p3, 0, @a\nexit 5\n@a: exit 1\n");
	tap_ok(out.verdict == 5, "no taken control op: fall through to PC+1");
	run("ldk p3, =0x100000003\nexit p3\n");
	tap_ok(out.verdict == 3, "exit p3 uses the low 32 bits");
}

static void test_illegal_bundles(void)
{
	run("mov p5, 1 ; mov p5, 2\nexit 0\n");
	tap_ok(faulted(ONM_FAULT_BUNDLE, 0, 1) && r[5] == 0,
	       "two lanes writing p5: illegal bundle at the second writer, nothing written");
	run("mov p3, 3\nmul p4, p3, p3 ; mul p5, p3, p3\nexit 0\n");
	tap_ok(faulted(ONM_FAULT_BUNDLE, 1, 1), "two MUL micro-ops exceed the MUL unit cap");
	run("ld.d p3, [p10-8] ; ld.d p4, [p10-8] ; st.d [p10-8], p0\nexit 0\n");
	tap_ok(faulted(ONM_FAULT_BUNDLE, 0, 2), "a third memory micro-op exceeds the two memory ports");
	run("hcall prandom ; hcall ktime\nexit 0\n");
	tap_ok(faulted(ONM_FAULT_BUNDLE, 0, 1), "two helper calls in one bundle are illegal");
	run("atomic.add.d [p10-8], p0 ; atomic.add.d [p10-16], p0\nexit 0\n");
	tap_ok(faulted(ONM_FAULT_BUNDLE, 0, 1), "two atomics in one bundle are illegal");
	run("mov p3, 9\nmul p4, p3, p3 ; div p5, p3, p3 ; ld.d p6, [p10-8] ; ld.d p7, [p10-8]\nexit 0\n");
	tap_ok(out.verdict == 0 && !out.faulted && r[4] == 81 && r[5] == 1,
	       "one MUL, one DIV and two loads share a bundle");
	run("hcall prandom ; mov p0, 1\nexit 0\n");
	tap_ok(faulted(ONM_FAULT_BUNDLE, 0, 1), "hcall writes p0: another p0 writer is a duplicate rd");
}

static void test_faults_retire_nothing(void)
{
	run("mov p3, 7\nmov p5, 9 ; st.d [p10-8], p3 ; ld.d p6, [p2-1000]\nexit 0\n");
	tap_ok(faulted(ONM_FAULT_BAD_SPACE, 1, 2) && r[5] == 0,
	       "a faulting bundle retires no register write");
	{
		struct onm_engine *e = t_load(
			"mov p3, 7\nmov p5, 9 ; st.d [p10-8], p3 ; ld.d p6, [p2-1000]\nexit 0\n",
			NULL);
		const struct onm_arch_state *st;

		t_run(e, NULL, 0, &out);
		st = onm_state(e, 0);
		tap_ok(onm_load_le(st->stack + 504, 8) == 0 && st->pc == 1 &&
		       st->exited && st->verdict == 0,
		       "a faulting bundle retires no store; pc stays at the faulting bundle");
		tap_ok(onm_perf(e, 0, ONM_PERF_FAULTS) == 1 &&
		       onm_perf(e, 0, ONM_PERF_PACKETS) == 1,
		       "fault and packet counters count the faulted packet");
		onm_destroy(e);
	}
	run("ld.d p3, [p0] ; .word 0xff00000000000000\nexit 0\n");
	tap_ok(faulted(ONM_FAULT_BAD_SPACE, 0, 0), "lowest faulting lane is reported (lane 0 over lane 1)");
	run("mov p3, 1 ; .word 0xff00000000000000\nexit 0\n");
	tap_ok(faulted(ONM_FAULT_BAD_OP, 0, 1), "undefined opcode faults BAD_OP in its lane");
	run("mov p3, 1 ; .word 0x0f00000000000001\nexit 0\n");
	tap_ok(faulted(ONM_FAULT_BAD_OP, 0, 1), "stray bits outside the used fields fault BAD_OP");
	run("ldk p3, k0\nexit 0\n");
	tap_ok(faulted(ONM_FAULT_BAD_OP, 0, 0), "ldk past the constant pool faults BAD_OP");
}

static void test_call_return(void)
{
	char src[512];
	int i, n = 0;

	run("mov p3, 1\ncall @f\nadd p3, p3, 100\nexit p3\n@f: add p3, p3, 10\nret\n");
	tap_ok(out.verdict == 111, "call pushes PC+1, ret returns to it");
	n += snprintf(src + n, sizeof(src) - n, "call @f1\nexit 7\n");
	for (i = 1; i < 8; i++)
		n += snprintf(src + n, sizeof(src) - n, "@f%d: call @f%d\nret\n", i, i + 1);
	n += snprintf(src + n, sizeof(src) - n, "@f8: ret\n");
	run(src);
	tap_ok(out.verdict == 7 && !out.faulted, "eight nested calls fit the return stack");
	n = snprintf(src, sizeof(src), "call @f1\nexit 7\n");
	for (i = 1; i < 9; i++)
		n += snprintf(src + n, sizeof(src) - n, "@f%d: call @f%d\nret\n", i, i + 1);
	snprintf(src + n, sizeof(src) - n, "@f9: ret\n");
	run(src);
	tap_ok(faulted(ONM_FAULT_RET_STACK, 2 * 8, 0),
	       "the ninth nested call faults RET_STACK");
	run("ret\n");
	tap_ok(faulted(ONM_FAULT_RET_STACK, 0, 0), "ret on an empty return stack faults");
}

static void test_bad_pc(void)
{
	run("mov p3, 1\nmov p4, 2\n");
	tap_ok(faulted(ONM_FAULT_BAD_PC, 2, 0) && out.fault.addr == 2 && r[4] == 2,
	       "falling off the end faults BAD_PC at n_bundles; the last bundle retired");
	run("ja 100\n");
	tap_ok(faulted(ONM_FAULT_BAD_PC, 100, 0), "jumping past the image faults BAD_PC at the target");
}

static void test_watchdog(void)
{
	struct onm_config cfg = { .watchdog_cycles = 1000 };
	struct onm_engine *e = t_load("@l: ja @l\n", &cfg);

	t_run(e, NULL, 0, &out);
	tap_ok(out.fault.cause == ONM_FAULT_WATCHDOG && out.cycles == 1000 &&
	       out.bundles == 1000 && out.verdict == 0,
	       "an endless loop faults WATCHDOG after exactly the cycle budget");
	onm_destroy(e);
}

static void test_initial_state(void)
{
	struct onm_engine *e = t_load(
		"ld.d p3, [p10-8] ; mov p4, 5\nst.d [p10-8], p4\nexit 0\n", NULL);
	const struct onm_arch_state *st;
	int i, zero = 1;

	t_run(e, NULL, 0, &out);
	t_run(e, NULL, 0, &out);
	st = onm_state(e, 0);
	for (i = 0; i < 32; i++)
		if (i != 1 && i != 3 && i != 4 && i != 10 && st->regs[i])
			zero = 0;
	tap_ok(st->regs[3] == 0, "the stack is zeroed at packet start");
	tap_ok(zero && st->regs[1] == (uint64_t)ONM_SPACE_CTX << 60 &&
	       st->regs[10] == ((uint64_t)ONM_SPACE_STACK << 60 | 512),
	       "p1 = ctx pointer, p10 = stack top, other registers 0");
	onm_destroy(e);
}

static void test_lane_counts(void)
{
	static const unsigned int lanes[] = { 1, 2, 8 };
	size_t i;

	for (i = 0; i < 3; i++) {
		struct onm_config cfg = { .lanes = lanes[i] };
		char src[256];
		struct onm_engine *e;

		snprintf(src, sizeof(src), ".lanes %u\nmov p3, 40\nadd p3, p3, 2\nexit p3\n",
			 lanes[i]);
		e = t_load(src, &cfg);
		t_run(e, NULL, 0, &out);
		tap_ok(out.verdict == 42, "a %u-lane engine runs a %u-lane image", lanes[i],
		       lanes[i]);
		onm_destroy(e);
	}
}

static void test_stepping(void)
{
	struct onm_engine *e = t_load("mov p3, 1\nmov p4, 2\nexit 3\n", NULL);
	struct onm_pkt_in in = { 0 };
	struct onm_arch_state before;
	uint8_t frame[60] = { 0 };
	char diff[128];
	int s1, s2, s3;

	in.frame = frame;
	in.len = sizeof(frame);
	onm_begin(e, 0, &in);
	before = *onm_state(e, 0);
	s1 = onm_step(e, 0);
	tap_ok(onm_state_diff(&before, onm_state(e, 0), diff, sizeof(diff)) &&
	       !strcmp(diff, "pc: 0x0 != 0x1"),
	       "state diff names the first differing field (%s)", diff);
	s2 = onm_step(e, 0);
	s3 = onm_step(e, 0);
	tap_ok(s1 == ONM_RUNNING && s2 == ONM_RUNNING && s3 == ONM_EXITED &&
	       onm_step(e, 0) < 0 && onm_state(e, 0)->verdict == 3,
	       "onm_step retires one bundle per call and reports the exit");
	tap_ok(!onm_state_diff(onm_state(e, 0), onm_state(e, 0), diff, sizeof(diff)),
	       "identical states compare equal");
	onm_destroy(e);
}

int main(void)
{
	test_reads_before_writes();
	test_lane_order_writes();
	test_control();
	test_illegal_bundles();
	test_faults_retire_nothing();
	test_call_return();
	test_bad_pc();
	test_watchdog();
	test_initial_state();
	test_lane_counts();
	test_stepping();
	return tap_done();
}
