// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The ISA facts the JIT needs, generated from hw/isa/offnic_isa.def.
 */
#include "ojit_int.h"

const struct ojit_isa_opinfo ojit_isa_ops[256] = {
#define ISA_OP(name, opcode, format, unit, mnemonic) \
	[opcode] = { mnemonic, 1, FMT_##format, ISA_UNIT_##unit },
#include "../../hw/isa/offnic_isa.def"
};

const u8 ojit_isa_unit_cap[ISA_N_UNITS] = {
#define ISA_UNIT(name, id, per_bundle, latency) [id] = per_bundle,
#include "../../hw/isa/offnic_isa.def"
};

const u8 ojit_isa_unit_lat[ISA_N_UNITS] = {
#define ISA_UNIT(name, id, per_bundle, latency) [id] = latency,
#include "../../hw/isa/offnic_isa.def"
};

u32 ojit_isa_helper_latency(u32 helper)
{
	switch (helper) {
#define ISA_HELPER(name, id, latency, mnemonic) case id: return latency;
#include "../../hw/isa/offnic_isa.def"
	}
	return 1;
}

const char *ojit_isa_helper_name(u32 helper)
{
	switch (helper) {
#define ISA_HELPER(name, id, latency, mnemonic) case id: return mnemonic;
#include "../../hw/isa/offnic_isa.def"
	}
	return "?";
}

const char *ojit_isa_cond_name(u32 cond)
{
	switch (cond) {
#define ISA_COND(name, code, mnemonic) case code: return mnemonic;
#include "../../hw/isa/offnic_isa.def"
	}
	return "?";
}

const char *ojit_isa_atomic_name(u32 aop)
{
	switch (aop) {
#define ISA_ATOMIC(name, code, mnemonic) case code: return mnemonic;
#include "../../hw/isa/offnic_isa.def"
	}
	return "?";
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
