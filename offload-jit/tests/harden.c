// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Hardening: malformed instructions, in live or dead code, are refused
 * with "insn N: reason" and never reach the passes; dead code the
 * verifier never visited compiles as a trap and the program still runs.
 *
 * A case with a "seen" string gets facts as the kernel's verifier gives
 * them (OJIT_FACT_SEEN on the visited instructions only) and goes straight
 * to ojit_compile(); without one it goes through the userspace fact
 * inference (ojit_compile_loaded), as offnic-jit --raw does.
 * Each case runs in a child process, so that a crash is one failed test.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harden.h"

struct harden_case {
	const char *name;
	const char *hex;
	const char *seen;	/* '1' per visited insn, or NULL: inferred facts */
	uint32_t disabled;	/* passes off */
	const char *want;	/* refusal wanted, or NULL: compiles ... */
	uint32_t verdict;	/* ... and returns this verdict */
};

#define EXIT		"9500000000000000"
#define R0_0		"b700000000000000"
#define IF_R0_0_SKIP1	"1500010000000000"
#define ALL_PASSES_OFF	0xffffffffU

static const struct harden_case cases[] = {
	{ "the guest oops: r15 = K in dead code is refused, not compiled",
	  R0_0 IF_R0_0_SKIP1 "b70f000041414141" EXIT, "1101", 0,
	  "insn 2: destination register out of range" },
	{ "r0 = r15 in dead code is refused",
	  R0_0 IF_R0_0_SKIP1 "bff0000000000000" EXIT, "1101", 0,
	  "insn 2: source register out of range" },
	{ "r10 written in dead code is refused",
	  R0_0 IF_R0_0_SKIP1 "b70a000001000000" EXIT, "1101", 0,
	  "insn 2: frame pointer r10 is read-only" },
	{ "if r12 > r13 in dead code is refused",
	  R0_0 IF_R0_0_SKIP1 "2ddc000000000000" EXIT, "1101", 0,
	  "insn 2: source register out of range" },
	{ "a store through r14 in dead code is refused",
	  R0_0 IF_R0_0_SKIP1 "7a0e000000000000" EXIT, "1101", 0,
	  "insn 2: source register out of range" },
	{ "an unknown ALU op in dead code is refused",
	  R0_0 IF_R0_0_SKIP1 "e700000000000000" EXIT, "1101", 0,
	  "insn 2: unknown ALU operation" },
	{ "a shift by 64 in dead code is refused",
	  R0_0 IF_R0_0_SKIP1 "6700000040000000" EXIT, "1101", 0,
	  "insn 2: shift amount out of range" },
	{ "dead code the device cannot run compiles as a trap and the program runs",
	  "b700000002000000" "1500010002000000" "8500000033000000" EXIT, "1101", 0,
	  NULL, 2 },
	{ "a branch into dead code is hard-wired and the program runs",
	  "b700000002000000" "5500010002000000" EXIT "b700000001000000" EXIT,
	  "11100", 0, NULL, 2 },
	{ "a live r15 with constprop off is refused before isel and the scheduler",
	  "b70f000001000000" R0_0 EXIT, NULL, ALL_PASSES_OFF,
	  "insn 0: destination register out of range" },
	{ "a live r13 is refused before the fact inference",
	  "bfd1000000000000" R0_0 EXIT, NULL, 0,
	  "insn 0: source register out of range" },
	{ "an INT_MIN stack offset is refused, not negated",
	  "bfa1000000000000" "0701000000000080" "7a01000000000000" R0_0 EXIT, NULL, 0,
	  "insn 2: stack pointer outside the device stack" },
	{ "a second LD_IMM64 half with an opcode is refused",
	  "1801000001000000" "9500000000000000" R0_0 EXIT, NULL, 0,
	  "insn 0: LD_IMM64 uses reserved fields" },
	{ "NEG with a source register is refused",
	  "8f10000000000000" R0_0 EXIT, NULL, 0, "insn 0: NEG uses reserved fields" },
	{ "division by an immediate 0 is refused",
	  "3700000000000000" EXIT, NULL, 0, "insn 0: division by zero" },
	{ "a verifier-unvisited first instruction is refused",
	  R0_0 EXIT, "01", 0, "insn 0: never verified" },
};

static int compile_case(const struct harden_case *c, const struct ojit_loaded *l,
			struct ojit_result *res)
{
	struct ojit_options opt = { .lanes = 4, .disabled_passes = c->disabled };
	struct ojit_insn_facts *facts;
	struct ojit_input in = { 0 };
	uint32_t i;
	int err;

	if (!c->seen)
		return ojit_compile_loaded(l, &opt, res);
	facts = calloc(l->n_insns, sizeof(*facts));
	if (!facts)
		return -ENOMEM;
	for (i = 0; i < l->n_insns; i++) {
		facts[i].map_idx = -1;
		if (c->seen[i] == '1')
			facts[i].flags = OJIT_FACT_SEEN;
	}
	in.insns = l->insns;
	in.n_insns = l->n_insns;
	in.facts = facts;
	in.prog_type = l->prog_type;
	err = ojit_compile(&in, &opt, res);
	free(facts);
	return err;
}

static int check_case(const struct harden_case *c, char *why, size_t size)
{
	struct ojit_loaded l = { 0 };
	struct ojit_run_out out;
	struct ojit_result res;
	uint8_t pkt[64] = { 0 };
	int err;

	if (ojit_load_hex(c->hex, &l))
		return snprintf(why, size, "bad hex"), 0;
	err = compile_case(c, &l, &res);
	ojit_loaded_free(&l);
	if (c->want) {
		ojit_free(res.image);
		snprintf(why, size, "got %s '%s'", err ? "refusal" : "success", res.msg);
		return err && strstr(res.msg, c->want);
	}
	if (err)
		return snprintf(why, size, "refused: %s", res.msg), 0;
	err = ojit_run_image(OJIT_BACKEND_MODEL, res.image, res.image_size, pkt,
			     sizeof(pkt), &out, why, size);
	ojit_free(res.image);
	if (err == -ENOSYS)
		return 1;	/* compiled: that much is checked without a model */
	if (err || out.faulted || out.verdict != c->verdict)
		return snprintf(why, size, "run: err %d fault %u verdict %u", err,
				out.faulted, out.verdict), 0;
	return 1;
}

/* check_case() in a child: a crash fails the case, not the suite */
static int check_isolated(const struct harden_case *c)
{
	char why[200] = "";
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int ok = check_case(c, why, sizeof(why));

		if (!ok)
			printf("# %s\n", why);
		fflush(stdout);
		_exit(ok ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 0;
	if (WIFSIGNALED(status))
		printf("# crashed: %s\n", strsignal(WTERMSIG(status)));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* r11..r15 as destination and as source, in dead code */
static void check_dead_regs(harden_tap tap)
{
	char hex[128], seen[] = "1101", name[96];
	uint32_t r;

	for (r = 11; r <= 15; r++) {
		struct harden_case c = { name, hex, seen, 0, NULL, 0 };

		snprintf(hex, sizeof(hex), R0_0 IF_R0_0_SKIP1 "bf%x0000000000000" EXIT, r);
		snprintf(name, sizeof(name), "dead r0 = r%u is refused by name", r);
		c.want = "insn 2: source register out of range";
		tap(check_isolated(&c), "%s", name);
		snprintf(hex, sizeof(hex), R0_0 IF_R0_0_SKIP1 "bf0%x000000000000" EXIT, r);
		snprintf(name, sizeof(name), "dead r%u = r0 is refused by name", r);
		c.want = "insn 2: destination register out of range";
		tap(check_isolated(&c), "%s", name);
	}
}

void harden_run(harden_tap tap)
{
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tap(check_isolated(&cases[i]), "%s", cases[i].name);
	check_dead_regs(tap);
}
