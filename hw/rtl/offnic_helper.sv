// SPDX-License-Identifier: (GPL-2.0 OR MIT)
// The helper units that need no memory: adjust_head/tail/meta (offset
// arithmetic, as the kernel's XDP helpers), prandom (xorshift32), ktime
// and redirect.  adjust_head/tail never grow the frame (data_end - data)
// past max_frame_i, the port's frame length: such a call answers -EINVAL
// and changes nothing (docs/device-abi.md).  Pure combinational: the core latches the result in the
// helper's lane and applies the effect when the bundle commits.  Map
// helpers and csum_diff walk memory and are sequenced by offnic_core.

module offnic_helper (
  input  logic [7:0]  id_i,
  input  logic [31:0] p1_i,           // only redirect's ifindex (u32)
  input  logic [63:0] p2_i,
  input  logic [15:0] data_off_i,
  input  logic [15:0] data_end_off_i,
  input  logic [15:0] meta_off_i,
  input  logic [15:0] max_frame_i,    // longest frame adjust_* may grow to
  input  logic [31:0] prandom_i,
  input  logic [63:0] now_i,          // clock + issue cycle of the HCALL
  input  logic [31:0] ns_per_cycle_i,
  input  logic        prog_tc_i,      // tc program: bpf_redirect rules
  output logic [63:0] p0_o,
  // effects, applied at commit
  output logic        set_offs_o,     // adopt the three offsets below
  output logic [15:0] data_off_o,
  output logic [15:0] data_end_off_o,
  output logic [15:0] meta_off_o,
  output logic [15:0] move_len_o,     // metadata bytes moved from meta_off_i
  output logic [15:0] zero_len_o,     // grown tail bytes zeroed at data_end_off_i
  output logic        set_prandom_o,
  output logic [31:0] prandom_o,
  output logic        redirect_o,
  output logic [63:0] redirect_ifindex_o,
  output logic [63:0] redirect_flags_o
);

  localparam logic [63:0] Einval = 64'hffff_ffff_ffff_ffea;  // -22
  localparam logic [63:0] Eacces = 64'hffff_ffff_ffff_fff3;  // -13
  localparam int unsigned EthHlen = 14;
  localparam int unsigned MetaMax = 32;

  logic signed [31:0] delta;
  logic signed [18:0] data_s, end_s, meta_s, metalen_s;
  logic signed [18:0] len_s, new_len_s;
  logic [31:0]        xs1, xs2, xs3;

  assign delta = signed'(p2_i[31:0]);
  assign len_s = 19'(data_end_off_i) - 19'(data_off_i);

  // A frame may not grow past the port's limit; one that already is
  // longer (a long test-run frame) may still shrink.
  function automatic logic grows_past(logic signed [18:0] new_len,
                                      logic signed [18:0] old_len,
                                      logic [15:0] max_frame);
    grows_past = (new_len > old_len) && (new_len > 19'(max_frame));
  endfunction

  always_comb begin
    xs1 = prandom_i ^ (prandom_i << 13);
    xs2 = xs1 ^ (xs1 >> 17);
    xs3 = xs2 ^ (xs2 << 5);
  end

  always_comb begin
    p0_o               = '0;
    set_offs_o         = 1'b0;
    data_off_o         = data_off_i;
    data_end_off_o     = data_end_off_i;
    meta_off_o         = meta_off_i;
    move_len_o         = '0;
    zero_len_o         = '0;
    set_prandom_o      = 1'b0;
    prandom_o          = xs3;
    redirect_o         = 1'b0;
    redirect_ifindex_o = {32'd0, p1_i};
    redirect_flags_o   = p2_i;
    data_s             = '0;
    end_s              = '0;
    meta_s             = '0;
    metalen_s          = '0;
    new_len_s          = len_s;
    unique case (id_i)
      offnic_isa_pkg::HELPER_ADJ_HEAD: begin
        // metadata moves with the data
        metalen_s = 19'(data_off_i) - 19'(meta_off_i);
        data_s    = 19'(data_off_i) + 19'(delta);
        new_len_s = 19'(data_end_off_i) - data_s;
        if ((signed'(delta) > 32'sd65535) || (signed'(delta) < -32'sd65535) ||
            data_s < metalen_s ||
            data_s > 19'(data_end_off_i) - 19'(EthHlen) ||
            grows_past(new_len_s, len_s, max_frame_i)) begin
          p0_o = Einval;
        end else begin
          set_offs_o = 1'b1;
          data_off_o = 16'(data_s);
          meta_off_o = 16'(data_s - metalen_s);
          move_len_o = 16'(metalen_s);
        end
      end
      offnic_isa_pkg::HELPER_ADJ_TAIL: begin
        end_s     = 19'(data_end_off_i) + 19'(delta);
        new_len_s = end_s - 19'(data_off_i);
        if ((signed'(delta) > 32'sd65535) || (signed'(delta) < -32'sd65535) ||
            end_s > 19'(offnic_isa_pkg::PktBufBytes) ||
            end_s < 19'(data_off_i) + 19'(EthHlen) ||
            grows_past(new_len_s, len_s, max_frame_i)) begin
          p0_o = Einval;
        end else begin
          set_offs_o     = 1'b1;
          data_end_off_o = 16'(end_s);
          zero_len_o     = (delta > 0) ? 16'(delta) : 16'd0;
        end
      end
      offnic_isa_pkg::HELPER_ADJ_META: begin
        meta_s    = 19'(meta_off_i) + 19'(delta);
        metalen_s = 19'(data_off_i) - meta_s;
        if ((signed'(delta) > 32'sd65535) || (signed'(delta) < -32'sd65535) ||
            meta_s < 0 || meta_s > 19'(data_off_i)) begin
          p0_o = Einval;
        end else if ((metalen_s[1:0] != 2'b00) || metalen_s > 19'(MetaMax)) begin
          p0_o = Eacces;
        end else begin
          set_offs_o = 1'b1;
          meta_off_o = 16'(meta_s);
        end
      end
      offnic_isa_pkg::HELPER_PRANDOM: begin
        set_prandom_o = 1'b1;
        p0_o          = {32'd0, xs3};
      end
      offnic_isa_pkg::HELPER_KTIME: begin
        p0_o = now_i * {32'd0, ns_per_cycle_i};
      end
      offnic_isa_pkg::HELPER_BUFF_LEN: begin
        // bpf_xdp_get_buff_len: frames are linear, no fragments to add
        p0_o = {48'd0, 16'(data_end_off_i - data_off_i)};
      end
      offnic_isa_pkg::HELPER_REDIRECT: begin
        if (prog_tc_i) begin
          // bpf_redirect: TC_ACT_REDIRECT (7), or TC_ACT_SHOT (2) on bad flags
          redirect_o = (p2_i[63:1] == '0);
          p0_o       = redirect_o ? 64'd7 : 64'd2;
        end else begin
          // bpf_xdp_redirect: XDP_REDIRECT (4), or XDP_ABORTED on any flag
          redirect_o = (p2_i == '0);
          p0_o       = redirect_o ? 64'd4 : 64'd0;
        end
      end
      default: ;
    endcase
  end

endmodule
