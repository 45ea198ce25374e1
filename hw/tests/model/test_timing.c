// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Cycle accounting: a bundle issues when all its source and destination
 * registers are ready; a result issued at t with latency n is ready at
 * t + n; cycles = bundles + stalls.  Latencies come from the table, so
 * this checks the rule, not the numbers.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "onm_internal.h"

static struct onm_pkt_out out;

static int cycles_are(const char *src, uint64_t cycles, uint64_t stalls)
{
	t_exec(src, NULL, &out);
	if (out.cycles == cycles && out.stalls == stalls &&
	    out.cycles == out.bundles + out.stalls)
		return 1;
	tap_diag("cycles %llu (want %llu), stalls %llu (want %llu), bundles %llu, fault %s",
		 (unsigned long long)out.cycles, (unsigned long long)cycles,
		 (unsigned long long)out.stalls, (unsigned long long)stalls,
		 (unsigned long long)out.bundles, onm_fault_name(out.fault.cause));
	return 0;
}

static uint64_t lat(int unit)
{
	return onm_unit_table[unit].latency;
}

static void test_unit_latencies(void)
{
	static const struct {
		int unit;
		const char *producer;	/* writes p3 */
	} units[] = {
		{ ONM_UNIT_ALU, "mov p3, 1" },
		{ ONM_UNIT_MUL, "mul p3, p5, p5" },
		{ ONM_UNIT_DIV, "div p3, p5, p5" },
		{ ONM_UNIT_MEM, "ld.d p3, [p10-8]" },
		{ ONM_UNIT_ATOMIC, "atomic.add.fetch.d p3, [p10-8], p5" },
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		char src[256];
		uint64_t n = lat(units[i].unit);

		snprintf(src, sizeof(src), "%s\nadd p4, p3, 1\nexit 0\n", units[i].producer);
		tap_ok(cycles_are(src, n + 2, n - 1),
		       "%s unit: a dependent bundle waits %llu cycle(s) (latency %llu)",
		       onm_unit_table[units[i].unit].name,
		       (unsigned long long)(n - 1), (unsigned long long)n);
	}
}

static void test_helper_latencies(void)
{
	static const char *const helpers[] = { "prandom", "ktime", "redirect" };
	size_t i;

	for (i = 0; i < 3; i++) {
		char src[256];
		uint64_t n;
		int h;

		for (h = 0; h < ONM_NUM_HELPERS; h++)
			if (onm_helper_table[h].mnemonic &&
			    !strcmp(onm_helper_table[h].mnemonic, helpers[i]))
				break;
		if (h == ONM_NUM_HELPERS) {
			tap_ok(0, "helper %s is in the table", helpers[i]);
			continue;
		}
		n = onm_helper_table[h].latency;
		snprintf(src, sizeof(src), "hcall %s\nexit p0\n", helpers[i]);
		tap_ok(cycles_are(src, n + 1, n - 1),
		       "helper %s: p0 is ready %llu cycle(s) after issue",
		       helpers[i], (unsigned long long)n);
	}
	tap_ok(cycles_are(".map array key=4 value=4 entries=1\n"
			  "ldk p1, %map0 ; add p2, p10, -4\nhcall map_lookup\nexit p0\n",
			  2 + onm_helper_table[ONM_HELPER_MAP_LOOKUP].latency,
			  onm_helper_table[ONM_HELPER_MAP_LOOKUP].latency - 1),
	       "helper map_lookup: latency from the table");
}

static void test_interlock_rules(void)
{
	uint64_t d = lat(ONM_UNIT_DIV), m = lat(ONM_UNIT_MEM);

	tap_ok(cycles_are("mov p5, 1\ndiv p3, p5, p5\nmov p4, 1\nadd p6, p4, 1\nexit 0\n", 5, 0),
	       "independent bundles issue back to back behind a long divide");
	tap_ok(cycles_are("mov p5, 1\ndiv p3, p5, p5\nmov p3, 1\nexit 0\n", d + 3, d - 1),
	       "a write to a register with a pending result waits for it (WAW)");
	tap_ok(cycles_are("ld.d p3, [p10-8]\nst.d [p10-16], p3\nexit 0\n", m + 2, m - 1),
	       "a store waits for the register it stores");
	tap_ok(cycles_are("ld.d p3, [p10-8]\nbr.eq p3, 0, @x\n@x: exit 0\n", m + 2, m - 1),
	       "a branch waits for its operand");
	tap_ok(cycles_are("ld.d p3, [p10-8]\nexit p3\n", m + 1, m - 1),
	       "exit waits for its verdict register");
	tap_ok(cycles_are("mov p3, 1 ; mul p4, p3, p3\nexit 0\n", 2, 0),
	       "a bundle's own lanes read pre-bundle values: no stall inside a bundle");
	tap_ok(cycles_are("mov p5, 2\nmul p3, p5, p5 ; ld.d p4, [p10-8]\nadd p6, p3, p4\nexit 0\n",
			  1 + 1 + (m > lat(ONM_UNIT_MUL) ? m : lat(ONM_UNIT_MUL)) + 1,
			  (m > lat(ONM_UNIT_MUL) ? m : lat(ONM_UNIT_MUL)) - 1),
	       "a bundle waits for the latest of its operands");
	tap_ok(cycles_are("mov p3, 1\nmul p1, p3, p3\nhcall prandom\nexit 0\n",
			  4 + lat(ONM_UNIT_MUL) - 1, lat(ONM_UNIT_MUL) - 1),
	       "hcall waits for p1..p5");
	tap_ok(cycles_are("ld.d p3, [p0]\nexit 0\n", 1, 0) && out.bundles == 1,
	       "a faulting bundle counts as issued");
}

static void test_perf_counters(void)
{
	struct onm_engine *e = t_load("mov p3, 1 ; mov p4, 2\nmul p5, p3, p4\n"
				      "add p6, p5, 1 ; nop ; hcall prandom\nexit 2\n", NULL);
	int i;

	for (i = 0; i < 3; i++)
		t_run(e, NULL, 0, &out);
	tap_ok(onm_perf(e, 0, ONM_PERF_CYCLES) == 3 * out.cycles &&
	       onm_perf(e, 0, ONM_PERF_BUNDLES) == 12 &&
	       onm_perf(e, 0, ONM_PERF_UOPS) == 3 * 6 &&
	       onm_perf(e, 0, ONM_PERF_STALLS) == 3 * out.stalls &&
	       onm_perf(e, 0, ONM_PERF_PACKETS) == 3 &&
	       onm_perf(e, 0, ONM_PERF_HELPER_CALLS) == 3 &&
	       onm_perf(e, UINT32_MAX, ONM_PERF_PACKETS) == 3,
	       "perf counters: cycles, bundles, non-NOP uops, stalls, packets, helper calls");
	onm_perf_reset(e);
	tap_ok(onm_perf(e, 0, ONM_PERF_CYCLES) == 0, "perf counters reset");
	onm_destroy(e);
}

int main(void)
{
	test_unit_latencies();
	test_helper_latencies();
	test_interlock_rules();
	test_perf_counters();
	return tap_done();
}
