// SPDX-License-Identifier: (GPL-2.0 OR MIT)
// The DIV unit: DIV, SDIV, MOD, SMOD with BPF semantics (x/0 = 0,
// x%0 = x, INT_MIN/-1 = INT_MIN, INT_MIN%-1 = 0), restoring division one
// quotient bit per cycle.  Signed operations divide magnitudes and fix the
// signs afterwards (quotient: sign of a^b; remainder: sign of a, as C).

module offnic_divider (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        start_i,
  input  logic [7:0]  op_i,
  input  logic        w32_i,
  input  logic [63:0] a_i,
  input  logic [63:0] b_i,
  output logic        done_o,   // one-cycle pulse, result valid with it
  output logic [63:0] result_o
);

  logic        busy_q, busy_d;
  logic [6:0]  count_q, count_d;
  logic [63:0] quot_q, quot_d;   // dividend shifting out, quotient in
  logic [63:0] rem_q, rem_d;
  logic [63:0] divisor_q, divisor_d;
  logic        neg_quot_q, neg_quot_d, neg_rem_q, neg_rem_d;
  logic        is_mod_q, is_mod_d, w32_q, w32_d, by_zero_q, by_zero_d;
  logic [63:0] orig_a_q, orig_a_d;

  logic        is_signed;
  logic [63:0] a_ext, b_ext, a_mag, b_mag;
  logic [64:0] rem_shift, rem_sub;
  logic [63:0] quot_fix, rem_fix, res;

  always_comb begin
    is_signed = (op_i == offnic_isa_pkg::OP_SDIV) ||
                (op_i == offnic_isa_pkg::OP_SMOD);
    if (w32_i) begin
      a_ext = is_signed ? {{32{a_i[31]}}, a_i[31:0]} : {32'd0, a_i[31:0]};
      b_ext = is_signed ? {{32{b_i[31]}}, b_i[31:0]} : {32'd0, b_i[31:0]};
    end else begin
      a_ext = a_i;
      b_ext = b_i;
    end
    a_mag = (is_signed && a_ext[63]) ? -a_ext : a_ext;
    b_mag = (is_signed && b_ext[63]) ? -b_ext : b_ext;
  end

  assign rem_shift = {rem_q, quot_q[63]};
  assign rem_sub   = rem_shift - {1'b0, divisor_q};

  always_comb begin
    busy_d     = busy_q;
    count_d    = count_q;
    quot_d     = quot_q;
    rem_d      = rem_q;
    divisor_d  = divisor_q;
    neg_quot_d = neg_quot_q;
    neg_rem_d  = neg_rem_q;
    is_mod_d   = is_mod_q;
    w32_d      = w32_q;
    by_zero_d  = by_zero_q;
    orig_a_d   = orig_a_q;
    if (start_i) begin
      busy_d     = 1'b1;
      count_d    = 7'd64;
      quot_d     = a_mag;
      rem_d      = '0;
      divisor_d  = b_mag;
      neg_quot_d = is_signed && (a_ext[63] ^ b_ext[63]);
      neg_rem_d  = is_signed && a_ext[63];
      is_mod_d   = (op_i == offnic_isa_pkg::OP_MOD) ||
                   (op_i == offnic_isa_pkg::OP_SMOD);
      w32_d      = w32_i;
      by_zero_d  = (b_ext == '0);
      orig_a_d   = a_ext;
    end else if (busy_q) begin
      if (rem_sub[64]) begin
        rem_d  = rem_shift[63:0];
        quot_d = {quot_q[62:0], 1'b0};
      end else begin
        rem_d  = rem_sub[63:0];
        quot_d = {quot_q[62:0], 1'b1};
      end
      count_d = count_q - 7'd1;
      busy_d  = (count_q != 7'd1);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q     <= 1'b0;
      count_q    <= '0;
      quot_q     <= '0;
      rem_q      <= '0;
      divisor_q  <= '0;
      neg_quot_q <= 1'b0;
      neg_rem_q  <= 1'b0;
      is_mod_q   <= 1'b0;
      w32_q      <= 1'b0;
      by_zero_q  <= 1'b0;
      orig_a_q   <= '0;
    end else begin
      busy_q     <= busy_d;
      count_q    <= count_d;
      quot_q     <= quot_d;
      rem_q      <= rem_d;
      divisor_q  <= divisor_d;
      neg_quot_q <= neg_quot_d;
      neg_rem_q  <= neg_rem_d;
      is_mod_q   <= is_mod_d;
      w32_q      <= w32_d;
      by_zero_q  <= by_zero_d;
      orig_a_q   <= orig_a_d;
    end
  end

  // Finished when the counter reached zero on the last step
  logic finishing_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      finishing_q <= 1'b0;
    end else begin
      finishing_q <= busy_q && (count_q == 7'd1);
    end
  end

  assign quot_fix = neg_quot_q ? -quot_q : quot_q;
  assign rem_fix  = neg_rem_q ? -rem_q : rem_q;

  always_comb begin
    if (by_zero_q) begin
      res = is_mod_q ? orig_a_q : '0;
    end else begin
      res = is_mod_q ? rem_fix : quot_fix;
    end
  end

  assign done_o   = finishing_q;
  assign result_o = w32_q ? {32'd0, res[31:0]} : res;

endmodule
