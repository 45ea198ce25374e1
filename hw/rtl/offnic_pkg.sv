// SPDX-License-Identifier: (GPL-2.0 OR MIT)
// Types shared by the offnic engine's modules; the ISA itself is the
// generated offnic_isa_pkg.

package offnic_pkg;

  // Largest key and value a map may have in this RTL: the core stages them
  // in flops before handing them to the map engine.
  localparam int unsigned MaxKeyBytes   = 64;
  localparam int unsigned MaxValueBytes = 64;
  localparam int unsigned NumMapSlots   = 64;
  // Event ring (EVENT_OUT): records of up to EventMaxBytes
  localparam int unsigned EventMaxBytes = 1024;
  // The port's frame length at reset (OFFNIC_MAX_FRAME, ONM_DEF_MAX_FRAME):
  // adjust_head/tail never grow a frame past it.  Host CFG register 21.
  localparam logic [15:0] DefMaxFrame = 16'd1514;

  // Commands a core sends to the shared map engine.  A core holds `lock`
  // for a whole bundle, so everything a bundle does to map memory is
  // atomic with respect to the other cores.
  typedef enum logic [3:0] {
    MCMD_VAL_RD,      // read size bytes at a MAPVAL offset (bounds-checked)
    MCMD_VAL_WR,      // write size bytes at a MAPVAL offset (bounds-checked)
    MCMD_INFO,        // definition of a slot
    MCMD_LOOKUP,      // key -> entry index (array or hash)
    MCMD_UPD_PROBE,   // key, flags -> bucket to write, or -errno
    MCMD_UPD_COMMIT,  // write key + value into the probed bucket
    MCMD_DEL_PROBE,   // key -> bucket to delete, or -errno
    MCMD_DEL_COMMIT,  // mark the probed bucket a tombstone
    MCMD_EV_WR,       // write size bytes at offset off of the next event record
    MCMD_EV_PUSH      // publish it: slot, flags = wdata, length = off
  } map_cmd_e;

  typedef struct packed {
    logic        lock;
    logic        valid;
    map_cmd_e    cmd;
    logic [7:0]  slot;     // MAPVAL bits [59:52]; >= NumMapSlots: BAD_MAP
    logic        rsvd;     // MAPVAL pointer has bits [51:32] set: OOB
    logic [31:0] off;      // MAPVAL byte offset, or bucket for *_COMMIT
    logic [3:0]  size;     // bytes moved, 1..8
    logic [16:0] chk_size; // bytes from off that must lie in one value
    logic [63:0] wdata;
    logic [1:0]  flags;  // BPF_ANY / NOEXIST / EXIST
  } map_req_t;

  typedef struct packed {
    logic        done;       // one-cycle pulse answering `valid`
    logic        fault;      // VAL_*: the access faults
    logic [3:0]  cause;      // ISA fault code when `fault`
    logic [63:0] rdata;      // VAL_RD data; LOOKUP: value offset;
                             // PROBE: 0 or -errno
    logic        found;      // LOOKUP: key present; UPD_PROBE: new key
    logic [31:0] index;      // LOOKUP/PROBE: entry or bucket; INFO: max_entries
    logic        ring_full;  // INFO: the event ring has no free record
    logic [1:0]  map_type;   // INFO: 0 = no map in the slot
    logic [8:0]  key_size;   // INFO
    logic [16:0] value_size; // INFO
  } map_rsp_t;

  // Widths of the two structs above, for flat per-core port vectors
  // (yosys 0.23 has no $bits of a type; lint flags a wrong value)
  localparam int unsigned MapReqW = 134;
  localparam int unsigned MapRspW = 132;

  // Host port targets (offnic_engine): see docs/rtl.md
  typedef enum logic [3:0] {
    HOST_IMEM      = 4'd0,  // word addr = bundle * lanes + lane, all cores
    HOST_CONST     = 4'd1,  // constant pool word, all cores
    HOST_PKT       = 4'd2,  // packet buffer, 8 bytes at a byte address
    HOST_CTX       = 4'd3,  // context field by index
    HOST_CFG       = 4'd4,  // core configuration / status, see offnic_core
    HOST_REG       = 4'd5,  // register file, read only
    HOST_STACK     = 4'd6,  // stack, 8 bytes at a byte address, read only
    HOST_PERF      = 4'd7,  // perf counters by index, read only
    HOST_MAP_SLOT  = 4'd8,  // map slot table: addr = slot * 8 + field
    HOST_MAP_VAL   = 4'd9,  // map value memory, 8 bytes at a byte address
    HOST_MAP_KEY   = 4'd10, // map key memory, 8 bytes at a byte address
    HOST_MAP_STATE = 4'd11, // hash bucket states, one per address
    HOST_EVENT     = 4'd12  // event ring: 0 count (write: pop), 1 {core, slot},
                            // 2 flags, 3 length, 4096 + n: data bytes n..n+7
  } host_tgt_e;

  typedef struct packed {
    logic        valid;
    logic        we;
    logic [3:0]  tgt;    // host_tgt_e
    logic [1:0]  core;   // core for per-core targets
    logic [31:0] addr;
    logic [63:0] wdata;
  } host_req_t;

endpackage
