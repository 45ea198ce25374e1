#!/bin/sh
# SPDX-License-Identifier: (GPL-2.0 OR MIT)
# Sum a yosys `stat -top` of a synth_xilinx netlist (the "design
# hierarchy" totals) into LUT / FF / BRAM36 / DSP / LUTRAM / INV cells
# (INV: yosys leaves inverters as cells; place and route folds most into
# LUTs).
printf '%-8s %8s %8s %8s %6s %6s %6s\n' config LUT FF BRAM36 DSP LUTRAM INV
for f in "$@"; do
	awk -v name="$(basename "$f" .txt | sed 's/stat_//')" '
	/design hierarchy/     { lut = ff = bram = dsp = lutram = inv = 0 }
	$1 ~ /^LUT[1-6]$/      { lut += $2 }
	$1 ~ /^FD[CPRS]E?$/    { ff += $2 }
	$1 == "RAMB36E1"       { bram += $2 }
	$1 == "RAMB18E1"       { bram += $2 / 2 }
	$1 == "DSP48E1"        { dsp += $2 }
	$1 ~ /^RAM(32|64|128|256)/ { lutram += $2 }
	$1 == "INV"            { inv += $2 }
	END { printf "%-8s %8d %8d %8.1f %6d %6d %6d\n", name, lut, ff, bram, dsp, lutram, inv }
	' "$f"
done
