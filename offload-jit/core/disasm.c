// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * One micro-op word as text, for listings and debugfs.
 */
#include "ojit_int.h"

static const char *const size_name[4] = { "b", "h", "w", "dw" };
static const char *const ext_name[4] = { "8", "16", "32", "64" };

static int disasm_r(u64 w, const char *mn, char *buf, unsigned long size)
{
	u32 fn = ISA_GET(w, FN), rd = ISA_GET(w, RD), ra = ISA_GET(w, RA);
	const char *sfx = ISA_GET(w, FN_W32) ? "32" : "";
	u8 opc = ISA_GET(w, OPCODE);
	char b[16];

	if (ISA_GET(w, I))
		ojit_snprintf(b, sizeof(b), "%d", (s32)ISA_GET(w, IMM32));
	else
		ojit_snprintf(b, sizeof(b), "p%u", (u32)ISA_GET(w, RB));
	if (opc == ISA_OP_MOV)
		return ojit_snprintf(buf, size, "mov%s p%u, %s", sfx, rd, b);
	if (opc == ISA_OP_MOVSX)
		return ojit_snprintf(buf, size, "movsx%s%s p%u, %s", ext_name[(fn >> 1) & 3],
				     sfx, rd, b);
	if (opc == ISA_OP_NEG)
		return ojit_snprintf(buf, size, "neg%s p%u, p%u", sfx, rd, ra);
	if (opc == ISA_OP_BSWAP)
		return ojit_snprintf(buf, size, "bswap%s p%u, p%u", ext_name[(fn >> 1) & 3],
				     rd, ra);
	return ojit_snprintf(buf, size, "%s%s p%u, p%u, %s", mn, sfx, rd, ra, b);
}

static int disasm_m(u64 w, const char *mn, char *buf, unsigned long size)
{
	u32 fn = ISA_GET(w, FN);
	s32 off = (s32)ISA_GET(w, IMM32);

	if (ISA_GET(w, OPCODE) == ISA_OP_LD)
		return ojit_snprintf(buf, size, "ld.%s%s%s p%u, [p%u%+d]", size_name[fn & 3],
				     fn & 4 ? ".be" : "", fn & 8 ? ".sx" : "",
				     (u32)ISA_GET(w, RD), (u32)ISA_GET(w, RA), off);
	return ojit_snprintf(buf, size, "%s.%s%s [p%u%+d], p%u", mn, size_name[fn & 3],
			     fn & 4 ? ".be" : "", (u32)ISA_GET(w, RA), off,
			     (u32)ISA_GET(w, RB));
}

int ojit_disasm_uop(u64 w, char *buf, unsigned long size)
{
	u8 opc = ISA_GET(w, OPCODE);
	const struct ojit_isa_opinfo *info = &ojit_isa_ops[opc];
	u32 fn = ISA_GET(w, FN);

	if (!info->valid)
		return ojit_snprintf(buf, size, ".word 0x%llx", (unsigned long long)w);
	switch (info->format) {
	case FMT_N:
		return ojit_snprintf(buf, size, "%s", info->mnemonic);
	case FMT_R:
		return disasm_r(w, info->mnemonic, buf, size);
	case FMT_K:
		return ojit_snprintf(buf, size, "ldk p%u, k%u", (u32)ISA_GET(w, RD),
				     (u32)ISA_GET(w, IMM32));
	case FMT_M:
		return disasm_m(w, info->mnemonic, buf, size);
	case FMT_A:
		if (!(fn & 0x10))
			return ojit_snprintf(buf, size, "atomic.%s%s [p%u%+d], p%u",
					     ojit_isa_atomic_name(fn & 0xf),
					     fn & 0x20 ? "32" : "64", (u32)ISA_GET(w, RA),
					     (s32)ISA_GET(w, IMM32), (u32)ISA_GET(w, RB));
		return ojit_snprintf(buf, size, "atomic.%s%s.fetch p%u, [p%u%+d], p%u",
				     ojit_isa_atomic_name(fn & 0xf), fn & 0x20 ? "32" : "64",
				     (u32)ISA_GET(w, RD), (u32)ISA_GET(w, RA),
				     (s32)ISA_GET(w, IMM32), (u32)ISA_GET(w, RB));
	case FMT_B:
		if (ISA_GET(w, I))
			return ojit_snprintf(buf, size, "br.%s%s p%u, %d, @%u",
					     ojit_isa_cond_name(ISA_GET(w, B_COND)),
					     ISA_GET(w, B_W32) ? "32" : "", (u32)ISA_GET(w, RA),
					     (s32)(ISA_GET(w, B_IMM24) << 8) >> 8,
					     (u32)ISA_GET(w, B_TARGET));
		return ojit_snprintf(buf, size, "br.%s%s p%u, p%u, @%u",
				     ojit_isa_cond_name(ISA_GET(w, B_COND)),
				     ISA_GET(w, B_W32) ? "32" : "", (u32)ISA_GET(w, RA),
				     (u32)ISA_GET(w, RB), (u32)ISA_GET(w, B_TARGET));
	case FMT_J:
		return ojit_snprintf(buf, size, "%s @%u", info->mnemonic,
				     (u32)ISA_GET(w, B_TARGET));
	case FMT_X:
		if (ISA_GET(w, I))
			return ojit_snprintf(buf, size, "exit %d", (s32)ISA_GET(w, IMM32));
		return ojit_snprintf(buf, size, "exit p%u", (u32)ISA_GET(w, RA));
	}
	return ojit_snprintf(buf, size, "hcall %s", ojit_isa_helper_name(ISA_GET(w, IMM32)));
}
