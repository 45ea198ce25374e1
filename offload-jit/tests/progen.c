// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Random verifier-plausible BPF programs for differential testing.
 */
#include <string.h>

#include "progen.h"

uint64_t progen_rand(uint64_t *s)
{
	/* splitmix64 */
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd(uint64_t *s, uint32_t n)
{
	return (uint32_t)(progen_rand(s) % n);
}

/* scalar registers: r0, r3..r9 (r1 = packet, r2 = length, r10 = stack) */
static uint8_t reg(uint64_t *s, int no_r9)
{
	static const uint8_t regs[] = { 0, 3, 4, 5, 6, 7, 8, 9 };

	return regs[rnd(s, no_r9 ? 7 : 8)];
}

static struct ojit_bpf_insn mk(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct ojit_bpf_insn in = { code, dst, src, off, imm };

	return in;
}

static int32_t imm(uint64_t *s)
{
	switch (rnd(s, 4)) {
	case 0: return (int32_t)rnd(s, 16);
	case 1: return -(int32_t)rnd(s, 16);
	case 2: return (int32_t)progen_rand(s);
	default: return (int32_t)rnd(s, 1 << 16);
	}
}

static uint32_t gen_alu(uint64_t *s, struct ojit_bpf_insn *o, int no_r9)
{
	static const uint8_t ops[] = {
		OJIT_BPF_ADD, OJIT_BPF_SUB, OJIT_BPF_MUL, OJIT_BPF_DIV, OJIT_BPF_OR,
		OJIT_BPF_AND, OJIT_BPF_LSH, OJIT_BPF_RSH, OJIT_BPF_NEG, OJIT_BPF_MOD,
		OJIT_BPF_XOR, OJIT_BPF_MOV, OJIT_BPF_ARSH, OJIT_BPF_END, OJIT_BPF_MOV,
	};
	uint8_t cls = rnd(s, 2) ? OJIT_BPF_ALU64 : OJIT_BPF_ALU;
	uint8_t op = ops[rnd(s, sizeof(ops))], dst = reg(s, no_r9);
	int x = rnd(s, 2), bits = cls == OJIT_BPF_ALU64 ? 64 : 32;
	int16_t off = 0;
	int32_t k = imm(s);

	if (op == OJIT_BPF_END) {
		static const int w[3] = { 16, 32, 64 };

		*o = mk(cls | OJIT_BPF_END | (rnd(s, 2) ? OJIT_BPF_TO_BE : 0), dst, 0, 0,
			w[rnd(s, 3)]);
		if (cls == OJIT_BPF_ALU64)
			o->code = OJIT_BPF_ALU64 | OJIT_BPF_END;
		return 1;
	}
	if ((op == OJIT_BPF_DIV || op == OJIT_BPF_MOD) && rnd(s, 2))
		off = 1;
	if (op == OJIT_BPF_MOV && rnd(s, 3) == 0) {
		static const int16_t sxw[3] = { 8, 16, 32 };

		x = 1;
		off = sxw[rnd(s, cls == OJIT_BPF_ALU64 ? 3 : 2)];
	}
	if (op == OJIT_BPF_LSH || op == OJIT_BPF_RSH || op == OJIT_BPF_ARSH)
		k = (int32_t)rnd(s, bits);
	if (!x && (op == OJIT_BPF_DIV || op == OJIT_BPF_MOD) && !k)
		k = 3;
	if (op == OJIT_BPF_NEG) {	/* no source operand: K form, imm 0 */
		x = 0;
		k = 0;
	}
	*o = mk(cls | op | (x ? OJIT_BPF_X : OJIT_BPF_K), dst, x ? reg(s, 0) : 0, off,
		x ? 0 : k);
	return 1;
}

static const uint8_t size_codes[4] = { OJIT_BPF_B, OJIT_BPF_H, OJIT_BPF_W, OJIT_BPF_DW };

static uint32_t gen_mem(uint64_t *s, struct ojit_bpf_insn *o, int no_r9)
{
	uint32_t sz = rnd(s, 4), bytes = 1U << sz;
	int pkt = rnd(s, 2);
	int16_t off = pkt ? (int16_t)rnd(s, PROGEN_PKT_LEN - bytes + 1)
			  : -(int16_t)(bytes * (1 + rnd(s, 64 / bytes)));
	uint8_t base = pkt ? 1 : 10;

	switch (rnd(s, 5)) {
	case 0:
	case 1:
		*o = mk(OJIT_BPF_LDX | OJIT_BPF_MEM | size_codes[sz], reg(s, no_r9), base, off, 0);
		if (sz < 3 && rnd(s, 4) == 0)
			o->code = OJIT_BPF_LDX | OJIT_BPF_MEMSX | size_codes[sz];
		return 1;
	case 2:
		*o = mk(OJIT_BPF_ST | OJIT_BPF_MEM | size_codes[sz], base, 0, off, imm(s));
		return 1;
	case 3:
		if (!pkt && bytes >= 4) {
			static const int32_t aops[] = {
				OJIT_BPF_ADD, OJIT_BPF_OR, OJIT_BPF_AND, OJIT_BPF_XOR,
				OJIT_BPF_ADD | OJIT_BPF_FETCH, OJIT_BPF_OR | OJIT_BPF_FETCH,
				OJIT_BPF_XOR | OJIT_BPF_FETCH, OJIT_BPF_XCHG, OJIT_BPF_CMPXCHG,
			};
			int32_t a = aops[rnd(s, sizeof(aops) / sizeof(aops[0]))];

			if (no_r9 && (a & OJIT_BPF_FETCH))
				a = OJIT_BPF_ADD;
			*o = mk(OJIT_BPF_STX | OJIT_BPF_ATOMIC | size_codes[sz], 10,
				reg(s, no_r9), off, a);
			return 1;
		}
		/* fall through */
	default:
		*o = mk(OJIT_BPF_STX | OJIT_BPF_MEM | size_codes[sz], base, reg(s, 0), off, 0);
		return 1;
	}
}

static uint32_t gen_branch(uint64_t *s, struct ojit_bpf_insn *o, uint32_t room)
{
	static const uint8_t ops[] = {
		OJIT_BPF_JEQ, OJIT_BPF_JGT, OJIT_BPF_JGE, OJIT_BPF_JSET, OJIT_BPF_JNE,
		OJIT_BPF_JSGT, OJIT_BPF_JSGE, OJIT_BPF_JLT, OJIT_BPF_JLE, OJIT_BPF_JSLT,
		OJIT_BPF_JSLE, OJIT_BPF_JA,
	};
	uint8_t op = ops[rnd(s, sizeof(ops))];
	uint8_t cls = rnd(s, 2) ? OJIT_BPF_JMP : OJIT_BPF_JMP32;
	int x = rnd(s, 2);
	int16_t off = (int16_t)rnd(s, room < 8 ? room + 1 : 8);

	if (op == OJIT_BPF_JA) {
		*o = mk(OJIT_BPF_JMP | OJIT_BPF_JA, 0, 0, off, 0);
		return 1;
	}
	*o = mk(cls | op | (x ? OJIT_BPF_X : 0), reg(s, 0), x ? reg(s, 0) : 0, off,
		x ? 0 : imm(s) % 32);
	return 1;
}

/* r9 = n; body (ALU and memory, r9 untouched); r9 -= 1; if r9 != 0 goto body */
static uint32_t gen_loop(uint64_t *s, struct ojit_bpf_insn *o)
{
	uint32_t n = 0, body = 1 + rnd(s, 6), i;

	o[n++] = mk(OJIT_BPF_ALU64 | OJIT_BPF_MOV, 9, 0, 0, 1 + (int32_t)rnd(s, 5));
	for (i = 0; i < body; i++)
		n += rnd(s, 3) ? gen_alu(s, &o[n], 1) : gen_mem(s, &o[n], 1);
	o[n++] = mk(OJIT_BPF_ALU64 | OJIT_BPF_SUB, 9, 0, 0, 1);
	o[n] = mk(OJIT_BPF_JMP | OJIT_BPF_JNE, 9, 0, -(int16_t)(body + 2), 0);
	return n + 1;
}

/* A forward branch must not land inside a loop, where r9 is not set up */
static void keep_out_of_loops(struct ojit_bpf_insn *o, uint32_t n,
			      const uint32_t *loops, uint32_t n_loops)
{
	uint32_t i, k, to;

	for (i = 0; i < n; i++) {
		uint8_t cls = OJIT_BPF_CLASS(o[i].code);

		if ((cls != OJIT_BPF_JMP && cls != OJIT_BPF_JMP32) || o[i].off <= 0)
			continue;
		to = i + 1 + o[i].off;
		for (k = 0; k < n_loops; k += 2)
			if (to > loops[k] && to <= loops[k + 1] && i < loops[k])
				o[i].off = 0;
	}
}

/*
 * A byte-by-byte copy between the stack and the packet, pairs in a
 * shuffled order, its register overwritten right after (what the widen
 * pass turns into wide loads and stores)
 */
static uint32_t gen_copy(uint64_t *s, struct ojit_bpf_insn *o)
{
	uint32_t n = 2 + rnd(s, 11), k, order[12], t;
	int16_t soff = -(int16_t)(16 + rnd(s, 32)), poff = (int16_t)rnd(s, PROGEN_PKT_LEN - n + 1);
	int to_pkt = rnd(s, 2);
	uint8_t x = reg(s, 0);

	for (k = 0; k < n; k++)
		order[k] = k;
	for (k = n - 1; k > 0; k--) {
		uint32_t j = rnd(s, k + 1);

		t = order[k];
		order[k] = order[j];
		order[j] = t;
	}
	for (k = 0; k < n; k++) {
		int16_t from = (int16_t)(to_pkt ? soff + order[k] : poff + order[k]);
		int16_t to = (int16_t)(to_pkt ? poff + order[k] : soff + order[k]);

		o[2 * k] = mk(OJIT_BPF_LDX | OJIT_BPF_MEM | OJIT_BPF_B, x, to_pkt ? 10 : 1, from, 0);
		o[2 * k + 1] = mk(OJIT_BPF_STX | OJIT_BPF_MEM | OJIT_BPF_B, to_pkt ? 1 : 10, x, to, 0);
	}
	o[2 * n] = mk(OJIT_BPF_ALU64 | OJIT_BPF_MOV, x, 0, 0, imm(s));
	return 2 * n + 1;
}

/* x = pkt[o]; y = pkt[o + 1]; y <<= 8; y |= x; x = K: a 16-bit load in bytes */
static uint32_t gen_byte_pair(uint64_t *s, struct ojit_bpf_insn *o)
{
	int16_t off = (int16_t)rnd(s, PROGEN_PKT_LEN - 1);
	uint8_t x = reg(s, 0), y = reg(s, 0);

	if (x == y)
		y = x == 0 ? 3 : 0;
	o[0] = mk(OJIT_BPF_LDX | OJIT_BPF_MEM | OJIT_BPF_B, x, 1, off, 0);
	o[1] = mk(OJIT_BPF_LDX | OJIT_BPF_MEM | OJIT_BPF_B, y, 1, off + 1, 0);
	o[2] = mk(OJIT_BPF_ALU64 | OJIT_BPF_LSH, y, 0, 0, 8);
	o[3] = mk(OJIT_BPF_ALU64 | OJIT_BPF_OR | OJIT_BPF_X, y, x, 0, 0);
	o[4] = mk(OJIT_BPF_ALU64 | OJIT_BPF_MOV, x, 0, 0, imm(s));
	return 5;
}

/*
 * r3 = r1; r3 += N; if r3 > r2 goto FAIL<v>; rX = *(u8 *)(r1 + N - 1); r3 = 0
 * The branch is fixed up to FAIL<v> at the end (marked by off = -1 - v).
 */
static uint32_t gen_bounds(uint64_t *s, struct ojit_bpf_insn *o)
{
	int32_t n = 1 + (int32_t)rnd(s, PROGEN_PKT_LEN + 8);

	o[0] = mk(OJIT_BPF_ALU64 | OJIT_BPF_MOV | OJIT_BPF_X, 3, 1, 0, 0);
	o[1] = mk(OJIT_BPF_ALU64 | OJIT_BPF_ADD, 3, 0, 0, n);
	o[2] = mk(OJIT_BPF_JMP | OJIT_BPF_JGT | OJIT_BPF_X, 3, 2, -1 - (int16_t)rnd(s, 2), 0);
	o[3] = mk(OJIT_BPF_LDX | OJIT_BPF_MEM | OJIT_BPF_B, reg(s, 0), 1, (int16_t)(n - 1), 0);
	o[4] = mk(OJIT_BPF_ALU64 | OJIT_BPF_MOV, 3, 0, 0, 0);
	return 5;
}

static void fix_fail_jumps(struct ojit_bpf_insn *o, uint32_t fail0)
{
	uint32_t i;

	for (i = 0; i < fail0; i++)
		if (o[i].code == (OJIT_BPF_JMP | OJIT_BPF_JGT | OJIT_BPF_X) && o[i].off < 0 &&
		    o[i].dst_reg == 3 && o[i].src_reg == 2)
			o[i].off = (int16_t)(fail0 + 2 * (uint32_t)(-1 - o[i].off) - i - 1);
}

uint32_t progen(uint64_t *s, struct ojit_bpf_insn *o, int *end_ptr)
{
	uint32_t loops[64], n_loops = 0, start;
	uint32_t n = 0, len = 4 + rnd(s, 60), r;

	*end_ptr = rnd(s, 2);
	static const uint8_t init[] = { 0, 3, 4, 5, 6, 7, 8, 9 };

	for (r = 0; r < sizeof(init); r++) {
		if (rnd(s, 4) == 0) {
			o[n++] = mk(OJIT_BPF_LD | OJIT_BPF_IMM | OJIT_BPF_DW, init[r], 0, 0,
				    (int32_t)progen_rand(s));
			o[n++] = mk(0, 0, 0, 0, (int32_t)progen_rand(s));
		} else {
			o[n++] = mk(OJIT_BPF_ALU64 | OJIT_BPF_MOV, init[r], 0, 0, imm(s));
		}
	}
	while (n < len + sizeof(init) * 2) {
		uint32_t kind = rnd(s, 20), room = len + 16 - n;

		if (kind < 8)
			n += gen_alu(s, &o[n], 0);
		else if (kind < 9)
			n += rnd(s, 2) ? gen_copy(s, &o[n]) : gen_byte_pair(s, &o[n]);
		else if (kind < 15)
			n += gen_mem(s, &o[n], 0);
		else if (kind < 17 || (kind < 19 && !*end_ptr))
			n += gen_branch(s, &o[n], room > 4 ? 4 : room);
		else if (kind < 19 && n_loops + 2 <= 64) {
			start = n;
			n += gen_bounds(s, &o[n]);
			loops[n_loops++] = start;
			loops[n_loops++] = n - 1;
		}
		else if (n_loops + 2 <= 64) {
			start = n;
			n += gen_loop(s, &o[n]);
			loops[n_loops++] = start;
			loops[n_loops++] = n - 1;
		}
	}
	/* branch targets may point past here: land them on the epilogue */
	for (r = 0; r < 5; r++)
		o[n++] = mk(OJIT_BPF_ALU64 | OJIT_BPF_ADD, 0, 0, 0, 1);
	keep_out_of_loops(o, n, loops, n_loops);
	o[n++] = mk(OJIT_BPF_STX | OJIT_BPF_MEM | OJIT_BPF_DW, 10, 0, -8, 0);
	o[n++] = mk(OJIT_BPF_JMP | OJIT_BPF_EXIT, 0, 0, 0, 0);
	if (*end_ptr) {
		fix_fail_jumps(o, n);
		for (r = 0; r < 2; r++) {
			o[n++] = mk(OJIT_BPF_ALU64 | OJIT_BPF_MOV, 0, 0, 0, (int32_t)r);
			o[n++] = mk(OJIT_BPF_JMP | OJIT_BPF_EXIT, 0, 0, 0, 0);
		}
	}
	return n;
}
