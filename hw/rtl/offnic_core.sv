// SPDX-License-Identifier: (GPL-2.0 OR MIT)
// One offnic microcode core: fetches a bundle of NumLanes micro-ops,
// interlocks it on its registers, executes it and retires it atomically.
//
// Architectural timing (cycles, stalls, KTIME) follows the ISA's in-order
// issue rule through a per-register "ready at" scoreboard: a bundle issues
// at t = max(cycle, ready[r]) over its source and destination registers,
// and a result of latency n is ready at t + n.  The implementation behind
// it is a bundle sequencer: FETCH, DECODE, EXEC (every lane reads
// pre-bundle state, in lane order, finding the lowest faulting lane),
// COMMIT (memory and helper writes in lane order) and RETIRE (register
// writes, control, counters).  Multi-cycle work (division, memory ports,
// the shared map engine) only costs clock cycles, never architectural
// cycles, so the RTL and the C model count identically.

module offnic_core #(
  parameter int unsigned NumLanes   = 4,
  parameter int unsigned ImemDepth  = 1024,  // bundles
  parameter int unsigned ConstDepth = 256,
  localparam int unsigned MaxKeyBits = offnic_pkg::MaxKeyBytes * 8,
  localparam int unsigned MaxValBits = offnic_pkg::MaxValueBytes * 8
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  // host port: loads and inspection while the core is idle
  input  logic                    host_valid_i,
  input  logic                    host_we_i,
  input  logic [3:0]              host_tgt_i,
  input  logic [31:0]             host_addr_i,
  input  logic [63:0]             host_wdata_i,
  output logic [63:0]             host_rdata_o,
  // engine configuration
  input  logic [31:0]             n_bundles_i,
  input  logic [31:0]             n_consts_i,
  input  logic [63:0]             watchdog_i,
  input  logic [31:0]             ns_per_cycle_i,
  input  logic                    prog_tc_i,
  input  logic [15:0]             max_frame_i,  // adjust_* frame length limit
  // shared map engine
  output logic                    map_lock_o,
  input  logic                    map_gnt_i,
  output offnic_pkg::map_req_t    map_req_o,
  output logic [MaxKeyBits-1:0]   map_key_o,
  output logic [MaxValBits-1:0]   map_val_o,
  input  offnic_pkg::map_rsp_t    map_rsp_i,
  // status and retire trace
  output logic                    busy_o,
  output logic                    retire_o,     // a bundle retired or faulted
  output logic [31:0]             retire_pc_o
);

  // The lockstep harness reads every core's state at the same flat names
  /* verilator inline_module */

  localparam int unsigned Lw        = (NumLanes > 1) ? $clog2(NumLanes) : 1;
  localparam int unsigned ImemAw    = $clog2(ImemDepth);
  localparam int unsigned ConstAw   = $clog2(ConstDepth);
  localparam int unsigned RetDepth  = offnic_isa_pkg::RetStackDepth;
  localparam int unsigned StackSize = offnic_isa_pkg::StackBytes;
  localparam int unsigned PktSize   = offnic_isa_pkg::PktBufBytes;
  localparam int unsigned NumPerf   = 8;

  localparam logic [3:0] SpPkt    = 4'(offnic_isa_pkg::SPACE_PKT);
  localparam logic [3:0] SpStack  = 4'(offnic_isa_pkg::SPACE_STACK);
  localparam logic [3:0] SpMapval = 4'(offnic_isa_pkg::SPACE_MAPVAL);
  localparam logic [3:0] SpCtx    = 4'(offnic_isa_pkg::SPACE_CTX);
  localparam logic [3:0] SpMap    = 4'(offnic_isa_pkg::SPACE_MAP);

  localparam logic [3:0] FNone     = 4'(offnic_isa_pkg::FAULT_NONE);
  localparam logic [3:0] FBadSpace = 4'(offnic_isa_pkg::FAULT_BAD_SPACE);
  localparam logic [3:0] FOob      = 4'(offnic_isa_pkg::FAULT_OOB);
  localparam logic [3:0] FRo       = 4'(offnic_isa_pkg::FAULT_RO);
  localparam logic [3:0] FBadOp    = 4'(offnic_isa_pkg::FAULT_BAD_OP);
  localparam logic [3:0] FBadPc    = 4'(offnic_isa_pkg::FAULT_BAD_PC);
  localparam logic [3:0] FRetStack = 4'(offnic_isa_pkg::FAULT_RET_STACK);
  localparam logic [3:0] FBadMap   = 4'(offnic_isa_pkg::FAULT_BAD_MAP);
  localparam logic [3:0] FBundle   = 4'(offnic_isa_pkg::FAULT_BUNDLE);
  localparam logic [3:0] FWatchdog = 4'(offnic_isa_pkg::FAULT_WATCHDOG);

  localparam logic [63:0] Einval = 64'hffff_ffff_ffff_ffea;  // -22

  // ---------------------------------------------------------------------
  // Sequencer state
  // ---------------------------------------------------------------------
  typedef enum logic [3:0] {
    StIdle, StZero, StFetch, StDecode, StExec, StCommit, StRetire, StFault
  } state_e;

  // Steps of the multi-cycle micro-ops (EXEC) and writes (COMMIT)
  typedef enum logic [3:0] {
    SubStart, SubWait, SubHInfo, SubHKey, SubHVal, SubHOp, SubCsumFrom,
    SubCsumTo, SubMetaRead, SubMetaWrite, SubZero, SubEvInfo, SubEvData,
    SubEvDataWr, SubEvCtx, SubEvCtxWr
  } sub_e;

  state_e      state_q, state_d;
  sub_e        sub_q, sub_d;
  logic [Lw:0] cur_q, cur_d;        // lane cursor (NumLanes = done)
  logic        ph_q, ph_d;          // RAM access phase: 0 issue, 1 data
  logic [7:0]  chunk_q, chunk_d;    // 8-byte chunk of a buffer walk

  // Architectural state
  logic [63:0] rf_q [32] /*verilator public_flat_rd*/;
  logic [31:0] pc_q /*verilator public_flat_rd*/, pc_d;
  logic        exited_q /*verilator public_flat_rd*/, exited_d;
  logic [31:0] verdict_q /*verilator public_flat_rd*/, verdict_d;
  logic [3:0]  ret_depth_q /*verilator public_flat_rd*/, ret_depth_d;
  logic [31:0] ret_stack_q [RetDepth] /*verilator public_flat_rd*/;
  logic [63:0] ctx_q [16] /*verilator public_flat_rd*/;
  logic [15:0] data_off_q /*verilator public_flat_rd*/, data_off_d;
  logic [15:0] data_end_off_q /*verilator public_flat_rd*/, data_end_off_d;
  logic [15:0] meta_off_q /*verilator public_flat_rd*/, meta_off_d;
  logic [31:0] prandom_q /*verilator public_flat_rd*/, prandom_d;
  logic [63:0] cycle_q /*verilator public_flat_rd*/, cycle_d;
  logic [63:0] clock_q /*verilator public_flat_rd*/, clock_d;
  logic        redirected_q /*verilator public_flat_rd*/, redirected_d;
  logic [63:0] redir_ifindex_q /*verilator public_flat_rd*/, redir_ifindex_d;
  logic [63:0] redir_flags_q /*verilator public_flat_rd*/, redir_flags_d;
  logic [3:0]  fault_cause_q /*verilator public_flat_rd*/, fault_cause_d;
  logic [31:0] fault_pc_q /*verilator public_flat_rd*/, fault_pc_d;
  logic [3:0]  fault_lane_q /*verilator public_flat_rd*/, fault_lane_d;
  logic [63:0] fault_addr_q /*verilator public_flat_rd*/, fault_addr_d;
  logic [63:0] perf_q [NumPerf] /*verilator public_flat_rd*/;
  // Scoreboard: cycles until each register is ready, relative to cycle_q
  // (ready[r] - cycle, never more than a latency, so 4 bits suffice)
  logic [3:0]  wait_q [32];

  // Per-lane results of EXEC, applied by COMMIT/RETIRE
  logic [63:0] res_q [NumLanes];     // value for rd
  logic        mw_q [NumLanes];      // lane writes memory at commit
  logic [63:0] mw_data_q [NumLanes];
  logic [3:0]  mw_size_q [NumLanes];  // bytes
  logic        ctl_q;                 // a control op decides the next pc
  logic [Lw-1:0] ctl_lane_q;           // ... the lowest taken one

  // Helper state (one helper per bundle)
  logic [MaxKeyBits-1:0] key_q, key_d;   // map key; metadata scratch
  logic [MaxValBits-1:0] val_q, val_d;
  logic [5:0]  h_slot_q, h_slot_d;
  logic [8:0]  h_key_size_q, h_key_size_d;
  logic [16:0] h_val_size_q, h_val_size_d;
  logic [31:0] h_bucket_q, h_bucket_d;
  logic        h_new_q, h_new_d;
  logic [2:0]  h_eff_q, h_eff_d;        // effect kind, see EffNone..
  logic [63:0] csum_q, csum_d;
  logic [15:0] h_data_off_q, h_data_off_d;
  logic [15:0] h_data_end_off_q, h_data_end_off_d;
  logic [15:0] h_meta_off_q, h_meta_off_d;
  logic [15:0] h_move_len_q, h_move_len_d;
  logic [15:0] h_zero_len_q, h_zero_len_d;
  logic [31:0] h_prandom_q, h_prandom_d;
  logic [63:0] h_ifindex_q, h_ifindex_d;
  logic [63:0] h_flags_q, h_flags_d;
  logic        ev_full_q, ev_full_d;     // EVENT_OUT: ring full at INFO
  logic [63:0] ev_chunk_q, ev_chunk_d;   // EVENT_OUT: chunk to write
  logic        ev_last_q, ev_last_d;     // EVENT_OUT: it is the last one

  localparam logic [2:0] EffNone = 3'd0, EffUpdate = 3'd1, EffDelete = 3'd2,
                         EffPkt = 3'd3, EffPrandom = 3'd4, EffRedirect = 3'd5,
                         EffEvent = 3'd6;

  // ---------------------------------------------------------------------
  // Memories
  // ---------------------------------------------------------------------
  logic [64*NumLanes-1:0] bundle_q;
  logic [63:0]            cpool [ConstDepth];
  logic [63:0]            cpool_rdata;
  logic                   cpool_req;
  logic [ConstAw-1:0]     cpool_addr;

  logic        pkt_req, pkt_we;
  logic [11:0] pkt_addr;
  logic [7:0]  pkt_be;
  logic [63:0] pkt_wdata, pkt_rdata;
  logic        stk_req, stk_we;
  logic [8:0]  stk_addr;
  logic [7:0]  stk_be;
  logic [63:0] stk_wdata, stk_rdata;

  offnic_byte_ram #(.Rows(PktSize / 8)) u_pkt (
    .clk_i,
    .req_i   (pkt_req),
    .we_i    (pkt_we),
    .addr_i  (pkt_addr),
    .be_i    (pkt_be),
    .wdata_i (pkt_wdata),
    .rdata_o (pkt_rdata)
  );

  offnic_byte_ram #(.Rows(StackSize / 8)) u_stack (
    .clk_i,
    .req_i   (stk_req),
    .we_i    (stk_we),
    .addr_i  (stk_addr),
    .be_i    (stk_be),
    .wdata_i (stk_wdata),
    .rdata_o (stk_rdata)
  );

  // Instruction memory and constant pool: written by the host, read at
  // fetch / by LDK.
  logic              imem_host_we;
  logic [ImemAw-1:0] imem_addr;
  logic [Lw-1:0]     imem_lane;

  assign imem_host_we = host_valid_i && host_we_i &&
                        (host_tgt_i == 4'(offnic_pkg::HOST_IMEM));
  assign imem_lane    = Lw'(host_addr_i % NumLanes);
  assign imem_addr    = imem_host_we ? ImemAw'(host_addr_i / NumLanes) :
                        ImemAw'(pc_q);

  // One 64-bit wide memory per lane, so each maps onto plain block RAM
  for (genvar l = 0; l < NumLanes; l++) begin : gen_imem
    (* ram_style = "block" *) logic [63:0] mem [ImemDepth];

    always_ff @(posedge clk_i) begin
      if (imem_host_we && imem_lane == Lw'(l)) begin
        mem[imem_addr] <= host_wdata_i;
      end
      bundle_q[64*l +: 64] <= mem[imem_addr];
    end
  end

  always_ff @(posedge clk_i) begin
    if (host_valid_i && host_we_i &&
        host_tgt_i == 4'(offnic_pkg::HOST_CONST)) begin
      cpool[ConstAw'(host_addr_i)] <= host_wdata_i;
    end
    if (cpool_req) begin
      cpool_rdata <= cpool[cpool_addr];
    end
  end

  // ---------------------------------------------------------------------
  // Decode of the current bundle (bundle_q) and operand reads
  // ---------------------------------------------------------------------
  logic        d_nop [NumLanes];
  logic        d_bad [NumLanes];
  logic [7:0]  d_op [NumLanes];
  logic [2:0]  d_unit [NumLanes];
  logic [3:0]  d_fmt [NumLanes];
  logic        d_wr [NumLanes];
  logic [4:0]  d_rd [NumLanes];
  logic [4:0]  d_ra [NumLanes];
  logic [4:0]  d_rb [NumLanes];
  logic        d_imm_sel [NumLanes];
  logic [63:0] d_imm [NumLanes];
  logic [31:0] d_srcs [NumLanes];
  logic [3:0]  d_lat [NumLanes];
  logic        d_w32 [NumLanes];
  logic [1:0]  d_ext [NumLanes];
  logic        d_bswap [NumLanes];
  logic        d_sext [NumLanes];
  logic [3:0]  d_aop [NumLanes];
  logic [3:0]  d_cond [NumLanes];
  logic [15:0] d_target [NumLanes];

  logic [63:0] op_a [NumLanes];      // ra
  logic [63:0] op_b [NumLanes];      // operand B
  logic [63:0] op_rb [NumLanes];     // rb
  logic [63:0] op_rd;                // rd of the cursor lane (CMPXCHG)
  logic [63:0] alu_res [NumLanes];
  logic [63:0] addr [NumLanes];      // LD/ST/ATOMIC address
  logic        taken [NumLanes];     // control op whose condition holds

  for (genvar l = 0; l < NumLanes; l++) begin : gen_lane
    offnic_decoder u_dec (
      .word_i      (bundle_q[64*l +: 64]),
      .n_consts_i  (n_consts_i),
      .nop_o       (d_nop[l]),
      .bad_op_o    (d_bad[l]),
      .op_o        (d_op[l]),
      .unit_o      (d_unit[l]),
      .fmt_o       (d_fmt[l]),
      .writes_rd_o (d_wr[l]),
      .rd_o        (d_rd[l]),
      .ra_o        (d_ra[l]),
      .rb_o        (d_rb[l]),
      .use_imm_o   (d_imm_sel[l]),
      .imm_o       (d_imm[l]),
      .srcs_o      (d_srcs[l]),
      .lat_o       (d_lat[l]),
      .w32_o       (d_w32[l]),
      .ext_o       (d_ext[l]),
      .bswap_o     (d_bswap[l]),
      .sext_o      (d_sext[l]),
      .aop_o       (d_aop[l]),
      .cond_o      (d_cond[l]),
      .target_o    (d_target[l])
    );

    assign op_a[l]  = rf_q[d_ra[l]];
    assign op_rb[l] = rf_q[d_rb[l]];
    assign op_b[l]  = d_imm_sel[l] ? d_imm[l] : op_rb[l];
    assign addr[l]  = op_a[l] + d_imm[l];

    offnic_alu u_alu (
      .op_i     (d_op[l]),
      .w32_i    (d_w32[l]),
      .ext_i    (d_ext[l]),
      .a_i      (op_a[l]),
      .b_i      (op_b[l]),
      .result_o (alu_res[l])
    );

    offnic_cond u_cond (
      .op_i    (d_op[l]),
      .cond_i  (d_cond[l]),
      .w32_i   (d_w32[l]),
      .a_i     (op_a[l]),
      .b_i     (op_b[l]),
      .taken_o (taken[l])
    );
  end

  // Static faults (BAD_OP, then BUNDLE: a unit over its cap or an rd
  // written twice) and the interlock set, in lane order as the ISA says.
  logic [3:0]  s_fault [NumLanes];
  logic [31:0] lock_regs;
  logic [3:0]  n_uops;
  logic        uses_map;           // the bundle may touch map memory

  always_comb begin
    logic [3:0]  used [8];
    logic [31:0] written;
    for (int u = 0; u < 8; u++) used[u] = '0;
    written   = '0;
    lock_regs = '0;
    n_uops    = '0;
    for (int l = 0; l < NumLanes; l++) begin
      s_fault[l] = FNone;
      if (!d_nop[l]) begin
        n_uops = n_uops + 4'd1;
        if (d_bad[l]) begin
          s_fault[l] = FBadOp;
        end else begin
          lock_regs = lock_regs | d_srcs[l] |
                      (d_wr[l] ? (32'd1 << d_rd[l]) : 32'd0);
          used[d_unit[l]] = used[d_unit[l]] + 4'd1;
          if (32'(used[d_unit[l]]) > offnic_isa_pkg::unit_cap(d_unit[l])) begin
            s_fault[l] = FBundle;
          end else if (d_wr[l] && written[d_rd[l]]) begin
            s_fault[l] = FBundle;
          end
          if (d_wr[l]) written[d_rd[l]] = 1'b1;
        end
      end
    end
  end

  always_comb begin
    uses_map = 1'b0;
    for (int l = 0; l < NumLanes; l++) begin
      if (!d_nop[l] && !d_bad[l] &&
          ((d_fmt[l] == 4'd2 || d_fmt[l] == 4'd3) &&
           addr[l][63:60] == SpMapval)) begin
        uses_map = 1'b1;
      end
      if (!d_nop[l] && d_fmt[l] == 4'd7) uses_map = 1'b1;
    end
  end

  // Issue cycle t = cycle + stall: all registers of the interlock set ready
  logic [3:0]  stall;
  logic [63:0] t_issue;

  always_comb begin
    stall = '0;
    for (int r = 0; r < 32; r++) begin
      if (lock_regs[r] && wait_q[r] > stall) stall = wait_q[r];
    end
    t_issue = cycle_q + 64'(stall);
  end

  // ---------------------------------------------------------------------
  // Shared units: multiplier, divider, helper arithmetic
  // ---------------------------------------------------------------------
  logic [Lw-1:0] cur;
  logic [63:0]   mul_res;
  logic          div_start, div_done;
  logic [63:0]   div_res;

  assign cur   = cur_q[Lw-1:0];
  assign op_rd = rf_q[d_rd[cur]];

  // The MUL unit: one per bundle, result latched at issue like the ALUs'
  logic [Lw-1:0] mul_lane;

  always_comb begin
    logic [63:0] prod;
    mul_lane = '0;
    for (int l = NumLanes - 1; l >= 0; l--) begin
      if (d_unit[l] == 3'(offnic_isa_pkg::UNIT_MUL)) mul_lane = Lw'(l);
    end
    prod    = op_a[mul_lane] * op_b[mul_lane];
    mul_res = d_w32[mul_lane] ? {32'd0, prod[31:0]} : prod;
  end

  offnic_divider u_div (
    .clk_i,
    .rst_ni,
    .start_i  (div_start),
    .op_i     (d_op[cur]),
    .w32_i    (d_w32[cur]),
    .a_i      (op_a[cur]),
    .b_i      (op_b[cur]),
    .done_o   (div_done),
    .result_o (div_res)
  );

  logic [63:0] hlp_p0;
  logic        hlp_set_offs, hlp_set_prandom, hlp_redirect;
  logic [15:0] hlp_data_off, hlp_data_end_off, hlp_meta_off;
  logic [15:0] hlp_move_len, hlp_zero_len;
  logic [31:0] hlp_prandom;
  logic [63:0] hlp_ifindex, hlp_flags;

  offnic_helper u_helper (
    .id_i               (d_imm[cur][7:0]),
    .p1_i               (rf_q[1][31:0]),
    .p2_i               (rf_q[2]),
    .data_off_i         (data_off_q),
    .data_end_off_i     (data_end_off_q),
    .meta_off_i         (meta_off_q),
    .max_frame_i        (max_frame_i),
    .prandom_i          (prandom_q),
    .now_i              (clock_q + cycle_q - 64'd1),  // issue cycle
    .ns_per_cycle_i     (ns_per_cycle_i),
    .prog_tc_i          (prog_tc_i),
    .p0_o               (hlp_p0),
    .set_offs_o         (hlp_set_offs),
    .data_off_o         (hlp_data_off),
    .data_end_off_o     (hlp_data_end_off),
    .meta_off_o         (hlp_meta_off),
    .move_len_o         (hlp_move_len),
    .zero_len_o         (hlp_zero_len),
    .set_prandom_o      (hlp_set_prandom),
    .prandom_o          (hlp_prandom),
    .redirect_o         (hlp_redirect),
    .redirect_ifindex_o (hlp_ifindex),
    .redirect_flags_o   (hlp_flags)
  );

  // ---------------------------------------------------------------------
  // Bounds checks of PKT and STACK buffers (MAPVAL: the map engine)
  // ---------------------------------------------------------------------
  // [off, off + size) lies within [0, end_off).  size is a helper's full
  // 64-bit argument: it is compared with the room left, so no end is
  // ever computed and nothing can wrap.
  function automatic logic range_fits(logic [15:0] off, logic [63:0] size,
                                      logic [15:0] end_off);
    range_fits = (size <= 64'(end_off)) && (off <= end_off - size[15:0]);
  endfunction

  function automatic logic [3:0] buf_fault(logic [63:0] ptr, logic [63:0] size,
                                           logic [15:0] meta_off,
                                           logic [15:0] end_off);
    buf_fault = FNone;
    unique case (ptr[63:60])
      SpPkt: begin
        if (ptr[59:16] != '0 || ptr[15:0] < meta_off ||
            !range_fits(ptr[15:0], size, end_off)) begin
          buf_fault = FOob;
        end
      end
      SpStack: begin
        if (ptr[59:16] != '0 || !range_fits(ptr[15:0], size, 16'(StackSize))) begin
          buf_fault = FOob;
        end
      end
      SpMapval: buf_fault = FNone;
      default:  buf_fault = FBadSpace;
    endcase
  endfunction

  // Context fields: 8-byte aligned 8-byte accesses to defined fields
  function automatic logic [3:0] ctx_fault(logic [59:0] ptr, logic [1:0] size,
                                           logic write);
    ctx_fault = FNone;
    if (ptr[59:16] != '0 || size != 2'd3 || ptr[2:0] != 3'd0 ||
        ptr[15:7] != '0 || !offnic_isa_pkg::ctx_defined(ptr[6:3])) begin
      ctx_fault = FOob;
    end else if (write && !offnic_isa_pkg::ctx_writable(ptr[6:3])) begin
      ctx_fault = FRo;
    end
  endfunction

  function automatic logic [63:0] ctx_read(logic [3:0] idx);
    unique case (idx)
      4'(offnic_isa_pkg::CTX_DATA):      ctx_read = {4'(SpPkt), 44'd0, data_off_q};
      4'(offnic_isa_pkg::CTX_DATA_END):  ctx_read = {4'(SpPkt), 44'd0, data_end_off_q};
      4'(offnic_isa_pkg::CTX_DATA_META): ctx_read = {4'(SpPkt), 44'd0, meta_off_q};
      4'(offnic_isa_pkg::CTX_LEN):       ctx_read = {48'd0, data_end_off_q - data_off_q};
      default:                           ctx_read = ctx_q[idx];
    endcase
  endfunction

  function automatic logic [63:0] bswap_n(logic [63:0] v, logic [1:0] size);
    unique case (size)
      2'd1:    bswap_n = {48'd0, v[7:0], v[15:8]};
      2'd2:    bswap_n = {32'd0, v[7:0], v[15:8], v[23:16], v[31:24]};
      2'd3:    bswap_n = {v[7:0], v[15:8], v[23:16], v[31:24],
                          v[39:32], v[47:40], v[55:48], v[63:56]};
      default: bswap_n = {56'd0, v[7:0]};
    endcase
  endfunction

  function automatic logic [63:0] zext_n(logic [63:0] v, logic [1:0] size);
    unique case (size)
      2'd0:    zext_n = {56'd0, v[7:0]};
      2'd1:    zext_n = {48'd0, v[15:0]};
      2'd2:    zext_n = {32'd0, v[31:0]};
      default: zext_n = v;
    endcase
  endfunction

  function automatic logic [63:0] sext_n(logic [63:0] v, logic [1:0] size);
    unique case (size)
      2'd0:    sext_n = {{56{v[7]}}, v[7:0]};
      2'd1:    sext_n = {{48{v[15]}}, v[15:0]};
      2'd2:    sext_n = {{32{v[31]}}, v[31:0]};
      default: sext_n = v;
    endcase
  endfunction

  // A loaded value: little-endian bytes, then bswap, then sign extension
  function automatic logic [63:0] load_fix(logic [63:0] raw, logic [1:0] size,
                                          logic bswap, logic sext);
    logic [63:0] v;
    v = zext_n(raw, size);
    if (bswap) v = bswap_n(v, size);
    if (sext) v = sext_n(v, size);
    load_fix = v;
  endfunction

  function automatic logic [63:0] atomic_new(logic [3:0] aop, logic [63:0] old,
                                            logic [63:0] operand);
    unique case (aop)
      4'(offnic_isa_pkg::AOP_ADD): atomic_new = old + operand;
      4'(offnic_isa_pkg::AOP_OR):  atomic_new = old | operand;
      4'(offnic_isa_pkg::AOP_AND): atomic_new = old & operand;
      4'(offnic_isa_pkg::AOP_XOR): atomic_new = old ^ operand;
      default:                     atomic_new = operand;
    endcase
  endfunction

  // ---------------------------------------------------------------------
  // Buffer walks of the helpers: chunk chunk_q of [base, base + size)
  // ---------------------------------------------------------------------
  // walk_len is the size as the helper got it (csum_diff's sizes are its
  // u32 arguments); it is bounds-checked whole.  The walk itself counts
  // in 17 bits: every size was checked against its limit before a walk
  // starts (WalkSizeFits_A).
  logic [63:0] walk_base, walk_ptr, walk_len;
  logic [16:0] walk_size, walk_left;
  logic [3:0]  walk_fault;            // PKT/STACK range check, or space
  logic        walk_last, walking;

  always_comb begin
    walk_base = '0;
    walk_len  = '0;
    walking   = 1'b1;
    unique case (sub_q)
      SubHKey:     begin walk_base = rf_q[2]; walk_len = 64'(h_key_size_q); end
      SubHVal:     begin walk_base = rf_q[3]; walk_len = 64'(h_val_size_q); end
      SubCsumFrom: begin walk_base = rf_q[1]; walk_len = {32'd0, rf_q[2][31:0]}; end
      SubCsumTo:   begin walk_base = rf_q[3]; walk_len = {32'd0, rf_q[4][31:0]}; end
      SubEvData:   begin walk_base = rf_q[4]; walk_len = rf_q[5]; end
      SubEvCtx:    begin
        walk_base = {4'(SpPkt), 44'd0, data_off_q};
        walk_len  = 64'(ev_ctxlen);
      end
      default: walking = 1'b0;
    endcase
    walk_size  = walk_len[16:0];
    walk_ptr   = walk_base + {53'd0, chunk_q, 3'd0};
    walk_left  = walk_size - {6'd0, chunk_q, 3'd0};
    walk_fault = buf_fault(walk_base, walk_len, meta_off_q, data_end_off_q);
    walk_last  = (walk_left <= 17'd8);
  end

  logic unused_walk;
  assign unused_walk = ^{walk_ptr[63:60], walk_ptr[51:32]};

  // Ones'-complement accumulation of two little-endian 32-bit words
  function automatic logic [63:0] csum_add(logic [63:0] sum, logic [31:0] w);
    logic [64:0] s;
    s = {1'b0, sum} + {33'd0, w};
    csum_add = s[63:0] + {63'd0, s[64]};
  endfunction

  // ---------------------------------------------------------------------
  // Which lanes need sequencing.  ALU, MUL and control ops complete in the
  // issue cycle; the sequencer only visits lanes that fault, wait for a
  // unit or memory, or write memory at commit, always in lane order.
  // ---------------------------------------------------------------------
  logic [NumLanes-1:0] exec_slow, commit_slow;
  logic [Lw:0]         exec_first, exec_next, commit_first, commit_next, cur_adv;

  // The deciding control op: the lowest lane whose condition holds
  always_comb begin
    ctl_q      = 1'b0;
    ctl_lane_q = '0;
    for (int l = NumLanes - 1; l >= 0; l--) begin
      if (!d_nop[l] && !d_bad[l] && d_unit[l] == 3'(offnic_isa_pkg::UNIT_CTRL) &&
          taken[l]) begin
        ctl_q      = 1'b1;
        ctl_lane_q = Lw'(l);
      end
    end
  end

  always_comb begin
    for (int l = 0; l < NumLanes; l++) begin
      exec_slow[l] = !d_nop[l] &&
                     (s_fault[l] != FNone || d_fmt[l] == 4'd2 || d_fmt[l] == 4'd3 ||
                      d_fmt[l] == 4'd7 || d_fmt[l] == 4'd8 ||
                      d_unit[l] == 3'(offnic_isa_pkg::UNIT_DIV) ||
                      (ctl_q && ctl_lane_q == Lw'(l) &&
                       ((d_op[l] == offnic_isa_pkg::OP_CALL &&
                         ret_depth_q == 4'(RetDepth)) ||
                        (d_op[l] == offnic_isa_pkg::OP_RET && ret_depth_q == '0))));
      commit_slow[l] = !d_nop[l] && (mw_q[l] || d_fmt[l] == 4'd7);
    end
  end

  function automatic logic [Lw:0] first_from(logic [NumLanes-1:0] set,
                                             logic [Lw:0] from);
    first_from = (Lw+1)'(NumLanes);
    for (int l = NumLanes - 1; l >= 0; l--) begin
      if (set[l] && (Lw+1)'(l) >= from) first_from = (Lw+1)'(l);
    end
  endfunction

  assign exec_first   = first_from(exec_slow, '0);
  assign exec_next    = first_from(exec_slow, cur_q + 1'b1);
  assign commit_first = first_from(commit_slow, '0);
  assign commit_next  = first_from(commit_slow, cur_q + 1'b1);
  assign cur_adv      = (state_q == StCommit) ? commit_next : exec_next;

  // ---------------------------------------------------------------------
  // The sequencer
  // ---------------------------------------------------------------------
  logic        host_idle;
  logic        zero_done;

  assign host_idle = (state_q == StIdle);
  assign busy_o    = !host_idle;
  assign zero_done = (chunk_q == 8'(StackSize / 8 - 1));

  // Memory write of the lane under the cursor (COMMIT)
  logic [63:0] cur_addr;
  logic [3:0]  cur_space;

  assign cur_addr  = addr[cur];
  assign cur_space = cur_addr[63:60];

  // The helper under the cursor
  logic [7:0] cur_hid;
  logic       map_handle_ok;

  assign cur_hid       = d_imm[cur][7:0];
  // A MAP handle naming one of the 64 slots (bits [5:0])
  function automatic logic handle_ok(logic [63:6] h);
    handle_ok = (h[63:60] == SpMap) && (h[59:8] == '0) && (h[7:6] == 2'b00);
  endfunction

  assign map_handle_ok = handle_ok(rf_q[1][63:6]);

  // EVENT_OUT arguments: p2 map, p3 flags {ctxlen[51:32], index[31:0]},
  // p4 data, p5 size
  logic [15:0] ev_ctxlen;
  logic [63:0] ev_check;   // 0 or -errno, as the kernel checks them

  logic [63:0] ev_size;     // p5 as the helper got it

  assign ev_ctxlen = rf_q[3][47:32];
  assign ev_size   = rf_q[5];

  // size (p5) is a full 64-bit argument: compared, never added
  always_comb begin
    ev_check = '0;
    if (rf_q[3][63:52] != '0) begin
      ev_check = Einval;
    end else if ({12'd0, rf_q[3][51:32]} > {16'd0, data_end_off_q - data_off_q}) begin
      ev_check = 64'hffff_ffff_ffff_fff2;  // -EFAULT
    end else if (rf_q[3][31:0] != 32'hffff_ffff && rf_q[3][31:0] >= map_rsp_i.index) begin
      ev_check = 64'hffff_ffff_ffff_fff9;  // -E2BIG
    end else if (ev_size > 64'(offnic_pkg::EventMaxBytes) ||
                 64'(rf_q[3][51:32]) > 64'(offnic_pkg::EventMaxBytes) - ev_size) begin
      ev_check = 64'hffff_ffff_ffff_fff9;  // -E2BIG
    end
  end

  // Fault reporting
  logic        raise;
  logic [3:0]  raise_cause;
  logic [63:0] raise_addr;

  always_comb begin
    state_d          = state_q;
    sub_d            = sub_q;
    cur_d            = cur_q;
    ph_d             = ph_q;
    chunk_d          = chunk_q;
    key_d            = key_q;
    val_d            = val_q;
    h_slot_d         = h_slot_q;
    h_key_size_d     = h_key_size_q;
    h_val_size_d     = h_val_size_q;
    h_bucket_d       = h_bucket_q;
    h_new_d          = h_new_q;
    h_eff_d          = h_eff_q;
    csum_d           = csum_q;
    h_data_off_d     = h_data_off_q;
    h_data_end_off_d = h_data_end_off_q;
    h_meta_off_d     = h_meta_off_q;
    h_move_len_d     = h_move_len_q;
    h_zero_len_d     = h_zero_len_q;
    h_prandom_d      = h_prandom_q;
    h_ifindex_d      = h_ifindex_q;
    h_flags_d        = h_flags_q;
    ev_full_d        = ev_full_q;
    ev_chunk_d       = ev_chunk_q;
    ev_last_d        = ev_last_q;

    raise       = 1'b0;
    raise_cause = FNone;
    raise_addr  = '0;
    em_valid     = 1'b0;
    em_is_atomic = 1'b0;
    em_is_store  = 1'b0;
    em_size      = '0;
    em_raw       = '0;
    em_old       = '0;
    em_wval      = '0;
    em_mask      = '0;
    mo_valid     = 1'b0;
    mo_p0        = '0;
    walk_ok      = 1'b0;
    walk_data    = '0;

    pkt_req   = 1'b0;
    pkt_we    = 1'b0;
    pkt_addr  = '0;
    pkt_be    = '0;
    pkt_wdata = '0;
    stk_req   = 1'b0;
    stk_we    = 1'b0;
    stk_addr  = '0;
    stk_be    = '0;
    stk_wdata = '0;
    cpool_req  = 1'b0;
    cpool_addr = ConstAw'(d_imm[cur][31:0]);
    div_start  = 1'b0;

    map_req_o       = '0;
    map_req_o.lock  = map_lock_o;
    map_req_o.slot  = {2'b00, h_slot_q};

    // host port (idle core only)
    if (host_idle && host_valid_i) begin
      if (host_tgt_i == 4'(offnic_pkg::HOST_PKT)) begin
        pkt_req   = 1'b1;
        pkt_we    = host_we_i;
        pkt_addr  = host_addr_i[11:0];
        pkt_be    = 8'hff;
        pkt_wdata = host_wdata_i;
      end
      if (host_tgt_i == 4'(offnic_pkg::HOST_STACK)) begin
        stk_req  = 1'b1;
        stk_addr = host_addr_i[8:0];
      end
    end

    unique case (state_q)
      StIdle: ;

      StZero: begin  // the stack is zeroed at packet start
        stk_req   = 1'b1;
        stk_we    = 1'b1;
        stk_addr  = {chunk_q[5:0], 3'd0};
        stk_be    = 8'hff;
        chunk_d   = chunk_q + 8'd1;
        if (zero_done) begin
          chunk_d = '0;
          state_d = StFetch;
        end
      end

      StFetch: begin
        if (exited_q) begin
          state_d = StIdle;
        end else if (cycle_q >= watchdog_i) begin
          raise       = 1'b1;
          raise_cause = FWatchdog;
          raise_addr  = cycle_q;
        end else if (pc_q >= n_bundles_i) begin
          raise       = 1'b1;
          raise_cause = FBadPc;
          raise_addr  = {32'd0, pc_q};
        end else begin
          state_d = StDecode;    // imem read in flight
        end
      end

      StDecode: begin
        state_d = StExec;
        cur_d   = exec_first;
        sub_d   = SubStart;
        ph_d    = 1'b0;
        h_eff_d = EffNone;
      end

      // Read phase, one lane at a time (lowest faulting lane wins)
      StExec: begin
        if (cur_q == (Lw+1)'(NumLanes)) begin
          state_d = StCommit;
          cur_d   = commit_first;
          sub_d   = SubStart;
        end else if (s_fault[cur] != FNone) begin
          raise       = 1'b1;
          raise_cause = s_fault[cur];
        end else begin
          unique case (d_fmt[cur])
            4'd1: begin  // R
              if (d_unit[cur] == 3'(offnic_isa_pkg::UNIT_DIV)) begin
                if (sub_q == SubStart) begin
                  div_start = 1'b1;
                  sub_d     = SubWait;
                end else if (div_done) begin
                  sub_d = SubStart;
                  cur_d = cur_adv;
                end
              end else begin
                cur_d = cur_adv;
              end
            end
            4'd8: begin  // K
              cpool_req = !ph_q;
              ph_d      = !ph_q;
              if (ph_q) cur_d = cur_adv;
            end
            4'd2, 4'd3: begin  // M, A
              exec_mem();
            end
            4'd7: begin  // H
              exec_helper();
            end
            default: begin  // the deciding control op overflows or
              raise       = 1'b1;  // underflows the return stack
              raise_cause = FRetStack;
              raise_addr  = (d_op[cur] == offnic_isa_pkg::OP_CALL) ?
                            64'(RetDepth) : '0;
            end
          endcase
        end
      end

      // Write phase: memory and helper effects in lane order
      StCommit: begin
        if (cur_q == (Lw+1)'(NumLanes)) begin
          state_d = StRetire;
        end else if (d_fmt[cur] == 4'd7) begin
          commit_helper();
        end else begin
          commit_mem();
        end
      end

      StRetire: begin
        state_d = (ctl_q && d_op[ctl_lane_q] == offnic_isa_pkg::OP_EXIT) ?
                  StIdle : StFetch;
      end

      StFault: state_d = StIdle;

      default: state_d = StIdle;
    endcase

    if (raise) begin
      state_d = StFault;
    end
  end

  // One LD, ST or ATOMIC: check, then read (LD, ATOMIC) or record (ST)
  task automatic exec_mem();
    logic [1:0]  size;
    logic        is_atomic, is_store;
    logic [3:0]  fault;
    logic [63:0] raw, old, wval, mask;
    is_atomic = (d_fmt[cur] == 4'd3);
    is_store  = (d_op[cur] == offnic_isa_pkg::OP_ST);
    size      = is_atomic ? (d_w32[cur] ? 2'd2 : 2'd3) : d_ext[cur];
    mask      = (size == 2'd2) ? 64'h0000_0000_ffff_ffff : '1;
    if (is_atomic && cur_space != SpStack && cur_space != SpMapval) begin
      fault = FBadSpace;
    end else if (cur_space == SpCtx) begin
      fault = ctx_fault(cur_addr[59:0], size, is_store);
    end else begin
      fault = buf_fault(cur_addr, 64'd1 << size, meta_off_q, data_end_off_q);
    end
    raw = (cur_space == SpPkt) ? pkt_rdata :
          (cur_space == SpStack) ? stk_rdata : map_rsp_i.rdata;
    if (fault != FNone) begin
      raise       = 1'b1;
      raise_cause = fault;
      raise_addr  = cur_addr;
    end else if (cur_space == SpCtx) begin
      cur_d = cur_adv;
    end else if (cur_space == SpMapval) begin
      // the map engine checks the entry (and its liveness) and reads it
      map_req_o.valid = map_gnt_i;
      map_req_o.cmd   = offnic_pkg::MCMD_VAL_RD;
      map_req_o.slot     = cur_addr[59:52];
      map_req_o.rsvd     = (cur_addr[51:32] != '0);
      map_req_o.off      = cur_addr[31:0];
      map_req_o.size     = 4'd1 << size;
      map_req_o.chk_size = 17'd1 << size;
      if (map_rsp_i.done) begin
        if (map_rsp_i.fault) begin
          raise       = 1'b1;
          raise_cause = map_rsp_i.cause;
          raise_addr  = cur_addr;
        end else begin
          cur_d = cur_adv;
        end
      end
    end else if (is_store) begin
      cur_d = cur_adv;
    end else begin
      pkt_req  = (cur_space == SpPkt) && !ph_q;
      pkt_addr = cur_addr[11:0];
      stk_req  = (cur_space == SpStack) && !ph_q;
      stk_addr = cur_addr[8:0];
      ph_d     = !ph_q;
      if (ph_q) cur_d = cur_adv;
    end
    old  = raw & mask;
    wval = atomic_new(d_aop[cur], old, op_rb[cur] & mask) & mask;
    exec_mem_result(is_atomic, is_store, size, raw, old, wval, mask);
  endtask

  // Results latched by the always_ff below; a separate task keeps the
  // decision (above) apart from the data (here).
  logic        em_valid, em_is_atomic, em_is_store;
  logic [1:0]  em_size;
  logic [63:0] em_raw, em_old, em_wval, em_mask;

  task automatic exec_mem_result(logic is_atomic, logic is_store,
                                 logic [1:0] size, logic [63:0] raw,
                                 logic [63:0] old, logic [63:0] wval,
                                 logic [63:0] mask);
    em_valid     = (cur_d != cur_q) && !raise;
    em_is_atomic = is_atomic;
    em_is_store  = is_store;
    em_size      = size;
    em_raw       = raw;
    em_old       = old;
    em_wval      = wval;
    em_mask      = mask;
  endtask

  // One HCALL's read phase
  task automatic exec_helper();
    unique case (cur_hid)
      offnic_isa_pkg::HELPER_MAP_LOOKUP, offnic_isa_pkg::HELPER_MAP_UPDATE,
      offnic_isa_pkg::HELPER_MAP_DELETE: exec_map_helper();
      offnic_isa_pkg::HELPER_CSUM_DIFF: exec_csum();
      offnic_isa_pkg::HELPER_EVENT_OUT: exec_event();
      default: begin
        h_eff_d = hlp_set_offs ? EffPkt :
                  hlp_set_prandom ? EffPrandom :
                  hlp_redirect ? EffRedirect : EffNone;
        h_data_off_d     = hlp_data_off;
        h_data_end_off_d = hlp_data_end_off;
        h_meta_off_d     = hlp_meta_off;
        h_move_len_d     = hlp_move_len;
        h_zero_len_d     = hlp_zero_len;
        h_prandom_d      = hlp_prandom;
        h_ifindex_d      = hlp_ifindex;
        h_flags_d        = hlp_flags;
        cur_d            = cur_adv;
      end
    endcase
  endtask

  // Walk step: read chunk chunk_q of the buffer named by sub_q.  Returns
  // (through walk_data / walk_ok) the chunk when it is there.
  logic [63:0] walk_data;
  logic        walk_ok;

  task automatic walk_step();
    walk_ok   = 1'b0;
    walk_data = '0;
    if (walk_base[63:60] == SpMapval) begin
      map_req_o.valid = map_gnt_i;
      map_req_o.cmd   = offnic_pkg::MCMD_VAL_RD;
      map_req_o.slot     = walk_ptr[59:52];
      map_req_o.rsvd     = (walk_base[51:32] != '0);
      map_req_o.off      = walk_ptr[31:0];
      map_req_o.size     = 4'(walk_left > 17'd8 ? 17'd8 : walk_left);
      map_req_o.chk_size = walk_left;
      if (map_rsp_i.done) begin
        if (map_rsp_i.fault) begin
          raise       = 1'b1;
          raise_cause = map_rsp_i.cause;
          raise_addr  = walk_base;
        end else begin
          walk_ok   = 1'b1;
          walk_data = map_rsp_i.rdata;
        end
      end
    end else if (walk_fault != FNone) begin
      raise       = 1'b1;
      raise_cause = walk_fault;
      raise_addr  = walk_base;
    end else begin
      pkt_req  = (walk_base[63:60] == SpPkt) && !ph_q;
      pkt_addr = walk_ptr[11:0];
      stk_req  = (walk_base[63:60] == SpStack) && !ph_q;
      stk_addr = walk_ptr[8:0];
      ph_d     = !ph_q;
      walk_ok   = ph_q;
      walk_data = (walk_base[63:60] == SpPkt) ? pkt_rdata : stk_rdata;
    end
  endtask

  task automatic exec_map_helper();
    unique case (sub_q)
      SubStart: begin
        if (!map_handle_ok) begin
          raise       = 1'b1;
          raise_cause = FBadMap;
          raise_addr  = rf_q[1];
        end else begin
          h_slot_d = rf_q[1][5:0];
          sub_d    = SubHInfo;
        end
      end
      SubHInfo: begin
        map_req_o.valid = map_gnt_i;
        map_req_o.cmd   = offnic_pkg::MCMD_INFO;
        if (map_rsp_i.done) begin
          if (map_rsp_i.map_type == 2'd0 || map_rsp_i.map_type == 2'd3) begin
            raise       = 1'b1;
            raise_cause = FBadMap;
            raise_addr  = rf_q[1];
          end else begin
            h_key_size_d = map_rsp_i.key_size;
            h_val_size_d = map_rsp_i.value_size;
            chunk_d      = '0;
            sub_d        = SubHKey;
          end
        end
      end
      SubHKey, SubHVal: begin
        walk_step();
        if (walk_ok) begin
          if (sub_q == SubHKey) begin
            key_d[64*chunk_q[2:0] +: 64] = walk_data;
          end else begin
            val_d[64*chunk_q[2:0] +: 64] = walk_data;
          end
          chunk_d = chunk_q + 8'd1;
          if (walk_last) begin
            chunk_d = '0;
            sub_d   = (sub_q == SubHKey &&
                       cur_hid == offnic_isa_pkg::HELPER_MAP_UPDATE) ?
                      SubHVal : SubHOp;
          end
        end
      end
      SubHOp: begin
        if (cur_hid == offnic_isa_pkg::HELPER_MAP_UPDATE && rf_q[4] > 64'd2) begin
          sub_d = SubStart;
          cur_d = cur_adv;
          h_eff_d = EffNone;
          map_op_result(Einval);
        end else begin
          map_req_o.valid = map_gnt_i;
          map_req_o.cmd   = (cur_hid == offnic_isa_pkg::HELPER_MAP_LOOKUP) ?
                            offnic_pkg::MCMD_LOOKUP :
                            (cur_hid == offnic_isa_pkg::HELPER_MAP_UPDATE) ?
                            offnic_pkg::MCMD_UPD_PROBE : offnic_pkg::MCMD_DEL_PROBE;
          map_req_o.flags = rf_q[4][1:0];
          if (map_rsp_i.done) begin
            sub_d      = SubStart;
            cur_d      = cur_adv;
            h_bucket_d = map_rsp_i.index;
            h_new_d    = map_rsp_i.found;
            if (cur_hid == offnic_isa_pkg::HELPER_MAP_LOOKUP) begin
              h_eff_d = EffNone;
              map_op_result(map_rsp_i.found ?
                            {4'(SpMapval), 2'b00, h_slot_q, 20'd0,
                             map_rsp_i.rdata[31:0]} : '0);
            end else begin
              h_eff_d = (map_rsp_i.rdata != '0) ? EffNone :
                        (cur_hid == offnic_isa_pkg::HELPER_MAP_UPDATE) ?
                        EffUpdate : EffDelete;
              map_op_result(map_rsp_i.rdata);
            end
          end
        end
      end
      default: ;
    endcase
  endtask

  logic        mo_valid;
  logic [63:0] mo_p0;

  task automatic map_op_result(logic [63:0] p0);
    mo_valid = 1'b1;
    mo_p0    = p0;
  endtask

  // perf_event_output: checks, then the record is written into the next
  // free record of the event ring (data bytes, then ctxlen packet bytes);
  // commit publishes it.  A full ring answers -ENOSPC after the data
  // pointer's check, as the model does.
  localparam logic [63:0] Enospc = 64'hffff_ffff_ffff_ffe4;  // -28

  task automatic exec_event();
    unique case (sub_q)
      SubStart: begin
        if (!handle_ok(rf_q[2][63:6])) begin
          raise       = 1'b1;
          raise_cause = FBadMap;
          raise_addr  = rf_q[2];
        end else begin
          h_slot_d = rf_q[2][5:0];
          sub_d    = SubEvInfo;
        end
      end
      SubEvInfo: begin
        map_req_o.valid = map_gnt_i;
        map_req_o.cmd   = offnic_pkg::MCMD_INFO;
        if (map_rsp_i.done) begin
          ev_full_d = map_rsp_i.ring_full;
          chunk_d   = '0;
          if (map_rsp_i.map_type != 2'd3) begin
            raise       = 1'b1;
            raise_cause = FBadMap;
            raise_addr  = rf_q[2];
          end else if (ev_check != '0) begin
            map_op_result(ev_check);
            sub_d = SubStart;
            cur_d = cur_adv;
          end else if (rf_q[5] != '0) begin
            sub_d = SubEvData;
          end else begin
            ev_after_data(map_rsp_i.ring_full);
          end
        end
      end
      SubEvData, SubEvCtx: begin
        walk_step();
        if (walk_ok) begin
          ev_chunk_d = walk_data;       // written by the next step
          ev_last_d  = walk_last;
          if (sub_q == SubEvData && chunk_q == '0 && ev_full_q) begin
            map_op_result(Enospc);     // the data pointer was fine
            sub_d = SubStart;
            cur_d = cur_adv;
          end else begin
            sub_d = (sub_q == SubEvData) ? SubEvDataWr : SubEvCtxWr;
          end
        end
      end
      SubEvDataWr, SubEvCtxWr: begin
        map_req_o.valid = map_gnt_i;
        map_req_o.cmd   = offnic_pkg::MCMD_EV_WR;
        map_req_o.off   = {21'd0, chunk_q, 3'd0} +
                          ((sub_q == SubEvCtxWr) ? rf_q[5][31:0] : 32'd0);
        map_req_o.size  = 4'd8;
        map_req_o.wdata = ev_chunk_q;
        if (map_rsp_i.done) begin
          chunk_d = chunk_q + 8'd1;
          if (ev_last_q) begin
            chunk_d = '0;
            if (sub_q == SubEvDataWr) begin
              ev_after_data(1'b0);
            end else begin
              ev_done();
            end
          end else begin
            sub_d = (sub_q == SubEvDataWr) ? SubEvData : SubEvCtx;
          end
        end
      end
      default: ;
    endcase
  endtask

  task automatic ev_after_data(logic full);
    if (full) begin
      map_op_result(Enospc);
      sub_d = SubStart;
      cur_d = cur_adv;
    end else if (ev_ctxlen != '0) begin
      sub_d = SubEvCtx;
    end else begin
      ev_done();
    end
  endtask

  task automatic ev_done();
    map_op_result('0);
    h_eff_d = EffEvent;
    sub_d   = SubStart;
    cur_d   = cur_adv;
  endtask

  // bpf_csum_diff: sizes first, then from (complemented) and to words
  task automatic exec_csum();
    logic [63:0] s;
    unique case (sub_q)
      SubStart: begin
        csum_d  = {32'd0, rf_q[5][31:0]};
        chunk_d = '0;
        if ((rf_q[2][1:0] | rf_q[4][1:0]) != 2'b00 ||
            {32'd0, rf_q[2][31:0]} + {32'd0, rf_q[4][31:0]} > 64'd512) begin
          map_op_result(Einval);
          cur_d = cur_adv;
        end else begin
          sub_d = (rf_q[2][31:0] != '0) ? SubCsumFrom :
                  (rf_q[4][31:0] != '0) ? SubCsumTo : SubHOp;
        end
      end
      SubCsumFrom, SubCsumTo: begin
        walk_step();
        if (walk_ok) begin
          s = (sub_q == SubCsumFrom) ? csum_add(csum_q, ~walk_data[31:0]) :
                                       csum_add(csum_q, walk_data[31:0]);
          if (walk_left > 17'd4) begin
            s = (sub_q == SubCsumFrom) ? csum_add(s, ~walk_data[63:32]) :
                                         csum_add(s, walk_data[63:32]);
          end
          csum_d  = s;
          chunk_d = chunk_q + 8'd1;
          if (walk_last) begin
            chunk_d = '0;
            sub_d   = (sub_q == SubCsumFrom && rf_q[4][31:0] != '0) ?
                      SubCsumTo : SubHOp;
          end
        end
      end
      SubHOp: begin
        s = {32'd0, csum_q[63:32]} + {32'd0, csum_q[31:0]};
        map_op_result({32'd0, s[31:0] + s[63:32]});
        sub_d = SubStart;
        cur_d = cur_adv;
      end
      default: ;
    endcase
  endtask

  // COMMIT of one lane's memory write
  task automatic commit_mem();
    unique case (cur_space)
      SpPkt: begin
        pkt_req   = 1'b1;
        pkt_we    = 1'b1;
        pkt_addr  = cur_addr[11:0];
        pkt_be    = 8'hff >> (4'd8 - mw_size_q[cur]);
        pkt_wdata = mw_data_q[cur];
        cur_d     = cur_adv;
      end
      SpStack: begin
        stk_req   = 1'b1;
        stk_we    = 1'b1;
        stk_addr  = cur_addr[8:0];
        stk_be    = 8'hff >> (4'd8 - mw_size_q[cur]);
        stk_wdata = mw_data_q[cur];
        cur_d     = cur_adv;
      end
      SpMapval: begin
        map_req_o.valid = map_gnt_i;
        map_req_o.cmd   = offnic_pkg::MCMD_VAL_WR;
        map_req_o.slot  = cur_addr[59:52];
        map_req_o.off   = cur_addr[31:0];
        map_req_o.size  = mw_size_q[cur];
        map_req_o.wdata = mw_data_q[cur];
        if (map_rsp_i.done) cur_d = cur_adv;
      end
      default: cur_d = cur_adv;  // CTX: written at retire
    endcase
  endtask

  // COMMIT of the helper's effect
  task automatic commit_helper();
    logic [15:0] moved, zeroed;
    moved  = {5'd0, chunk_q, 3'd0};
    zeroed = {5'd0, chunk_q, 3'd0};
    unique case (h_eff_q)
      EffUpdate, EffDelete: begin
        map_req_o.valid = map_gnt_i;
        map_req_o.cmd   = (h_eff_q == EffUpdate) ? offnic_pkg::MCMD_UPD_COMMIT :
                                                   offnic_pkg::MCMD_DEL_COMMIT;
        map_req_o.off   = h_bucket_q;
        map_req_o.flags = {1'b0, h_new_q};
        if (map_rsp_i.done) cur_d = cur_adv;
      end
      EffEvent: begin
        map_req_o.valid = map_gnt_i;
        map_req_o.cmd   = offnic_pkg::MCMD_EV_PUSH;
        map_req_o.slot  = {2'b00, h_slot_q};
        map_req_o.off   = rf_q[5][31:0] + {12'd0, rf_q[3][51:32]};
        map_req_o.wdata = rf_q[3];
        if (map_rsp_i.done) cur_d = cur_adv;
      end
      EffPkt: begin
        // metadata moves with the data (through key_q: the regions may
        // overlap), grown tail bytes read as zero
        unique case (sub_q)
          SubStart: begin
            chunk_d = '0;
            sub_d   = (h_move_len_q != '0) ? SubMetaRead :
                      (h_zero_len_q != '0) ? SubZero : SubWait;
          end
          SubMetaRead: begin
            pkt_req  = !ph_q;
            pkt_addr = 12'(meta_off_q + moved);
            ph_d     = !ph_q;
            if (ph_q) begin
              key_d[64*chunk_q[1:0] +: 64] = pkt_rdata;
              chunk_d = chunk_q + 8'd1;
              if (moved + 16'd8 >= h_move_len_q) begin
                chunk_d = '0;
                sub_d   = SubMetaWrite;
              end
            end
          end
          SubMetaWrite: begin
            pkt_req   = 1'b1;
            pkt_we    = 1'b1;
            pkt_addr  = 12'(h_meta_off_q + moved);
            pkt_wdata = key_q[64*chunk_q[1:0] +: 64];
            pkt_be    = (h_move_len_q - moved >= 16'd8) ? 8'hff :
                        8'hff >> (16'd8 - (h_move_len_q - moved));
            chunk_d   = chunk_q + 8'd1;
            if (moved + 16'd8 >= h_move_len_q) begin
              chunk_d = '0;
              sub_d   = (h_zero_len_q != '0) ? SubZero : SubWait;
            end
          end
          SubZero: begin
            pkt_req   = 1'b1;
            pkt_we    = 1'b1;
            pkt_addr  = 12'(data_end_off_q + zeroed);
            pkt_wdata = '0;
            pkt_be    = (h_zero_len_q - zeroed >= 16'd8) ? 8'hff :
                        8'hff >> (16'd8 - (h_zero_len_q - zeroed));
            chunk_d   = chunk_q + 8'd1;
            if (zeroed + 16'd8 >= h_zero_len_q) begin
              chunk_d = '0;
              sub_d   = SubWait;
            end
          end
          default: begin  // offsets change at retire
            sub_d = SubStart;
            cur_d = cur_adv;
          end
        endcase
      end
      default: cur_d = cur_adv;  // prandom, redirect: at retire
    endcase
  endtask

  // ---------------------------------------------------------------------
  // Retire: registers, offsets, control, counters
  // ---------------------------------------------------------------------
  logic        start;
  logic [31:0] next_pc;

  assign start = host_idle && host_valid_i && host_we_i &&
                 host_tgt_i == 4'(offnic_pkg::HOST_CFG) && host_addr_i == 32'd0;

  always_comb begin
    pc_d            = pc_q;
    exited_d        = exited_q;
    verdict_d       = verdict_q;
    ret_depth_d     = ret_depth_q;
    data_off_d      = data_off_q;
    data_end_off_d  = data_end_off_q;
    meta_off_d      = meta_off_q;
    prandom_d       = prandom_q;
    cycle_d         = cycle_q;
    clock_d         = clock_q;
    redirected_d    = redirected_q;
    redir_ifindex_d = redir_ifindex_q;
    redir_flags_d   = redir_flags_q;
    fault_cause_d   = fault_cause_q;
    fault_pc_d      = fault_pc_q;
    fault_lane_d    = fault_lane_q;
    fault_addr_d    = fault_addr_q;
    next_pc         = pc_q + 32'd1;

    if (state_q == StRetire) begin
      if (ctl_q) begin
        unique case (d_op[ctl_lane_q])
          offnic_isa_pkg::OP_EXIT: begin
            exited_d  = 1'b1;
            verdict_d = d_imm_sel[ctl_lane_q] ? d_imm[ctl_lane_q][31:0] :
                                                op_a[ctl_lane_q][31:0];
            next_pc   = pc_q;
          end
          offnic_isa_pkg::OP_CALL: begin
            ret_depth_d = ret_depth_q + 4'd1;
            next_pc     = {16'd0, d_target[ctl_lane_q]};
          end
          offnic_isa_pkg::OP_RET: begin
            ret_depth_d = ret_depth_q - 4'd1;
            next_pc     = ret_stack_q[3'(ret_depth_q - 4'd1)];
          end
          default: next_pc = {16'd0, d_target[ctl_lane_q]};
        endcase
      end
      pc_d = next_pc;
      unique case (h_eff_q)
        EffPkt: begin
          data_off_d     = h_data_off_q;
          data_end_off_d = h_data_end_off_q;
          meta_off_d     = h_meta_off_q;
        end
        EffPrandom: prandom_d = h_prandom_q;
        EffRedirect: begin
          redirected_d    = 1'b1;
          redir_ifindex_d = h_ifindex_q;
          redir_flags_d   = h_flags_q;
        end
        default: ;
      endcase
    end

    // The bundle issued (it counts even when it faults)
    if (state_q == StDecode) begin
      cycle_d = t_issue + 64'd1;
    end

    if (raise) begin
      fault_cause_d = raise_cause;
      fault_pc_d    = pc_q;
      fault_lane_d  = (state_q == StFetch) ? 4'd0 : 4'(cur);
      fault_addr_d  = raise_addr;
      exited_d      = 1'b1;
      verdict_d     = '0;
    end

    if (start) begin
      clock_d         = clock_q + cycle_q;
      cycle_d         = '0;
      pc_d            = '0;
      exited_d        = 1'b0;
      verdict_d       = '0;
      ret_depth_d     = '0;
      redirected_d    = 1'b0;
      redir_ifindex_d = '0;
      redir_flags_d   = '0;
      fault_cause_d   = FNone;
      fault_pc_d      = '0;
      fault_lane_d    = '0;
      fault_addr_d    = '0;
    end

    // host configuration writes
    if (host_idle && host_valid_i && host_we_i &&
        host_tgt_i == 4'(offnic_pkg::HOST_CFG)) begin
      unique case (host_addr_i)
        32'd1: data_off_d     = host_wdata_i[15:0];
        32'd2: data_end_off_d = host_wdata_i[15:0];
        32'd3: meta_off_d     = host_wdata_i[15:0];
        32'd4: prandom_d      = host_wdata_i[31:0];
        32'd5: clock_d        = host_wdata_i;
        default: ;
      endcase
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q          <= StIdle;
      sub_q            <= SubStart;
      cur_q            <= '0;
      ph_q             <= 1'b0;
      chunk_q          <= '0;
      pc_q             <= '0;
      exited_q         <= 1'b1;
      verdict_q        <= '0;
      ret_depth_q      <= '0;
      data_off_q       <= '0;
      data_end_off_q   <= '0;
      meta_off_q       <= '0;
      prandom_q        <= 32'd1;
      cycle_q          <= '0;
      clock_q          <= '0;
      redirected_q     <= 1'b0;
      redir_ifindex_q  <= '0;
      redir_flags_q    <= '0;
      fault_cause_q    <= FNone;
      fault_pc_q       <= '0;
      fault_lane_q     <= '0;
      fault_addr_q     <= '0;
      key_q            <= '0;
      val_q            <= '0;
      h_slot_q         <= '0;
      h_key_size_q     <= '0;
      h_val_size_q     <= '0;
      h_bucket_q       <= '0;
      h_new_q          <= 1'b0;
      h_eff_q          <= EffNone;
      csum_q           <= '0;
      h_data_off_q     <= '0;
      h_data_end_off_q <= '0;
      h_meta_off_q     <= '0;
      h_move_len_q     <= '0;
      h_zero_len_q     <= '0;
      h_prandom_q      <= '0;
      h_ifindex_q      <= '0;
      h_flags_q        <= '0;
      ev_full_q        <= 1'b0;
      ev_chunk_q       <= '0;
      ev_last_q        <= 1'b0;
    end else begin
      state_q          <= start ? StZero : state_d;
      sub_q            <= sub_d;
      cur_q            <= cur_d;
      ph_q             <= ph_d;
      chunk_q          <= start ? 8'd0 : chunk_d;
      pc_q             <= pc_d;
      exited_q         <= exited_d;
      verdict_q        <= verdict_d;
      ret_depth_q      <= ret_depth_d;
      data_off_q       <= data_off_d;
      data_end_off_q   <= data_end_off_d;
      meta_off_q       <= meta_off_d;
      prandom_q        <= prandom_d;
      cycle_q          <= cycle_d;
      clock_q          <= clock_d;
      redirected_q     <= redirected_d;
      redir_ifindex_q  <= redir_ifindex_d;
      redir_flags_q    <= redir_flags_d;
      fault_cause_q    <= fault_cause_d;
      fault_pc_q       <= fault_pc_d;
      fault_lane_q     <= fault_lane_d;
      fault_addr_q     <= fault_addr_d;
      key_q            <= key_d;
      val_q            <= val_d;
      h_slot_q         <= h_slot_d;
      h_key_size_q     <= h_key_size_d;
      h_val_size_q     <= h_val_size_d;
      h_bucket_q       <= h_bucket_d;
      h_new_q          <= h_new_d;
      h_eff_q          <= h_eff_d;
      csum_q           <= csum_d;
      h_data_off_q     <= h_data_off_d;
      h_data_end_off_q <= h_data_end_off_d;
      h_meta_off_q     <= h_meta_off_d;
      h_move_len_q     <= h_move_len_d;
      h_zero_len_q     <= h_zero_len_d;
      h_prandom_q      <= h_prandom_d;
      h_ifindex_q      <= h_ifindex_d;
      h_flags_q        <= h_flags_d;
      ev_full_q        <= ev_full_d;
      ev_chunk_q       <= ev_chunk_d;
      ev_last_q        <= ev_last_d;
    end
  end

  // Per-lane results of the read phase
  always_ff @(posedge clk_i) begin
    if (state_q == StDecode) begin
      for (int l = 0; l < NumLanes; l++) begin
        mw_q[l]  <= 1'b0;
        res_q[l] <= (d_unit[l] == 3'(offnic_isa_pkg::UNIT_MUL)) ? mul_res : alu_res[l];
      end
    end
    if (state_q == StExec && cur_q != (Lw+1)'(NumLanes)) begin
      if (d_fmt[cur] == 4'd1 && div_done) begin
        res_q[cur] <= div_res;
      end
      if (d_fmt[cur] == 4'd8 && ph_q) begin
        res_q[cur] <= cpool_rdata;
      end
      if (em_valid) begin
        if (em_is_store) begin
          mw_q[cur]      <= 1'b1;
          mw_size_q[cur] <= 4'd1 << em_size;
          mw_data_q[cur] <= d_bswap[cur] ? bswap_n(op_rb[cur], em_size) : op_rb[cur];
        end else if (em_is_atomic) begin
          res_q[cur]     <= em_old;
          // CMPXCHG writes only when memory equals rd
          mw_q[cur]      <= (d_aop[cur] != 4'(offnic_isa_pkg::AOP_CMPXCHG)) ||
                            (em_old == (op_rd & em_mask));
          mw_size_q[cur] <= 4'd1 << em_size;
          mw_data_q[cur] <= em_wval;
        end else begin
          res_q[cur] <= (cur_space == SpCtx) ?
                        load_fix(ctx_read(cur_addr[6:3]), em_size,
                                 d_bswap[cur], d_sext[cur]) :
                        load_fix(em_raw, em_size, d_bswap[cur], d_sext[cur]);
        end
      end
      if (mo_valid) begin
        res_q[cur] <= mo_p0;
      end
      if (d_fmt[cur] == 4'd7 && cur_d != cur_q && !mo_valid) begin
        res_q[cur] <= hlp_p0;
      end
    end
  end

  // Register file, scoreboard, return stack, context, counters
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int r = 0; r < 32; r++) begin
        rf_q[r]    <= '0;
        wait_q[r]  <= '0;
      end
      for (int i = 0; i < RetDepth; i++) ret_stack_q[i] <= '0;
      for (int i = 0; i < 16; i++) ctx_q[i] <= '0;
      for (int i = 0; i < NumPerf; i++) perf_q[i] <= '0;
    end else begin
      if (start) begin
        for (int r = 0; r < 32; r++) begin
          rf_q[r]    <= '0;
          wait_q[r]  <= '0;
        end
        rf_q[1]  <= {4'(SpCtx), 60'd0};
        rf_q[10] <= {4'(SpStack), 60'(StackSize)};
        for (int i = 0; i < RetDepth; i++) ret_stack_q[i] <= '0;
      end
      if (host_idle && host_valid_i && host_we_i &&
          host_tgt_i == 4'(offnic_pkg::HOST_CTX)) begin
        ctx_q[host_addr_i[3:0]] <= host_wdata_i;
      end
      if (state_q == StDecode) begin
        // time moves on by stall + 1 cycles
        for (int r = 0; r < 32; r++) begin
          wait_q[r] <= (wait_q[r] > stall) ? wait_q[r] - stall - 4'd1 : 4'd0;
        end
        perf_q[offnic_isa_pkg::PERF_STALLS]  <= perf_q[offnic_isa_pkg::PERF_STALLS] +
                                                64'(stall);
        perf_q[offnic_isa_pkg::PERF_CYCLES]  <= perf_q[offnic_isa_pkg::PERF_CYCLES] +
                                                64'(stall) + 64'd1;
        perf_q[offnic_isa_pkg::PERF_BUNDLES] <= perf_q[offnic_isa_pkg::PERF_BUNDLES] + 64'd1;
        perf_q[offnic_isa_pkg::PERF_UOPS]    <= perf_q[offnic_isa_pkg::PERF_UOPS] +
                                                64'(n_uops);
      end
      if (raise) begin
        perf_q[offnic_isa_pkg::PERF_FAULTS]  <= perf_q[offnic_isa_pkg::PERF_FAULTS] + 64'd1;
        perf_q[offnic_isa_pkg::PERF_PACKETS] <= perf_q[offnic_isa_pkg::PERF_PACKETS] + 64'd1;
      end
      if (state_q == StRetire) begin
        for (int l = 0; l < NumLanes; l++) begin
          if (!d_nop[l] && d_wr[l]) begin
            rf_q[d_rd[l]]    <= res_q[l];
            // ready at t + lat, and cycle_q is t + 1 by now
            wait_q[d_rd[l]]  <= (d_lat[l] != '0) ? d_lat[l] - 4'd1 : 4'd0;
          end
          if (!d_nop[l] && mw_q[l] && addr[l][63:60] == SpCtx) begin
            ctx_q[addr[l][6:3]] <= mw_data_q[l];
          end
          if (!d_nop[l] && d_fmt[l] == 4'd7) begin
            perf_q[offnic_isa_pkg::PERF_HELPER_CALLS] <=
                perf_q[offnic_isa_pkg::PERF_HELPER_CALLS] + 64'd1;
            if (d_imm[l][7:0] == offnic_isa_pkg::HELPER_MAP_LOOKUP ||
                d_imm[l][7:0] == offnic_isa_pkg::HELPER_MAP_UPDATE ||
                d_imm[l][7:0] == offnic_isa_pkg::HELPER_MAP_DELETE) begin
              perf_q[offnic_isa_pkg::PERF_MAP_OPS] <=
                  perf_q[offnic_isa_pkg::PERF_MAP_OPS] + 64'd1;
            end
          end
        end
        if (ctl_q && d_op[ctl_lane_q] == offnic_isa_pkg::OP_CALL) begin
          ret_stack_q[ret_depth_q[2:0]] <= pc_q + 32'd1;
        end
        if (ctl_q && d_op[ctl_lane_q] == offnic_isa_pkg::OP_RET) begin
          ret_stack_q[ret_depth_q[2:0] - 3'd1] <= '0;
        end
        if (ctl_q && d_op[ctl_lane_q] == offnic_isa_pkg::OP_EXIT) begin
          perf_q[offnic_isa_pkg::PERF_PACKETS] <= perf_q[offnic_isa_pkg::PERF_PACKETS] + 64'd1;
        end
      end
    end
  end

  // The map engine is held for the whole bundle when it touches map memory
  assign map_lock_o = uses_map && (state_q == StExec || state_q == StCommit);
  assign map_key_o  = key_q;
  assign map_val_o  = val_q;

  // Retire trace: high the cycle after a bundle retired or faulted, when
  // every architectural effect of it is visible
  logic        retire_q;
  logic [31:0] retire_pc_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      retire_q    <= 1'b0;
      retire_pc_q <= '0;
    end else begin
      retire_q    <= (state_q == StRetire) || raise;
      retire_pc_q <= pc_q;
    end
  end

  assign retire_o    = retire_q;
  assign retire_pc_o = retire_pc_q;

  // Packet-buffer dirty window: bytes [pkt_dirty_lo_q, pkt_dirty_hi_q)
  // hold every byte written since the host last cleared the window
  // (writing CFG register 12).  The host reads it (CFG 12 and 13) to
  // zero only what an earlier packet left behind, instead of the whole
  // buffer, and then loads just the frame.  Reset: the whole buffer.
  localparam int unsigned PktAw = $clog2(PktSize) + 1;
  logic [PktAw-1:0] pkt_dirty_lo_q, pkt_dirty_hi_q, pkt_w_lo, pkt_w_hi;
  logic             pkt_dirty_clr;

  assign pkt_dirty_clr = host_idle && host_valid_i && host_we_i &&
                         host_tgt_i == 4'(offnic_pkg::HOST_CFG) &&
                         host_addr_i == 32'd12;
  assign pkt_w_lo = PktAw'(pkt_addr);
  assign pkt_w_hi = PktAw'(pkt_addr) + PktAw'(8);  // an unaligned row spans two

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pkt_dirty_lo_q <= '0;
      pkt_dirty_hi_q <= PktAw'(PktSize);
    end else if (pkt_dirty_clr) begin
      pkt_dirty_lo_q <= PktAw'(PktSize);
      pkt_dirty_hi_q <= '0;
    end else if (pkt_req && pkt_we) begin
      if (pkt_w_lo < pkt_dirty_lo_q) pkt_dirty_lo_q <= pkt_w_lo;
      if (pkt_w_hi > pkt_dirty_hi_q) pkt_dirty_hi_q <= pkt_w_hi;
    end
  end

  // Host reads (one cycle later, like the RAMs)
  logic [3:0]  host_tgt_q;
  logic [31:0] host_addr_q;

  always_ff @(posedge clk_i) begin
    host_tgt_q  <= host_tgt_i;
    host_addr_q <= host_addr_i;
  end

  always_comb begin
    unique case (host_tgt_q)
      4'(offnic_pkg::HOST_PKT):   host_rdata_o = pkt_rdata;
      4'(offnic_pkg::HOST_STACK): host_rdata_o = stk_rdata;
      4'(offnic_pkg::HOST_REG):   host_rdata_o = rf_q[host_addr_q[4:0]];
      4'(offnic_pkg::HOST_CTX):   host_rdata_o = ctx_q[host_addr_q[3:0]];
      4'(offnic_pkg::HOST_PERF):  host_rdata_o = perf_q[host_addr_q[2:0]];
      4'(offnic_pkg::HOST_CFG): begin
        unique case (host_addr_q)
          32'd1:   host_rdata_o = {48'd0, data_off_q};
          32'd2:   host_rdata_o = {48'd0, data_end_off_q};
          32'd3:   host_rdata_o = {48'd0, meta_off_q};
          32'd4:   host_rdata_o = {32'd0, prandom_q};
          32'd5:   host_rdata_o = clock_q;
          32'd6:   host_rdata_o = {29'd0, busy_o, exited_q, redirected_q, verdict_q};
          32'd7:   host_rdata_o = {24'd0, fault_lane_q, fault_cause_q, fault_pc_q};
          32'd8:   host_rdata_o = fault_addr_q;
          32'd9:   host_rdata_o = cycle_q;
          32'd10:  host_rdata_o = redir_ifindex_q;
          32'd11:  host_rdata_o = redir_flags_q;
          32'd12:  host_rdata_o = 64'(pkt_dirty_lo_q);
          32'd13:  host_rdata_o = 64'(pkt_dirty_hi_q);
          default: host_rdata_o = '0;
        endcase
      end
      default: host_rdata_o = '0;
    endcase
  end

  // ---------------------------------------------------------------------
  // Assertions: the invariants of the bounds rules (docs/device-abi.md).
  // No "disable iff" reset: every antecedent needs a busy core, and reset
  // holds the core idle (state_q = StIdle).
  // ---------------------------------------------------------------------
`ifndef SYNTHESIS
  logic [15:0] frame_len_q, frame_len_d;

  assign frame_len_q = data_end_off_q - data_off_q;
  assign frame_len_d = data_end_off_d - data_off_d;

  // A program never grows the frame past the port's frame length; only
  // the host (starting a packet on an idle core) sets a longer one.
  FrameGrowthBounded_A: assert property (
    @(posedge clk_i)
    (!host_idle && frame_len_d > frame_len_q) |-> (frame_len_d <= max_frame_i))
    else $error("frame grew from %0d to %0d bytes, limit %0d",
                frame_len_q, frame_len_d, max_frame_i);

  // A buffer walk never truncates the size it was given: every helper
  // size was checked against its space before the walk starts.
  WalkSizeFits_A: assert property (
    @(posedge clk_i)
    (state_q == StExec && walking) |-> (walk_len[63:17] == '0))
    else $error("helper walk of 0x%0h bytes", walk_len);

  // An event record never exceeds the ring's record size.
  logic [64:0] ev_total;

  assign ev_total = 65'(ev_ctxlen) + 65'(ev_size);

  EventFits_A: assert property (
    @(posedge clk_i)
    (state_q == StExec && (sub_q == SubEvData || sub_q == SubEvCtx)) |->
    (ev_total <= 65'(offnic_pkg::EventMaxBytes)))
    else $error("event record of %0d bytes", ev_total);
`endif

endmodule
