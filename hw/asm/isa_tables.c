// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/* Lookup tables generated from hw/isa/offnic_isa.def. */
#include "offnic_isa.h"

const struct onm_op_info onm_op_table[ONM_NUM_OPCODES] = {
#define ISA_OP(name, opcode, format, unit, mnemonic) \
	[opcode] = { mnemonic, #name, ONM_FMT_##format, ONM_UNIT_##unit },
#include "offnic_isa.def"
};

const struct onm_unit_info onm_unit_table[ONM_NUM_UNITS] = {
#define ISA_UNIT(name, id, per_bundle, latency) \
	[id] = { #name, per_bundle, latency },
#include "offnic_isa.def"
};

const struct onm_helper_info onm_helper_table[ONM_NUM_HELPERS] = {
#define ISA_HELPER(name, id, latency, mnemonic) [id] = { mnemonic, latency },
#include "offnic_isa.def"
};

const struct onm_ctx_info onm_ctx_table[ONM_ISA_CTX_FIELDS] = {
#define ISA_CTX(name, index, writable, mnemonic) [index] = { mnemonic, writable },
#include "offnic_isa.def"
};

const char *const onm_cond_names[ONM_NUM_CONDS] = {
#define ISA_COND(name, code, mnemonic) [code] = mnemonic,
#include "offnic_isa.def"
};

const char *const onm_aop_names[ONM_NUM_AOPS] = {
#define ISA_ATOMIC(name, code, mnemonic) [code] = mnemonic,
#include "offnic_isa.def"
};

const char *const onm_space_names[ONM_NUM_SPACES] = {
#define ISA_SPACE(name, tag, mnemonic) [tag] = mnemonic,
#include "offnic_isa.def"
};

const char *const onm_fault_names[ONM_NUM_FAULTS] = {
#define ISA_FAULT(name, code, mnemonic) [code] = mnemonic,
#include "offnic_isa.def"
};

const char *const onm_perf_names[ONM_NUM_PERFS] = {
#define ISA_PERF(name, index, mnemonic) [index] = mnemonic,
#include "offnic_isa.def"
};

const char onm_fmt_letters[ONM_NUM_FMTS] = "NRMABJXHK";
