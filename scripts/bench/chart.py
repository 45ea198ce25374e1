# SPDX-License-Identifier: (GPL-2.0 OR MIT)
"""The chart of `make bench`: cycles per packet per program, 4 lanes,
beside hXDP's published figure, drawn with Debian's gnuplot (gnuplot-nox)
as an SVG next to bench.md, and as text bars in bench.md itself.

  write(raw, hxdp_cpp, fast_path, svg) -> markdown lines naming the file
"""
import os
import shutil
import subprocess

COLS = ("offnic median", "offnic fast path", "hXDP")


def rows(raw, hxdp_cpp, fast_path):
    """(program, median, fast-path median or None, hXDP or None) at 4 lanes"""
    out = []
    for p in raw["programs"]:
        l = next((x for x in p.get("lanes", []) if x["lanes"] == 4), None)
        m = l.get("model") if l and "error" not in l else None
        if not m or not m.get("cycles"):
            continue
        fv = fast_path.get(p["name"])
        bv = m["by_verdict"].get(fv) if fv else None
        h = hxdp_cpp.get(p["name"])
        out.append((p["name"], m["cycles"]["median"],
                    bv["cycles"]["median"] if bv else None, h[0] if h else None))
    return out


def text_bars(data, width=30):
    """One line per program: offnic's median and hXDP's, as bars"""
    top = max(max(r[1], r[3] or 0) for r in data) or 1
    lines = []
    for name, med, _, hx in data:
        bar = "█" * max(1, round(med * width / top))
        hbar = ("░" * max(1, round(hx * width / top))) if hx else ""
        lines.append(f"{name:16} offnic {bar} {med:g}")
        if hx:
            lines.append(f"{'':16} hXDP   {hbar} {hx:g}")
    return lines


def write(raw, hxdp_cpp, fast_path, svg):
    data = rows(raw, hxdp_cpp, fast_path)
    if not data:
        return []
    out = ["### Chart", "",
           "Cycles per packet at 4 lanes: offnic's median over all packets "
           "(█) and hXDP's published figure (░).", "", "```"]
    out += text_bars(data)
    out += ["```", ""]
    base = os.path.splitext(svg)[0]
    with open(base + ".dat", "w") as f:
        f.write("program " + " ".join(f'"{c}"' for c in COLS) + "\n")
        for name, med, fp, hx in data:
            cells = [med, fp, hx]
            f.write(f"{name} " + " ".join("NaN" if v is None else f"{v:g}"
                                         for v in cells) + "\n")
    with open(base + ".gp", "w") as f:
        f.write(f"""set terminal svg size 1100,440 dynamic noenhanced background rgb "white" font "sans,11"
set output "{os.path.basename(svg)}"
set title "Cycles per packet, 4 lanes: offnic (C model = RTL architectural cycles) and hXDP (published)"
set ylabel "cycles per packet"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key top left
set grid ytics
set xtics nomirror
set yrange [0:*]
plot "{os.path.basename(base)}.dat" using 2:xtic(1) title columnheader(2), \\
     "" using 3 title columnheader(3), "" using 4 title columnheader(4)
""")
    shown = os.path.relpath(svg)
    if not shutil.which("gnuplot"):
        out.append(f"Chart not drawn: no gnuplot (scripts/deps.sh installs "
                   f"gnuplot-nox); its script is {os.path.relpath(base)}.gp.")
    else:
        r = subprocess.run(["gnuplot", os.path.basename(base) + ".gp"],
                           cwd=os.path.dirname(os.path.abspath(svg)),
                           capture_output=True, text=True)
        if r.returncode:
            out.append(f"Chart not drawn: gnuplot failed: {r.stderr.strip()[:200]}")
        else:
            out.append(f"Chart: {shown} (fast path: the median of the packets "
                       "whose verdict compares with hXDP's figure).")
    out.append("")
    return out
