# SPDX-License-Identifier: (GPL-2.0 OR MIT)
# Area of the offnic engine on Xilinx 7-series (yosys synth_xilinx).
# Environment: RTL_DIR, CORES, LANES, VAL_ROWS, KEY_ROWS, STATE_ROWS, OUT
yosys -import

set rtl $::env(RTL_DIR)
foreach f {offnic_isa_pkg.sv offnic_pkg.sv offnic_byte_ram.sv offnic_alu.sv
           offnic_cond.sv offnic_divider.sv offnic_decoder.sv offnic_helper.sv
           offnic_core.sv offnic_map_engine.sv offnic_engine.sv} {
    read_verilog -sv $rtl/$f
}
chparam -set NumCores $::env(CORES) -set NumLanes $::env(LANES) \
    -set ValRows $::env(VAL_ROWS) -set KeyRows $::env(KEY_ROWS) \
    -set StateRows $::env(STATE_ROWS) offnic_engine
synth_xilinx -top offnic_engine -family xc7
# per module and, below "design hierarchy", the whole engine

yosys rename -top offnic_engine
yosys tee -o $::env(OUT) stat -top offnic_engine
