// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The optimisation passes: each one small function over the IR in blocks,
 * run in a fixed order, switchable off one by one (ojit_options.
 * disabled_passes), each returning how many IR ops it removed or rewrote.
 */
#include "ojit_int.h"
#include "passes.h"

struct ojit_pass {
	int (*run)(struct ojit_prog *p);
};

static const struct ojit_pass ojit_pass_list[] = {
	{ ojit_pass_constprop },
	{ ojit_pass_threeop },
	{ ojit_pass_ldcombine },
	{ ojit_pass_widen },
	{ ojit_pass_ldswap },
	{ ojit_pass_jump_thread },
	{ ojit_pass_exit_imm },
	{ ojit_pass_bounds },
	{ ojit_pass_dce },
	{ ojit_pass_hoist },
};

const struct ojit_pass_desc ojit_pass_names[] = {
	{ "constprop", "constant propagation and folding, branch folding" },
	{ "threeop", "mov + alu -> one three-operand alu op" },
	{ "ldcombine", "two byte loads + shift + or -> one 2-byte load" },
	{ "widen", "byte-by-byte copies -> 8/4/2-byte load/store pairs" },
	{ "ldswap", "load + byte swap -> one swapping load; drop redundant zext" },
	{ "jump_thread", "jump to an exit or jump -> that exit or jump" },
	{ "exit_imm", "r0 = K; exit -> exit K (parametrised exit)" },
	{ "bounds", "drop packet bounds checks the hardware enforces identically" },
	{ "dce", "remove ops whose results are dead" },
	{ "hoist", "first ops of the not-taken successor move up into the branch bundle" },
};

const unsigned int ojit_n_passes = sizeof(ojit_pass_list) / sizeof(struct ojit_pass);

int ojit_pass_by_name(const char *name)
{
	unsigned int i, k;

	for (i = 0; i < ojit_n_passes; i++) {
		const char *n = ojit_pass_names[i].name;

		for (k = 0; n[k] && n[k] == name[k]; k++)
			;
		if (!n[k] && !name[k])
			return (int)i;
	}
	return -1;
}

int ojit_run_passes(struct ojit_prog *p)
{
	unsigned int i;
	int n;

	for (i = 0; i < ojit_n_passes; i++) {
		if (p->opt->disabled_passes & (1U << i))
			continue;
		ojit_yield();
		n = ojit_pass_list[i].run(p);
		if (n < 0)
			return n;
		if (i < sizeof(p->res->stats.pass_removed) / sizeof(u32))
			p->res->stats.pass_removed[i] += n;
		ojit_cfg_reachability(p);
		ojit_cfg_liveness(p);
	}
	return 0;
}
