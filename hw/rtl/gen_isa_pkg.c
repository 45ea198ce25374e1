// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Print the SystemVerilog ISA package (offnic_isa_pkg.sv) from the one
 * encoding table, hw/isa/offnic_isa.def, so the RTL cannot drift from it.
 * `make check` regenerates the package and fails when the committed copy
 * differs.
 */
#include <ctype.h>
#include <stdio.h>

#include "../include/offnic_image.h"

/* "DATA_END" -> "DataEnd": lowRISC UpperCamelCase for parameters */
static const char *camel(const char *name)
{
	static char buf[64];
	size_t n = 0;
	int up = 1;

	for (; *name && n < sizeof(buf) - 1; name++) {
		if (*name == '_') {
			up = 1;
			continue;
		}
		buf[n++] = up ? toupper((unsigned char)*name) :
				tolower((unsigned char)*name);
		up = 0;
	}
	buf[n] = '\0';
	return buf;
}

static unsigned long long field_mask(int hi, int lo)
{
	return (~0ULL >> (63 - hi + lo)) << lo;
}

static void enum_open(int width)
{
	printf("  typedef enum logic [%d:0] {\n", width - 1);
}

static void enum_item(int *first, const char *prefix, const char *name,
		      int width, unsigned int value)
{
	printf("%s    %s_%s = %d'h%x", *first ? "" : ",\n", prefix, name,
	       width, value);
	*first = 0;
}

static void enum_close(const char *type)
{
	printf("\n  } %s;\n\n", type);
}

/* Name of the function being printed: yosys wants `name = v`, not return */
static const char *fn;

static void case_open(const char *type, const char *name, const char *arg)
{
	fn = name;
	printf("  function automatic %s %s(%s);\n    unique case (%s)\n",
	       type, name, arg, "sel");
}

static void case_close(const char *dflt)
{
	printf("      default: %s = %s;\n    endcase\n  endfunction\n\n",
	       fn, dflt);
}

static void print_fields(void)
{
	printf("  // Bit fields of the micro-op word\n");
#define ISA_FIELD(name, hi, lo) \
	printf("  localparam int unsigned Field%sHi = %d;\n", camel(#name), hi); \
	printf("  localparam int unsigned Field%sLo = %d;\n", camel(#name), lo); \
	printf("  localparam logic [63:0] Field%sMask = 64'h%016llx;\n", \
	       camel(#name), field_mask(hi, lo));
#include "offnic_isa.def"
	printf("\n  // Architectural parameters\n");
#define ISA_PARAM(name, value) \
	printf("  localparam int unsigned %s = %d;\n", camel(#name), value);
#include "offnic_isa.def"
	printf("\n");
}

static void print_units(void)
{
	int first = 1;

	enum_open(3);
#define ISA_UNIT(name, id, per_bundle, latency) \
	enum_item(&first, "UNIT", #name, 3, id);
#include "offnic_isa.def"
	enum_close("unit_e");

	printf("  // Per-bundle caps and result latencies of the functional units\n");
#define ISA_UNIT(name, id, per_bundle, latency) \
	printf("  localparam int unsigned Unit%sPerBundle = %d;\n", \
	       camel(#name), per_bundle); \
	printf("  localparam int unsigned Unit%sLatency = %d;\n", \
	       camel(#name), latency);
#include "offnic_isa.def"
	case_open("int unsigned", "unit_latency", "logic [2:0] sel");
#define ISA_UNIT(name, id, per_bundle, latency) \
	printf("      3'd%d: %s = %d;\n", id, fn, latency);
#include "offnic_isa.def"
	case_close("1");
	case_open("int unsigned", "unit_cap", "logic [2:0] sel");
#define ISA_UNIT(name, id, per_bundle, latency) \
	printf("      3'd%d: %s = %d;\n", id, fn, per_bundle);
#include "offnic_isa.def"
	case_close("0");
}

/* Numeric unit ids and format ids: package functions must not name enum
 * constants, or yosys 0.23 cannot resolve them from a module. */
enum {
#define ISA_UNIT(name, id, per_bundle, latency) UNIT_ID_##name = id,
#include "offnic_isa.def"
};

enum {
#define ISA_FORMAT(name, code, meaning) FMT_ID_##name = code,
#include "offnic_isa.def"
};

/* R-format operand shapes (ISA_RSHAPE): "rd, ra, b" with w32 unless listed */
enum {
#define ISA_OP(name, opcode, format, unit, mnemonic) GOP_##name = opcode,
#include "offnic_isa.def"
};

struct shape {
	int ra, b, w32, ext;
};

static struct shape shape_of(int opcode)
{
	struct shape sh = { 1, 1, 1, 0 };

#define ISA_RSHAPE(name, reads_ra, reads_b, w32_ok, ext_mask) \
	if (opcode == GOP_##name) \
		sh = (struct shape){ reads_ra, reads_b, w32_ok, ext_mask };
#include "offnic_isa.def"
	return sh;
}

static void print_shape(const char *type, const char *name, int which)
{
	case_open(type, name, "logic [7:0] sel");
#define ISA_OP(name, opcode, format, unit, mnemonic) \
	if (FMT_ID_##format == FMT_ID_R) { \
		struct shape sh = shape_of(opcode); \
		int v = which == 0 ? sh.ra : which == 1 ? sh.b : which == 2 ? sh.w32 : sh.ext; \
		printf(which == 3 ? "      8'h%02x: %s = 4'h%x;\n" : "      8'h%02x: %s = 1'b%d;\n", \
		       opcode, fn, v); \
	}
#include "offnic_isa.def"
	case_close(which == 3 ? "4'h0" : "1'b0");
}

static void print_shapes(void)
{
	printf("  // R-format operands: ra read, operand B read, w32 allowed, FN_EXT\n"
	       "  // values allowed (bit n for ext n)\n");
	print_shape("logic", "op_reads_ra", 0);
	print_shape("logic", "op_reads_b", 1);
	print_shape("logic", "op_w32_ok", 2);
	print_shape("logic [3:0]", "op_ext_mask", 3);
}

static void print_ops(void)
{
	int first = 1;

	enum_open(8);
#define ISA_OP(name, opcode, format, unit, mnemonic) \
	enum_item(&first, "OP", #name, 8, opcode);
#include "offnic_isa.def"
	enum_close("opcode_e");

	first = 1;
	enum_open(4);
#define ISA_FORMAT(name, code, meaning) enum_item(&first, "FMT", #name, 4, code);
#include "offnic_isa.def"
	enum_close("format_e");

	printf("  // Formats as parameters, which a module may compare op_format() with\n");
#define ISA_FORMAT(name, code, meaning) \
	printf("  localparam logic [3:0] Fmt%s = 4'd%d;  // %s\n", #name, code, meaning);
#include "offnic_isa.def"
	printf("\n");

	printf("  // Undefined opcodes fault BAD_OP\n");
	case_open("logic", "op_valid", "logic [7:0] sel");
#define ISA_OP(name, opcode, format, unit, mnemonic) \
	printf("      8'h%02x: %s = 1'b1;\n", opcode, fn);
#include "offnic_isa.def"
	case_close("1'b0");

	case_open("logic [2:0]", "op_unit", "logic [7:0] sel");
#define ISA_OP(name, opcode, format, unit, mnemonic) \
	printf("      8'h%02x: %s = 3'd%d;\n", opcode, fn, UNIT_ID_##unit);
#include "offnic_isa.def"
	case_close("3'd0");

	case_open("logic [3:0]", "op_format", "logic [7:0] sel");
#define ISA_OP(name, opcode, format, unit, mnemonic) \
	printf("      8'h%02x: %s = 4'd%d;\n", opcode, fn, FMT_ID_##format);
#include "offnic_isa.def"
	case_close("4'd0");

	print_shapes();
}

static void print_cond(void)
{
	int first = 1;

	enum_open(4);
#define ISA_COND(name, code, mnemonic) enum_item(&first, "COND", #name, 4, code);
#include "offnic_isa.def"
	enum_close("cond_e");

	case_open("logic", "cond_valid", "logic [3:0] sel");
#define ISA_COND(name, code, mnemonic) \
	printf("      4'h%x: %s = 1'b1;\n", code, fn);
#include "offnic_isa.def"
	case_close("1'b0");
}

static void print_aop(void)
{
	int first = 1;

	enum_open(4);
#define ISA_ATOMIC(name, code, mnemonic) enum_item(&first, "AOP", #name, 4, code);
#include "offnic_isa.def"
	enum_close("aop_e");

	case_open("logic", "aop_valid", "logic [3:0] sel");
#define ISA_ATOMIC(name, code, mnemonic) \
	printf("      4'h%x: %s = 1'b1;\n", code, fn);
#include "offnic_isa.def"
	case_close("1'b0");
}

static void print_space(void)
{
	int first = 1;

	enum_open(4);
#define ISA_SPACE(name, tag, mnemonic) enum_item(&first, "SPACE", #name, 4, tag);
#include "offnic_isa.def"
	enum_close("space_e");
}

static void print_fault(void)
{
	int first = 1;

	enum_open(4);
#define ISA_FAULT(name, code, mnemonic) enum_item(&first, "FAULT", #name, 4, code);
#include "offnic_isa.def"
	enum_close("fault_e");
}

static void print_perf(void)
{
	int first = 1;

	enum_open(3);
#define ISA_PERF(name, index, mnemonic) enum_item(&first, "PERF", #name, 3, index);
#include "offnic_isa.def"
	enum_close("perf_e");
}

static void print_ctx(void)
{
	int first = 1;

	enum_open(4);
#define ISA_CTX(name, index, writable, mnemonic) \
	enum_item(&first, "CTX", #name, 4, index);
#include "offnic_isa.def"
	enum_close("ctx_e");

	case_open("logic", "ctx_defined", "logic [3:0] sel");
#define ISA_CTX(name, index, writable, mnemonic) \
	printf("      4'd%d: %s = 1'b1;\n", index, fn);
#include "offnic_isa.def"
	case_close("1'b0");

	case_open("logic", "ctx_writable", "logic [3:0] sel");
#define ISA_CTX(name, index, writable, mnemonic) \
	printf("      4'd%d: %s = 1'b%d;\n", index, fn, writable);
#include "offnic_isa.def"
	case_close("1'b0");
}

static void print_helpers(void)
{
	int first = 1;

	enum_open(8);
#define ISA_HELPER(name, id, latency, mnemonic) \
	enum_item(&first, "HELPER", #name, 8, id);
#include "offnic_isa.def"
	enum_close("helper_e");

	case_open("logic", "helper_valid", "logic [31:0] sel");
#define ISA_HELPER(name, id, latency, mnemonic) \
	printf("      32'd%d: %s = 1'b1;\n", id, fn);
#include "offnic_isa.def"
	case_close("1'b0");

	case_open("int unsigned", "helper_latency", "logic [7:0] sel");
#define ISA_HELPER(name, id, latency, mnemonic) \
	printf("      8'd%d: %s = %d;\n", id, fn, latency);
#include "offnic_isa.def"
	case_close("1");
}

/* The map types of an image's map table, from the image format */
static void print_map_types(void)
{
	printf("  // Map types of an image's map table (hw/include/offnic_image.h)\n"
	       "  localparam int unsigned MapTypeArray = %d;\n"
	       "  localparam int unsigned MapTypeHash = %d;\n"
	       "  localparam int unsigned MapTypePerfEvent = %d;\n\n",
	       OFFNIC_MAP_ARRAY, OFFNIC_MAP_HASH, OFFNIC_MAP_PERF_EVENT);
}

int main(void)
{
	printf("// SPDX-License-Identifier: (GPL-2.0 OR MIT)\n"
	       "// GENERATED by hw/rtl/gen_isa_pkg.c from hw/isa/offnic_isa.def.\n"
	       "// Do not edit: `make -C hw/rtl check` fails if this file drifts.\n"
	       "// The package is the whole table; no design uses every entry.\n"
	       "/* verilator lint_off UNUSEDPARAM */\n"
	       "package offnic_isa_pkg;\n\n");
	print_fields();
	print_units();
	print_ops();
	print_cond();
	print_aop();
	print_space();
	print_fault();
	print_perf();
	print_ctx();
	print_helpers();
	print_map_types();
	printf("endpackage\n/* verilator lint_on UNUSEDPARAM */\n");
	return 0;
}
