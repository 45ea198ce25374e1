// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The ISA facts the JIT needs, generated from hw/isa/offnic_isa.def, and
 * the compile-time proof that the names in ojit_int.h agree with it.
 */
#include "ojit_int.h"

/* 1 if ours equals the .def's value; a compile error otherwise */
#define OJIT_SAME(ours, def)	sizeof(char[(ours) == (def) ? 1 : -1])

const struct ojit_isa_opinfo ojit_isa_ops[256] = {
#define ISA_OP(name, opcode, format, unit, mnemonic) \
	[ISA_OP_##name] = { mnemonic, OJIT_SAME(ISA_OP_##name, opcode), FMT_##format, \
		     ISA_UNIT_##unit },
#include "../../hw/isa/offnic_isa.def"
};

struct ojit_isa_unitinfo {
	u8 cap;
	u8 lat;
	u8 same;
};

static const struct ojit_isa_unitinfo units[ISA_N_UNITS] = {
#define ISA_UNIT(name, id, per_bundle, latency) \
	[ISA_UNIT_##name] = { per_bundle, latency, OJIT_SAME(ISA_UNIT_##name, id) },
#include "../../hw/isa/offnic_isa.def"
};

u32 ojit_isa_unit_cap(u32 unit)
{
	return units[unit].cap;
}

u32 ojit_isa_unit_lat(u32 unit)
{
	return units[unit].lat;
}

struct ojit_isa_named {
	const char *name;
	u8 latency;
	u8 same;
};

static const struct ojit_isa_named helpers[ISA_N_HELPERS] = {
#define ISA_HELPER(name, id, latency, mnemonic) \
	[ISA_HELPER_##name] = { mnemonic, latency, OJIT_SAME(ISA_HELPER_##name, id) },
#include "../../hw/isa/offnic_isa.def"
};

static const struct ojit_isa_named conds[16] = {
#define ISA_COND(name, code, mnemonic) \
	[ISA_COND_##name] = { mnemonic, 0, OJIT_SAME(ISA_COND_##name, code) },
#include "../../hw/isa/offnic_isa.def"
};

static const struct ojit_isa_named atomics[16] = {
#define ISA_ATOMIC(name, code, mnemonic) \
	[ISA_ATOMIC_##name] = { mnemonic, 0, OJIT_SAME(ISA_ATOMIC_##name, code) },
#include "../../hw/isa/offnic_isa.def"
};

/* Context fields, fields and parameters are only checked */
struct ojit_isa_agreement {
	u8 same;
};

const struct ojit_isa_agreement ojit_isa_ctx_agrees[] = {
#define ISA_CTX(name, index, writable, mnemonic) \
	{ .same = OJIT_SAME(ISA_CTX_##name, index) },
#include "../../hw/isa/offnic_isa.def"
};

const struct ojit_isa_agreement ojit_isa_field_agrees[] = {
#define ISA_FIELD(name, hi, lo) \
	{ .same = OJIT_SAME(ISA_F_##name##_HI, hi) + OJIT_SAME(ISA_F_##name##_LO, lo) },
#include "../../hw/isa/offnic_isa.def"
};

const struct ojit_isa_agreement ojit_isa_param_agrees[] = {
	{ .same = OJIT_SAME(ISA_NUM_REGS, 32) },
#define ISA_PARAM(name, value) \
	{ .same = OJIT_SAME(ojit_isa_param_##name, value) },
#include "../../hw/isa/offnic_isa.def"
};

u32 ojit_isa_helper_latency(u32 helper)
{
	return helper < ISA_N_HELPERS && helpers[helper].name ? helpers[helper].latency : 1;
}

const char *ojit_isa_helper_name(u32 helper)
{
	return helper < ISA_N_HELPERS && helpers[helper].name ? helpers[helper].name : "?";
}

const char *ojit_isa_cond_name(u32 cond)
{
	return cond < 16 && conds[cond].name ? conds[cond].name : "?";
}

const char *ojit_isa_atomic_name(u32 aop)
{
	return aop < 16 && atomics[aop].name ? atomics[aop].name : "?";
}

static u64 field_mask(u32 hi, u32 lo)
{
	u32 width = hi - lo + 1;

	return width >= 64 ? ~0ULL : (1ULL << width) - 1;
}

u64 ojit_isa_field_get(u64 word, u32 hi, u32 lo)
{
	return (word >> lo) & field_mask(hi, lo);
}

u64 ojit_isa_field_put(u64 word, u32 hi, u32 lo, u64 val)
{
	u64 mask = field_mask(hi, lo);

	return (word & ~(mask << lo)) | ((val & mask) << lo);
}
