/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * offload-jit: translates verified BPF into offnic VLIW microcode.
 *
 * The public interface, shared by the kernel module and the userspace
 * tools.  The caller supplies the instructions, what the verifier knows
 * about each of them (struct ojit_insn_facts) and the program's maps;
 * ojit_compile() returns an offnic image (hw/include/offnic_image.h).
 */
#ifndef OJIT_H
#define OJIT_H

#include "ojit_port.h"
#include "ojit_bpf.h"

/* Linux errno values, so the core needs no header for them */
#define OJIT_E2BIG		7
#define OJIT_ENOMEM		12
#define OJIT_EINVAL		22
#define OJIT_EOPNOTSUPP		95

/* Limits: they bound the JIT's memory (all allocations are linear in them) */
#define OJIT_MAX_INSNS		8192
#define OJIT_MAX_MAPS		64
#define OJIT_MAX_LANES		8
#define OJIT_MAX_CONSTS		4096
#define OJIT_MAX_SUBPROGS	16

/* What a register holds before an instruction executes */
enum ojit_ptr_kind {
	OJIT_PTR_NONE = 0,	/* unknown or not initialised */
	OJIT_PTR_SCALAR,
	OJIT_PTR_CTX,
	OJIT_PTR_PKT,
	OJIT_PTR_PKT_END,
	OJIT_PTR_PKT_META,
	OJIT_PTR_STACK,		/* off = constant offset from this frame's r10 */
	OJIT_PTR_MAP_VALUE,	/* includes map_value_or_null after the check */
	OJIT_PTR_MAP,		/* a map pointer (CONST_PTR_TO_MAP) */
	OJIT_PTR_KINDS,
};

struct ojit_reg_fact {
	u8 kind;		/* enum ojit_ptr_kind */
	u8 const_off;		/* off is a known constant offset */
	u8 is_const;		/* SCALAR with a known value in val */
	u8 rsvd;
	s32 off;
	s64 val;
};

/*
 * The verifier visited the insn.  What it did not visit is dead code: the
 * JIT validates it but compiles it only as a trap no path reaches, and a
 * branch into it is hard-wired the other way, as the verifier's own
 * opt_hard_wire_dead_code_branches() does.
 */
#define OJIT_FACT_SEEN		OJIT_BIT(0)
#define OJIT_FACT_ZEXT_DST	OJIT_BIT(1)	/* aux->zext_dst */

/*
 * Per-instruction facts: register states before the instruction.  For
 * LD_IMM64 referring to a map (BPF_PSEUDO_MAP_FD or _IDX, also _VALUE),
 * map_idx is the caller's resolution into the map table.  For CALL,
 * helper is the helper id (imm).  Facts of the second half of an LD_IMM64
 * are ignored.
 */
struct ojit_insn_facts {
	struct ojit_reg_fact dst;
	struct ojit_reg_fact src;
	u32 flags;		/* OJIT_FACT_* */
	s32 map_idx;		/* -1 if none */
};

/*
 * Merge one verifier visit into an instruction's facts (start from zeroed
 * facts with map_idx -1): what differs between visits becomes unknown.
 */
void ojit_facts_merge(struct ojit_insn_facts *into, const struct ojit_insn_facts *visit);
void ojit_reg_fact_join(struct ojit_reg_fact *into, const struct ojit_reg_fact *f);

/* A map the program uses; types as OFFNIC_MAP_* of offnic_image.h */
struct ojit_map_desc {
	u32 type;
	u32 key_size;
	u32 value_size;
	u32 max_entries;
	u32 flags;
};

struct ojit_input {
	const struct ojit_bpf_insn *insns;
	u32 n_insns;
	const struct ojit_insn_facts *facts;	/* n_insns entries */
	const struct ojit_map_desc *maps;
	u32 n_maps;
	u32 prog_type;		/* OFFNIC_PROG_XDP or OFFNIC_PROG_TC */
	u32 stack_depth;	/* bytes of stack the whole program uses */
};

struct ojit_options {
	u32 lanes;		/* micro-ops per bundle, 1..OJIT_MAX_LANES */
	u32 disabled_passes;	/* bit n disables pass n, OJIT_NO_RENAME */
};

/* in disabled_passes: no register renaming before scheduling */
#define OJIT_NO_RENAME		OJIT_BIT(31)
/* in disabled_passes: no merging of lone branches into one bundle */
#define OJIT_NO_BRMERGE		OJIT_BIT(30)

struct ojit_stats {
	u32 bpf_insns;
	u32 ir_ops;		/* IR operations after the passes */
	u32 uops;		/* micro-ops emitted */
	u32 bundles;
	u32 critical_path;	/* sum over blocks, in bundles */
	u32 blocks;
	u32 consts;
	u64 jit_ns;
	u32 pass_removed[16];	/* IR ops each pass removed or fused */
	u32 merged_branches;	/* branches sharing a bundle with another */
};

struct ojit_result {
	void *image;		/* offnic image, ojit_free() it */
	unsigned long image_size;
	struct ojit_stats stats;
	char msg[160];		/* why compilation failed */
};

int ojit_compile(const struct ojit_input *in, const struct ojit_options *opt,
		 struct ojit_result *res);

/*
 * Structural check of instruction idx as the verifier checks a visited
 * one (opcode, registers, reserved fields, immediates, jump target): 0, or
 * -EINVAL with "insn N: reason" in msg.  ojit_compile() runs it on every
 * instruction first, dead code included.
 */
int ojit_validate_insn(const struct ojit_bpf_insn *insns, u32 n_insns, u32 idx,
		       char *msg, unsigned long msg_size);
/* The same over a whole program, LD_IMM64 pairs as pairs, and its length */
int ojit_validate_prog(const struct ojit_bpf_insn *insns, u32 n_insns, char *msg,
		       unsigned long msg_size);

/*
 * Capability check for the verifier's insn_hook: 0 if the device can run
 * instruction idx of the program (given what is known of it now), else a
 * negative errno with a message naming the instruction and the reason.
 */
int ojit_check_insn(const struct ojit_bpf_insn *insns, u32 n_insns, u32 idx,
		    u32 prog_type, char *msg, unsigned long msg_size);

/* The optimisation passes, in the order they run */
struct ojit_pass_desc {
	const char *name;
	const char *what;
};

extern const struct ojit_pass_desc ojit_pass_names[];
extern const unsigned int ojit_n_passes;
int ojit_pass_by_name(const char *name);

#endif /* OJIT_H */
