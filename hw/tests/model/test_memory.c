// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Memory protection, space by space and direction by direction, with
 * off-by-one accesses at both ends; load/store sizes, byte swap and sign
 * extension.  The default packet is 64 bytes 0..63 at offset 256, so
 * p2 = data (PKT|256), p3 = data_end (PKT|320) after the prologue.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "onm_internal.h"

#define PROLOGUE "ld.d p2, [p1] ; ld.d p3, [p1+8]\n"

static struct onm_pkt_out out;
static uint64_t r[32];

/* Run body after the prologue, a bundle at a time; check for a fault of
 * cause (0: none) and that the faulting bundle changed neither the
 * packet buffer nor the stack nor any register.
 */
static int access(const char *body, uint32_t cause)
{
	static struct onm_arch_state before;
	const struct onm_arch_state *st;
	struct onm_pkt_in in = { 0 };
	struct onm_engine *e;
	uint8_t frame[64];
	char src[1024];
	int i, untouched, status;

	for (i = 0; i < 64; i++)
		frame[i] = (uint8_t)i;
	in.frame = frame;
	in.len = sizeof(frame);
	snprintf(src, sizeof(src), ".map array key=4 value=12 entries=2\n"
		 ".map hash key=4 value=8 entries=4\n"
		 PROLOGUE "%s\nexit 2\n", body);
	e = t_load(src, NULL);
	onm_begin(e, 0, &in);
	st = onm_state(e, 0);
	do {
		before = *st;
		status = onm_step(e, 0);
	} while (status == ONM_RUNNING);
	onm_finish(e, 0, &out);
	memcpy(r, st->regs, sizeof(r));
	untouched = !memcmp(before.pkt, st->pkt, sizeof(st->pkt)) &&
		    !memcmp(before.stack, st->stack, sizeof(st->stack)) &&
		    !memcmp(before.regs, st->regs, sizeof(st->regs));
	onm_destroy(e);
	if (!cause)
		return !out.faulted && out.verdict == 2;
	return out.faulted && out.fault.cause == cause &&
	       out.verdict == ONM_XDP_ABORTED && untouched;
}

/* A test name from a program: newlines become "; " */
static const char *oneline(const char *s)
{
	static char buf[512];
	size_t n = 0;

	for (; *s && n + 3 < sizeof(buf); s++) {
		if (*s == '\n') {
			buf[n++] = ';';
			buf[n++] = ' ';
		} else {
			buf[n++] = *s;
		}
	}
	buf[n] = '\0';
	return buf;
}

/* p0 = value pointer of array entry i (map 0) */
#define LOOKUP(i) "mov p3, " #i "\nst.w [p10-4], p3\nldk p1, %map0 ; add p2, p10, -4\nhcall map_lookup\n"
/* map 1 (hash): insert key 5, p6 = its value pointer, then delete it */
#define HUPDATE "mov p3, 5\nst.w [p10-4], p3\nldk p1, %map1 ; add p2, p10, -4 ; add p3, p10, -16 ; mov p4, 0\nhcall map_update\n"
#define HLOOKUP "hcall map_lookup\nmov p6, p0\n"
#define HDELETE "hcall map_delete\n"

struct acase {
	const char *what;
	const char *body;
	uint32_t cause;
};

static const struct acase cases[] = {
	{ "pkt load of the last byte", "ld.b p4, [p2+63]", 0 },
	{ "pkt load one past the end", "ld.b p4, [p2+64]", ONM_FAULT_OOB },
	{ "pkt word load ending at the end", "ld.w p4, [p2+60]", 0 },
	{ "pkt word load ending one past", "ld.w p4, [p2+61]", ONM_FAULT_OOB },
	{ "pkt load one before data (no metadata)", "ld.b p4, [p2-1]", ONM_FAULT_OOB },
	{ "pkt load through data_end - 1", "ld.b p4, [p3-1]", 0 },
	{ "pkt load at data_end", "ld.b p4, [p3]", ONM_FAULT_OOB },
	{ "pkt store one past the end", "mov p5, 0xaa\nst.b [p2+64], p5", ONM_FAULT_OOB },
	{ "pkt store one before data", "mov p5, 0xaa\nst.b [p2-1], p5", ONM_FAULT_OOB },
	{ "pkt dword store straddling the end", "st.d [p2+57], p2", ONM_FAULT_OOB },
	{ "pkt pointer with bits [59:16] set",
	  "ldk p5, =0x1000000000010100\nld.b p4, [p5]", ONM_FAULT_OOB },
	{ "stack load of the top byte", "ld.b p4, [p10-1]", 0 },
	{ "stack load at the top", "ld.b p4, [p10]", ONM_FAULT_OOB },
	{ "stack dword load straddling the top", "ld.d p4, [p10-7]", ONM_FAULT_OOB },
	{ "stack load of byte 0", "ld.b p4, [p10-512]", 0 },
	{ "stack load below byte 0", "ld.b p4, [p10-513]", ONM_FAULT_OOB },
	{ "stack store at the top", "st.b [p10], p2", ONM_FAULT_OOB },
	{ "stack store below byte 0", "st.b [p10-513], p2", ONM_FAULT_OOB },
	{ "ctx load of data", "ld.d p4, [p1]", 0 },
	{ "ctx load of 4 bytes", "ld.w p4, [p1]", ONM_FAULT_OOB },
	{ "ctx load misaligned", "ld.d p4, [p1+4]", ONM_FAULT_OOB },
	{ "ctx load of an undefined field", "ld.d p4, [p1+104]", ONM_FAULT_OOB },
	{ "ctx load past the fields", "ld.d p4, [p1+128]", ONM_FAULT_OOB },
	{ "ctx store to a writable field", "st.d [p1+64], p2", 0 },
	{ "ctx store to a read-only field", "st.d [p1], p2", ONM_FAULT_RO },
	{ "ctx store of 4 bytes", "st.w [p1+64], p2", ONM_FAULT_OOB },
	{ "array value: last 4 bytes", LOOKUP(1) "ld.w p4, [p0+8]", 0 },
	{ "array value: 4 bytes one past", LOOKUP(1) "ld.w p4, [p0+9]", ONM_FAULT_OOB },
	{ "array value: padding after value_size", LOOKUP(1) "ld.b p4, [p0+12]", ONM_FAULT_OOB },
	{ "array value: one before the value (previous padding)", LOOKUP(1) "ld.b p4, [p0-1]", ONM_FAULT_OOB },
	{ "array value: entry max_entries", LOOKUP(1) "ld.b p4, [p0+16]", ONM_FAULT_OOB },
	{ "array value: store past value_size", LOOKUP(1) "st.w [p0+9], p2", ONM_FAULT_OOB },
	{ "mapval in an empty slot", "ldk p5, =0x3050000000000000\nld.b p4, [p5]", ONM_FAULT_BAD_MAP },
	{ "mapval with bits [51:32] set", "ldk p5, =0x3000000100000000\nld.b p4, [p5]", ONM_FAULT_OOB },
	{ "hash value of a deleted entry", HUPDATE HLOOKUP HDELETE "ld.b p4, [p6]", ONM_FAULT_OOB },
	{ "hash value of a live entry", HUPDATE HLOOKUP "ld.d p4, [p6]", 0 },
	{ "load through a map handle", "ldk p5, %map0\nld.b p4, [p5]", ONM_FAULT_BAD_SPACE },
	{ "load through a scalar", "mov p5, 64\nld.b p4, [p5]", ONM_FAULT_BAD_SPACE },
	{ "load through an undefined tag", "ldk p5, =0x7000000000000000\nld.b p4, [p5]", ONM_FAULT_BAD_SPACE },
	{ "atomic on the packet", "atomic.add.d [p2], p5", ONM_FAULT_BAD_SPACE },
	{ "atomic on the context", "atomic.add.d [p1+64], p5", ONM_FAULT_BAD_SPACE },
	{ "atomic straddling the stack top", "atomic.add.d [p10-4], p5", ONM_FAULT_OOB },
};

static void test_protection(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct acase *c = &cases[i];

		if (!tap_ok(access(c->body, c->cause), "%s: %s", c->what,
			    c->cause ? onm_fault_name(c->cause) : "allowed"))
			tap_diag("verdict %u fault %s addr 0x%llx", out.verdict,
				 onm_fault_name(out.fault.cause),
				 (unsigned long long)out.fault.addr);
	}
	access("ld.b p4, [p2+64]", ONM_FAULT_OOB);
	tap_ok(out.fault.addr == ((uint64_t)ONM_SPACE_PKT << 60 | 320) &&
	       out.fault.pc == 1 && out.fault.lane == 0,
	       "the fault record holds the full faulting address, pc and lane");
}

static void test_metadata_window(void)
{
	static const char *const meta =
		"mov p2, -8\nhcall adjust_meta\nld.d p5, [p1+16] ; ld.d p2, [p1]\n";
	char body[256];

	snprintf(body, sizeof(body), "%sld.b p4, [p5]", meta);
	tap_ok(access(body, 0), "metadata byte 0 is in the packet window");
	snprintf(body, sizeof(body), "%sld.b p4, [p5-1]", meta);
	tap_ok(access(body, ONM_FAULT_OOB), "one byte before the metadata is out of bounds");
}

static void test_ctx_values(void)
{
	struct onm_engine *e = t_load(
		"ld.d p3, [p1] ; ld.d p4, [p1+8]\nld.d p5, [p1+16] ; ld.d p6, [p1+48]\n"
		"ld.d p7, [p1+24] ; ld.d p8, [p1+64]\nst.d [p1+64], p7\nexit 2\n", NULL);
	struct onm_pkt_in in = { 0 };
	uint8_t frame[100] = { 0 };
	const uint64_t pkt = (uint64_t)ONM_SPACE_PKT << 60;
	const struct onm_arch_state *st;

	in.frame = frame;
	in.len = sizeof(frame);
	in.headroom = 128;
	in.ctx[ONM_CTX_IFINDEX] = 7;
	in.ctx[ONM_CTX_MARK] = 0x55;
	in.ctx[ONM_CTX_DATA] = 0xdead;	/* derived fields ignore the input */
	onm_run(e, 0, &in, &out);
	st = onm_state(e, 0);
	tap_ok(st->regs[3] == (pkt | 128) && st->regs[4] == (pkt | 228) &&
	       st->regs[5] == (pkt | 128) && st->regs[6] == 100,
	       "ctx data/data_end/data_meta are PKT pointers, len the packet length");
	tap_ok(st->regs[7] == 7 && st->regs[8] == 0x55 && out.ctx[ONM_CTX_MARK] == 7,
	       "scalar ctx fields come from the input; writable fields reach the output");
	onm_destroy(e);
}

struct vcase {
	const char *body;	/* result in p4 */
	uint64_t want;
};

static const struct vcase values[] = {
	{ "ld.h p4, [p2+12]", 0x0d0c },
	{ "ld.h.be p4, [p2+12]", 0x0c0d },
	{ "ld.w.be p4, [p2]", 0x00010203 },
	{ "ld.w p4, [p2]", 0x03020100 },
	{ "ld.d.be p4, [p2+8]", 0x08090a0b0c0d0e0fULL },
	{ "ld.d p4, [p2+8]", 0x0f0e0d0c0b0a0908ULL },
	{ "mov p5, 0x80\nst.b [p10-1], p5\nld.b.s p4, [p10-1]", (uint64_t)-128 },
	{ "mov p5, 0x80\nst.b [p10-1], p5\nld.b p4, [p10-1]", 0x80 },
	{ "mov p5, 0x180\nst.h [p10-2], p5\nld.h.be.s p4, [p10-2]", 0xffffffffffff8001ULL },
	{ "mov p5, -2\nst.w [p10-4], p5\nld.w.s p4, [p10-4]", (uint64_t)-2 },
	{ "mov p5, -2\nst.w [p10-4], p5\nld.w p4, [p10-4]", 0xfffffffe },
	{ "mov p5, 0x1234\nst.h.be [p10-2], p5\nld.b p4, [p10-2]", 0x12 },
	{ "ldk p5, =0x1122334455667788\nst.w [p10-8], p5\nld.d p4, [p10-8]", 0x55667788 },
	{ "ldk p5, =0x1122334455667788\nst.d.be [p10-8], p5\nld.b p4, [p10-8]", 0x11 },
	{ "ldk p5, =0x1122334455667788\nst.w.be [p10-8], p5\nld.w p4, [p10-8]", 0x88776655 },
	{ "ld.h p4, [p2+61]", 0x3e3d },		/* unaligned is fine */
};

static void test_sizes_swaps_sext(void)
{
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		int ok = access(values[i].body, 0) && r[4] == values[i].want;

		if (!tap_ok(ok, "%s -> 0x%llx", oneline(values[i].body),
			    (unsigned long long)values[i].want))
			tap_diag("got 0x%llx (fault %s)", (unsigned long long)r[4],
				 onm_fault_name(out.fault.cause));
	}
}

int main(void)
{
	test_protection();
	test_metadata_window();
	test_ctx_values();
	test_sizes_swaps_sext();
	return tap_done();
}
