// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Listings: every bundle with its micro-ops, headed by the BPF
 * instructions it starts (from the image's line table), and statistics.
 */
#include <string.h>

#include "tools.h"
#include "offnic_image.h"
#include "../../hw/isa/offnic_isa.h"

static const char *const alu_names[16] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=",
	"s>>=", "end", "?", "?"
};

static const char *const jmp_names[16] = {
	"ja", "==", ">", ">=", "&", "!=", "s>", "s>=", "call", "exit", "<", "<=",
	"s<", "s<=", "?", "?"
};

int ojit_bpf_insn_text(const struct ojit_bpf_insn *in, char *buf, size_t size)
{
	static const char *const sz[4] = { "u32", "u16", "u8", "u64" };
	uint8_t cls = OJIT_BPF_CLASS(in->code), op = OJIT_BPF_OP(in->code);
	char src[24];

	if (OJIT_BPF_SRC(in->code) && cls != OJIT_BPF_ST)
		snprintf(src, sizeof(src), "r%u", in->src_reg);
	else
		snprintf(src, sizeof(src), "%d", in->imm);
	switch (cls) {
	case OJIT_BPF_ALU:
	case OJIT_BPF_ALU64:
		return snprintf(buf, size, "%s%u %s %s", cls == OJIT_BPF_ALU ? "w" : "r",
				in->dst_reg, alu_names[op >> 4], src);
	case OJIT_BPF_LD:
		return snprintf(buf, size, "r%u = imm64 %d (src %u)", in->dst_reg, in->imm,
				in->src_reg);
	case OJIT_BPF_LDX:
		return snprintf(buf, size, "r%u = *(%s *)(r%u %+d)", in->dst_reg,
				sz[OJIT_BPF_SIZE(in->code) >> 3], in->src_reg, in->off);
	case OJIT_BPF_ST:
	case OJIT_BPF_STX:
		return snprintf(buf, size, "*(%s *)(r%u %+d) %s %s",
				sz[OJIT_BPF_SIZE(in->code) >> 3], in->dst_reg, in->off,
				OJIT_BPF_MODE(in->code) == OJIT_BPF_ATOMIC ? "atomic" : "=",
				cls == OJIT_BPF_ST ? src : (snprintf(src, sizeof(src), "r%u",
							in->src_reg), src));
	}
	if (op == OJIT_BPF_EXIT)
		return snprintf(buf, size, "exit");
	if (op == OJIT_BPF_CALL)
		return snprintf(buf, size, "call %d%s", in->imm, in->src_reg ? " (bpf)" : "");
	if (op == OJIT_BPF_JA)
		return snprintf(buf, size, "goto %+d", in->off);
	return snprintf(buf, size, "if %s%u %s %s goto %+d", cls == OJIT_BPF_JMP32 ? "w" : "r",
			in->dst_reg, jmp_names[op >> 4], src, in->off);
}

void ojit_print_listing(FILE *f, const struct ojit_loaded *l, const void *image)
{
	const struct offnic_image_hdr *h = image;
	const __u64 *words = offnic_image_words(h);
	const __u32 *lines = offnic_image_lines(h);
	uint32_t b, lane, next_insn = 0, last_line = 0;
	char text[96];

	for (b = 0; b < h->n_bundles; b++) {
		uint32_t upto = lines ? lines[b] : 0;

		for (; next_insn <= upto && next_insn < l->n_insns; next_insn++) {
			if (l->line_text && l->line_text[next_insn] &&
			    l->line_no[next_insn] && l->line_no[next_insn] != last_line) {
				last_line = l->line_no[next_insn];
				fprintf(f, "  ; line %u: %s\n", last_line, l->line_text[next_insn]);
			}
			ojit_bpf_insn_text(&l->insns[next_insn], text, sizeof(text));
			fprintf(f, "  ;   %4u: %s\n", next_insn, text);
		}
		fprintf(f, "%5u:", b);
		for (lane = 0; lane < h->lanes; lane++) {
			__u64 w = words[(uint64_t)b * h->lanes + lane];

			if (!w)
				continue;
			onm_disasm_uop(w, text, sizeof(text));
			fprintf(f, "  %-26s", text);
		}
		fprintf(f, "\n");
	}
}

void ojit_print_stats(FILE *f, const struct ojit_result *res)
{
	const struct ojit_stats *s = &res->stats;
	unsigned int i;

	fprintf(f, "bpf_insns %u ir_ops %u uops %u bundles %u blocks %u consts %u\n",
		s->bpf_insns, s->ir_ops, s->uops, s->bundles, s->blocks, s->consts);
	fprintf(f, "static_ipc %.2f critical_path %u sched/cp %.2f jit_us %.1f\n",
		s->bundles ? (double)s->uops / s->bundles : 0.0, s->critical_path,
		s->critical_path ? (double)s->bundles / s->critical_path : 0.0,
		s->jit_ns / 1000.0);
	fprintf(f, "merged_branches %u\npass", s->merged_branches);
	for (i = 0; i < ojit_n_passes; i++)
		fprintf(f, " %s=%u", ojit_pass_names[i].name, s->pass_removed[i]);
	fprintf(f, "\n");
}
