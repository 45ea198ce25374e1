/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * Userspace side of offload-jit: loading programs, inferring the facts the
 * kernel verifier would supply, listings, running images on the model.
 */
#ifndef OJIT_TOOLS_H
#define OJIT_TOOLS_H

#include <stdint.h>
#include <stdio.h>

#include "ojit.h"

struct ojit_loaded {
	struct ojit_bpf_insn *insns;
	uint32_t n_insns;
	struct ojit_map_desc maps[OJIT_MAX_MAPS];
	int32_t *map_of_insn;		/* map index of LD_IMM64 map refs, else -1 */
	uint32_t n_maps;
	uint32_t prog_type;
	char name[64];
	char **line_text;		/* source line starting at an insn, or NULL */
	uint32_t *line_no;
};

/* ELF object via libbpf (section name or program name), raw binary
 * instructions, or base16 text; 0 or -errno with a message on stderr */
int ojit_load_elf(const char *path, const char *sec, struct ojit_loaded *out);
int ojit_load_raw(const char *path, struct ojit_loaded *out);
int ojit_load_hex(const char *text, struct ojit_loaded *out);
size_t ojit_unhex(const char *s, uint8_t *out, size_t cap);
int ojit_load_insns(const struct ojit_bpf_insn *insns, uint32_t n, struct ojit_loaded *out);
void ojit_loaded_free(struct ojit_loaded *l);
/* The libelf half of ojit_load_elf: the map references and calls of program
 * prog, whose instructions l holds (from offset *sec_off of its section,
 * named in sec_name); map_names are the object's maps in order (libbpf's).
 * text_base: where .text was appended, or -1 */
int ojit_elf_relocate(const char *path, const char *prog, const char *const *map_names,
		      uint32_t n_maps, struct ojit_loaded *l, int64_t *text_base,
		      uint32_t *sec_off, char *sec_name, size_t sec_name_size);
/* Source lines from .BTF.ext line info for the program at insn sec_off of
 * ELF section sec; text_base: where .text was appended */
int ojit_load_lines(const char *path, const char *sec, uint32_t sec_off, int64_t text_base,
		    struct ojit_loaded *l);
/* .rodata folded to constants: refs[i] describes the LD_IMM64 at insn i
 * that takes the address off of read-only data (bytes NULL: none).  Loads
 * through those addresses become moves of their values and the LD_IMM64s
 * plain 0s; what was folded is printed to log (NULL: quiet).  The number
 * of loads folded, or -EOPNOTSUPP with the reason in msg (the pointer
 * escapes: passed to a call, stored, variable offset, ...). */
struct ojit_rodata_ref {
	const uint8_t *bytes;
	uint32_t size;
	uint32_t off;
	const char *name;
};
int ojit_fold_rodata(struct ojit_bpf_insn *insns, uint32_t n, struct ojit_rodata_ref *refs,
		     FILE *log, char *msg, size_t msg_size);
/* Conformance convention: r1 = memory (the packet), r2 = its length */
int ojit_add_mem_prologue(struct ojit_loaded *l);
/* r1 = ctx->data, r2 = ctx->data_end: packet pointers as XDP has them */
int ojit_add_pkt_prologue(struct ojit_loaded *l);

/* Facts by abstract interpretation of pointer kinds: worklist over
 * instructions, states merged at joins.  Returns an array of n_insns
 * facts (free()) and the stack depth used, or NULL. */
struct ojit_insn_facts *ojit_infer_facts(const struct ojit_loaded *l,
					 uint32_t *stack_depth, char *msg,
					 size_t msg_size);

/* Compile a loaded program with inferred facts */
int ojit_compile_loaded(const struct ojit_loaded *l, const struct ojit_options *opt,
			struct ojit_result *res);

/* Listing: each bundle with its micro-ops and the BPF insn it starts at */
void ojit_print_listing(FILE *f, const struct ojit_loaded *l, const void *image);
void ojit_print_stats(FILE *f, const struct ojit_result *res);
int ojit_bpf_insn_text(const struct ojit_bpf_insn *insn, char *buf, size_t size);

/* Running an image */
struct ojit_run_out {
	uint64_t r0;			/* p0 when the program ended */
	uint32_t verdict;		/* what EXIT reported */
	uint32_t faulted;
	uint32_t fault_cause;
	uint32_t fault_pc;
	uint64_t cycles;
	uint64_t bundles;
	uint8_t pkt[4096];
	uint32_t pkt_len;
	uint8_t stack[512];
};

enum ojit_backend { OJIT_BACKEND_MODEL, OJIT_BACKEND_RTL };

/* Run image on the chosen backend with frame as the packet;
 * 0, or -ENOSYS when the backend is not built in */
int ojit_run_image(enum ojit_backend be, const void *image, size_t size,
		   const uint8_t *frame, uint32_t len, struct ojit_run_out *out,
		   char *msg, size_t msg_size);

#endif /* OJIT_TOOLS_H */
