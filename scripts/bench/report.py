#!/usr/bin/env python3
# SPDX-License-Identifier: (GPL-2.0 OR MIT)
"""Tables of `make bench` from offnic-bench's raw JSON plus system figures.

  report.py --check RAW.json
      TAP: every program ran at every lane count, its traffic got the
      verdicts it expects, and (where the RTL ran) model and RTL agree.
  report.py RAW.json [--model-bench F] [--area F | --area-note S]
            [--check-times F] [--pps F] [--json OUT] [--chart SVG]
      Markdown on stdout; OUT = the raw figures plus the system figures;
      SVG = the chart of cycles per packet beside hXDP's (chart.py).

The hXDP figures are the published ones (docs/benchmarks.md has the
sources): VLIW rows of the shipped ROMs, and cycles/packet derived from
the microbenchmark Mpps at 156.25 MHz.
"""
import argparse
import json
import os
import re
import sys

import chart

CLOCKS_MHZ = (156.25, 250.0)

# program -> (hXDP VLIW rows, note), (hXDP cycles/packet, what it measured)
HXDP_ROWS = {
    "xdp1": (42, ""),
    "xdp2": (48, ""),
    "router_ipv4": (58, ""),
    "rxq_info": (42, ""),
    "simple_firewall": (36, ""),
}
HXDP_CPP = {
    "xdp_drop": (3.0, "DROP"),
    "xdp_tx": (6.9, "TX"),
    "xdp1": (3.0, "DROP"),
    "xdp2": (6.9, "TX"),
    "router_ipv4": (10.4, "redirect"),
    "rxq_info": (3.0, "DROP"),
    "simple_firewall": (23.9, "firewall"),
    "firewall": (23.9, "firewall"),
}
# The verdict whose cycles compare with hXDP's figure
FAST_PATH = {
    "xdp_drop": "DROP", "xdp_tx": "TX",
    "xdp1": "DROP", "xdp2": "TX", "router_ipv4": "REDIRECT", "rxq_info": "DROP",
    "simple_firewall": "TX", "firewall": "TX", "icmp_reply": "TX",
    "ipip_encap": "TX", "l4lb": "TX",
}


def fmt(v, digits=1):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def check(raw):
    n = 0
    fail = 0

    def tap(ok, name, why=""):
        nonlocal n, fail
        n += 1
        print(f"{'ok' if ok else 'not ok'} {n} - {name}")
        if not ok:
            fail = 1
            if why:
                print(f"# {why}")

    for p in raw["programs"]:
        lanes = p.get("lanes", [])
        tap(len(lanes) == 3 and all("error" not in l for l in lanes),
            f"bench {p['name']} compiles at 1, 2 and 4 lanes", p.get("error", ""))
        for l in lanes:
            m = l.get("model")
            if not m:
                continue
            ok = not m["error"] and m["packets"] == raw["packets"] and m["unexpected"] == 0
            tap(ok, f"bench {p['name']} at {l['lanes']} lanes: every packet of its "
                "traffic gets the expected verdict on the model",
                m["error"] or f"{m['unexpected']} unexpected, first packet "
                f"{m.get('first_unexpected')}")
            r = l.get("rtl")
            if r and r["ran"]:
                tap(r["mismatches"] == 0 and r["packets"] == m["packets"],
                    f"bench {p['name']}: model and RTL report the same cycles",
                    r["note"])
    print(f"1..{n}")
    return fail


def lane(p, k):
    for l in p.get("lanes", []):
        if l["lanes"] == k:
            return l
    return None


def cycles_cell(c):
    if not c:
        return "-"
    return f"{c['min']} / {fmt(c['median'])} / {c['max']}"


def fast_path(p, l):
    v = FAST_PATH.get(p["name"])
    bv = l["model"]["by_verdict"].get(v) if v else None
    if not bv:
        return "-"
    return f"{v} {fmt(bv['cycles']['median'])}"


def table(raw, k, out):
    out.append(f"### {k} lane{'s' if k > 1 else ''}")
    out.append("")
    if k == 4 and raw.get("rtl_linked"):
        src = "the RTL, run in lockstep with the C model (rows marked * : the C " \
            "model, see the RTL notes below)"
    else:
        src = "the C model"
    out.append(f"Cycles from {src}; {raw['packets']} packets per program. "
               "Fast path: median cycles of the packets with the verdict that "
               "compares with hXDP's figure.")
    out.append("")
    out.append("| program | BPF insns | bundles | static IPC | sched/CP | JIT µs "
               "| cycles/pkt min / median / max | fast path median | Mpps @156.25 "
               "| Mpps @250 | hXDP rows | hXDP cycles/pkt |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for p in raw["programs"]:
        l = lane(p, k)
        if not l or "error" in l:
            out.append(f"| {p['name']} | error: {(l or p).get('error', '?')} |"
                       + " |" * 10)
            continue
        m = l["model"]
        c = m["cycles"]
        r = l.get("rtl")
        mark = ""
        if k == 4 and r and r["ran"] and r["cycles"] and not r["mismatches"]:
            c = r["cycles"]
        elif k == 4 and raw.get("rtl_linked"):
            mark = " *"
        med = c["median"] if c else None
        mpps = [f"{f / med:.2f}" if med else "-" for f in CLOCKS_MHZ]
        rows = HXDP_ROWS.get(p["name"])
        cpp = HXDP_CPP.get(p["name"])
        out.append(
            f"| {p['name']} | {l['bpf_insns']} | {l['bundles']} | "
            f"{l['static_ipc']:.2f} | {l['sched_cp']:.2f} | {l['jit_us']:.1f} | "
            f"{cycles_cell(c)}{mark} | {fast_path(p, l)} | {mpps[0]} | {mpps[1]} | "
            f"{rows[0] if rows else '-'} | "
            f"{f'{cpp[0]} ({cpp[1]})' if cpp else '-'} |")
    out.append("")


def rtl_clock_table(raw, out):
    """What the current RTL (a sequencer, several clocks per bundle) does"""
    rows = []
    for p in raw["programs"]:
        l = lane(p, 4)
        r = l.get("rtl") if l else None
        if not r or not r["ran"] or not r.get("clocks_per_packet"):
            continue
        cpp = r["clocks_per_packet"]
        med = cpp["median"]
        cyc = r["cycles"]["median"] if r["cycles"] else None
        rows.append(f"| {p['name']} | {fmt(cyc)} | {cpp['min']} / {fmt(med)} / {cpp['max']} "
                    f"| {r['step_clocks'] / max(r['lockstep_bundles'], 1):.1f} "
                    f"| {CLOCKS_MHZ[0] / med:.2f} | {CLOCKS_MHZ[1] / med:.2f} |")
    if not rows:
        return
    out.append("### The RTL as it is today (4 lanes, 1 core)")
    out.append("")
    out.append("The tables above count architectural cycles (one bundle per cycle plus "
               "interlock stalls: what a pipelined engine issues). The current RTL is a "
               "sequencer that spends several clocks on each bundle; these are its clocks "
               "from the first bundle to the exit (the host port's loading of the "
               "packet not counted), measured during the lockstep run.")
    out.append("")
    out.append("| program | arch. cycles/pkt median | RTL clocks/pkt min / median / max "
               "| RTL clocks/bundle | Mpps @156.25 | Mpps @250 |")
    out.append("|---|---|---|---|---|---|")
    out.extend(rows)
    out.append("")


def rtl_rows(raw):
    clocks = secs = packets = mism = bundles = 0
    notes = []
    ran = False
    for p in raw["programs"]:
        l = lane(p, 4)
        r = l.get("rtl") if l else None
        if not r:
            continue
        if r["ran"]:
            ran = True
            clocks += r["clocks"]
            bundles += r["bundles"]
            secs += r["seconds"]
            packets += r["packets"]
            mism += r["mismatches"]
        if r["note"]:
            notes.append(f"{p['name']}: {r['note']}")
    return ran, clocks, secs, packets, mism, bundles, notes


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def system(raw, a, out, sysfig):
    out.append("### System")
    out.append("")
    out.append("| figure | value |")
    out.append("|---|---|")
    ran, clocks, secs, packets, mism, bundles, notes = rtl_rows(raw)
    if ran:
        agree = "identical cycles on every packet" if not mism \
            else f"{mism} packets DISAGREE"
        rate = clocks / secs if secs else 0
        sysfig["verilator_clocks_per_s"] = rate
        sysfig["rtl_model_cycle_mismatches"] = mism
        out.append(f"| Verilator simulation speed (RTL alone, corpus traffic) | "
                   f"{rate / 1e6:.2f} M clocks/s, {bundles / secs / 1e3:.0f} K bundles/s "
                   f"({clocks} clocks, {bundles} bundles in {secs:.2f} s; "
                   f"{clocks / max(bundles, 1):.1f} clocks per bundle, the host port's packet loading included) |")
        out.append(f"| model vs RTL cycles (lockstep, {packets} packets) | {agree} |")
    else:
        why = "; ".join(notes) or "offnic-bench was built without the RTL " \
            "(Verilator build failed or BENCH_RTL=0)"
        out.append(f"| Verilator simulation speed | not measured: {why} |")
        out.append("| cycles/packet source | C model (the ISA defines RTL cycles "
                   "identically) |")
    for n in notes if ran else []:
        out.append(f"| RTL note | {n} |")
    mb = read(a.model_bench) if a.model_bench else None
    mm = re.search(r"model speed: ([\d.]+) M uops/s, ([\d.]+) M bundles/s, (\d+) packets/s",
                   mb or "")
    if mm:
        sysfig["model_muops_per_s"] = float(mm.group(1))
        out.append(f"| C model speed (`make -C hw/model bench`) | {mm.group(1)} M "
                   f"micro-ops/s, {mm.group(2)} M bundles/s, {mm.group(3)} packets/s |")
    else:
        out.append("| C model speed | not measured (`make -C hw/model bench` failed) |")
    jit = [lane(p, 4)["jit_us"] for p in raw["programs"]
           if lane(p, 4) and "jit_us" in lane(p, 4)]
    if jit:
        sysfig["jit_us_range"] = [min(jit), max(jit)]
        out.append(f"| JIT time, 4 lanes (median of {raw['jit_reps']} compiles) | "
                   f"{min(jit):.1f}-{max(jit):.1f} µs per program |")
    lim = raw.get("jit_limit")
    if lim and not lim.get("error"):
        sysfig["jit_limit_us"] = lim["jit_us"]
        out.append(f"| JIT time, a program of {lim['insns']} instructions (the limit), "
                   f"{lim['lanes']} lanes (median of {lim['reps']} compiles) | "
                   f"{lim['jit_us'] / 1e3:.1f} ms ({lim['min_us'] / 1e3:.1f}-"
                   f"{lim['max_us'] / 1e3:.1f}), {lim['bundles']} bundles |")
    elif lim:
        out.append(f"| JIT time at the limit | not measured: {lim['error']} |")
    area = read(a.area) if a.area else None
    if area:
        sysfig["area"] = area.strip()
        lines = [x for x in area.strip().splitlines() if x.strip()]
        out.append(f"| area (`make -C hw/rtl syn`, yosys synth_xilinx xc7) | "
                   f"{'<br>'.join('`' + x + '`' for x in lines)} |")
    else:
        sysfig["area"] = None
        out.append(f"| area | skipped: {a.area_note or 'no result'} |")
    times = read(a.check_times) if a.check_times else None
    if times:
        stages = [x.split() for x in times.strip().splitlines() if x.strip()]
        cells = ", ".join(f"{s[0]} {s[1]} s (exit {s[-1]})" for s in stages if len(s) >= 3)
        sysfig["check_times"] = times.strip()
        out.append(f"| last `make check` stages (build/check/times.txt) | {cells} |")
    else:
        out.append("| last `make check` stages | build/check/times.txt not present |")
    pps = read(a.pps) if a.pps else None
    label = "**end-to-end packets/s through QEMU + simulator** (lead's VM runner, " \
        "build/vm/run/pps.txt)"
    if pps:
        sysfig["e2e_pps"] = pps.strip()
        out.append(f"| {label} | {pps.strip()} |")
    else:
        out.append(f"| {label} | not measured: build/vm/run/pps.txt not present |")
    out.append("")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("raw")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--model-bench")
    ap.add_argument("--area")
    ap.add_argument("--area-note")
    ap.add_argument("--check-times")
    ap.add_argument("--pps")
    ap.add_argument("--json")
    ap.add_argument("--chart")
    a = ap.parse_args()
    with open(a.raw) as f:
        raw = json.load(f)
    if a.check:
        return check(raw)
    out = []
    for k in (1, 2, 4):
        table(raw, k, out)
    rtl_clock_table(raw, out)
    if a.chart:
        out.extend(chart.write(raw, HXDP_CPP, FAST_PATH, a.chart))
    sysfig = {}
    system(raw, a, out, sysfig)
    print("\n".join(out))
    if a.json:
        raw["system"] = sysfig
        raw["hxdp"] = {"rows": HXDP_ROWS, "cycles_per_packet": HXDP_CPP}
        tmp = a.json + ".tmp"
        with open(tmp, "w") as f:
            json.dump(raw, f, indent=1)
        os.replace(tmp, a.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
