// SPDX-License-Identifier: GPL-2.0
/*
 * The differential oracle: each program of the corpus runs on the device
 * (offloaded, through the bpf_offnic_test_run() kfunc) and on the host
 * (its non-offloaded twin, through BPF_PROG_TEST_RUN), on the same
 * generated packets from the same initial map contents.  Verdicts, output
 * packets and, at the end, every map must be identical.
 *
 * Variants with a program name offload a real object nobody here wrote
 * through the user's loader, offnic-load (run as a user would: it folds
 * .rodata into the instructions and attaches); the host runs the same
 * unmodified object, .rodata and all.  Their verdicts and bytes must match
 * (the device's maps are offnic-load's, not compared).
 *
 * OFFNIC_DIFF_SEED and OFFNIC_DIFF_PACKETS change the packet stream.
 */
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "kselftest_harness.h"
#include "firewall.h"
#include "kfunc_devrun.h"
#include "kfunc_devrun.skel.h"
#include "offnic_test.h"

#define DEFAULT_PACKETS	200

static __u32 rng;

static __u32 next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static __u32 pick(const __u32 *set, int n)
{
	return set[next_rand() % n];
}

/*
 * A packet the corpus cares about: mostly IPv4 TCP/UDP/ICMP to addresses
 * and ports the programs' maps know, some other ethertypes, some options,
 * some truncated, all with random payload.
 */
static __u32 gen_packet(__u8 *p)
{
	static const __u8 dmac[6] = { 0x02, 0x0f, 0xf0, 0x00, 0x00, 0x01 };
	static const __u32 daddrs[] = {
		0x0a630001, 0x0a640001, 0x0a640002, 0x0a000001, 0x0a000002,
		0xc0a80101,
	};
	static const __u32 ports[] = { 53, 80, 443, 22, 9999, 8080 };
	static const __u32 protos[] = { 6, 17, 1, 17, 6, 47 };
	__u32 len, l4off, i, r = next_rand();
	__u8 proto = pick(protos, 6);

	memset(p, 0, 256);
	memcpy(p, dmac, 6);
	for (i = 6; i < 12; i++)
		p[i] = next_rand();
	p[6] = (p[6] & 0xfe) | 0x02;	/* unicast, locally administered */
	if (r % 20 == 0) {
		p[12] = 0x86;		/* IPv6 */
		p[13] = 0xdd;
	} else if (r % 20 == 1) {
		p[12] = 0x08;		/* ARP */
		p[13] = 0x06;
	} else {
		p[12] = 0x08;
		p[13] = 0x00;
	}
	p[14] = r % 17 == 0 ? 0x46 : 0x45;
	len = 60 + next_rand() % 140;
	if (proto == 1 && r % 3 == 0)
		len = 98;	/* an 84-byte ICMP datagram, as ping sends (xdping) */
	p[16] = (len - 14) >> 8;
	p[17] = (len - 14) & 0xff;
	p[18] = next_rand();
	p[22] = 1 + next_rand() % 64;	/* ttl, sometimes 1 */
	p[23] = proto;
	*(__u32 *)(p + 26) = htonl(0x0a630000 | (next_rand() % 4));
	*(__u32 *)(p + 30) = htonl(pick(daddrs, 6));
	l4off = 14 + (p[14] & 0xf) * 4;
	*(__u16 *)(p + l4off) = htons(40000 + next_rand() % 8);
	*(__u16 *)(p + l4off + 2) = htons(pick(ports, 6));
	if (proto == 1)
		p[l4off] = next_rand() % 3 == 0 ? 0 : 8;	/* echo (reply) */
	for (i = l4off + 4; i < len; i++)
		p[i] = next_rand();
	if (r % 23 == 0)
		len = 14 + next_rand() % 30;			/* truncated */
	return len;
}

/* Map contents both sides start from, per program. */
static void setup_none(struct bpf_object *obj)
{
}

static int update(struct bpf_object *obj, const char *map, const void *key,
		  const void *val)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, map);

	return m ? bpf_map_update_elem(bpf_map__fd(m), key, val, BPF_ANY) : -1;
}

static void setup_firewall(struct bpf_object *obj)
{
	const struct fw_rule rules[] = {
		{ 17, 1, 9999 }, { 6, 1, 22 }, { 17, 2, 53 }, { 1, 2, 0 },
	};
	__u32 i;

	for (i = 0; i < 4; i++)
		update(obj, "rules", &i, &rules[i]);
}

static void setup_l4lb(struct bpf_object *obj)
{
	struct { __u32 addr; __u8 mac[6]; __u16 pad; } be = {};
	__u32 i;

	for (i = 0; i < 3; i++) {
		be.addr = htonl(0x0a010001 + i);
		memset(be.mac, 0x10 + i, 6);
		update(obj, "backends", &i, &be);
	}
}

static void setup_ipip(struct bpf_object *obj)
{
	struct { __u32 saddr, daddr; __u8 dmac[6], smac[6]; } t = {
		.saddr = htonl(0x0a630001), .daddr = htonl(0x0ac80001),
		.dmac = { 2, 0, 0, 0, 0, 0xaa }, .smac = { 2, 0, 0, 0, 0, 0xbb },
	};
	__u16 port;

	port = htons(80);
	update(obj, "tunnels", &port, &t);
	port = htons(53);
	t.daddr = htonl(0x0ac80002);
	update(obj, "tunnels", &port, &t);
}

static void setup_router(struct bpf_object *obj)
{
	struct { __u8 dmac[6], smac[6]; __u32 ifindex; } rt = {
		.dmac = { 2, 0, 0, 0, 1, 1 }, .smac = { 2, 0, 0, 0, 1, 2 },
		.ifindex = 7,
	};
	__u32 dst = htonl(0x0a000001);

	update(obj, "routes", &dst, &rt);
	dst = htonl(0x0a640002);
	rt.ifindex = 9;
	update(obj, "routes", &dst, &rt);
}

FIXTURE(diff) {
	int ifindex;
	struct bpf_object *host;
	struct bpf_object *dev;
	struct kfunc_devrun *skel;
};

FIXTURE_VARIANT(diff) {
	const char *obj;
	void (*setup)(struct bpf_object *obj);
	const char *prog;	/* offloaded by offnic-load, this program */
};

FIXTURE_VARIANT_ADD(diff, firewall) { "firewall.bpf.o", setup_firewall, NULL };
FIXTURE_VARIANT_ADD(diff, icmp_reply) { "icmp_reply.bpf.o", setup_none, NULL };
FIXTURE_VARIANT_ADD(diff, ipip_encap) { "ipip_encap.bpf.o", setup_ipip, NULL };
FIXTURE_VARIANT_ADD(diff, l4lb) { "l4lb.bpf.o", setup_l4lb, NULL };
FIXTURE_VARIANT_ADD(diff, xdp1) { "xdp1.bpf.o", setup_none, NULL };
FIXTURE_VARIANT_ADD(diff, xdp2) { "xdp2.bpf.o", setup_none, NULL };
FIXTURE_VARIANT_ADD(diff, router_ipv4) { "router_ipv4.bpf.o", setup_router, NULL };
FIXTURE_VARIANT_ADD(diff, simple_firewall) { "simple_firewall.bpf.o", setup_none, NULL };
/* ingress_ifindex, rx_queue_index and data_meta decide bytes and verdict */
FIXTURE_VARIANT_ADD(diff, ctx_fields) { "ctx_fields.bpf.o", setup_none, NULL };
/* libxdp1's dispatcher: its configuration is .rodata, folded */
FIXTURE_VARIANT_ADD(diff, real_xdp_dispatcher) {
	"real-xdp-dispatcher.o", setup_none, "xdp_dispatcher" };
/* linux 6.1's selftest xdping: answers ICMP echo requests (XDP_TX) */
FIXTURE_VARIANT_ADD(diff, real_xdping_server) {
	"real-xdping_kern.o", setup_none, "xdping_server" };

static int prog_fd(struct bpf_object *obj, const char *name)
{
	return bpf_program__fd(name ? bpf_object__find_program_by_name(obj, name) :
				      bpf_object__next_program(obj, NULL));
}

/* offnic-load PROG OBJ IFACE, as a user runs it; its output in the log.
 * *too_big: the device refused one of the object's maps as larger than it
 * holds (the RTL stages keys and values of at most 64 bytes).
 */
static int offnic_load(const char *prog, const char *obj, const char *ifname,
		       bool *too_big)
{
	char cmd[256], line[256];
	FILE *f;

	*too_big = false;
	snprintf(cmd, sizeof(cmd), "./offnic-load -p %s %s %s 2>&1", prog, obj, ifname);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		fprintf(stderr, "# %s", line);
		if (strstr(line, "failed to create: Argument list too long"))
			*too_big = true;
	}
	return pclose(f);
}

FIXTURE_SETUP(diff)
{
	char ifname[IF_NAMESIZE], pci[64];

	ASSERT_EQ(0, offnic_find(ifname, pci, sizeof(pci)));
	self->ifindex = if_nametoindex(ifname);
	self->host = offnic_load_obj(variant->obj, 0);
	ASSERT_NE(NULL, self->host) TH_LOG("%s on the host", variant->obj);
	if (variant->prog) {
		bool too_big;
		int err = offnic_load(variant->prog, variant->obj, ifname, &too_big);

		if (err && too_big)
			SKIP(return, "%s: a map is larger than this device holds (E2BIG)",
			     variant->obj);
		ASSERT_EQ(0, err)
			TH_LOG("offnic-load -p %s %s %s", variant->prog, variant->obj, ifname);
	} else {
		self->dev = offnic_load_obj(variant->obj, self->ifindex);
		ASSERT_NE(NULL, self->dev) TH_LOG("%s offloaded to %s", variant->obj, ifname);
		variant->setup(self->dev);
		ASSERT_EQ(0, bpf_xdp_attach(self->ifindex, prog_fd(self->dev, NULL),
					    XDP_FLAGS_HW_MODE, NULL));
	}
	variant->setup(self->host);
	self->skel = kfunc_devrun__open_and_load();
	ASSERT_NE(NULL, self->skel);
}

FIXTURE_TEARDOWN(diff)
{
	bpf_xdp_detach(self->ifindex, XDP_FLAGS_HW_MODE, NULL);
	kfunc_devrun__destroy(self->skel);
	if (self->dev)
		bpf_object__close(self->dev);
	bpf_object__close(self->host);
}

/*
 * The host runs the program with the context the device gives a frame
 * from the wire: the port's ifindex, its only RX queue, no metadata.
 */
static int run_host(int fd, int ifindex, const __u8 *pkt, __u32 len,
		    __u8 *out, __u32 *out_len, __u32 *verdict)
{
	struct xdp_md ctx = {
		.data_end = len, .ingress_ifindex = ifindex, .rx_queue_index = 0,
	};
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		    .data_in = pkt, .data_size_in = len,
		    .data_out = out, .data_size_out = 2048,
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx));
	int err = bpf_prog_test_run_opts(fd, &opts);

	*verdict = opts.retval;
	*out_len = opts.data_size_out;
	return err;
}

static int run_dev(struct kfunc_devrun *skel, int ifindex, const __u8 *pkt,
		   __u32 len, struct devrun_buf *b)
{
	struct devrun_args args = { .ifindex = ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &args,
		    .ctx_size_in = sizeof(args));
	int fd = bpf_map__fd(skel->maps.buf);
	__u32 zero = 0;

	memset(b, 0, sizeof(*b));
	b->run.len = len;
	memcpy(b->pkt, pkt, len);
	if (bpf_map_update_elem(fd, &zero, b, BPF_ANY) ||
	    bpf_prog_test_run_opts(bpf_program__fd(skel->progs.test_run), &opts) ||
	    bpf_map_lookup_elem(fd, &zero, b))
		return -1000;
	return args.ret;
}

static void hexdump(const char *what, const __u8 *p, __u32 len)
{
	__u32 i;

	fprintf(stderr, "# %s (%u bytes):", what, len);
	for (i = 0; i < len && i < 96; i++)
		fprintf(stderr, "%s%02x", i % 16 ? " " : "\n#   ", p[i]);
	fprintf(stderr, "\n");
}

/* Every host entry is on the device with the same value, and no more. */
static int compare_maps(struct bpf_object *host, struct bpf_object *dev,
			char *why, size_t why_len)
{
	struct bpf_map *hm;

	bpf_object__for_each_map(hm, host) {
		struct bpf_map *dm = bpf_object__find_map_by_name(dev, bpf_map__name(hm));
		__u32 ks = bpf_map__key_size(hm), vs = bpf_map__value_size(hm);
		__u8 key[64], next[64], hv[256], dv[256];
		int hfd = bpf_map__fd(hm), dfd, nh = 0, nd = 0, err;

		if (!dm || ks > sizeof(key) || vs > sizeof(hv))
			continue;
		dfd = bpf_map__fd(dm);
		err = bpf_map_get_next_key(hfd, NULL, key);
		while (!err) {
			nh++;
			if (bpf_map_lookup_elem(hfd, key, hv) ||
			    bpf_map_lookup_elem(dfd, key, dv) || memcmp(hv, dv, vs)) {
				snprintf(why, why_len, "map %s differs at a key",
					 bpf_map__name(hm));
				return -1;
			}
			err = bpf_map_get_next_key(hfd, key, next);
			memcpy(key, next, ks);
		}
		err = bpf_map_get_next_key(dfd, NULL, key);
		while (!err) {
			nd++;
			err = bpf_map_get_next_key(dfd, key, next);
			memcpy(key, next, ks);
		}
		if (nh != nd) {
			snprintf(why, why_len, "map %s: %d keys on the host, %d on the device",
				 bpf_map__name(hm), nh, nd);
			return -1;
		}
	}
	return 0;
}

TEST_F(diff, device_matches_host_on_generated_packets)
{
	const char *s = getenv("OFFNIC_DIFF_SEED"), *n = getenv("OFFNIC_DIFF_PACKETS");
	int packets = n ? atoi(n) : DEFAULT_PACKETS, i;
	int host_fd = prog_fd(self->host, variant->prog);
	static struct devrun_buf dev;
	__u32 hv, hlen, len, verdicts[8] = { 0 };
	__u8 pkt[256], hout[2048];
	char why[128];

	/* 6.1's harness runs the test after a SKIP in the setup */
	if (_metadata->skip)
		return;

	rng = s ? strtoul(s, NULL, 0) : 0x0ff1c;
	TH_LOG("seed %#x, %d packets", rng, packets);
	for (i = 0; i < packets; i++) {
		len = gen_packet(pkt);
		ASSERT_EQ(0, run_host(host_fd, self->ifindex, pkt, len, hout, &hlen, &hv));
		ASSERT_EQ(0, run_dev(self->skel, self->ifindex, pkt, len, &dev));
		if (dev.run.verdict != hv ||
		    ((hv == 2 || hv == 3 || hv == 4) &&
		     (dev.run.len != hlen || memcmp(dev.pkt, hout, hlen)))) {
			hexdump("input", pkt, len);
			hexdump("host output", hout, hlen);
			hexdump("device output", dev.pkt, dev.run.len);
			ASSERT_EQ(hv, dev.run.verdict) TH_LOG("packet %d: verdicts differ (device fault %u at pc %u)",
							      i, dev.run.fault_cause, dev.run.fault_pc);
			ASSERT_EQ(hlen, dev.run.len) TH_LOG("packet %d: lengths differ", i);
			ASSERT_EQ(0, memcmp(dev.pkt, hout, hlen)) TH_LOG("packet %d: bytes differ", i);
		}
		verdicts[hv & 7]++;
	}
	TH_LOG("verdicts: aborted %u drop %u pass %u tx %u redirect %u",
	       verdicts[0], verdicts[1], verdicts[2], verdicts[3], verdicts[4]);
	if (self->dev)
		ASSERT_EQ(0, compare_maps(self->host, self->dev, why, sizeof(why))) TH_LOG("%s", why);
}

TEST_HARNESS_MAIN
