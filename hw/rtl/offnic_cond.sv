// SPDX-License-Identifier: (GPL-2.0 OR MIT)
// Whether a control micro-op is taken: BR compares ra with operand B
// (w32: the low halves), JA/CALL/RET/EXIT always are.

module offnic_cond (
  input  logic [7:0]  op_i,
  input  logic [3:0]  cond_i,
  input  logic        w32_i,
  input  logic [63:0] a_i,
  input  logic [63:0] b_i,
  output logic        taken_o
);

  logic [63:0] a, b;
  logic        holds;

  assign a = w32_i ? {{32{a_i[31]}}, a_i[31:0]} : a_i;
  assign b = w32_i ? {{32{b_i[31]}}, b_i[31:0]} : b_i;

  // Unsigned comparisons on the sign-extended halves order the same as on
  // the zero-extended ones, so one pair of extensions serves both.
  always_comb begin
    unique case (cond_i)
      4'(offnic_isa_pkg::COND_EQ):  holds = (a == b);
      4'(offnic_isa_pkg::COND_NE):  holds = (a != b);
      4'(offnic_isa_pkg::COND_GT):  holds = (a > b);
      4'(offnic_isa_pkg::COND_GE):  holds = (a >= b);
      4'(offnic_isa_pkg::COND_LT):  holds = (a < b);
      4'(offnic_isa_pkg::COND_LE):  holds = (a <= b);
      4'(offnic_isa_pkg::COND_SGT): holds = ($signed(a) > $signed(b));
      4'(offnic_isa_pkg::COND_SGE): holds = ($signed(a) >= $signed(b));
      4'(offnic_isa_pkg::COND_SLT): holds = ($signed(a) < $signed(b));
      4'(offnic_isa_pkg::COND_SLE): holds = ($signed(a) <= $signed(b));
      4'(offnic_isa_pkg::COND_SET): holds = ((a & b) != '0);
      default:                      holds = 1'b0;
    endcase
  end

  assign taken_o = (op_i == offnic_isa_pkg::OP_BR) ? holds : 1'b1;

endmodule
