// SPDX-License-Identifier: (GPL-2.0 OR MIT)
// One lane's single-cycle ALU: everything of unit ALU except LDK (which
// reads the constant pool).  Multiply and divide are shared units of the
// core (one per bundle), see offnic_core and offnic_divider.

module offnic_alu (
  input  logic [7:0]  op_i,
  input  logic        w32_i,  // fn.w32: 32-bit operation, zero-extended
  input  logic [1:0]  ext_i,  // fn.ext: 8/16/32/64 for MOVSX and BSWAP
  input  logic [63:0] a_i,    // ra
  input  logic [63:0] b_i,    // operand B: rb or sext(imm32)
  output logic [63:0] result_o
);

  logic [63:0] res64;
  logic [31:0] res32;
  logic [31:0] a32, b32;

  assign a32 = a_i[31:0];
  assign b32 = b_i[31:0];

  function automatic logic [63:0] sext_from(logic [63:0] v, logic [1:0] ext);
    unique case (ext)
      2'd0:    sext_from = {{56{v[7]}}, v[7:0]};
      2'd1:    sext_from = {{48{v[15]}}, v[15:0]};
      2'd2:    sext_from = {{32{v[31]}}, v[31:0]};
      default: sext_from = v;
    endcase
  endfunction

  function automatic logic [63:0] bswap_of(logic [63:0] v, logic [1:0] ext);
    unique case (ext)
      2'd0:    bswap_of = {56'd0, v[7:0]};
      2'd1:    bswap_of = {48'd0, v[7:0], v[15:8]};
      2'd2:    bswap_of = {32'd0, v[7:0], v[15:8], v[23:16], v[31:24]};
      default: bswap_of = {v[7:0], v[15:8], v[23:16], v[31:24],
                           v[39:32], v[47:40], v[55:48], v[63:56]};
    endcase
  endfunction

  logic [63:0] movsx, bswapped;

  assign movsx    = sext_from(b_i, ext_i);
  assign bswapped = bswap_of(a_i, ext_i);

  always_comb begin
    res64 = '0;
    unique case (op_i)
      offnic_isa_pkg::OP_ADD:   res64 = a_i + b_i;
      offnic_isa_pkg::OP_SUB:   res64 = a_i - b_i;
      offnic_isa_pkg::OP_OR:    res64 = a_i | b_i;
      offnic_isa_pkg::OP_AND:   res64 = a_i & b_i;
      offnic_isa_pkg::OP_XOR:   res64 = a_i ^ b_i;
      offnic_isa_pkg::OP_LSH:   res64 = a_i << b_i[5:0];
      offnic_isa_pkg::OP_RSH:   res64 = a_i >> b_i[5:0];
      offnic_isa_pkg::OP_ARSH:  res64 = $signed(a_i) >>> b_i[5:0];
      offnic_isa_pkg::OP_NEG:   res64 = -a_i;
      offnic_isa_pkg::OP_MOV:   res64 = b_i;
      offnic_isa_pkg::OP_MOVSX: res64 = movsx;
      offnic_isa_pkg::OP_BSWAP: res64 = bswapped;
      default:                  res64 = '0;
    endcase
  end

  always_comb begin
    res32 = '0;
    unique case (op_i)
      offnic_isa_pkg::OP_ADD:   res32 = a32 + b32;
      offnic_isa_pkg::OP_SUB:   res32 = a32 - b32;
      offnic_isa_pkg::OP_OR:    res32 = a32 | b32;
      offnic_isa_pkg::OP_AND:   res32 = a32 & b32;
      offnic_isa_pkg::OP_XOR:   res32 = a32 ^ b32;
      offnic_isa_pkg::OP_LSH:   res32 = a32 << b32[4:0];
      offnic_isa_pkg::OP_RSH:   res32 = a32 >> b32[4:0];
      offnic_isa_pkg::OP_ARSH:  res32 = $signed(a32) >>> b32[4:0];
      offnic_isa_pkg::OP_NEG:   res32 = -a32;
      offnic_isa_pkg::OP_MOV:   res32 = b32;
      offnic_isa_pkg::OP_MOVSX: res32 = movsx[31:0];
      offnic_isa_pkg::OP_BSWAP: res32 = bswapped[31:0];
      default:                  res32 = '0;
    endcase
  end

  assign result_o = w32_i ? {32'd0, res32} : res64;

endmodule
