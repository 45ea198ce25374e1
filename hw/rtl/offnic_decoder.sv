// SPDX-License-Identifier: (GPL-2.0 OR MIT)
// Decodes one micro-op word.  A word is legal only if every bit outside
// the fields its opcode uses is zero (so each legal word has exactly one
// assembly text); illegal words fault BAD_OP when issued.  The source set
// is what the interlock waits for (HCALL reads p1..p5 and writes p0).

module offnic_decoder (
  input  logic [63:0] word_i,
  input  logic [31:0] n_consts_i,
  output logic        nop_o,       // all-zero word: no micro-op at all
  output logic        bad_op_o,
  output logic [7:0]  op_o,
  output logic [2:0]  unit_o,
  output logic [3:0]  fmt_o,
  output logic        writes_rd_o,
  output logic [4:0]  rd_o,
  output logic [4:0]  ra_o,
  output logic [4:0]  rb_o,
  output logic        use_imm_o,
  output logic [63:0] imm_o,       // sext(imm32), or sext(imm24) for B
  output logic [31:0] srcs_o,      // registers read
  output logic [3:0]  lat_o,       // result latency
  output logic        w32_o,       // R: fn.w32, B: b.w32, A: fn.aw32
  output logic [1:0]  ext_o,       // R: fn.ext, M: fn.size
  output logic        bswap_o,
  output logic        sext_o,
  output logic [3:0]  aop_o,
  output logic [3:0]  cond_o,
  output logic [15:0] target_o
);

  logic [63:0] ok;      // bits the word may have set
  logic        bad;
  logic [7:0]  op;
  logic [31:0] srcs;
  logic        writes_rd;
  logic        fetch;
  logic [3:0]  ext_allowed;  // R format: the FN_EXT values the op takes

  assign fetch = word_i[offnic_isa_pkg::FieldFnFetchHi];
  assign ext_allowed = offnic_isa_pkg::op_ext_mask(op);

  assign op = word_i[offnic_isa_pkg::FieldOpcodeHi:offnic_isa_pkg::FieldOpcodeLo];

  // Operand B: the immediate when i = 1, else rb
  function automatic logic [63:0] operand_b_ok(logic use_imm,
                                               logic [63:0] imm_mask);
    operand_b_ok = use_imm ? (offnic_isa_pkg::FieldIMask | imm_mask) : offnic_isa_pkg::FieldRbMask;
  endfunction

  always_comb begin
    ok        = offnic_isa_pkg::FieldOpcodeMask;
    bad       = 1'b0;
    srcs      = '0;
    writes_rd = 1'b0;
    lat_o     = 4'(offnic_isa_pkg::unit_latency(offnic_isa_pkg::op_unit(op)));
    unique case (offnic_isa_pkg::op_format(op))
      offnic_isa_pkg::FmtR: begin
        // operands and sub-fields as the .def's ISA_RSHAPE says
        writes_rd = 1'b1;
        ok        = ok | offnic_isa_pkg::FieldRdMask;
        if (offnic_isa_pkg::op_w32_ok(op)) ok = ok | offnic_isa_pkg::FieldFnW32Mask;
        if (ext_allowed != 4'h0) begin
          ok  = ok | offnic_isa_pkg::FieldFnExtMask;
          bad = !ext_allowed[ext_o];
        end
        if (offnic_isa_pkg::op_reads_ra(op)) begin
          ok = ok | offnic_isa_pkg::FieldRaMask;
          srcs[ra_o] = 1'b1;
        end
        if (offnic_isa_pkg::op_reads_b(op)) begin
          ok = ok | operand_b_ok(use_imm_o, offnic_isa_pkg::FieldImm32Mask);
          if (!use_imm_o) srcs[rb_o] = 1'b1;
        end
      end
      offnic_isa_pkg::FmtM: begin
        ok = ok | offnic_isa_pkg::FieldRaMask | offnic_isa_pkg::FieldFnSizeMask | offnic_isa_pkg::FieldFnBswapMask |
             offnic_isa_pkg::FieldImm32Mask;
        srcs[ra_o] = 1'b1;
        bad = bswap_o && (ext_o == 2'd0);
        if (op == offnic_isa_pkg::OP_LD) begin
          bad       = bad || (sext_o && ext_o == 2'd3);
          ok        = ok | offnic_isa_pkg::FieldRdMask | offnic_isa_pkg::FieldFnSextMask;
          writes_rd = 1'b1;
        end else begin
          ok = ok | offnic_isa_pkg::FieldRbMask;
          srcs[rb_o] = 1'b1;
        end
      end
      offnic_isa_pkg::FmtA: begin
        ok = ok | offnic_isa_pkg::FieldRaMask | offnic_isa_pkg::FieldRbMask | offnic_isa_pkg::FieldFnAopMask |
             offnic_isa_pkg::FieldFnFetchMask | offnic_isa_pkg::FieldFnAw32Mask | offnic_isa_pkg::FieldImm32Mask;
        bad = !offnic_isa_pkg::aop_valid(aop_o) ||
              ((aop_o == offnic_isa_pkg::AOP_XCHG || aop_o == offnic_isa_pkg::AOP_CMPXCHG) && !fetch);
        srcs[ra_o] = 1'b1;
        srcs[rb_o] = 1'b1;
        if (aop_o == offnic_isa_pkg::AOP_CMPXCHG) srcs[rd_o] = 1'b1;
        if (fetch) begin
          ok        = ok | offnic_isa_pkg::FieldRdMask;
          writes_rd = 1'b1;
        end
      end
      offnic_isa_pkg::FmtB: begin
        ok = ok | offnic_isa_pkg::FieldBCondMask | offnic_isa_pkg::FieldBW32Mask | offnic_isa_pkg::FieldRaMask |
             offnic_isa_pkg::FieldBTargetMask | operand_b_ok(use_imm_o, offnic_isa_pkg::FieldBImm24Mask);
        bad = !offnic_isa_pkg::cond_valid(cond_o);
        srcs[ra_o] = 1'b1;
        if (!use_imm_o) srcs[rb_o] = 1'b1;
      end
      offnic_isa_pkg::FmtJ: ok = ok | offnic_isa_pkg::FieldBTargetMask;
      offnic_isa_pkg::FmtX: begin
        if (use_imm_o) begin
          ok = ok | offnic_isa_pkg::FieldIMask | offnic_isa_pkg::FieldImm32Mask;
        end else begin
          ok = ok | offnic_isa_pkg::FieldRaMask;
          srcs[ra_o] = 1'b1;
        end
      end
      offnic_isa_pkg::FmtH: begin
        bad       = !offnic_isa_pkg::helper_valid(word_i[31:0]);
        ok        = ok | offnic_isa_pkg::FieldImm32Mask;
        writes_rd = 1'b1;
        srcs      = 32'h0000_003e;  // p1..p5
        lat_o     = 4'(offnic_isa_pkg::helper_latency(word_i[7:0]));
      end
      offnic_isa_pkg::FmtK: begin
        ok        = ok | offnic_isa_pkg::FieldRdMask | offnic_isa_pkg::FieldImm32Mask;
        writes_rd = 1'b1;
        bad       = (word_i[31:0] >= n_consts_i);
      end
      default: ;   // FmtN: only the opcode
    endcase
    if (!offnic_isa_pkg::op_valid(op) || (op == offnic_isa_pkg::OP_NOP)) begin
      // an undefined opcode, or a NOP with stray bits (NOP is the 0 word)
      bad = 1'b1;
    end
  end

  assign nop_o       = (word_i == '0);
  assign bad_op_o    = !nop_o && (bad || ((word_i & ~ok) != '0));
  assign op_o        = op;
  assign unit_o      = offnic_isa_pkg::op_unit(op);
  assign fmt_o       = offnic_isa_pkg::op_format(op);
  // HCALL writes p0, whatever the rd field holds (it must be 0 anyway)
  assign rd_o        = (offnic_isa_pkg::op_format(op) == offnic_isa_pkg::FmtH) ? 5'd0 :
                       word_i[offnic_isa_pkg::FieldRdHi:offnic_isa_pkg::FieldRdLo];
  assign writes_rd_o = writes_rd;
  assign ra_o        = word_i[offnic_isa_pkg::FieldRaHi:offnic_isa_pkg::FieldRaLo];
  assign rb_o        = word_i[offnic_isa_pkg::FieldRbHi:offnic_isa_pkg::FieldRbLo];
  assign use_imm_o   = word_i[offnic_isa_pkg::FieldIHi];
  assign imm_o       = (offnic_isa_pkg::op_format(op) == offnic_isa_pkg::FmtB) ?
                       {{40{word_i[offnic_isa_pkg::FieldBImm24Hi]}}, word_i[offnic_isa_pkg::FieldBImm24Hi:0]} :
                       {{32{word_i[offnic_isa_pkg::FieldImm32Hi]}}, word_i[offnic_isa_pkg::FieldImm32Hi:0]};
  assign srcs_o      = srcs;
  assign w32_o       = (offnic_isa_pkg::op_format(op) == offnic_isa_pkg::FmtB) ? word_i[offnic_isa_pkg::FieldBW32Hi] :
                       (offnic_isa_pkg::op_format(op) == offnic_isa_pkg::FmtA) ? word_i[offnic_isa_pkg::FieldFnAw32Hi] :
                       word_i[offnic_isa_pkg::FieldFnW32Hi];
  assign ext_o       = (offnic_isa_pkg::op_format(op) == offnic_isa_pkg::FmtM) ?
                       word_i[offnic_isa_pkg::FieldFnSizeHi:offnic_isa_pkg::FieldFnSizeLo] :
                       word_i[offnic_isa_pkg::FieldFnExtHi:offnic_isa_pkg::FieldFnExtLo];
  assign bswap_o     = word_i[offnic_isa_pkg::FieldFnBswapHi];
  assign sext_o      = word_i[offnic_isa_pkg::FieldFnSextHi];
  assign aop_o       = word_i[offnic_isa_pkg::FieldFnAopHi:offnic_isa_pkg::FieldFnAopLo];
  assign cond_o      = word_i[offnic_isa_pkg::FieldBCondHi:offnic_isa_pkg::FieldBCondLo];
  assign target_o    = word_i[offnic_isa_pkg::FieldBTargetHi:offnic_isa_pkg::FieldBTargetLo];

endmodule
