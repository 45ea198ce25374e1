// SPDX-License-Identifier: (GPL-2.0 OR MIT)
// The offnic engine: NumCores microcode cores sharing one map engine,
// behind a simple host port (docs/rtl.md):
//   - HOST_IMEM / HOST_CONST writes go to every core (one program);
//   - per-core targets (PKT, CTX, CFG, REG, STACK, PERF) go to core
//     host_core_i; writing CFG register 0 starts a packet on that core;
//   - HOST_CFG registers 16.. are engine-wide: 16 n_bundles, 17 n_consts,
//     18 watchdog cycles, 19 ns per cycle, 20 program type, 21 the port's
//     frame length (the most adjust_head/tail may grow a frame to);
//   - per-core HOST_CFG 12/13 read the packet buffer's dirty window (bytes
//     written since the host cleared it by writing CFG 12), so the host
//     zeroes what an earlier packet left and loads only the frame;
//   - HOST_MAP_* go to the map engine.
// Reads return data one cycle after the request.

module offnic_engine #(
  parameter int unsigned NumCores   = 1,
  parameter int unsigned NumLanes   = 4,
  parameter int unsigned ImemDepth  = 1024,
  parameter int unsigned ConstDepth = 256,
  parameter int unsigned ValRows    = 4096,
  parameter int unsigned KeyRows    = 2048,
  parameter int unsigned StateRows  = 2048,
  localparam int unsigned Cw = (NumCores > 1) ? $clog2(NumCores) : 1
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                host_valid_i,
  input  logic                host_we_i,
  input  logic [3:0]          host_tgt_i,
  input  logic [Cw-1:0]       host_core_i,
  input  logic [31:0]         host_addr_i,
  input  logic [63:0]         host_wdata_i,
  output logic [63:0]         host_rdata_o,
  output logic [NumCores-1:0] busy_o,
  output logic [NumCores-1:0] retire_o,
  output logic [32*NumCores-1:0] retire_pc_o  // core c: [32*c +: 32]
);

  localparam int unsigned MaxKeyBits = offnic_pkg::MaxKeyBytes * 8;
  localparam int unsigned MaxValBits = offnic_pkg::MaxValueBytes * 8;

  // Engine-wide configuration
  logic [31:0] n_bundles_q, n_consts_q, ns_per_cycle_q, prog_type_q;
  logic [63:0] watchdog_q;
  logic [15:0] max_frame_q;
  logic        cfg_we;

  assign cfg_we = host_valid_i && host_we_i &&
                  host_tgt_i == 4'(offnic_pkg::HOST_CFG);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      n_bundles_q    <= '0;
      n_consts_q     <= '0;
      watchdog_q     <= 64'd100000;
      ns_per_cycle_q <= 32'd4;
      prog_type_q    <= 32'd1;
      max_frame_q    <= offnic_pkg::DefMaxFrame;
    end else if (cfg_we) begin
      unique case (host_addr_i)
        32'd16: n_bundles_q    <= host_wdata_i[31:0];
        32'd17: n_consts_q     <= host_wdata_i[31:0];
        32'd18: watchdog_q     <= host_wdata_i;
        32'd19: ns_per_cycle_q <= host_wdata_i[31:0];
        32'd20: prog_type_q    <= host_wdata_i[31:0];
        32'd21: max_frame_q    <= host_wdata_i[15:0];
        default: ;
      endcase
    end
  end

  localparam int unsigned ReqW = offnic_pkg::MapReqW;
  localparam int unsigned RspW = offnic_pkg::MapRspW;

  logic [NumCores-1:0]            map_lock, map_gnt;
  logic [NumCores*ReqW-1:0]       map_req;
  logic [NumCores*MaxKeyBits-1:0] map_key;
  logic [NumCores*MaxValBits-1:0] map_val;
  logic [NumCores*RspW-1:0]       map_rsp;
  logic [63:0]                    core_rdata [NumCores];
  logic [63:0]           map_rdata;

  logic per_core_tgt, map_tgt;

  assign per_core_tgt = !(host_tgt_i == 4'(offnic_pkg::HOST_IMEM) ||
                          host_tgt_i == 4'(offnic_pkg::HOST_CONST));
  assign map_tgt      = host_tgt_i >= 4'(offnic_pkg::HOST_MAP_SLOT);

  for (genvar c = 0; c < NumCores; c++) begin : gen_core
    logic core_sel;

    assign core_sel = !per_core_tgt || (host_core_i == Cw'(c));

    offnic_core #(
      .NumLanes   (NumLanes),
      .ImemDepth  (ImemDepth),
      .ConstDepth (ConstDepth)
    ) u_core (
      .clk_i,
      .rst_ni,
      .host_valid_i   (host_valid_i && core_sel && !map_tgt),
      .host_we_i      (host_we_i),
      .host_tgt_i     (host_tgt_i),
      .host_addr_i    (host_addr_i),
      .host_wdata_i   (host_wdata_i),
      .host_rdata_o   (core_rdata[c]),
      .n_bundles_i    (n_bundles_q),
      .n_consts_i     (n_consts_q),
      .watchdog_i     (watchdog_q),
      .ns_per_cycle_i (ns_per_cycle_q),
      .prog_tc_i      (prog_type_q == 32'd2),
      .max_frame_i    (max_frame_q),
      .map_lock_o     (map_lock[c]),
      .map_gnt_i      (map_gnt[c]),
      .map_req_o      (map_req[ReqW*c +: ReqW]),
      .map_key_o      (map_key[MaxKeyBits*c +: MaxKeyBits]),
      .map_val_o      (map_val[MaxValBits*c +: MaxValBits]),
      .map_rsp_i      (map_rsp[RspW*c +: RspW]),
      .busy_o         (busy_o[c]),
      .retire_o       (retire_o[c]),
      .retire_pc_o    (retire_pc_o[32*c +: 32])
    );
  end

  offnic_map_engine #(
    .NumCores  (NumCores),
    .ValRows   (ValRows),
    .KeyRows   (KeyRows),
    .StateRows (StateRows)
  ) u_maps (
    .clk_i,
    .rst_ni,
    .lock_i       (map_lock),
    .gnt_o        (map_gnt),
    .req_i        (map_req),
    .key_i        (map_key),
    .val_i        (map_val),
    .rsp_o        (map_rsp),
    .host_valid_i (host_valid_i && map_tgt),
    .host_we_i    (host_we_i),
    .host_tgt_i   (host_tgt_i),
    .host_addr_i  (host_addr_i),
    .host_wdata_i (host_wdata_i),
    .host_rdata_o (map_rdata)
  );

  // Read data of the previous cycle's request
  logic          map_tgt_q;
  logic [Cw-1:0] host_core_q;

  always_ff @(posedge clk_i) begin
    map_tgt_q   <= map_tgt;
    host_core_q <= host_core_i;
  end

  assign host_rdata_o = map_tgt_q ? map_rdata : core_rdata[host_core_q];

endmodule
