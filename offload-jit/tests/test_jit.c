// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * offload-jit host tests, TAP output:
 *  - corpus: the .data files of tests/corpus (-- raw / -- mem / -- result / -- error)
 *    through JIT + backend, with every pass on, each singly off, all off;
 *  - rejection messages of the capability check;
 *  - hardening: malformed and dead code refused by name or run (harden.c);
 *  - differential: random programs on the reference interpreter and on
 *    JIT + backend, compared on r0, stack and packet; seed printed,
 *    --seed reproduces.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tools.h"
#include "bpf_asm.h"
#include "bpf_interp.h"
#include "progen.h"
#include "harden.h"

static int n_test, n_fail;
static uint64_t pass_fired[32], branches_merged;
static uint32_t n_witness_faults;

#define LOCKSTEP_RANDOM	200
static enum ojit_backend backend = OJIT_BACKEND_MODEL;

static void tap(int ok, const char *fmt, const char *name)
{
	printf("%sok %d - ", ok ? "" : "not ", ++n_test);
	printf(fmt, name);
	printf("\n");
	if (!ok)
		n_fail++;
}

/* Configurations: all passes, each one off, all off, no renaming, no
 * branch merging */
static uint32_t n_configs(void)
{
	return ojit_n_passes + 4;
}

static uint32_t config_mask(uint32_t k)
{
	if (k == 0)
		return 0;
	if (k <= ojit_n_passes)
		return 1U << (k - 1);
	if (k == ojit_n_passes + 1)
		return (1U << ojit_n_passes) - 1;
	if (k == ojit_n_passes + 2)
		return OJIT_NO_RENAME;
	return OJIT_NO_BRMERGE;
}

static int run_loaded(const struct ojit_loaded *l, uint32_t mask, uint32_t lanes,
		      const uint8_t *mem, uint32_t len, struct ojit_run_out *out,
		      char *msg, size_t size)
{
	struct ojit_options opt = { .lanes = lanes, .disabled_passes = mask };
	struct ojit_result res;
	int err = ojit_compile_loaded(l, &opt, &res);
	unsigned int i;

	if (err) {
		snprintf(msg, size, "jit: %s", res.msg);
		return err;
	}
	for (i = 0; i < ojit_n_passes; i++)
		pass_fired[i] += res.stats.pass_removed[i];
	branches_merged += res.stats.merged_branches;
	err = ojit_run_image(backend, res.image, res.image_size, mem, len, out, msg, size);
	ojit_free(res.image);
	if (!err && out->faulted) {
		snprintf(msg, size, "fault %u at bundle %u", out->fault_cause, out->fault_pc);
		return -EFAULT;
	}
	return err;
}

struct corpus_case {
	char asm_text[16384];
	char raw[16384];
	char mem[8192];
	char result[64];
	char error[160];
};

static int parse_case(const char *path, struct corpus_case *c)
{
	FILE *f = fopen(path, "r");
	char line[1024], *sect = NULL;
	size_t cap = 0;

	if (!f)
		return -errno;
	memset(c, 0, sizeof(*c));
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "-- ", 3)) {
			sect = !strncmp(line + 3, "asm", 3) ? c->asm_text :
			       !strncmp(line + 3, "raw", 3) ? c->raw :
			       !strncmp(line + 3, "mem", 3) ? c->mem :
			       !strncmp(line + 3, "result", 6) ? c->result :
			       !strncmp(line + 3, "error", 5) ? c->error : NULL;
			cap = sect == c->asm_text ? sizeof(c->asm_text) :
			      sect == c->raw ? sizeof(c->raw) : sect == c->mem ? sizeof(c->mem) :
			      sect == c->result ? sizeof(c->result) : sizeof(c->error);
			continue;
		}
		if (line[0] == '#' || !sect)
			continue;
		if (sect != c->asm_text)
			line[strcspn(line, "#")] = 0;
		if (sect == c->error)
			line[strcspn(line, "\n")] = 0;
		strncat(sect, line, cap - strlen(sect) - 1);
	}
	fclose(f);
	return 0;
}

/* The program of a case: "-- asm" text or "-- raw" hex */
static int load_case(const struct corpus_case *c, struct ojit_loaded *l, char *msg,
		     size_t size)
{
	static struct ojit_bpf_insn prog[OJIT_MAX_INSNS];
	int n;

	snprintf(msg, size, "no program");
	if (!c->asm_text[0])
		return c->raw[0] ? ojit_load_hex(c->raw, l) : -EINVAL;
	n = bpf_asm(c->asm_text, prog, OJIT_MAX_INSNS, msg, size);
	if (n <= 0)
		return -EINVAL;
	return ojit_load_insns(prog, (uint32_t)n, l);
}

static void run_case(const char *dir, const char *name)
{
	static struct corpus_case c;
	struct ojit_loaded l = { 0 };
	struct ojit_run_out out;
	uint8_t mem[4096];
	char path[512], msg[256];
	uint64_t want;
	uint32_t k, len;
	int err, ok = 1;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (parse_case(path, &c) || load_case(&c, &l, msg, sizeof(msg)) ||
	    ojit_add_mem_prologue(&l)) {
		printf("# %s: %s\n", name, msg);
		tap(0, "corpus %s: readable", name);
		return;
	}
	len = (uint32_t)ojit_unhex(c.mem, mem, sizeof(mem));
	want = strtoull(c.result, NULL, 16);
	for (k = 0; k < n_configs() && ok; k++) {
		err = run_loaded(&l, config_mask(k), 1 + k % 8, mem, len, &out, msg, sizeof(msg));
		if (c.error[0]) {
			ok = err && strstr(msg, c.error);
			if (!ok)
				printf("# %s: wanted error '%s', got '%s'\n", name, c.error,
				       err ? msg : "success");
			break;
		}
		if (err == -ENOSYS) {
			printf("ok %d - corpus %s # SKIP %s\n", ++n_test, name, msg);
			ojit_loaded_free(&l);
			return;
		}
		/* exit_imm leaves p0 alone; otherwise p0 is the full r0 */
		if (err || (uint32_t)out.verdict != (uint32_t)want ||
		    ((config_mask(k) & (1U << ojit_pass_by_name("exit_imm"))) && out.r0 != want)) {
			printf("# %s config %u: %s verdict %x r0 %llx want %llx\n", name, k,
			       err ? msg : "", out.verdict, (unsigned long long)out.r0,
			       (unsigned long long)want);
			ok = 0;
		}
	}
	tap(ok, "corpus %s gives its result with every pass on, each off, all off", name);
	ojit_loaded_free(&l);
}

static void run_corpus(const char *dir)
{
	struct dirent **ents;
	int n, i;

	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		tap(0, "corpus %s readable", dir);
		return;
	}
	for (i = 0; i < n; i++) {
		size_t len = strlen(ents[i]->d_name);

		if (len > 5 && !strcmp(ents[i]->d_name + len - 5, ".data"))
			run_case(dir, ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
}

static void check_refusal(const char *name, struct ojit_bpf_insn *insns, uint32_t n,
			  uint32_t idx, const char *want)
{
	char msg[160] = "";
	int err = ojit_check_insn(insns, n, idx, 1, msg, sizeof(msg));

	if (!err || !strstr(msg, want))
		printf("# got %d '%s', want '%s'\n", err, msg, want);
	tap(err && strstr(msg, want), "%s", name);
}

static void run_refusals(void)
{
	struct ojit_bpf_insn p[4] = {
		{ OJIT_BPF_LD | OJIT_BPF_ABS | OJIT_BPF_B, 0, 0, 0, 12 },
		{ OJIT_BPF_JMP | OJIT_BPF_CALL, 0, 0, 0, 51 },
		{ OJIT_BPF_JMP | OJIT_BPF_CALL, 0, OJIT_BPF_PSEUDO_KFUNC_CALL, 0, 1234 },
		{ OJIT_BPF_JMP | OJIT_BPF_CALL, 0, 0, 0, OJIT_FN_tail_call },
	};

	check_refusal("check refuses LD_ABS naming insn 0", p, 4, 0, "insn 0: legacy packet access");
	check_refusal("check refuses bpf_redirect_map by name", p, 4, 1,
		      "insn 1: helper 51 (bpf_redirect_map) not supported");
	check_refusal("check refuses kfunc calls", p, 4, 2, "insn 2: kfunc call");
	check_refusal("check refuses tail calls", p, 4, 3, "insn 3: tail calls");
}

/* The example programs on packets: expected verdicts, and identical
 * verdict and output packet under every pass configuration */
struct prog_case {
	const char *obj;
	const char *what;
	const char *pkt;
	uint32_t verdict;
};

#define ETH_IP4	"aabbccddeeff1122334455660800"
#define IP4_UDP	"4500001c000000004011" "0000" "0a000001" "0a000002"
#define IP4_TCP	"4500001c000000004006" "0000" "0a000001" "0a000002"
#define L4	"04d2162e00080000" "0000000000000000000000000000000000000000"

static const struct prog_case prog_cases[] = {
	{ "xdp1", "udp is counted and dropped", ETH_IP4 IP4_UDP L4, 1 },
	{ "xdp1", "a runt frame is dropped", "aabbccddeeff", 1 },
	{ "xdp2", "udp is sent back with swapped MACs", ETH_IP4 IP4_UDP L4, 3 },
	{ "xdp2", "tcp passes", ETH_IP4 IP4_TCP L4, 2 },
	{ "xdp2", "a runt frame is dropped", ETH_IP4 "4500", 1 },
	{ "router_ipv4", "no route passes", ETH_IP4 IP4_UDP L4, 2 },
	{ "router_ipv4", "ttl 1 passes", ETH_IP4 "4500001c000000000111" "0000" "0a000001" "0a000002" L4, 2 },
	{ "simple_firewall", "outside traffic without a flow is dropped", ETH_IP4 IP4_UDP L4, 1 },
	{ "simple_firewall", "non-IP passes", "aabbccddeeff112233445566" "86dd" IP4_UDP L4, 2 },
	{ "xdp_subprog", "a called subprogram counts and passes", ETH_IP4 IP4_UDP L4, 2 },
	{ "xdp_subprog", "a called subprogram sees a runt frame", "aabbccddeeff", 1 },
	{ "tc_mark", "udp to port 5678 is marked and shot", ETH_IP4 IP4_UDP L4, 2 },
	{ "tc_mark", "udp to port 4789 is redirected (TC_ACT_REDIRECT)",
	  ETH_IP4 IP4_UDP "04d212b500080000" "0000000000000000000000000000000000000000", 7 },
	{ "tc_mark", "tcp is left alone (TC_ACT_OK)", ETH_IP4 IP4_TCP L4, 0 },
};

static void run_progs(const char *dir)
{
	unsigned int i;

	for (i = 0; i < sizeof(prog_cases) / sizeof(prog_cases[0]); i++) {
		const struct prog_case *pc = &prog_cases[i];
		struct ojit_run_out first, out;
		struct ojit_loaded l = { 0 };
		uint8_t pkt[1500];
		char path[512], msg[256], name[256];
		uint32_t len = (uint32_t)ojit_unhex(pc->pkt, pkt, sizeof(pkt)), k;
		int ok = 1, err;

		snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, pc->obj);
		snprintf(name, sizeof(name), "%s: %s, under every pass configuration", pc->obj,
			 pc->what);
		if (ojit_load_elf(path, NULL, &l)) {
			tap(0, "%s (object missing)", name);
			continue;
		}
		for (k = 0; k < n_configs() && ok; k++) {
			err = run_loaded(&l, config_mask(k), 4, pkt, len, &out, msg, sizeof(msg));
			if (err == -ENOSYS) {
				printf("ok %d - %s # SKIP %s\n", ++n_test, name, msg);
				ok = -1;
				break;
			}
			if (!k)
				first = out;
			if (err || out.verdict != pc->verdict || out.pkt_len != first.pkt_len ||
			    memcmp(out.pkt, first.pkt, out.pkt_len)) {
				printf("# config %u: %s verdict %u (want %u)\n", k, err ? msg : "",
				       out.verdict, pc->verdict);
				ok = 0;
			}
		}
		if (ok >= 0)
			tap(ok, "%s", name);
		ojit_loaded_free(&l);
	}
}

/*
 * JIT output on the RTL: each example program's image, disassembled with
 * hw/model's offnic-dis, runs in lockstep on the C model and the
 * Verilated RTL (hw/verif test_lockstep --prog, its own test frame).
 * build is the repository's build directory; skipped when the RTL has not
 * been built.
 */
/* 1 if l's image runs in lockstep on model and RTL, 0 if not */
static int lockstep_one(const char *dis, const char *ls, const struct ojit_loaded *l)
{
	struct ojit_options opt = { .lanes = 4 };
	struct ojit_result res;
	char img[64], cmd[2048];
	FILE *f;
	int ok;

	snprintf(img, sizeof(img), "/tmp/ojit-ls-%d.img", (int)getpid());
	ok = !ojit_compile_loaded(l, &opt, &res);
	f = ok ? fopen(img, "wb") : NULL;
	ok = f && fwrite(res.image, 1, res.image_size, f) == res.image_size;
	if (f)
		fclose(f);
	if (res.image)
		ojit_free(res.image);
	if (ok) {
		snprintf(cmd, sizeof(cmd), "%s %s > %s.s && %s --prog %s.s > %s.log 2>&1 || "
			 "{ sed 's/^/# /' %s.log; exit 1; }", dis, img, img, ls, img, img, img);
		ok = !system(cmd);
	}
	snprintf(cmd, sizeof(cmd), "rm -f %s %s.s %s.log", img, img, img);
	if (system(cmd))
		printf("# could not remove %s\n", img);
	return ok;
}

static void run_lockstep(const char *build, const char *progs, uint64_t seed)
{
	static const char *const names[] = {
		"xdp1", "xdp2", "router_ipv4", "tc_mark", "xdp_subprog", "helper_ids",
	};
	char dis[512], ls[512], name[128], path[512];
	static struct ojit_bpf_insn prog[PROGEN_MAX];
	uint32_t i, n, bad = 0;
	int end_ptr;

	snprintf(dis, sizeof(dis), "%s/model/offnic-dis", build);
	snprintf(ls, sizeof(ls), "%s/rtl/c1/test_lockstep", build);
	if (access(dis, X_OK) || access(ls, X_OK)) {
		printf("ok %d - JIT output runs in lockstep on model and RTL # SKIP RTL not built (make -C hw/rtl)\n",
		       ++n_test);
		return;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct ojit_loaded l = { 0 };

		snprintf(name, sizeof(name), "%s: JIT output runs in lockstep on model and RTL",
			 names[i]);
		snprintf(path, sizeof(path), "%s/%s.bpf.o", progs, names[i]);
		tap(!ojit_load_elf(path, NULL, &l) && lockstep_one(dis, ls, &l), "%s", name);
		ojit_loaded_free(&l);
	}
	for (i = 0; i < LOCKSTEP_RANDOM; i++) {
		struct ojit_loaded l = { 0 };
		uint64_t s = seed + i;

		n = progen(&s, prog, &end_ptr);
		if (ojit_load_insns(prog, n, &l) ||
		    (end_ptr ? ojit_add_pkt_prologue(&l) : ojit_add_mem_prologue(&l)) ||
		    !lockstep_one(dis, ls, &l)) {
			if (!bad++)
				printf("# random program SEED=%llu diverges\n",
				       (unsigned long long)(seed + i));
		}
		ojit_loaded_free(&l);
	}
	snprintf(name, sizeof(name), "%u random programs: JIT output runs in lockstep on model and RTL (%u diverge)",
		 LOCKSTEP_RANDOM, bad);
	tap(!bad, "%s", name);
}

static int differential_one(uint64_t seed, uint64_t *rng, char *why, size_t size)
{
	static struct ojit_bpf_insn prog[PROGEN_MAX];
	static struct bpf_interp_out ref;
	struct ojit_loaded l = { 0 };
	struct ojit_run_out out;
	uint8_t pkt[PROGEN_PKT_LEN];
	int err = 0, end_ptr;
	uint32_t n = progen(rng, prog, &end_ptr), i, k, lanes;

	for (i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)progen_rand(rng);
	bpf_interp_run(prog, n, pkt, sizeof(pkt), end_ptr, &ref);
	if (ref.error)
		return 0;	/* not a program the verifier would take */
	if (ojit_load_insns(prog, n, &l) ||
	    (end_ptr ? ojit_add_pkt_prologue(&l) : ojit_add_mem_prologue(&l))) {
		ojit_loaded_free(&l);
		return -ENOMEM;
	}
	k = (uint32_t)(progen_rand(rng) % n_configs());
	lanes = 1 + (uint32_t)(progen_rand(rng) % 8);
	err = run_loaded(&l, config_mask(k), lanes, pkt, sizeof(pkt), &out, why, size);
	/* a removed bounds check: its witness access faults where the check
	 * would have exited XDP_ABORTED; the aborted packet's state is gone */
	if (err == -EFAULT && out.fault_cause == 2 /* out_of_bounds */ &&
	    !(config_mask(k) & (1U << ojit_pass_by_name("bounds"))) && !ref.r0) {
		n_witness_faults++;
		ojit_loaded_free(&l);
		return 0;
	}
	if (!err && (uint32_t)out.verdict != (uint32_t)ref.r0)
		snprintf(why, size, "r0 %x, reference %x", out.verdict, (uint32_t)ref.r0), err = 1;
	for (i = 0; !err && i < sizeof(ref.stack); i++)
		if (out.stack[i] != ref.stack[i])
			snprintf(why, size, "stack[%u] %02x, reference %02x", i, out.stack[i],
				 ref.stack[i]), err = 1;
	if (!err && memcmp(out.pkt, ref.pkt, sizeof(pkt)))
		snprintf(why, size, "packet differs"), err = 1;
	if (err && err != -ENOSYS) {
		char fname[64];
		FILE *f;

		snprintf(fname, sizeof(fname), "/tmp/ojit-fail-%llu.hex", (unsigned long long)seed);
		f = fopen(fname, "w");
		for (i = 0; f && i < n; i++) {
			const uint8_t *b = (const uint8_t *)&prog[i];

			fprintf(f, "%02x%02x%02x%02x%02x%02x%02x%02x\n", b[0], b[1], b[2], b[3],
				b[4], b[5], b[6], b[7]);
		}
		if (f)
			fclose(f);
		snprintf(why + strlen(why), size - strlen(why), " (config %u, lanes %u, %s)", k,
			 lanes, fname);
	}
	ojit_loaded_free(&l);
	return err;
}

static void run_differential(uint64_t seed, uint32_t count)
{
	uint32_t i, failed = 0;
	char why[300], name[160];
	uint64_t s;
	int err;

	printf("# differential: %u programs, SEED=%llu\n", count, (unsigned long long)seed);
	for (i = 0; i < count; i++) {
		uint64_t one = seed + i;

		s = one;
		why[0] = 0;
		err = differential_one(one, &s, why, sizeof(why));
		if (err == -ENOSYS) {
			printf("ok %d - differential # SKIP %s\n", ++n_test, why);
			return;
		}
		if (err && failed++ < 5)
			printf("# program SEED=%llu: %s\n", (unsigned long long)one, why);
	}
	printf("# %u programs ended at a bounds-check witness\n", n_witness_faults);
	printf("# ops rewritten per pass:");
	for (i = 0; i < ojit_n_passes; i++)
		printf(" %s=%llu", ojit_pass_names[i].name, (unsigned long long)pass_fired[i]);
	printf(" brmerge=%llu\n", (unsigned long long)branches_merged);
	snprintf(name, sizeof(name), "%u random programs agree with the reference interpreter (%u differ)",
		 count, failed);
	tap(!failed, "%s", name);
}

int main(int argc, char **argv)
{
	/* spread: runs a second apart must not test the same programs */
	uint64_t seed = (uint64_t)time(NULL) * 100003ULL;
	uint32_t count = 0;
	const char *corpus = NULL, *progs = NULL, *lockstep = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--corpus") && i + 1 < argc)
			corpus = argv[++i];
		else if (!strcmp(argv[i], "--progs") && i + 1 < argc)
			progs = argv[++i];
		else if (!strcmp(argv[i], "--lockstep") && i + 1 < argc)
			lockstep = argv[++i];
		else if (!strcmp(argv[i], "--random") && i + 1 < argc)
			count = (uint32_t)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--rtl"))
			backend = OJIT_BACKEND_RTL;
	}
	printf("TAP version 13\n");
	run_refusals();
	harden_run(tap);
	if (corpus)
		run_corpus(corpus);
	if (progs)
		run_progs(progs);
	if (progs && lockstep)
		run_lockstep(lockstep, progs, seed);
	if (count)
		run_differential(seed, count);
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
