// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Reference BPF interpreter for the tests: written from the ISA text,
 * sharing no code with the JIT.  Pointers are real host addresses into
 * the stack and packet arrays; every access is checked against them.
 */
#include <string.h>

#include "bpf_interp.h"

#define MAX_STEPS	100000

#define ENV_FRAMES	8

struct vm {
	uint64_t r[11];
	uint8_t *stack, *pkt;
	uint32_t len, stack_size;
	int error;
	struct bpf_interp_env *env;	/* NULL: the plain convention */
	uint32_t depth;			/* BPF-to-BPF call frames */
	uint32_t ret_pc[ENV_FRAMES];
	uint64_t saved[ENV_FRAMES][4];	/* r6..r9 */
};

static int in_range(uintptr_t p, uint32_t size, const void *base, uint64_t len)
{
	return p >= (uintptr_t)base && p + size <= (uintptr_t)base + len;
}

static uint8_t *addr(struct vm *vm, uint64_t a, uint32_t size)
{
	struct bpf_interp_env *env = vm->env;
	uintptr_t p = (uintptr_t)a;
	uint32_t i;

	if (in_range(p, size, vm->stack, vm->stack_size))
		return (uint8_t *)p;
	if (!env && in_range(p, size, vm->pkt, vm->len))
		return (uint8_t *)p;
	if (env && in_range(p, size, env->data_meta, env->data_end - env->data_meta))
		return (uint8_t *)p;
	for (i = 0; env && i < env->n_regions; i++)
		if (in_range(p, size, env->region[i].base, env->region[i].size))
			return (uint8_t *)p;
	vm->error = 1;
	return NULL;
}

static int in_ctx(struct vm *vm, uint64_t a, uint32_t size)
{
	return vm->env && in_range((uintptr_t)a, size, vm->env->ctx, vm->env->ctx_size);
}

static uint64_t load(struct vm *vm, uint64_t a, uint32_t size)
{
	uint8_t *p;
	uint64_t v = 0;

	if (in_ctx(vm, a, size))
		return vm->env->ctx_load(vm->env, (uint32_t)(a - (uintptr_t)vm->env->ctx),
					 size, &vm->error);
	p = addr(vm, a, size);
	if (p)
		memcpy(&v, p, size);
	return v;
}

static void store(struct vm *vm, uint64_t a, uint32_t size, uint64_t v)
{
	uint8_t *p;

	if (in_ctx(vm, a, size)) {
		vm->env->ctx_store(vm->env, (uint32_t)(a - (uintptr_t)vm->env->ctx), size, v,
				   &vm->error);
		return;
	}
	p = addr(vm, a, size);
	if (p)
		memcpy(p, &v, size);
}

/* BPF-to-BPF call and helper call, with an environment only */
static void call(struct vm *vm, const struct ojit_bpf_insn *in, uint32_t *pc)
{
	if (!vm->env) {
		vm->error = 1;
		return;
	}
	if (in->src_reg == OJIT_BPF_PSEUDO_CALL) {
		if (vm->depth + 1 >= ENV_FRAMES) {
			vm->error = 1;
			return;
		}
		memcpy(vm->saved[vm->depth], &vm->r[6], sizeof(vm->saved[0]));
		vm->ret_pc[vm->depth++] = *pc;
		vm->r[10] -= 512;
		*pc += in->imm;
		return;
	}
	if (in->src_reg) {
		vm->error = 1;
		return;
	}
	vm->r[0] = vm->env->call(vm->env, in->imm, &vm->r[1], &vm->error);
}

/* 1 when the program ends */
static int ret(struct vm *vm, uint32_t *pc)
{
	if (!vm->depth)
		return 1;
	vm->depth--;
	memcpy(&vm->r[6], vm->saved[vm->depth], sizeof(vm->saved[0]));
	vm->r[10] += 512;
	*pc = vm->ret_pc[vm->depth];
	return 0;
}

static uint64_t sx(uint64_t v, int bits)
{
	return bits >= 64 ? v : (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
}

static uint64_t swap(uint64_t v, int bytes)
{
	uint64_t r = 0;
	int i;

	for (i = 0; i < bytes; i++)
		r = (r << 8) | ((v >> (8 * i)) & 0xff);
	return r;
}

static uint64_t alu(uint8_t op, int w32, int16_t off, uint64_t a, uint64_t b)
{
	int bits = w32 ? 32 : 64;
	uint64_t m = w32 ? 0xffffffffULL : ~0ULL, min = 1ULL << (bits - 1);
	int64_t sa, sb;

	a &= m;
	if (!(op == OJIT_BPF_MOV && off))
		b &= m;
	sa = (int64_t)sx(a, bits);
	sb = (int64_t)sx(b, bits);
	switch (op) {
	case OJIT_BPF_ADD: return (a + b) & m;
	case OJIT_BPF_SUB: return (a - b) & m;
	case OJIT_BPF_MUL: return (a * b) & m;
	case OJIT_BPF_DIV:
		if (!b)
			return 0;
		if (!off)
			return a / b;
		if (a == min && sb == -1)
			return a;
		return (uint64_t)(sa / sb) & m;
	case OJIT_BPF_MOD:
		if (!b)
			return a;
		if (!off)
			return a % b;
		if (sb == -1)
			return 0;
		return (uint64_t)(sa % sb) & m;
	case OJIT_BPF_OR: return a | b;
	case OJIT_BPF_AND: return a & b;
	case OJIT_BPF_XOR: return a ^ b;
	case OJIT_BPF_LSH: return (a << (b & (bits - 1))) & m;
	case OJIT_BPF_RSH: return a >> (b & (bits - 1));
	case OJIT_BPF_ARSH: return (uint64_t)(sa >> (b & (bits - 1))) & m;
	case OJIT_BPF_NEG: return (0 - a) & m;
	case OJIT_BPF_MOV: return off ? sx(b, off) & m : b;
	}
	return 0;
}

static int cond(uint8_t op, int w32, uint64_t a, uint64_t b)
{
	int64_t sa = w32 ? (int32_t)a : (int64_t)a, sb = w32 ? (int32_t)b : (int64_t)b;

	if (w32) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	switch (op) {
	case OJIT_BPF_JEQ: return a == b;
	case OJIT_BPF_JNE: return a != b;
	case OJIT_BPF_JGT: return a > b;
	case OJIT_BPF_JGE: return a >= b;
	case OJIT_BPF_JLT: return a < b;
	case OJIT_BPF_JLE: return a <= b;
	case OJIT_BPF_JSGT: return sa > sb;
	case OJIT_BPF_JSGE: return sa >= sb;
	case OJIT_BPF_JSLT: return sa < sb;
	case OJIT_BPF_JSLE: return sa <= sb;
	case OJIT_BPF_JSET: return (a & b) != 0;
	}
	return 0;
}

static void atomic(struct vm *vm, const struct ojit_bpf_insn *in, uint32_t size)
{
	uint64_t a = vm->r[in->dst_reg] + in->off, old = load(vm, a, size), v = vm->r[in->src_reg];
	uint64_t m = size == 4 ? 0xffffffffULL : ~0ULL, nv = old;

	switch (in->imm & ~OJIT_BPF_FETCH) {
	case OJIT_BPF_ADD: nv = old + v; break;
	case OJIT_BPF_OR: nv = old | v; break;
	case OJIT_BPF_AND: nv = old & v; break;
	case OJIT_BPF_XOR: nv = old ^ v; break;
	}
	if (in->imm == OJIT_BPF_XCHG)
		nv = v;
	if (in->imm == OJIT_BPF_CMPXCHG) {
		nv = (old == (vm->r[0] & m)) ? v : old;
		vm->r[0] = old;
	} else if (in->imm & OJIT_BPF_FETCH) {
		vm->r[in->src_reg] = old;
	}
	store(vm, a, size, nv & m);
}

static int step(struct vm *vm, const struct ojit_bpf_insn *insns, uint32_t *pc)
{
	static const uint32_t sizes[4] = { 4, 2, 1, 8 };
	const struct ojit_bpf_insn *in = &insns[*pc];
	uint8_t cls = OJIT_BPF_CLASS(in->code), op = OJIT_BPF_OP(in->code);
	uint64_t *d = &vm->r[in->dst_reg];
	uint64_t s = OJIT_BPF_SRC(in->code) ? vm->r[in->src_reg] : (uint64_t)(int64_t)in->imm;
	uint32_t size = sizes[OJIT_BPF_SIZE(in->code) >> 3];
	int w32 = cls == OJIT_BPF_ALU || cls == OJIT_BPF_JMP32;

	(*pc)++;
	switch (cls) {
	case OJIT_BPF_ALU:
	case OJIT_BPF_ALU64:
		if (op == OJIT_BPF_END) {
			if (cls == OJIT_BPF_ALU64 || OJIT_BPF_SRC(in->code))
				*d = swap(*d, in->imm / 8);
			else
				*d = in->imm == 64 ? *d : *d & ((1ULL << in->imm) - 1);
		} else {
			*d = alu(op, w32, in->off, op == OJIT_BPF_NEG ? *d : *d, s);
		}
		return 0;
	case OJIT_BPF_LD:
		*d = (uint32_t)in->imm | ((uint64_t)(uint32_t)in[1].imm << 32);
		if (vm->env && in->src_reg == OJIT_BPF_PSEUDO_MAP_IDX)
			*d = vm->env->map_ptr(vm->env, in->imm, &vm->error);
		else if (vm->env && in->src_reg)
			vm->error = 1;
		(*pc)++;
		return 0;
	case OJIT_BPF_LDX:
		*d = load(vm, vm->r[in->src_reg] + in->off, size);
		if (OJIT_BPF_MODE(in->code) == OJIT_BPF_MEMSX)
			*d = sx(*d, size * 8);
		return 0;
	case OJIT_BPF_ST:
	case OJIT_BPF_STX:
		if (OJIT_BPF_MODE(in->code) == OJIT_BPF_ATOMIC)
			atomic(vm, in, size);
		else
			store(vm, *d + in->off, size,
			      cls == OJIT_BPF_ST ? (uint64_t)(int64_t)in->imm : vm->r[in->src_reg]);
		return 0;
	}
	if (op == OJIT_BPF_EXIT)
		return vm->env ? ret(vm, pc) : 1;
	if (op == OJIT_BPF_JA)
		*pc += cls == OJIT_BPF_JMP32 ? in->imm : in->off;
	else if (op == OJIT_BPF_CALL)
		call(vm, in, pc);
	else if (cond(op, w32, *d, s))
		*pc += in->off;
	return 0;
}

void bpf_interp_run(const struct ojit_bpf_insn *insns, uint32_t n,
		    const uint8_t *pkt, uint32_t len, int r2_is_end,
		    struct bpf_interp_out *out)
{
	struct vm vm = { { 0 } };
	uint32_t pc = 0, steps;

	memset(out, 0, sizeof(*out));
	memcpy(out->pkt, pkt, len);
	vm.stack = out->stack;
	vm.stack_size = 512;
	vm.pkt = out->pkt;
	vm.len = len;
	vm.r[1] = (uintptr_t)out->pkt;
	vm.r[2] = r2_is_end ? (uintptr_t)out->pkt + len : len;
	vm.r[10] = (uintptr_t)out->stack + 512;
	for (steps = 0; steps < MAX_STEPS && !vm.error; steps++) {
		if (pc >= n) {
			vm.error = 1;
			break;
		}
		if (step(&vm, insns, &pc))
			break;
	}
	out->r0 = vm.r[0];
	out->error = vm.error || steps == MAX_STEPS;
}

void bpf_interp_run_env(const struct ojit_bpf_insn *insns, uint32_t n,
			struct bpf_interp_env *env, uint64_t *r0, int *error)
{
	static uint8_t stack[ENV_FRAMES * 512];
	struct vm vm = { { 0 } };
	uint32_t pc = 0, steps;

	memset(stack, 0, sizeof(stack));
	vm.env = env;
	vm.stack = stack;
	vm.stack_size = sizeof(stack);
	vm.r[1] = (uintptr_t)env->ctx;
	vm.r[10] = (uintptr_t)stack + sizeof(stack);
	for (steps = 0; steps < MAX_STEPS && !vm.error; steps++) {
		if (pc >= n) {
			vm.error = 1;
			break;
		}
		if (step(&vm, insns, &pc))
			break;
	}
	*r0 = vm.r[0];
	*error = vm.error || steps == MAX_STEPS;
}
