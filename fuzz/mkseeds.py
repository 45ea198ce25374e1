#!/usr/bin/env python3
# SPDX-License-Identifier: (GPL-2.0 OR MIT)
"""Seed corpora for the fuzz harnesses, from the project's own tests.

usage: mkseeds.py ROOT JIT_BUILD_DIR MODEL_BUILD_DIR CORPUS_DIR

  jit    the raw programs of offload-jit/tests/corpus and the programs
         of the test objects (JIT_BUILD_DIR/progs), under the harness's
         8-byte header (XDP or tc, 4 lanes)
  elf    the test objects, their DWARF stripped (BTF kept)
  image  each test object's image (offnic-jit) after a UDP frame, and
         images assembled (offnic-as) to call the other helpers
  ctrl   request sequences: identify, counters, map life cycles, and a
         program loaded, test-run on a frame, inspected and unloaded

Seeds are named by what they came from; re-running replaces them.
"""
import glob
import os
import re
import struct
import subprocess
import sys
import tempfile

ROOT, JITB, MODELB, OUT = sys.argv[1:5]
JIT = os.path.join(JITB, "offnic-jit")
AS = os.path.join(MODELB, "offnic-as")

# offnic_abi.h
CMD = dict(IDENTIFY=1, READ_COUNTER=2, LOAD_PROG=3, UNLOAD_PROG=4,
           MAP_ALLOC=5, MAP_FREE=6, MAP_LOOKUP=7, MAP_UPDATE=8,
           MAP_DELETE=9, MAP_GETNEXT=10, PROG_STATS=11, TEST_RUN=12,
           READ_FAULTS=13, INJECT=14)
MAX_MAPS = 64


def put(sub, name, data):
    d = os.path.join(OUT, sub)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def udp_frame(dport=9, payload=b"offnic-fuzz-seed"):
    eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
    udp_len = 8 + len(payload)
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 1, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    udp = struct.pack(">HHHH", 4242, dport, udp_len, 0)
    return eth + ip + udp + payload


def elf_sections(data):
    """name -> (type, bytes) of an ELF64 little-endian object"""
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    hdrs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
            for i in range(shnum)]
    stroff = hdrs[shstrndx][4]
    out = {}
    for h in hdrs:
        name = data[stroff + h[0]:data.index(b"\0", stroff + h[0])].decode()
        out[name] = (h[1], h[2], data[h[4]:h[4] + h[5]])
    return out


def prog_insns(path):
    """the instructions of each executable section but .text"""
    secs = elf_sections(open(path, "rb").read())
    return {n: d for n, (t, fl, d) in secs.items()
            if t == 1 and fl & 4 and n != ".text" and d}


def jit_seeds():
    for path in sorted(glob.glob(os.path.join(ROOT, "offload-jit/tests/corpus/*.data"))):
        raw, sect = [], None
        for line in open(path):
            if line.startswith("-- "):
                sect = line[3:].split()[0]
                continue
            if sect == "raw":
                raw.append(re.sub(r"[^0-9a-fA-F]", "", line.split("#")[0]))
        if raw:
            insns = bytes.fromhex("".join(raw))
            put("jit", os.path.basename(path)[:-5],
                bytes([3 << 1, 0, 0, 0, 0, 0, 0, 0]) + insns)
    for obj in sorted(glob.glob(os.path.join(JITB, "progs/*.bpf.o"))):
        base = os.path.basename(obj)[:-6]
        for sec, insns in prog_insns(obj).items():
            tc = 1 if sec.startswith("tc") or sec.startswith("classifier") else 0
            put("jit", "%s-%s" % (base, sec.replace("/", "_")),
                bytes([tc | 3 << 1, 0, 0, 0, 0, 0, 0, 0]) + insns)


# Images from assembly, for the helpers no test object calls (the model's
# own helper tests use the same programs: hw/tests/model/test_helpers.c)
ASM = {
    "asm-event-output":
        ".map perf_event key=4 value=4 entries=4\n"
        ".map array key=4 value=4 entries=1\n"
        "ldk p3, =0x1122334455667788\nst.d [p10-8], p3\n"
        "ldk p2, %map0 ; ldk p3, =0x400000000 ; add p4, p10, -8 ; mov p5, 8\n"
        "hcall event_output\nexit 2\n",
    "asm-csum-diff":
        "mov p6, 0x0a\nst.w [p10-8], p6\nld.d p1, [p1+0] ; mov p2, 8 ; add p3, p10, -8\n"
        "mov p4, 4 ; mov p5, 0\nhcall csum_diff\nexit 2\n",
    "asm-adjust":
        "mov p2, -8\nhcall adjust_meta\nmov p2, -10\nhcall adjust_tail\n"
        "mov p2, 10\nhcall adjust_tail\nmov p2, 4\nhcall adjust_head\nexit 2\n",
    "asm-map-update-lookup":
        ".map hash key=4 value=8 entries=8\n"
        "mov p6, 7\nst.w [p10-4], p6\nst.d [p10-16], p6\n"
        "ldk p1, %map0 ; add p2, p10, -4 ; add p3, p10, -16 ; mov p4, 0\n"
        "hcall map_update\nldk p1, %map0 ; add p2, p10, -4\nhcall map_lookup\n"
        "ldk p1, %map0 ; add p2, p10, -4\nhcall map_delete\nexit 2\n",
}


def asm_images():
    out = []
    for name, src in ASM.items():
        with tempfile.TemporaryDirectory() as d:
            s, img = os.path.join(d, "p.s"), os.path.join(d, "p.img")
            open(s, "w").write(src)
            subprocess.run([AS, s, "-o", img], check=True)
            out.append((name, open(img, "rb").read()))
    return out


def objects():
    objs = sorted(glob.glob(os.path.join(JITB, "progs/*.bpf.o")))
    return objs


def image_of(obj):
    with tempfile.NamedTemporaryFile(suffix=".img") as t:
        subprocess.run([JIT, "-q", "-o", t.name, obj], check=True)
        return open(t.name, "rb").read()


def image_maps(img):
    magic, ver, lanes, nb, nc, nr, nm = struct.unpack_from("<7I", img, 0)
    off = 48 + 8 * (nb * lanes + nc) + 8 * nr
    return [struct.unpack_from("<6I", img, off + 24 * i) for i in range(nm)]


def req(op, payload):
    return bytes([CMD[op]]) + struct.pack("<H", len(payload)) + payload


def ctrl_seeds(images):
    put("ctrl", "identify-counters",
        req("IDENTIFY", b"") + b"".join(req("READ_COUNTER", struct.pack("<II", i, 0))
                                        for i in range(7)))
    arr = req("MAP_ALLOC", struct.pack("<6I", 1, 4, 8, 16, 0, 0))
    k, v = struct.pack("<I", 3), struct.pack("<Q", 0x1122334455667788)
    put("ctrl", "array-map",
        arr + req("MAP_UPDATE", struct.pack("<4I", 0, 0, 0, 0) + k + v) +
        req("MAP_LOOKUP", struct.pack("<4I", 0, 0, 0, 0) + k) +
        req("MAP_GETNEXT", struct.pack("<4I", 0, 0, 1, 0) + k) +
        req("MAP_DELETE", struct.pack("<4I", 0, 0, 0, 0) + k) +
        req("MAP_FREE", struct.pack("<4I", 0, 0, 0, 0)))
    hsh = req("MAP_ALLOC", struct.pack("<6I", 2, 8, 16, 32, 0, 0))
    hk, hv = b"flowkey!", b"v" * 16
    put("ctrl", "hash-map",
        hsh + req("MAP_UPDATE", struct.pack("<4I", 0, 1, 0, 0) + hk + hv) +
        req("MAP_UPDATE", struct.pack("<4I", 0, 2, 0, 0) + hk + hv[::-1]) +
        req("MAP_LOOKUP", struct.pack("<4I", 0, 0, 0, 0) + hk) +
        req("MAP_GETNEXT", struct.pack("<4I", 0, 0, 0, 0)) +
        req("MAP_DELETE", struct.pack("<4I", 0, 0, 0, 0) + hk) +
        req("MAP_FREE", struct.pack("<4I", 0, 0, 0, 0)))
    frame = udp_frame()
    for name, img in images:
        lanes, ptype = struct.unpack_from("<I", img, 8)[0], struct.unpack_from("<I", img, 28)[0]
        if lanes != 4:
            continue
        slot = 1 if ptype == 2 else 0
        seq, slots = b"", []
        for (mtype, ks, vs, ents, fl, _) in image_maps(img):
            if mtype == 3:
                slots.append(-1)
                continue
            slots.append(len([s for s in slots if s >= 0]))
            seq += req("MAP_ALLOC", struct.pack("<6I", mtype, ks, vs, ents, fl, 0))
        lp = struct.pack("<II", slot, len(slots)) + \
            struct.pack("<%di" % MAX_MAPS, *(slots + [0] * (MAX_MAPS - len(slots)))) + \
            struct.pack("<II", len(img), 7)
        seq += req("LOAD_PROG", lp + img)
        seq += req("TEST_RUN", struct.pack("<II", slot, len(frame)) + frame)
        seq += req("PROG_STATS", struct.pack("<II", slot, 0))
        seq += req("READ_FAULTS", struct.pack("<II", slot, 0))
        seq += req("UNLOAD_PROG", struct.pack("<II", slot, 0))
        put("ctrl", "prog-" + name, seq)


def main():
    jit_seeds()
    images = []
    for obj in objects():
        base = os.path.basename(obj)[:-6]
        subprocess.run(["llvm-strip", "--strip-debug", "-o",
                        os.path.join(OUT, "elf", base + ".o"), obj], check=True)
        img = image_of(obj)
        images.append((base, img))
        frame = udp_frame()
        put("image", base, struct.pack("<H", len(frame)) + bytes([1, 0, 7, 0, 0, 0]) +
            frame + img)
    for name, img in asm_images():
        frame = udp_frame()
        put("image", name, struct.pack("<H", len(frame)) + bytes([1, 0, 7, 0, 0, 0]) +
            frame + img)
    ctrl_seeds(images)


if __name__ == "__main__":
    os.makedirs(os.path.join(OUT, "elf"), exist_ok=True)
    main()
