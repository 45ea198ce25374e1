// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Offload tests: the driver's side of the offload control requests, and
 * frames from the wire through the programs the tests load.  Programs are
 * assembled with hw/asm's onm_asm(); one simulator runs a whole group.
 */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "dut.h"
#include "offload_test.h"
#include "offnic_image.h"
#include "onm_asm.h"

#define E(x)			(-(x))
#define TEST_IFINDEX		7
#define UDP_DPORT_OFF		36	/* Ethernet 14 + IPv4 20 + 2 */

static const char *engine_name;
static uint32_t rx_seen;		/* RX descriptors consumed by the tests */
static int counts_slot = -1;		/* the map the drop program counts in */

/* ---- programs ---- */

/* Drops UDP to port 9 and counts it in counts[1]; passes everything else. */
const char prog_drop_port9[] =
	".lanes 4\n.prog xdp\n"
	".map counts array key=4 value=8 entries=4\n"
	"	ld.d p2, [p1] ; ld.d p3, [p1+8] ; mov p9, 1\n"
	"	add p4, p2, 42\n"
	"	br.gt p4, p3, @pass\n"
	"	ld.h.be p5, [p2+12] ; ld.b p6, [p2+23]\n"
	"	ld.h.be p7, [p2+36] ; br.ne p5, 0x800, @pass\n"
	"	br.ne p6, 17, @pass\n"
	"	br.ne p7, 9, @pass ; st.w [p10-4], p9 ; ldk p1, %counts ; add p2, p10, -4\n"
	"	hcall map_lookup\n"
	"	br.eq p0, 0, @drop ; mov p8, 1\n"
	"	atomic.add.d [p0], p8\n"
	"@drop:	exit 1\n"
	"@pass:	exit 2\n";

/* tc: TC_ACT_SHOT for frames whose byte 50 is 0x77, TC_ACT_OK otherwise. */
static const char prog_tc_shot_77[] =
	".lanes 4\n.prog tc\n"
	"	ld.d p2, [p1] ; ld.d p3, [p1+8]\n"
	"	add p4, p2, 51\n"
	"	br.gt p4, p3, @ok\n"
	"	ld.b p5, [p2+50]\n"
	"	br.eq p5, 0x77, @shot\n"
	"@ok:	exit 0\n"
	"@shot:	exit 2\n";

/* tc: bpf_redirect() to ifindex 7 (the port, TEST_IFINDEX), or to 8 for
 * frames whose byte 50 is 0x88; the helper's TC_ACT_REDIRECT is the verdict.
 */
static const char prog_tc_redirect[] =
	".lanes 4\n.prog tc\n"
	"	ld.d p2, [p1] ; ld.d p3, [p1+8]\n"
	"	add p4, p2, 51\n"
	"	br.gt p4, p3, @ok\n"
	"	ld.b p5, [p2+50]\n"
	"	mov p1, 7 ; mov p2, 0\n"
	"	br.ne p5, 0x88, @redir\n"
	"	mov p1, 8\n"
	"@redir:	hcall redirect\n"
	"	exit p0\n"
	"@ok:	exit 0\n";

/* Swaps the MAC addresses and sends the frame back: XDP_TX. */
static const char prog_mac_swap_tx[] =
	".lanes 4\n.prog xdp\n"
	"	ld.d p2, [p1] ; ld.d p3, [p1+8]\n"
	"	add p4, p2, 14\n"
	"	br.gt p4, p3, @drop\n"
	"	ld.w p5, [p2] ; ld.h p6, [p2+4]\n"
	"	ld.w p7, [p2+6] ; ld.h p8, [p2+10]\n"
	"	st.w [p2], p7 ; st.h [p2+4], p8\n"
	"	st.w [p2+6], p5 ; st.h [p2+10], p6\n"
	"	exit 3\n"
	"@drop:	exit 1\n";

/* Reserves 8 bytes of metadata, writes a marker there, passes. */
static const char prog_meta[] =
	".lanes 4\n.prog xdp\n"
	"	mov p2, -8 ; ldk p4, =0x1122334455667788\n"
	"	hcall adjust_meta\n"
	"	br.ne p0, 0, @out\n"
	"	ld.d p3, [p1+16]\n"
	"	st.d [p3], p4\n"
	"@out:	exit 2\n";

/* Grows the head by 4 bytes (written 0d 0c 0b 0a), cuts 2 off the tail. */
static const char prog_head_tail[] =
	".lanes 4\n.prog xdp\n"
	"	mov p2, -4 ; mov p9, 0x0a0b0c0d\n"
	"	hcall adjust_head\n"
	"	mov p2, -2\n"
	"	hcall adjust_tail\n"
	"	ld.d p3, [p1]\n"
	"	st.w [p3], p9\n"
	"	exit 2\n";

/* Grows the head by 16 bytes; over 100 bytes, fills them with 0xff. */
static const char prog_head_grow16[] =
	".lanes 4\n.prog xdp\n"
	"	mov p2, -16\n"
	"	hcall adjust_head\n"
	"	ld.d p3, [p1] ; ld.d p4, [p1+8] ; mov p9, -1\n"
	"	sub p5, p4, p3\n"
	"	br.le p5, 100, @pass\n"
	"	st.d [p3], p9\n"
	"	st.d [p3+8], p9\n"
	"@pass:	exit 2\n";

/* issue 10's reproduction: frames over 1000 bytes grow by 200, then pass. */
static const char prog_grow_200[] =
	".lanes 4\n.prog xdp\n"
	"	ld.d p3, [p1] ; ld.d p4, [p1+8]\n"
	"	sub p5, p4, p3\n"
	"	br.le p5, 1000, @pass\n"
	"	mov p2, 200\n"
	"	hcall adjust_tail\n"
	"@pass:	exit 2\n";

/* Reads far past the end of the frame: an out-of-bounds fault at pc 1. */
static const char prog_oob[] =
	".lanes 4\n.prog xdp\n"
	"	ld.d p2, [p1]\n"
	"	ld.b p3, [p2+3000]\n"
	"	exit 2\n";

/* Emits the 8 bytes 0x1234 to the perf event array, passes. */
static const char prog_event[] =
	".lanes 4\n.prog xdp\n"
	".map events perf_event key=4 value=4 entries=1\n"
	"	mov p6, 0x1234 ; ldk p2, %events ; ldk p3, =0xffffffff\n"
	"	st.d [p10-8], p6 ; add p4, p10, -8 ; mov p5, 8\n"
	"	hcall event_output\n"
	"	exit 2\n";

/* Looks up a 128-byte value (more than this RTL stages), passes. */
static const char prog_big_value[] =
	".lanes 4\n.prog xdp\n"
	".map big array key=4 value=128 entries=2\n"
	"	mov p9, 1\n"
	"	st.w [p10-4], p9 ; ldk p1, %big ; add p2, p10, -4\n"
	"	hcall map_lookup\n"
	"	exit 2\n";

/* ---- requests ---- */

static int call(uint32_t op, const void *in, uint32_t len, void *out, uint32_t *out_len)
{
	int32_t status;

	if (ctrl_call(op, in, len, &status, out, out_len))
		return -1000;
	return status;
}

int map_alloc(uint32_t type, uint32_t ksz, uint32_t vsz, uint32_t n, int *slot)
{
	struct offnic_map_alloc_req req = {
		.type = type, .key_size = ksz, .value_size = vsz, .max_entries = n,
	};
	struct offnic_map_alloc_resp resp;
	uint32_t len = 0;
	int st = call(OFFNIC_CMD_MAP_ALLOC, &req, sizeof(req), &resp, &len);

	if (!st && len != sizeof(resp))
		return -1001;
	if (!st)
		*slot = (int)resp.slot;
	return st;
}

/* A map request: header, key (klen bytes), value (vlen bytes). */
static int map_op(uint32_t op, int slot, uint32_t flags, const void *key, uint32_t klen,
		  const void *val, uint32_t vlen, void *out, uint32_t *out_len)
{
	uint8_t buf[sizeof(struct offnic_map_req) + 64];
	struct offnic_map_req req = { .slot = (uint32_t)slot, .flags = flags, .has_key = !!key };

	memcpy(buf, &req, sizeof(req));
	if (key)
		memcpy(buf + sizeof(req), key, klen);
	if (val)
		memcpy(buf + sizeof(req) + klen, val, vlen);
	return call(op, buf, sizeof(req) + klen + vlen, out, out_len);
}

static int map_update(int slot, uint32_t key, uint64_t val, uint32_t flags)
{
	return map_op(OFFNIC_CMD_MAP_UPDATE, slot, flags, &key, 4, &val, 8, NULL, NULL);
}

static int map_lookup(int slot, uint32_t key, uint64_t *val)
{
	uint32_t len = 0;
	int st = map_op(OFFNIC_CMD_MAP_LOOKUP, slot, 0, &key, 4, NULL, 0, val, &len);

	return !st && len != 8 ? -1001 : st;
}

static int map_free(int slot)
{
	struct offnic_map_req req = { .slot = (uint32_t)slot };

	return call(OFFNIC_CMD_MAP_FREE, &req, sizeof(req), NULL, NULL);
}

/* Builds a LOAD_PROG request around an image. */
static size_t load_req(uint8_t *buf, uint32_t slot, const void *img, size_t len,
		       const int32_t *map_slots, uint32_t n_maps)
{
	struct offnic_load_prog_req req = {
		.slot = slot, .n_maps = n_maps, .image_len = (uint32_t)len,
		.ifindex = TEST_IFINDEX,
	};

	if (n_maps)
		memcpy(req.map_slots, map_slots, n_maps * sizeof(*map_slots));
	memcpy(buf, &req, sizeof(req));
	memcpy(buf + sizeof(req), img, len);
	return sizeof(req) + len;
}

int load_src(uint32_t slot, const char *src, const int32_t *map_slots)
{
	static uint8_t buf[OFFNIC_CTRL_PAYLOAD_MAX];
	struct onm_asm_out a = { 0 };
	const struct offnic_image_hdr *h;
	size_t len;
	int st;

	if (onm_asm(src, &a)) {
		diag("assembly failed: %s", a.msg);
		return -1002;
	}
	h = a.img;
	len = load_req(buf, slot, a.img, a.len, map_slots, h->n_maps);
	onm_asm_free(&a);
	st = call(OFFNIC_CMD_LOAD_PROG, buf, (uint32_t)len, NULL, NULL);
	return st;
}

static int unload(uint32_t slot)
{
	struct offnic_prog_req req = { .slot = slot };

	return call(OFFNIC_CMD_UNLOAD_PROG, &req, sizeof(req), NULL, NULL);
}

static int prog_stats(uint32_t slot, struct offnic_prog_stats *st)
{
	struct offnic_prog_req req = { .slot = slot };
	uint32_t len = 0;
	int s = call(OFFNIC_CMD_PROG_STATS, &req, sizeof(req), st, &len);

	return !s && len != sizeof(*st) ? -1001 : s;
}

/* Waits until the slot has seen @packets wire frames. */
static int wait_packets(uint32_t slot, uint64_t packets, struct offnic_prog_stats *st)
{
	int waited;

	for (waited = 0; waited < 2000; waited += 10) {
		if (prog_stats(slot, st))
			return -1;
		if (st->packets >= packets)
			return 0;
		usleep(10000);
	}
	diag("slot %u: %llu packets, waited for %llu", slot,
	     (unsigned long long)st->packets, (unsigned long long)packets);
	return -1;
}

/* ---- RX ring ---- */

void rx_post(uint32_t n)
{
	struct offnic_ring *r = rxring();

	__atomic_store_n(&r->idx.prod, r->idx.prod + n, __ATOMIC_RELEASE);
	ring_doorbell(OFFNIC_DB_DATA);
}

/* The next frame the device delivered: its descriptor and buffer. */
static int rx_next(struct offnic_desc *d, const uint8_t **buf)
{
	struct offnic_ring *r = rxring();
	uint32_t slot;
	int waited;

	for (waited = 0; waited < IRQ_TIMEOUT_MS; waited += 5) {
		if (__atomic_load_n(&r->idx.cons, __ATOMIC_ACQUIRE) != rx_seen)
			break;
		usleep(5000);
	}
	if (r->idx.cons == rx_seen)
		return -1;
	slot = rx_seen++ & (OFFNIC_RING_SIZE - 1);
	*d = r->desc[slot];
	*buf = dut.shm + OFFNIC_RXBUF_OFF + (size_t)slot * OFFNIC_BUF_SIZE;
	return 0;
}

static bool rx_quiet(void)
{
	usleep(QUIET_MS * 1000);
	return rxring()->idx.cons == rx_seen;
}

size_t udp_frame(uint8_t *f, uint8_t tag, uint16_t dport)
{
	size_t len = build_frame(f, tag);

	f[UDP_DPORT_OFF] = dport >> 8;
	f[UDP_DPORT_OFF + 1] = dport & 0xff;
	return len;
}

/* ---- tests ---- */

static int test_identify_reports_the_engine_lanes_and_cores(void)
{
	struct offnic_identify id;
	uint32_t want = !strcmp(engine_name, "rtl") ? OFFNIC_ENGINE_RTL : OFFNIC_ENGINE_MODEL;
	uint32_t len = 0;

	CHECK(!call(OFFNIC_CMD_IDENTIFY, NULL, 0, &id, &len) && len == sizeof(id), "identify");
	CHECK(id.engine == want && id.lanes == 4 && id.cores == 1,
	      "engine %u lanes %u cores %u", id.engine, id.lanes, id.cores);
	CHECK(id.features & OFFNIC_F_ENGINE, "features %#llx", (unsigned long long)id.features);
	return 0;
}

static int test_map_alloc_refuses_bad_types_and_sizes(void)
{
	int slot = -1;

	CHECK(map_alloc(OFFNIC_MAP_PERF_EVENT, 4, 4, 1, &slot) == E(EINVAL), "perf event");
	CHECK(map_alloc(9, 4, 4, 1, &slot) == E(EINVAL), "type 9");
	CHECK(map_alloc(OFFNIC_MAP_ARRAY, 8, 8, 4, &slot) == E(EINVAL), "array key 8");
	CHECK(map_alloc(OFFNIC_MAP_HASH, 0, 8, 4, &slot) == E(EINVAL), "hash key 0");
	CHECK(map_alloc(OFFNIC_MAP_HASH, 4, OFFNIC_MAX_VALUE + 1, 4, &slot) == E(E2BIG),
	      "value too big");
	CHECK(map_alloc(OFFNIC_MAP_HASH, 4, 8, 0, &slot) == E(E2BIG), "no entries");
	CHECK(call(OFFNIC_CMD_MAP_ALLOC, "x", 1, NULL, NULL) == E(EINVAL), "short request");
	return 0;
}

static int test_hash_map_round_trips_and_error_codes(void)
{
	uint32_t k, first, next, len = 0;
	uint64_t v;
	int slot, i;

	CHECK(!map_alloc(OFFNIC_MAP_HASH, 4, 8, 3, &slot), "alloc");
	CHECK(map_lookup(slot, 5, &v) == E(ENOENT), "lookup of a missing key");
	CHECK(map_update(slot, 5, 50, 2 /* BPF_EXIST */) == E(ENOENT), "EXIST on missing");
	CHECK(!map_update(slot, 5, 50, 0), "update 5");
	CHECK(map_update(slot, 5, 51, 1 /* BPF_NOEXIST */) == E(EEXIST), "NOEXIST on present");
	CHECK(!map_update(slot, 6, 60, 1), "update 6");
	CHECK(!map_update(slot, 7, 70, 0), "update 7");
	CHECK(map_update(slot, 8, 80, 0) == E(E2BIG), "fourth key in a 3-entry map");
	CHECK(!map_lookup(slot, 6, &v) && v == 60, "lookup 6: %llu", (unsigned long long)v);
	CHECK(!map_op(OFFNIC_CMD_MAP_GETNEXT, slot, 0, NULL, 0, NULL, 0, &first, &len) &&
	      len == 4, "getnext without a key");
	k = first;
	for (i = 0; i < 2; i++, k = next)
		CHECK(!map_op(OFFNIC_CMD_MAP_GETNEXT, slot, 0, &k, 4, NULL, 0, &next, &len) &&
		      next != k && next >= 5 && next <= 7, "getnext %d", i);
	CHECK(map_op(OFFNIC_CMD_MAP_GETNEXT, slot, 0, &k, 4, NULL, 0, &next, &len) == E(ENOENT),
	      "getnext after the last key");
	k = 6;
	CHECK(!map_op(OFFNIC_CMD_MAP_DELETE, slot, 0, &k, 4, NULL, 0, NULL, NULL), "delete 6");
	CHECK(map_op(OFFNIC_CMD_MAP_DELETE, slot, 0, &k, 4, NULL, 0, NULL, NULL) == E(ENOENT),
	      "delete 6 again");
	CHECK(map_lookup(slot, 6, &v) == E(ENOENT), "lookup after delete");
	CHECK(!map_update(slot, 8, 80, 0), "room again after a delete");
	CHECK(!map_free(slot), "free");
	CHECK(map_free(slot) == E(ENOENT), "free twice");
	CHECK(map_lookup(slot, 5, &v) == E(ENOENT), "lookup in a freed map");
	return 0;
}

static int test_array_map_values_start_zero_and_delete_is_einval(void)
{
	uint32_t k = 2;
	uint64_t v = 1;
	int slot;

	CHECK(!map_alloc(OFFNIC_MAP_ARRAY, 4, 8, 4, &slot), "alloc");
	CHECK(!map_lookup(slot, 3, &v) && v == 0, "fresh value %llu", (unsigned long long)v);
	CHECK(!map_update(slot, 3, 33, 0) && !map_lookup(slot, 3, &v) && v == 33, "update");
	CHECK(map_update(slot, 4, 1, 0) == E(E2BIG),
	      "index past the end");
	CHECK(map_update(slot, 3, 1, 1) == E(EEXIST), "NOEXIST on an array");
	CHECK(map_op(OFFNIC_CMD_MAP_DELETE, slot, 0, &k, 4, NULL, 0, NULL, NULL) == E(EINVAL),
	      "array delete");
	counts_slot = slot;
	return 0;
}

static int test_map_requests_with_wrong_lengths_answer_einval(void)
{
	uint32_t key = 1;
	uint64_t v = 0;

	CHECK(map_op(OFFNIC_CMD_MAP_LOOKUP, counts_slot, 0, &key, 2, NULL, 0, &v, NULL) ==
	      E(EINVAL), "short key");
	CHECK(map_op(OFFNIC_CMD_MAP_UPDATE, counts_slot, 0, &key, 4, &v, 4, NULL, NULL) ==
	      E(EINVAL), "short value");
	CHECK(map_op(OFFNIC_CMD_MAP_UPDATE, counts_slot, 9, &key, 4, &v, 8, NULL, NULL) ==
	      E(EINVAL), "unknown flags");
	CHECK(call(OFFNIC_CMD_MAP_LOOKUP, "abc", 3, NULL, NULL) == E(EINVAL), "no header");
	CHECK(map_lookup(63, 0, &v) == E(ENOENT), "slot that was never allocated");
	CHECK(map_lookup(100000, 0, &v) == E(ENOENT), "slot out of range");
	return 0;
}

static int test_load_prog_refuses_malformed_requests(void)
{
	static uint8_t buf[OFFNIC_CTRL_PAYLOAD_MAX];
	struct offnic_load_prog_req *req = (struct offnic_load_prog_req *)buf;
	struct offnic_image_hdr *h = (struct offnic_image_hdr *)(req + 1);
	struct onm_asm_out a = { 0 };
	int32_t slots[1] = { counts_slot }, hash_slot;
	size_t len;

	CHECK(!onm_asm(prog_drop_port9, &a), "asm: %s", a.msg);
	len = load_req(buf, OFFNIC_SLOT_XDP, a.img, a.len, slots, 1);
	CHECK(call(OFFNIC_CMD_LOAD_PROG, buf, 8, NULL, NULL) == E(EINVAL), "short request");
	CHECK(call(OFFNIC_CMD_LOAD_PROG, buf, (uint32_t)len - 1, NULL, NULL) == E(EINVAL),
	      "image_len beyond the payload");
	req->slot = OFFNIC_SLOT_TC;
	CHECK(call(OFFNIC_CMD_LOAD_PROG, buf, (uint32_t)len, NULL, NULL) == E(EINVAL),
	      "XDP image in the tc slot");
	req->slot = 5;
	CHECK(call(OFFNIC_CMD_LOAD_PROG, buf, (uint32_t)len, NULL, NULL) == E(EINVAL), "slot 5");
	req->slot = OFFNIC_SLOT_XDP;
	req->n_maps = OFFNIC_MAX_MAPS + 1;
	CHECK(call(OFFNIC_CMD_LOAD_PROG, buf, (uint32_t)len, NULL, NULL) == E(EINVAL), "n_maps");
	req->n_maps = 1;
	req->map_slots[0] = -1;
	CHECK(call(OFFNIC_CMD_LOAD_PROG, buf, (uint32_t)len, NULL, NULL) == E(EINVAL),
	      "array map bound as a host perf map");
	CHECK(!map_alloc(OFFNIC_MAP_HASH, 4, 8, 4, &hash_slot), "hash alloc");
	req->map_slots[0] = hash_slot;
	CHECK(call(OFFNIC_CMD_LOAD_PROG, buf, (uint32_t)len, NULL, NULL) == E(EINVAL),
	      "array map bound to a hash slot");
	CHECK(!map_free(hash_slot), "free hash");
	req->map_slots[0] = 62;
	CHECK(call(OFFNIC_CMD_LOAD_PROG, buf, (uint32_t)len, NULL, NULL) == E(EINVAL),
	      "map bound to an empty slot");
	req->map_slots[0] = counts_slot;
	h->n_bundles = 0xffffffffU;
	CHECK(call(OFFNIC_CMD_LOAD_PROG, buf, (uint32_t)len, NULL, NULL) < 0, "huge n_bundles");
	h->n_bundles = 1;
	h->magic = 0;
	CHECK(call(OFFNIC_CMD_LOAD_PROG, buf, (uint32_t)len, NULL, NULL) < 0, "bad magic");
	onm_asm_free(&a);
	return 0;
}

static int test_xdp_drops_udp_port_9_and_passes_the_rest(void)
{
	int32_t slots[1] = { counts_slot };
	struct offnic_prog_stats st;
	struct offnic_desc d;
	const uint8_t *buf;
	uint8_t f[64];
	size_t len;
	uint64_t v;

	CHECK(!load_src(OFFNIC_SLOT_XDP, prog_drop_port9, slots), "load");
	rx_post(64);
	len = udp_frame(f, 0x41, 9);
	CHECK(!send_to_wire(f, len) && !send_to_wire(f, len), "send");
	len = udp_frame(f, 0x42, 2000);
	CHECK(!send_to_wire(f, len), "send");
	CHECK(!rx_next(&d, &buf), "the port-2000 frame was not delivered");
	CHECK(d.len == len && !memcmp(buf + d.off, f, len), "frame len %u", d.len);
	CHECK((d.flags & OFFNIC_DESC_ENGINE) && d.verdict == 2 && d.cycles > 0,
	      "flags %#x verdict %u cycles %llu", d.flags, d.verdict, (unsigned long long)d.cycles);
	CHECK(rx_quiet(), "a port-9 frame reached the RX ring");
	CHECK(!wait_packets(OFFNIC_SLOT_XDP, 3, &st), "stats");
	CHECK(st.verdicts[1] == 2 && st.verdicts[2] == 1 && st.faults == 0,
	      "drop %llu pass %llu", (unsigned long long)st.verdicts[1],
	      (unsigned long long)st.verdicts[2]);
	CHECK(!map_lookup(counts_slot, 1, &v) && v == 2, "counts[1] = %llu",
	      (unsigned long long)v);
	return 0;
}

static int test_stats_window_keeps_each_packets_cycles_and_verdict(void)
{
	int32_t slots[1] = { counts_slot };
	struct offnic_prog_stats st;
	struct offnic_desc d;
	const uint8_t *buf;
	uint8_t f[64];
	size_t len;

	CHECK(!load_src(OFFNIC_SLOT_XDP, prog_drop_port9, slots), "load");
	rx_post(64);
	len = udp_frame(f, 0x41, 9);
	CHECK(!send_to_wire(f, len), "send");
	len = udp_frame(f, 0x42, 2000);
	CHECK(!send_to_wire(f, len), "send");
	CHECK(!rx_next(&d, &buf), "the port-2000 frame was not delivered");
	len = udp_frame(f, 0x43, 9);
	CHECK(!send_to_wire(f, len), "send");
	CHECK(!wait_packets(OFFNIC_SLOT_XDP, 3, &st), "stats");
	/* drop, pass, drop: in arrival order, at the same index as the cycles */
	CHECK(st.n_recent == 3 && st.recent_verdicts[0] == 1 &&
	      st.recent_verdicts[1] == 2 && st.recent_verdicts[2] == 1,
	      "n_recent %u verdicts %u %u %u", st.n_recent, st.recent_verdicts[0],
	      st.recent_verdicts[1], st.recent_verdicts[2]);
	CHECK(st.recent_cycles[1] == d.cycles && st.recent_cycles[0] > 0,
	      "recent_cycles[1] %u, the passed frame's %llu", st.recent_cycles[1],
	      (unsigned long long)d.cycles);
	return 0;
}

static int test_host_map_update_is_seen_by_the_program(void)
{
	struct offnic_prog_stats st;
	uint8_t f[64];
	size_t len = udp_frame(f, 0x43, 9);
	uint64_t v;

	CHECK(!map_update(counts_slot, 1, 100, 0), "update");
	CHECK(!send_to_wire(f, len), "send");
	CHECK(!wait_packets(OFFNIC_SLOT_XDP, 4, &st), "stats");
	CHECK(!map_lookup(counts_slot, 1, &v) && v == 101, "counts[1] = %llu",
	      (unsigned long long)v);
	return 0;
}

static int test_map_free_of_a_map_in_use_is_ebusy(void)
{
	CHECK(map_free(counts_slot) == E(EBUSY), "free while loaded");
	return 0;
}

static int test_prog_stats_count_cycles_and_bundles(void)
{
	struct offnic_prog_stats st;

	CHECK(!prog_stats(OFFNIC_SLOT_XDP, &st), "stats");
	CHECK(st.loaded == 1 && st.n_bundles == 12, "loaded %u n_bundles %u", st.loaded,
	      st.n_bundles);
	CHECK(st.packets == 4 && st.cycles_min > 0 && st.cycles_min <= st.cycles_max &&
	      st.cycles_total >= st.cycles_max && st.bundles_total >= 4 * 3,
	      "cycles %llu..%llu total %llu bundles %llu", (unsigned long long)st.cycles_min,
	      (unsigned long long)st.cycles_max, (unsigned long long)st.cycles_total,
	      (unsigned long long)st.bundles_total);
	CHECK(!prog_stats(OFFNIC_SLOT_TC, &st) && st.loaded == 0 && st.packets == 0, "tc slot");
	CHECK(call(OFFNIC_CMD_PROG_STATS, "x", 1, NULL, NULL) == E(EINVAL), "short request");
	return 0;
}

static int test_tc_program_runs_after_xdp_pass_and_can_drop(void)
{
	struct offnic_prog_stats st;
	struct offnic_desc d;
	const uint8_t *buf;
	uint8_t f[64];
	size_t len;

	CHECK(!load_src(OFFNIC_SLOT_TC, prog_tc_shot_77, NULL), "load tc");
	len = udp_frame(f, 0x77, 2000);
	CHECK(!send_to_wire(f, len), "send");
	len = udp_frame(f, 0x78, 2000);
	CHECK(!send_to_wire(f, len), "send");
	len = udp_frame(f, 0x77, 9);
	CHECK(!send_to_wire(f, len), "send");
	CHECK(!rx_next(&d, &buf), "the 0x78 frame was not delivered");
	CHECK(buf[d.off + 50] == 0x78 && d.verdict == 2, "byte %#x verdict %u", buf[d.off + 50],
	      d.verdict);
	CHECK(rx_quiet(), "a dropped frame reached the RX ring");
	CHECK(!wait_packets(OFFNIC_SLOT_TC, 2, &st), "tc stats");
	CHECK(st.packets == 2 && st.verdicts[2] == 1 && st.verdicts[0] == 1,
	      "tc saw %llu (XDP dropped the port-9 frame)", (unsigned long long)st.packets);
	return 0;
}

static int test_unload_returns_frames_to_plain_pass(void)
{
	struct offnic_desc d;
	const uint8_t *buf;
	uint8_t f[64];
	size_t len = udp_frame(f, 0x77, 9);

	CHECK(!unload(OFFNIC_SLOT_XDP) && !unload(OFFNIC_SLOT_TC), "unload");
	CHECK(!unload(OFFNIC_SLOT_TC), "unloading an empty slot");
	CHECK(unload(2) == E(EINVAL), "slot 2");
	CHECK(!send_to_wire(f, len), "send");
	CHECK(!rx_next(&d, &buf), "not delivered");
	CHECK(d.flags == 0 && d.cycles == 0 && d.len == len, "flags %#x", d.flags);
	CHECK(!map_free(counts_slot), "map free after unload");
	counts_slot = -1;
	return 0;
}

/* A program from C through clang and offload-jit (path from the Makefile). */
static int test_jit_compiled_program_drops_udp_port_9(void)
{
	static uint8_t img[OFFNIC_CTRL_PAYLOAD_MAX], buf[OFFNIC_CTRL_PAYLOAD_MAX];
	const char *path = getenv("OFFNIC_SIM_JIT_IMG");
	struct offnic_prog_stats st;
	struct offnic_desc d;
	const uint8_t *rx;
	uint8_t f[64];
	size_t len, n;
	FILE *file;

	if (!path || !*path) {
		diag("no JIT image: build offload-jit (make -C offload-jit all)");
		return 1;
	}
	file = fopen(path, "rb");
	CHECK(file, "%s: %s", path, strerror(errno));
	n = fread(img, 1, sizeof(img) - sizeof(struct offnic_load_prog_req), file);
	fclose(file);
	len = load_req(buf, OFFNIC_SLOT_XDP, img, n, NULL, 0);
	CHECK(call(OFFNIC_CMD_LOAD_PROG, buf, (uint32_t)len, NULL, NULL) == 0, "load %s", path);
	len = udp_frame(f, 0x44, 9);
	CHECK(!send_to_wire(f, len), "send");
	len = udp_frame(f, 0x45, 2000);
	CHECK(!send_to_wire(f, len), "send");
	CHECK(!rx_next(&d, &rx), "the port-2000 frame was not delivered");
	CHECK(rx[d.off + 50] == 0x45 && d.verdict == 2 && (d.flags & OFFNIC_DESC_ENGINE),
	      "verdict %u", d.verdict);
	CHECK(rx_quiet(), "the port-9 frame reached the RX ring");
	CHECK(!wait_packets(OFFNIC_SLOT_XDP, 2, &st) && st.verdicts[1] == 1, "drops %llu",
	      (unsigned long long)st.verdicts[1]);
	return 0;
}

static int test_xdp_tx_sends_the_mac_swapped_frame_back_out(void)
{
	struct offnic_prog_stats st;
	uint8_t f[64], got[2048];
	size_t len = udp_frame(f, 0x51, 2000);
	int n;

	CHECK(!load_src(OFFNIC_SLOT_XDP, prog_mac_swap_tx, NULL), "load");
	CHECK(!send_to_wire(f, len), "send");
	n = recv_from_wire(got, sizeof(got), IRQ_TIMEOUT_MS);
	CHECK(n == (int)len, "got %d bytes back", n);
	CHECK(!memcmp(got, f + 6, 6) && !memcmp(got + 6, f, 6) &&
	      !memcmp(got + 12, f + 12, len - 12), "frame not MAC-swapped");
	CHECK(rx_quiet(), "an XDP_TX frame reached the RX ring");
	CHECK(!wait_packets(OFFNIC_SLOT_XDP, 1, &st) && st.verdicts[3] == 1, "TX verdict");
	return 0;
}

static int tc_redirect_check(void)
{
	struct offnic_prog_stats st;
	uint8_t f[64], other[64], got[2048];
	size_t len = udp_frame(f, 0x77, 2000);
	int n;

	udp_frame(other, 0x88, 2000);
	CHECK(!send_to_wire(other, len) && !send_to_wire(f, len), "send");
	n = recv_from_wire(got, sizeof(got), IRQ_TIMEOUT_MS);
	CHECK(n == (int)len && !memcmp(got, f, len), "got %d bytes back", n);
	CHECK(recv_from_wire(got, sizeof(got), QUIET_MS) < 0,
	      "the frame redirected to another device left by the wire");
	CHECK(rx_quiet(), "a redirected frame reached the RX ring");
	CHECK(!wait_packets(OFFNIC_SLOT_TC, 2, &st) && st.verdicts[7] == 2,
	      "tc saw %llu, %llu redirects", (unsigned long long)st.packets,
	      (unsigned long long)st.verdicts[7]);
	return 0;
}

static int test_tc_redirect_to_the_port_goes_out_of_the_wire(void)
{
	int err;

	CHECK(!unload(OFFNIC_SLOT_XDP), "unload xdp");
	CHECK(!load_src(OFFNIC_SLOT_TC, prog_tc_redirect, NULL), "load tc");
	err = tc_redirect_check();
	CHECK(!unload(OFFNIC_SLOT_TC), "unload tc");
	return err;
}

static int test_tx_pause_holds_the_ring_and_resume_drains_it(void)
{
	struct offnic_inject_req req = { .what = OFFNIC_INJECT_TX_PAUSE };
	struct offnic_desc d = { .off = 64 };
	uint32_t cons = txring()->idx.cons;
	uint8_t frame[64], got[2048];
	int n;

	d.len = (uint16_t)udp_frame(frame, 0x61, 2000);
	CHECK(!call(OFFNIC_CMD_INJECT, &req, sizeof(req), NULL, NULL), "pause");
	post_tx(&d, frame, d.len);
	ring_doorbell(OFFNIC_DB_DATA);
	CHECK(recv_from_wire(got, sizeof(got), QUIET_MS) < 0, "a paused device sent");
	CHECK(txring()->idx.cons == cons, "a paused device completed TX");
	req.what = OFFNIC_INJECT_TX_RESUME;
	CHECK(!call(OFFNIC_CMD_INJECT, &req, sizeof(req), NULL, NULL), "resume");
	CHECK(wait_irq(OFFNIC_VEC_DATA, IRQ_TIMEOUT_MS), "no TX completion interrupt");
	CHECK(txring()->idx.cons == cons + 1, "tx cons %u", txring()->idx.cons);
	n = recv_from_wire(got, sizeof(got), IRQ_TIMEOUT_MS);
	CHECK(n == d.len && !memcmp(got, frame, d.len), "datagram of %d bytes", n);
	return 0;
}

static int test_tx_resume_quiet_waits_for_the_next_doorbell(void)
{
	struct offnic_inject_req req = { .what = OFFNIC_INJECT_TX_PAUSE };
	struct offnic_desc d = { .off = 64 };
	uint32_t cons = txring()->idx.cons;
	uint8_t frame[64], got[2048];
	int n;

	d.len = (uint16_t)udp_frame(frame, 0x62, 2000);
	CHECK(!call(OFFNIC_CMD_INJECT, &req, sizeof(req), NULL, NULL), "pause");
	post_tx(&d, frame, d.len);
	ring_doorbell(OFFNIC_DB_DATA);
	/* the doorbell is lost while paused */
	CHECK(recv_from_wire(got, sizeof(got), QUIET_MS) < 0, "a paused device sent");
	req.what = OFFNIC_INJECT_TX_RESUME_QUIET;
	CHECK(!call(OFFNIC_CMD_INJECT, &req, sizeof(req), NULL, NULL), "resume quiet");
	CHECK(recv_from_wire(got, sizeof(got), QUIET_MS) < 0, "sent without a doorbell");
	CHECK(txring()->idx.cons == cons, "completed without a doorbell");
	ring_doorbell(OFFNIC_DB_DATA);
	n = recv_from_wire(got, sizeof(got), IRQ_TIMEOUT_MS);
	CHECK(n == d.len && !memcmp(got, frame, d.len), "datagram of %d bytes", n);
	/* the completion index is published after the frame is sent */
	for (n = 0; n < IRQ_TIMEOUT_MS && txring()->idx.cons != cons + 1; n += 10)
		usleep(10000);
	CHECK(txring()->idx.cons == cons + 1, "tx cons %u", txring()->idx.cons);
	return 0;
}

static int test_xdp_metadata_lands_right_before_the_frame(void)
{
	static const uint8_t marker[8] = { 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 };
	struct offnic_desc d;
	const uint8_t *buf;
	uint8_t f[64];
	size_t len = udp_frame(f, 0x52, 2000);

	CHECK(!load_src(OFFNIC_SLOT_XDP, prog_meta, NULL), "load replaces the TX program");
	CHECK(!send_to_wire(f, len), "send");
	CHECK(!rx_next(&d, &buf), "not delivered");
	CHECK(d.meta_len == 8 && d.off >= 8 && !memcmp(buf + d.off - 8, marker, 8),
	      "meta_len %u off %u", d.meta_len, d.off);
	CHECK(!memcmp(buf + d.off, f, len) && d.len == len, "frame changed");
	/* tc runs on the frame alone; the metadata still reaches the host. */
	CHECK(!load_src(OFFNIC_SLOT_TC, prog_tc_shot_77, NULL), "load tc");
	CHECK(!send_to_wire(f, len), "send");
	CHECK(!rx_next(&d, &buf), "not delivered through tc");
	CHECK(d.meta_len == 8 && !memcmp(buf + d.off - 8, marker, 8) && d.len == len,
	      "meta_len %u after tc", d.meta_len);
	CHECK(!unload(OFFNIC_SLOT_TC), "unload tc");
	return 0;
}

static int test_head_and_tail_moves_shape_the_delivered_frame(void)
{
	static const uint8_t marker[4] = { 0x0d, 0x0c, 0x0b, 0x0a };
	struct offnic_desc d;
	const uint8_t *buf;
	uint8_t f[64];
	size_t len = udp_frame(f, 0x5b, 2000);

	CHECK(!load_src(OFFNIC_SLOT_XDP, prog_head_tail, NULL), "load");
	CHECK(!send_to_wire(f, len), "send");
	CHECK(!rx_next(&d, &buf), "not delivered");
	CHECK(d.off == OFFNIC_RX_HEADROOM - 4 && d.len == len + 4 - 2 && d.meta_len == 0,
	      "off %u len %u", d.off, d.len);
	CHECK(!memcmp(buf + d.off, marker, 4) && !memcmp(buf + d.off + 4, f, len - 2),
	      "frame bytes");
	return 0;
}

/*
 * What a packet wrote outside its frame never shows in a later one: the
 * head a program grows reads as zero, as in the model, although the RTL's
 * host port loads only the frame (and zeroes what earlier packets left).
 */
static int test_a_grown_head_reads_zero_after_a_packet_wrote_there(void)
{
	static const uint8_t zero[16], ones[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	struct offnic_desc d;
	const uint8_t *buf;
	uint8_t big[200], f[64];
	size_t len = udp_frame(f, 0x5e, 2000);

	memset(big, 0x33, sizeof(big));
	memcpy(big, f, 14);
	CHECK(!load_src(OFFNIC_SLOT_XDP, prog_head_grow16, NULL), "load");
	rx_post(2);
	CHECK(!send_to_wire(big, sizeof(big)), "send 200");
	CHECK(!rx_next(&d, &buf), "200 bytes not delivered");
	CHECK(d.len == sizeof(big) + 16 && !memcmp(buf + d.off, ones, 16),
	      "200 + 16: len %u", d.len);
	CHECK(!send_to_wire(f, len), "send 64");
	CHECK(!rx_next(&d, &buf), "64 bytes not delivered");
	CHECK(d.len == len + 16 && !memcmp(buf + d.off + 16, f, len), "64 + 16: len %u", d.len);
	CHECK(!memcmp(buf + d.off, zero, 16), "the grown head holds %02x %02x ... %02x",
	      buf[d.off], buf[d.off + 1], buf[d.off + 15]);
	return 0;
}

/*
 * A 1514-byte frame grown by 200 bytes became a 1714-byte RX descriptor,
 * which the driver must refuse; the device now refuses the growth.
 */
static int test_a_program_cannot_grow_a_frame_past_1514_bytes(void)
{
	static uint8_t f[OFFNIC_MAX_FRAME];
	struct offnic_desc d;
	const uint8_t *buf;
	size_t i;

	for (i = 0; i < sizeof(f); i++)
		f[i] = (uint8_t)(i * 13 + 1);
	CHECK(!load_src(OFFNIC_SLOT_XDP, prog_grow_200, NULL), "load");
	CHECK(!send_to_wire(f, 1200), "send 1200");
	CHECK(!rx_next(&d, &buf), "1200 bytes not delivered");
	CHECK(d.len == 1400 && !memcmp(buf + d.off, f, 1200), "1200 + 200: len %u", d.len);
	CHECK(!send_to_wire(f, sizeof(f)), "send 1514");
	CHECK(!rx_next(&d, &buf), "1514 bytes not delivered");
	CHECK(d.len == OFFNIC_MAX_FRAME && !memcmp(buf + d.off, f, sizeof(f)),
	      "1514 + 200: len %u off %u", d.len, d.off);
	return 0;
}

static int test_faulting_program_is_aborted_and_its_faults_recorded(void)
{
	struct offnic_fault_rec recs[OFFNIC_MAX_FAULT_RECS];
	struct offnic_prog_req req = { .slot = OFFNIC_SLOT_XDP };
	struct offnic_prog_stats st;
	uint32_t len = 0, i;
	uint8_t f[64];
	size_t flen = udp_frame(f, 0x53, 2000);

	CHECK(!load_src(OFFNIC_SLOT_XDP, prog_oob, NULL), "load");
	CHECK(!call(OFFNIC_CMD_READ_FAULTS, &req, sizeof(req), recs, &len) && len == 0,
	      "faults before any packet: %u bytes", len);
	for (i = 0; i < OFFNIC_MAX_FAULT_RECS + 2; i++)
		CHECK(!send_to_wire(f, flen), "send");
	CHECK(!wait_packets(OFFNIC_SLOT_XDP, OFFNIC_MAX_FAULT_RECS + 2, &st), "stats");
	CHECK(st.faults == OFFNIC_MAX_FAULT_RECS + 2 && st.verdicts[0] == st.faults,
	      "faults %llu aborted %llu", (unsigned long long)st.faults,
	      (unsigned long long)st.verdicts[0]);
	CHECK(rx_quiet(), "an aborted frame reached the RX ring");
	CHECK(!call(OFFNIC_CMD_READ_FAULTS, &req, sizeof(req), recs, &len) &&
	      len == sizeof(recs), "READ_FAULTS answered %u bytes", len);
	CHECK(recs[0].seq == 3 && recs[OFFNIC_MAX_FAULT_RECS - 1].seq == 18,
	      "seq %llu..%llu", (unsigned long long)recs[0].seq,
	      (unsigned long long)recs[OFFNIC_MAX_FAULT_RECS - 1].seq);
	CHECK(recs[0].pc == 1 && recs[0].cause == 2 /* OOB */ && recs[0].lane == 0,
	      "pc %u cause %u lane %u", recs[0].pc, recs[0].cause, recs[0].lane);
	return 0;
}

static int test_test_run_returns_verdict_and_frame_without_wire_effects(void)
{
	uint8_t in[sizeof(struct offnic_test_run_req) + 64], out[512];
	struct offnic_test_run_req req = { .slot = OFFNIC_SLOT_XDP };
	struct offnic_test_run_resp resp;
	struct offnic_prog_stats before, after;
	uint64_t tx_before, tx_after;
	uint32_t len = 0;
	size_t flen;

	CHECK(!load_src(OFFNIC_SLOT_XDP, prog_mac_swap_tx, NULL), "load");
	CHECK(!prog_stats(OFFNIC_SLOT_XDP, &before) && !read_counter(OFFNIC_CNT_TX_FRAMES,
								     &tx_before), "before");
	flen = udp_frame(in + sizeof(req), 0x54, 2000);
	req.len = (uint32_t)flen;
	memcpy(in, &req, sizeof(req));
	CHECK(!call(OFFNIC_CMD_TEST_RUN, in, sizeof(req) + flen, out, &len), "test run");
	memcpy(&resp, out, sizeof(resp));
	CHECK(len == sizeof(resp) + flen && resp.len == flen && resp.meta_len == 0,
	      "answer %u bytes, frame %u", len, resp.len);
	CHECK(resp.verdict == 3 && resp.cycles > 0 && resp.bundles == 8 && !resp.fault_cause,
	      "verdict %u cycles %llu bundles %llu fault %u", resp.verdict,
	      (unsigned long long)resp.cycles, (unsigned long long)resp.bundles,
	      resp.fault_cause);
	CHECK(!memcmp(out + sizeof(resp), in + sizeof(req) + 6, 6), "MACs not swapped");
	CHECK(recv_from_wire(out, sizeof(out), QUIET_MS) < 0, "a test run reached the wire");
	CHECK(!prog_stats(OFFNIC_SLOT_XDP, &after) && !read_counter(OFFNIC_CNT_TX_FRAMES,
								    &tx_after), "after");
	CHECK(after.packets == before.packets && tx_after == tx_before, "stats changed");
	req.len = 5;
	memcpy(in, &req, sizeof(req));
	CHECK(call(OFFNIC_CMD_TEST_RUN, in, sizeof(req) + 5, NULL, NULL) == E(EINVAL), "runt");
	req.len = (uint32_t)flen + 1;
	memcpy(in, &req, sizeof(req));
	CHECK(call(OFFNIC_CMD_TEST_RUN, in, sizeof(req) + flen, NULL, NULL) == E(EINVAL),
	      "len beyond the payload");
	req.slot = OFFNIC_SLOT_TC;
	req.len = (uint32_t)flen;
	memcpy(in, &req, sizeof(req));
	CHECK(call(OFFNIC_CMD_TEST_RUN, in, sizeof(req) + flen, NULL, NULL) == E(ENOENT),
	      "empty slot");
	return 0;
}

static int test_event_output_records_reach_the_event_ring(void)
{
	struct offnic_event_ring *ring = (void *)(dut.shm + OFFNIC_EVRING_OFF);
	int32_t slots[1] = { -1 };
	struct offnic_event *ev;
	const uint8_t *buf;
	struct offnic_desc d;
	uint64_t data = 0;
	uint8_t f[64];
	size_t len = udp_frame(f, 0x55, 2000);
	uint32_t prod0 = ring->idx.prod;

	CHECK(!load_src(OFFNIC_SLOT_XDP, prog_event, slots), "load");
	CHECK(!send_to_wire(f, len), "send");
	CHECK(!rx_next(&d, &buf), "not delivered");
	CHECK(ring->idx.prod == prod0 + 1, "event prod %u", ring->idx.prod);
	ev = &ring->rec[prod0 & (OFFNIC_EVRING_SIZE - 1)];
	memcpy(&data, ev->data, 8);
	CHECK(ev->slot == OFFNIC_SLOT_XDP && ev->map_idx == 0 && ev->len == 8 &&
	      data == 0x1234 && ev->flags == 0xffffffffULL,
	      "slot %u map %u len %u data %#llx flags %#llx", ev->slot, ev->map_idx, ev->len,
	      (unsigned long long)data, (unsigned long long)ev->flags);
	return 0;
}

static int test_test_run_events_reach_the_ring_with_a_data_interrupt(void)
{
	struct offnic_event_ring *ring = (void *)(dut.shm + OFFNIC_EVRING_OFF);
	uint8_t in[sizeof(struct offnic_test_run_req) + 64];
	struct offnic_test_run_req req = { .slot = OFFNIC_SLOT_XDP };
	uint32_t prod0 = ring->idx.prod;

	req.len = (uint32_t)udp_frame(in + sizeof(req), 0x59, 2000);
	memcpy(in, &req, sizeof(req));
	wait_irq(OFFNIC_VEC_DATA, 0);
	CHECK(!call(OFFNIC_CMD_TEST_RUN, in, sizeof(req) + req.len, NULL, NULL), "test run");
	CHECK(ring->idx.prod == prod0 + 1, "event prod %u", ring->idx.prod);
	CHECK(wait_irq(OFFNIC_VEC_DATA, IRQ_TIMEOUT_MS), "no data interrupt for the event");
	return 0;
}

static int test_event_ring_full_drops_and_counts(void)
{
	struct offnic_event_ring *ring = (void *)(dut.shm + OFFNIC_EVRING_OFF);
	struct offnic_prog_stats st;
	uint8_t f[64];
	size_t len = udp_frame(f, 0x56, 2000);
	uint32_t i;

	/* Nobody consumes: 2 records are in the ring, 62 more fit, 6 are lost. */
	rx_post(OFFNIC_EVRING_SIZE + 8);
	for (i = 0; i < OFFNIC_EVRING_SIZE + 4; i++) {
		CHECK(!send_to_wire(f, len), "send");
		if (i % 32 == 31)
			usleep(50000);	/* do not overflow the wire socket */
	}
	CHECK(!wait_packets(OFFNIC_SLOT_XDP, OFFNIC_EVRING_SIZE + 5, &st), "stats");
	CHECK(ring->idx.prod - ring->idx.cons == OFFNIC_EVRING_SIZE && ring->dropped == 6,
	      "prod %u cons %u dropped %llu", ring->idx.prod, ring->idx.cons,
	      (unsigned long long)ring->dropped);
	rx_seen = rxring()->idx.cons;
	return 0;
}

static int test_inject_bad_rx_corrupts_the_next_rx_descriptor(void)
{
	struct offnic_inject_req req = { .what = OFFNIC_INJECT_BAD_RX };
	struct offnic_desc d;
	const uint8_t *buf;
	uint8_t f[64];
	size_t len = udp_frame(f, 0x57, 2000);

	CHECK(!unload(OFFNIC_SLOT_XDP), "unload");
	CHECK(!call(OFFNIC_CMD_INJECT, &req, sizeof(req), NULL, NULL), "inject");
	CHECK(!send_to_wire(f, len) && !send_to_wire(f, len), "send");
	CHECK(!rx_next(&d, &buf) && d.len == 0xffff, "first len %u", d.len);
	CHECK(!rx_next(&d, &buf) && d.len == len, "second len %u", d.len);
	req.what = 99;
	CHECK(call(OFFNIC_CMD_INJECT, &req, sizeof(req), NULL, NULL) == E(EINVAL), "unknown");
	CHECK(call(OFFNIC_CMD_INJECT, &req, 3, NULL, NULL) == E(EINVAL), "short");
	return 0;
}

static int test_tx_and_rx_error_counters_are_readable(void)
{
	uint64_t tx, rx;

	CHECK(!read_counter(OFFNIC_CNT_TX_ERRORS, &tx) && !read_counter(OFFNIC_CNT_RX_ERRORS, &rx),
	      "read");
	CHECK(!send_to_wire((const uint8_t *)"short", 5), "send a runt");
	usleep(QUIET_MS * 1000);
	CHECK(!read_counter(OFFNIC_CNT_RX_ERRORS, &rx) && rx == 1, "rx_errors %llu",
	      (unsigned long long)rx);
	CHECK(hdr()->counters[OFFNIC_CNT_RX_ERRORS] == 1, "mirror");
	return 0;
}

/*
 * Random payloads for every offload op but INJECT: each gets an answer
 * (success or a negative errno), and the device still serves afterwards.
 * Fixed seed, so a failure reproduces.
 */
static int test_random_requests_are_answered_and_never_crash(void)
{
	static uint8_t payload[256];
	struct offnic_identify id;
	uint32_t i, j, len, op;
	int st;

	srandom(1);
	for (i = 0; i < 2000; i++) {
		op = OFFNIC_CMD_LOAD_PROG + (uint32_t)random() % (OFFNIC_CMD_READ_FAULTS -
								  OFFNIC_CMD_LOAD_PROG + 1);
		len = (uint32_t)random() % sizeof(payload);
		for (j = 0; j < len; j++)
			payload[j] = (uint8_t)random();
		/* Small slot numbers half of the time, so requests reach real maps. */
		if (len >= 4 && random() % 2)
			payload[1] = payload[2] = payload[3] = 0;
		st = call(op, payload, len, NULL, NULL);
		CHECK(st <= 0 && st > -200, "request %u op %u len %u: %d", i, op, len, st);
	}
	CHECK(!call(OFFNIC_CMD_IDENTIFY, NULL, 0, &id, &len) && len == sizeof(id), "identify");
	return 0;
}

/*
 * The RTL engine refuses, at creation and with a clear log line, a map
 * its map memory cannot hold: values over 64 bytes, more than its 32 KiB
 * of values.  The model engine takes both.
 */
static int test_a_map_the_rtl_cannot_hold_is_refused_at_creation(void)
{
	bool rtl = !strcmp(engine_name, "rtl");
	int before = count_in_log("map refused");
	struct offnic_desc d;
	const uint8_t *buf;
	int32_t slots[1];
	uint8_t f[64];
	size_t len = udp_frame(f, 0x5a, 2000);
	int slot, st;

	st = map_alloc(OFFNIC_MAP_ARRAY, 4, 128, 2, &slot);
	CHECK(rtl ? st == E(E2BIG) : !st, "128-byte values: %d", st);
	if (!rtl) {
		slots[0] = slot;
		CHECK(!load_src(OFFNIC_SLOT_XDP, prog_big_value, slots), "load");
		rx_post(8);
		CHECK(!send_to_wire(f, len), "send");
		CHECK(!rx_next(&d, &buf) && d.verdict == 2 && (d.flags & OFFNIC_DESC_ENGINE),
		      "not passed by the program");
		CHECK(!unload(OFFNIC_SLOT_XDP) && !map_free(slot), "cleanup");
	}
	st = map_alloc(OFFNIC_MAP_ARRAY, 4, 64, 1024, &slot);
	CHECK(rtl ? st == E(ENOSPC) : !st, "64 KiB of values: %d", st);
	CHECK(rtl || !map_free(slot), "free");
	CHECK(count_in_log("map refused") - before == (rtl ? 2 : 0), "log says %d",
	      count_in_log("map refused") - before);
	return 0;
}

/*
 * Maps of new shapes, 12.8 KiB of values each, one after the other: more
 * than the RTL's 32 KiB of map memory in total.  Every one is created and
 * its program runs: a freed map's memory is the next one's.
 */
static int test_maps_of_many_shapes_over_time_keep_running(void)
{
	char src[512];
	int32_t slots[1];
	struct offnic_desc d;
	const uint8_t *buf;
	uint8_t f[64];
	size_t len = udp_frame(f, 0x5d, 2000);
	uint32_t round, entries, key = 1, vlen = 0;
	int slot, refused = count_in_log("map refused");
	uint64_t v[8];

	for (round = 0; round < 4; round++) {
		entries = 200 + round;
		snprintf(src, sizeof(src),
			 ".lanes 4\n.prog xdp\n"
			 ".map m array key=4 value=64 entries=%u\n"
			 "	mov p9, 1 ; mov p8, 7\n"
			 "	st.w [p10-4], p9 ; ldk p1, %%m ; add p2, p10, -4\n"
			 "	hcall map_lookup\n"
			 "	br.eq p0, 0, @out\n"
			 "	atomic.add.d [p0], p8\n"
			 "@out:	exit 2\n", entries);
		CHECK(!map_alloc(OFFNIC_MAP_ARRAY, 4, 64, entries, &slot), "alloc");
		slots[0] = slot;
		CHECK(!load_src(OFFNIC_SLOT_XDP, src, slots), "load round %u", round);
		rx_post(1);
		CHECK(!send_to_wire(f, len), "send");
		CHECK(!rx_next(&d, &buf) && d.verdict == 2, "round %u: not passed", round);
		CHECK(!map_op(OFFNIC_CMD_MAP_LOOKUP, slot, 0, &key, 4, NULL, 0, v, &vlen) &&
		      vlen == sizeof(v) && v[0] == 7, "round %u: counter %llu", round,
		      (unsigned long long)v[0]);
		CHECK(!unload(OFFNIC_SLOT_XDP) && !map_free(slot), "cleanup");
	}
	CHECK(count_in_log("map refused") == refused, "a map was refused");
	return 0;
}

/* On the RTL engine every packet so far ran on the RTL and the model alike. */
static int test_no_engine_disagreement_was_logged(void)
{
	CHECK(count_in_log("LOCKSTEP MISMATCH") == 0, "the RTL and the model disagreed");
	CHECK(count_in_log("run failed") == 0, "the engine failed to run a frame");
	return 0;
}

/* Posts a request without waiting for an answer, as the driver does for CRASH. */
static void post_request(uint32_t op, const void *payload, uint32_t len)
{
	struct offnic_ctrl *c = ctrl();

	c->req.op = op;
	c->req.len = len;
	if (len)
		memcpy(c->req.payload, payload, len);
	__atomic_store_n(&c->req.seq, ++dut.ctrl_seq, __ATOMIC_RELEASE);
	ring_doorbell(OFFNIC_DB_CTRL);
}

static int test_inject_hang_stops_answers_heartbeat_and_datapath(void)
{
	struct offnic_inject_req req = { .what = OFFNIC_INJECT_HANG };
	uint64_t beat;
	uint8_t f[64];
	size_t len = udp_frame(f, 0x58, 2000);
	uint32_t cons;

	post_request(OFFNIC_CMD_INJECT, &req, sizeof(req));
	CHECK(!wait_irq(OFFNIC_VEC_CTRL, QUIET_MS), "the hang request was answered");
	beat = hdr()->heartbeat;
	cons = rxring()->idx.cons;
	CHECK(!send_to_wire(f, len), "send");
	post_request(OFFNIC_CMD_IDENTIFY, NULL, 0);
	CHECK(!wait_irq(OFFNIC_VEC_CTRL, QUIET_MS), "answered while hung");
	CHECK(hdr()->heartbeat == beat, "heartbeat still advances");
	CHECK(rxring()->idx.cons == cons, "datapath still runs");
	CHECK(kill(dut.pid, SIGTERM) == 0 && dut_wait_exit(2000) == 0, "SIGTERM");
	return 0;
}

static int test_inject_hang_ends_with_the_machine(void)
{
	struct offnic_inject_req req = { .what = OFFNIC_INJECT_HANG };
	struct offnic_identify id;
	struct offnic_desc d;
	const uint8_t *buf;
	uint64_t beat;
	uint32_t len = 0;
	uint8_t f[64];
	size_t flen = udp_frame(f, 0x5c, 2000);

	post_request(OFFNIC_CMD_INJECT, &req, sizeof(req));
	CHECK(!wait_irq(OFFNIC_VEC_CTRL, QUIET_MS), "the hang request was answered");
	CHECK(!dut_reconnect(), "reconnect");
	CHECK(!call(OFFNIC_CMD_IDENTIFY, NULL, 0, &id, &len) && len == sizeof(id),
	      "the new machine's device does not answer");
	beat = hdr()->heartbeat;
	usleep(250000);
	CHECK(hdr()->heartbeat > beat, "no heartbeat on the new machine");
	rx_seen = 0;
	rx_post(1);
	CHECK(!send_to_wire(f, flen), "send");
	CHECK(!rx_next(&d, &buf) && d.len == flen, "no datapath on the new machine");
	return 0;
}

static int test_inject_crash_exits_nonzero_without_answering(void)
{
	struct offnic_inject_req req = { .what = OFFNIC_INJECT_CRASH };
	int status;

	post_request(OFFNIC_CMD_INJECT, &req, sizeof(req));
	status = dut_wait_exit(2000);
	CHECK(status == 1, "exit status %d", status);
	CHECK(!wait_irq(OFFNIC_VEC_CTRL, 0), "answered");
	return 0;
}

static int test_inject_bad_rx_kinds_break_the_named_field(void)
{
	struct offnic_inject_req req = { .what = OFFNIC_INJECT_BAD_RX };
	struct offnic_desc d;
	const uint8_t *buf;
	uint8_t f[64];
	size_t len = udp_frame(f, 0x5d, 2000);

	rx_seen = rxring()->idx.cons;
	rx_post(8);
	req.arg = OFFNIC_BAD_RX_LONG;
	CHECK(!call(OFFNIC_CMD_INJECT, &req, sizeof(req), NULL, NULL), "inject long");
	CHECK(!send_to_wire(f, len) && !rx_next(&d, &buf), "long: no frame");
	CHECK(d.len == OFFNIC_MAX_FRAME + 200 && d.off + d.len <= OFFNIC_BUF_SIZE,
	      "long: len %u off %u", d.len, d.off);
	req.arg = OFFNIC_BAD_RX_META;
	CHECK(!call(OFFNIC_CMD_INJECT, &req, sizeof(req), NULL, NULL), "inject meta");
	CHECK(!send_to_wire(f, len) && !rx_next(&d, &buf), "meta: no frame");
	CHECK(d.len == len && d.meta_len > d.off, "meta: meta_len %u off %u", d.meta_len, d.off);
	req.arg = OFFNIC_BAD_RX_FLAGS;
	CHECK(!call(OFFNIC_CMD_INJECT, &req, sizeof(req), NULL, NULL), "inject flags");
	CHECK(!send_to_wire(f, len) && !rx_next(&d, &buf), "flags: no frame");
	CHECK(d.len == len && (d.flags & ~OFFNIC_DESC_FLAGS_ALL), "flags %#x", d.flags);
	CHECK(!send_to_wire(f, len) && !rx_next(&d, &buf) && d.len == len &&
	      !(d.flags & ~OFFNIC_DESC_FLAGS_ALL) && d.meta_len == 0, "the next one is whole");
	req.arg = OFFNIC_BAD_RX_FLAGS + 1;
	CHECK(call(OFFNIC_CMD_INJECT, &req, sizeof(req), NULL, NULL) == E(EINVAL), "unknown kind");
	return 0;
}

/* RESET: programs and maps are gone, rings start over, and the control
 * queue goes on from the RESET's seq.
 */
static int test_reset_forgets_programs_and_maps_and_keeps_the_seq(void)
{
	struct offnic_prog_stats st;
	struct offnic_identify id;
	int32_t slots[1];
	uint32_t len = 0;
	int slot;
	uint64_t v;

	CHECK(!map_alloc(OFFNIC_MAP_ARRAY, 4, 8, 4, &slot), "map alloc");
	slots[0] = slot;
	CHECK(!load_src(OFFNIC_SLOT_XDP, prog_drop_port9, slots), "load");
	rx_post(4);
	CHECK(!call(OFFNIC_CMD_RESET, NULL, 0, NULL, NULL), "reset");
	CHECK(ctrl()->req.seq == ctrl()->resp.seq, "request seq %u, answer seq %u",
	      ctrl()->req.seq, ctrl()->resp.seq);
	CHECK(rxring()->idx.prod == 0 && rxring()->idx.cons == 0, "rings not cleared");
	CHECK(hdr()->status == OFFNIC_STATUS_READY, "status %u", hdr()->status);
	CHECK(!prog_stats(OFFNIC_SLOT_XDP, &st) && !st.loaded, "the program survived");
	CHECK(map_lookup(slot, 0, &v) != 0, "the map survived");
	CHECK(!call(OFFNIC_CMD_IDENTIFY, NULL, 0, &id, &len) && len == sizeof(id),
	      "no answer after the reset");
	rx_seen = 0;
	return 0;
}

/* A firmware crash: silent with status RESET, then a power-on with nothing. */
static int test_inject_reboot_goes_silent_then_powers_on_empty(void)
{
	struct offnic_inject_req req = { .what = OFFNIC_INJECT_REBOOT, .arg = 600 };
	struct offnic_prog_stats st;
	struct offnic_identify id;
	uint32_t len = 0;
	int32_t status, slots[1];
	uint64_t beat;
	int slot;

	CHECK(!map_alloc(OFFNIC_MAP_ARRAY, 4, 8, 4, &slot), "map alloc");
	slots[0] = slot;
	CHECK(!load_src(OFFNIC_SLOT_XDP, prog_drop_port9, slots), "load");
	post_request(OFFNIC_CMD_INJECT, &req, sizeof(req));
	CHECK(!wait_irq(OFFNIC_VEC_CTRL, 200), "the crashing device answered");
	CHECK(hdr()->status == OFFNIC_STATUS_RESET, "status %u while down", hdr()->status);
	beat = hdr()->heartbeat;
	usleep(300000);
	CHECK(hdr()->heartbeat == beat, "heartbeat while down");
	usleep(600000);
	CHECK(hdr()->status == OFFNIC_STATUS_READY, "status %u after restart", hdr()->status);
	beat = hdr()->heartbeat;
	usleep(250000);
	CHECK(hdr()->heartbeat > beat, "no heartbeat after the restart");
	/* The driver resyncs from resp.seq, as at probe. */
	dut.ctrl_seq = ctrl()->resp.seq;
	CHECK(!ctrl_call(OFFNIC_CMD_IDENTIFY, NULL, 0, &status, &id, &len) && !status,
	      "no answer after the restart");
	CHECK(!prog_stats(OFFNIC_SLOT_XDP, &st) && !st.loaded, "the program survived");
	return 0;
}

/* CTRL_DELAY: the next answer comes late, the one after it in order. */
static int test_inject_ctrl_delay_answers_late_and_in_order(void)
{
	struct offnic_inject_req req = { .what = OFFNIC_INJECT_CTRL_DELAY, .arg = 500 };
	struct offnic_identify id;
	uint32_t held, len = 0;
	uint64_t beat;

	CHECK(!call(OFFNIC_CMD_INJECT, &req, sizeof(req), NULL, NULL), "inject");
	post_request(OFFNIC_CMD_IDENTIFY, NULL, 0);
	held = dut.ctrl_seq;
	beat = hdr()->heartbeat;
	CHECK(!wait_irq(OFFNIC_VEC_CTRL, 250), "answered on time");
	CHECK(ctrl()->resp.seq != held, "answered on time");
	CHECK(hdr()->heartbeat > beat, "no heartbeat while an answer is held");
	CHECK(wait_irq(OFFNIC_VEC_CTRL, 1000) && ctrl()->resp.seq == held,
	      "the held answer never came (resp.seq %u)", ctrl()->resp.seq);
	CHECK(!call(OFFNIC_CMD_IDENTIFY, NULL, 0, &id, &len) && len == sizeof(id),
	      "no answer after the late one");
	req.arg = 0;
	CHECK(call(OFFNIC_CMD_INJECT, &req, sizeof(req), NULL, NULL) == E(EINVAL), "0 ms");
	return 0;
}

static const struct test offload_tests[] = {
	TEST(test_identify_reports_the_engine_lanes_and_cores),
	TEST(test_map_alloc_refuses_bad_types_and_sizes),
	TEST(test_hash_map_round_trips_and_error_codes),
	TEST(test_array_map_values_start_zero_and_delete_is_einval),
	TEST(test_map_requests_with_wrong_lengths_answer_einval),
	TEST(test_load_prog_refuses_malformed_requests),
	TEST(test_xdp_drops_udp_port_9_and_passes_the_rest),
	TEST(test_stats_window_keeps_each_packets_cycles_and_verdict),
	TEST(test_host_map_update_is_seen_by_the_program),
	TEST(test_map_free_of_a_map_in_use_is_ebusy),
	TEST(test_prog_stats_count_cycles_and_bundles),
	TEST(test_tc_program_runs_after_xdp_pass_and_can_drop),
	TEST(test_unload_returns_frames_to_plain_pass),
	TEST(test_jit_compiled_program_drops_udp_port_9),
	TEST(test_xdp_tx_sends_the_mac_swapped_frame_back_out),
	TEST(test_tc_redirect_to_the_port_goes_out_of_the_wire),
	TEST(test_tx_pause_holds_the_ring_and_resume_drains_it),
	TEST(test_tx_resume_quiet_waits_for_the_next_doorbell),
	TEST(test_xdp_metadata_lands_right_before_the_frame),
	TEST(test_head_and_tail_moves_shape_the_delivered_frame),
	TEST(test_a_grown_head_reads_zero_after_a_packet_wrote_there),
	TEST(test_a_program_cannot_grow_a_frame_past_1514_bytes),
	TEST(test_faulting_program_is_aborted_and_its_faults_recorded),
	TEST(test_test_run_returns_verdict_and_frame_without_wire_effects),
	TEST(test_event_output_records_reach_the_event_ring),
	TEST(test_test_run_events_reach_the_ring_with_a_data_interrupt),
	TEST(test_event_ring_full_drops_and_counts),
	TEST(test_inject_bad_rx_corrupts_the_next_rx_descriptor),
	TEST(test_tx_and_rx_error_counters_are_readable),
	TEST(test_a_map_the_rtl_cannot_hold_is_refused_at_creation),
	TEST(test_maps_of_many_shapes_over_time_keep_running),
	TEST(test_random_requests_are_answered_and_never_crash),
	TEST(test_no_engine_disagreement_was_logged),
	TEST(test_inject_hang_stops_answers_heartbeat_and_datapath),
};

static const struct test lifecycle_tests[] = {
	TEST(test_inject_bad_rx_kinds_break_the_named_field),
	TEST(test_inject_ctrl_delay_answers_late_and_in_order),
	TEST(test_reset_forgets_programs_and_maps_and_keeps_the_seq),
	TEST(test_inject_reboot_goes_silent_then_powers_on_empty),
};

static const struct test rehang_tests[] = {
	TEST(test_inject_hang_ends_with_the_machine),
};

static const struct test crash_tests[] = {
	TEST(test_inject_crash_exits_nonzero_without_answering),
};

unsigned int offload_tests_count(const char *engine)
{
	return ARRAY_SIZE(offload_tests) * (strcmp(engine, "rtl") ? 1 : 3) +
	       ARRAY_SIZE(lifecycle_tests) + ARRAY_SIZE(rehang_tests) +
	       ARRAY_SIZE(crash_tests);
}

int offload_groups(const char *engine, unsigned int *num)
{
	const char *args[] = { "--engine", engine, NULL };
	const char *args_free[] = { "--engine", engine, "--lockstep", "off", NULL };
	const char *args_2nd[] = { "--engine", engine, "--lockstep", "2", NULL };
	int failed;

	engine_name = engine;
	diag("offload tests on the %s engine", engine);
	rx_seen = 0;
	counts_slot = -1;
	failed = run_group(offload_tests, ARRAY_SIZE(offload_tests), args, num);
	if (!strcmp(engine, "rtl")) {
		/* the RTL alone is the device: the model checks nothing */
		diag("offload tests on the rtl engine, lockstep off");
		rx_seen = 0;
		counts_slot = -1;
		failed += run_group(offload_tests, ARRAY_SIZE(offload_tests), args_free, num);
		/* every 2nd packet checked: the model catches up in between */
		diag("offload tests on the rtl engine, lockstep on every 2nd packet");
		rx_seen = 0;
		counts_slot = -1;
		failed += run_group(offload_tests, ARRAY_SIZE(offload_tests), args_2nd, num);
	}
	rx_seen = 0;
	failed += run_group(lifecycle_tests, ARRAY_SIZE(lifecycle_tests), args, num);
	rx_seen = 0;
	failed += run_group(rehang_tests, ARRAY_SIZE(rehang_tests), args, num);
	failed += run_group(crash_tests, ARRAY_SIZE(crash_tests), args, num);
	return failed;
}
