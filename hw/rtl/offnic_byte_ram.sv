// SPDX-License-Identifier: (GPL-2.0 OR MIT)
// Byte-addressed RAM with one port that reads or writes up to 8 bytes at
// any (unaligned) address in one access: eight byte-wide banks, bank b
// holding the bytes whose address is b modulo 8.  Read data arrives one
// cycle after the request, byte 0 = the byte at addr.  Each bank is a
// plain one-port memory, so synthesis infers block or distributed RAM.

module offnic_byte_ram #(
  parameter int unsigned Rows = 512,  // 8-byte rows
  localparam int unsigned Aw = $clog2(Rows) + 3
) (
  input  logic          clk_i,
  input  logic          req_i,
  input  logic          we_i,
  input  logic [Aw-1:0] addr_i,
  input  logic [7:0]    be_i,     // bytes to write, in access order
  input  logic [63:0]   wdata_i,  // byte k goes to addr + k
  output logic [63:0]   rdata_o   // byte k = mem[addr + k], a cycle later
);

  localparam int unsigned Rw = Aw - 3;

  logic [2:0] rot_q;
  logic [7:0] bank_rdata [8];

  for (genvar b = 0; b < 8; b++) begin : gen_bank
    logic [7:0]    mem [Rows] /*verilator public_flat_rd*/;
    logic [2:0]    k;      // which byte of the access lands in this bank
    logic [Aw-1:0] byte_addr;
    logic [Rw-1:0] row;

    assign k         = 3'(b) - addr_i[2:0];
    assign byte_addr = addr_i + Aw'(k);
    assign row       = byte_addr[Aw-1:3];

    logic unused_low;
    assign unused_low = ^byte_addr[2:0];

    always_ff @(posedge clk_i) begin
      if (req_i) begin
        if (we_i && be_i[k]) begin
          mem[row] <= wdata_i[8*k +: 8];
        end
        bank_rdata[b] <= mem[row];
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (req_i) begin
      rot_q <= addr_i[2:0];
    end
  end

  always_comb begin
    for (int k = 0; k < 8; k++) begin
      rdata_o[8*k +: 8] = bank_rdata[3'(k) + rot_q];
    end
  end

endmodule
