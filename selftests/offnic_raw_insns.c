// SPDX-License-Identifier: GPL-2.0
/*
 * Raw instructions bound to the offnic port (prog_ifindex), through the
 * bpf syscall.  The 6.1 verifier never visits dead code, so it never
 * checks it, yet the device JIT is handed all of it: r15 = K behind an
 * always-taken branch oopsed the guest.  Each program here must be
 * refused cleanly, with "[offnic] insn N:" in the verifier log (or the
 * kernel's own reason, for what 6.1 checks in dead code too: opcodes and
 * ldimm64 pairs), or load; never crash the kernel.  A dead instruction the device cannot run must
 * not stop a valid program from loading.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "kselftest_harness.h"
#include "offnic_test.h"

#define MAX_INSNS	8200

enum outcome {
	REFUSED,	/* fails, the log naming the instruction */
	LOADS,		/* loads and translates */
};

struct raw_case {
	const char *name;
	const char *hex;	/* 16 hex digits per instruction */
	enum outcome want;
	const char *log;	/* REFUSED: the log line it must contain */
};

#define R0_0		"b700000000000000"	/* r0 = 0 */
#define IF_R0_0_SKIP1	"1500010000000000"	/* if r0 == 0 goto +1 */
#define EXIT		"9500000000000000"

static const struct raw_case cases[] = {
	{ "the issue's oops: r15 = 0x41414141 in dead code",
	  R0_0 IF_R0_0_SKIP1 "b70f000041414141" EXIT, REFUSED, "[offnic] insn 2:" },
	{ "dead r11 = r0", R0_0 IF_R0_0_SKIP1 "bf0b000000000000" EXIT, REFUSED,
	  "[offnic] insn 2:" },
	{ "dead r0 = r11", R0_0 IF_R0_0_SKIP1 "bfb0000000000000" EXIT, REFUSED,
	  "[offnic] insn 2:" },
	{ "dead r0 = r12", R0_0 IF_R0_0_SKIP1 "bfc0000000000000" EXIT, REFUSED,
	  "[offnic] insn 2:" },
	{ "dead r0 = r13", R0_0 IF_R0_0_SKIP1 "bfd0000000000000" EXIT, REFUSED,
	  "[offnic] insn 2:" },
	{ "dead r0 = r14", R0_0 IF_R0_0_SKIP1 "bfe0000000000000" EXIT, REFUSED,
	  "[offnic] insn 2:" },
	{ "dead r0 = r15", R0_0 IF_R0_0_SKIP1 "bff0000000000000" EXIT, REFUSED,
	  "[offnic] insn 2:" },
	{ "dead r0 += r15 (src 15 in ALU)", R0_0 IF_R0_0_SKIP1 "0ff0000000000000" EXIT,
	  REFUSED, "[offnic] insn 2:" },
	{ "dead store through r14", R0_0 IF_R0_0_SKIP1 "7a0e000000000000" EXIT,
	  REFUSED, "[offnic] insn 2:" },
	{ "dead if r12 > r13", R0_0 IF_R0_0_SKIP1 "2ddc000000000000" EXIT,
	  REFUSED, "[offnic] insn 2:" },
	{ "dead r13 = 64-bit constant",
	  R0_0 "1500020000000000" "180d000001000000" "0000000000000000" EXIT,
	  REFUSED, "[offnic] insn 2:" },
	{ "dead write to r10", R0_0 IF_R0_0_SKIP1 "b70a000000000000" EXIT,
	  REFUSED, "[offnic] insn 2:" },
	{ "dead MOV with a reserved offset", R0_0 IF_R0_0_SKIP1 "b700080001000000" EXIT,
	  REFUSED, "[offnic] insn 2:" },
	/* the kernel checks opcodes and ldimm64 pairs of dead code itself */
	{ "dead unknown ALU opcode", R0_0 IF_R0_0_SKIP1 "e700000000000000" EXIT,
	  REFUSED, "unknown opcode e7" },
	{ "dead shift by 64", R0_0 IF_R0_0_SKIP1 "6700000040000000" EXIT,
	  REFUSED, "[offnic] insn 2:" },
	/* 0: r0 = 0; 1: if r0 == 0 goto 6; 2: if r1 > 0 goto 4 (dead);
	 * 3-4: r2 = LD_IMM64; 5, 6: exit
	 */
	{ "dead jump into the middle of an LD_IMM64",
	  R0_0 "1500040000000000" "2501010000000000" "1802000001000000"
	  "0000000000000000" EXIT EXIT, REFUSED, "jump into the middle of ldimm64" },
	{ "dead call of a helper the device lacks: the program loads",
	  "b700000002000000" "1500010002000000" "8500000033000000" EXIT, LOADS, NULL },
	{ "a branch the verifier never takes: the program loads",
	  "b700000002000000" "5500010002000000" EXIT "b700000001000000" EXIT,
	  LOADS, NULL },
};

static size_t unhex(const char *s, struct bpf_insn *insns, size_t max)
{
	unsigned char *out = (unsigned char *)insns;
	size_t n = 0;
	int hi = -1;

	for (; *s && n < max * sizeof(*insns); s++) {
		int v = *s >= 'a' ? *s - 'a' + 10 : *s - '0';

		if (hi < 0) {
			hi = v;
			continue;
		}
		out[n++] = (unsigned char)(hi << 4 | v);
		hi = -1;
	}
	return n / sizeof(*insns);
}

static int load_raw(int ifindex, const struct bpf_insn *insns, size_t n,
		    char *log, size_t log_size)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .prog_ifindex = ifindex,
		    .log_buf = log,
		    .log_size = log_size,
		    .log_level = 1);

	log[0] = 0;
	return bpf_prog_load(BPF_PROG_TYPE_XDP, "raw", "GPL", insns, n, &opts);
}

FIXTURE(raw) {
	int ifindex;
	char ifname[IF_NAMESIZE];
	char pci[64];
};

FIXTURE_SETUP(raw)
{
	ASSERT_EQ(0, offnic_find(self->ifname, self->pci, sizeof(self->pci)));
	self->ifindex = if_nametoindex(self->ifname);
	ASSERT_NE(0, self->ifindex);
}

FIXTURE_TEARDOWN(raw)
{
}

TEST_F(raw, malformed_or_dead_code_is_refused_by_name_or_loads)
{
	static struct bpf_insn insns[MAX_INSNS];
	static char log[65536];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct raw_case *c = &cases[i];
		size_t n = unhex(c->hex, insns, MAX_INSNS);
		int fd = load_raw(self->ifindex, insns, n, log, sizeof(log));

		if (c->want == LOADS) {
			EXPECT_LE(0, fd) TH_LOG("%s: refused: %s", c->name, log);
		} else {
			EXPECT_GT(0, fd) TH_LOG("%s: loaded", c->name);
			EXPECT_NE(NULL, strstr(log, c->log))
				TH_LOG("%s: log lacks '%s': %s", c->name, c->log, log);
		}
		if (fd >= 0)
			close(fd);
	}
}

/* Over the JIT's limit: refused by the driver at the first instruction,
 * before anything is allocated for it.
 */
TEST_F(raw, a_program_over_8192_instructions_is_refused_early)
{
	static struct bpf_insn insns[MAX_INSNS];
	static char log[65536];
	unsigned int i, n = 8193;
	int fd;

	for (i = 0; i + 1 < n; i++)
		insns[i] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K };
	insns[n - 1] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	fd = load_raw(self->ifindex, insns, n, log, sizeof(log));
	EXPECT_GT(0, fd);
	EXPECT_NE(NULL, strstr(log, "[offnic] program of 8193 instructions"))
		TH_LOG("log: %.400s", log);
	if (fd >= 0)
		close(fd);
}

/* At the limit: loads, compiled once, in the time a load may take.  No
 * verifier log: at level 1 it lists every instruction and would fill.
 */
TEST_F(raw, a_program_of_8192_instructions_loads)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .prog_ifindex = self->ifindex);
	static struct bpf_insn insns[MAX_INSNS];
	unsigned int i, n = 8192;
	int fd;

	for (i = 0; i + 1 < n; i++)
		insns[i] = (struct bpf_insn){
			.code = BPF_ALU64 | BPF_ADD | BPF_K, .imm = 1,
		};
	insns[0] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K };
	insns[n - 1] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "raw", "GPL", insns, n, &opts);
	EXPECT_LE(0, fd) TH_LOG("errno %d", errno);
	if (fd >= 0)
		close(fd);
}

TEST_HARNESS_MAIN
