// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Map set-up and traffic mixes of the benchmark corpus.  Every mix
 * covers the program's fast path (the one a NIC vendor quotes) and its
 * other verdicts, in fixed proportions, so cycles/packet are comparable
 * from run to run.  Map keys and values are laid out as the programs
 * declare them; addresses and ports sit in network order, as the
 * programs read them straight from the packet.
 */
#include <string.h>

#include "traffic.h"

#define XDP_ABORTED	0
#define XDP_DROP	1
#define XDP_PASS	2
#define XDP_TX		3
#define XDP_REDIRECT	4

#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_8021Q	0x8100
#define ETH_P_IPV6	0x86dd
#define IPPROTO_ICMP	1
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17

static const uint8_t mac_nic[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t mac_peer[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* An IPv4 address as the 4 bytes it occupies in a packet (a map key) */
static uint32_t ip_key(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	uint8_t bytes[4] = { a, b, c, d };
	uint32_t v;

	memcpy(&v, bytes, 4);
	return v;
}

static uint16_t csum16(const uint8_t *p, uint32_t len)
{
	uint32_t sum = 0, i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static void frame_eth(struct bench_pkt *p, uint16_t proto, uint32_t len)
{
	memset(p, 0, sizeof(*p));
	p->len = len < 60 ? 60 : len;
	p->ifindex = 1;
	memcpy(p->frame, mac_nic, 6);
	memcpy(p->frame + 6, mac_peer, 6);
	put16(p->frame + 12, proto);
}

/* Ethernet + IPv4 (no options) + the first 4 bytes of L4 (ports) */
static void frame_ipv4(struct bench_pkt *p, uint8_t proto, uint32_t saddr,
		       uint32_t daddr, uint16_t sport, uint16_t dport,
		       uint8_t ttl, uint32_t len)
{
	uint8_t *ip = p->frame + 14;

	frame_eth(p, ETH_P_IP, len);
	ip[0] = 0x45;
	put16(ip + 2, p->len - 14);
	put16(ip + 4, 0x1234);
	ip[8] = ttl;
	ip[9] = proto;
	memcpy(ip + 12, &saddr, 4);
	memcpy(ip + 16, &daddr, 4);
	put16(ip + 10, csum16(ip, 20));
	put16(ip + 20, sport);
	put16(ip + 22, dport);
	if (proto == IPPROTO_UDP)
		put16(ip + 24, p->len - 34);
}

static void frame_icmp_echo(struct bench_pkt *p, uint32_t saddr,
			    uint32_t daddr, uint32_t len)
{
	uint8_t *icmp = p->frame + 34;
	uint32_t i;

	frame_ipv4(p, IPPROTO_ICMP, saddr, daddr, 0, 0, 64, len);
	icmp[0] = 8;			/* echo request */
	icmp[1] = 0;
	put16(icmp + 2, 0);
	put16(icmp + 4, 0x4242);	/* id */
	put16(icmp + 6, 7);		/* sequence */
	for (i = 8; 34 + i < p->len; i++)
		icmp[i] = i;
	put16(icmp + 2, csum16(icmp, p->len - 34));
}

/* Insert an 802.1Q tag after the MAC addresses */
static void add_vlan(struct bench_pkt *p, uint16_t vid)
{
	memmove(p->frame + 16, p->frame + 12, p->len - 12);
	put16(p->frame + 12, ETH_P_8021Q);
	put16(p->frame + 14, vid);
	p->len += 4;
}

static int no_setup(struct bench_maps *m)
{
	return 0;
}

/* The microbenchmarks: any IPv4 UDP frame */
static int micro_packet(struct bench_maps *m, unsigned int i, unsigned int n,
			struct bench_pkt *p, uint32_t verdict)
{
	frame_ipv4(p, IPPROTO_UDP, ip_key(192, 168, 5, i & 0xff), ip_key(10, 0, 0, 1),
		   1000 + i, 9, 64, 64);
	p->expect = verdict;
	return 0;
}

static int drop_packet(struct bench_maps *m, unsigned int i, unsigned int n,
		       struct bench_pkt *p)
{
	return micro_packet(m, i, n, p, XDP_DROP);
}

static int tx_packet(struct bench_maps *m, unsigned int i, unsigned int n,
		     struct bench_pkt *p)
{
	return micro_packet(m, i, n, p, XDP_TX);
}

/* xdp1: count by IP protocol, always DROP; IPv4, VLAN, IPv6, ARP */
static int xdp1_packet(struct bench_maps *m, unsigned int i, unsigned int n,
		       struct bench_pkt *p)
{
	uint32_t src = ip_key(192, 168, 1, i & 0xff), dst = ip_key(10, 0, 0, 1);

	switch (i % 6) {
	case 0:
		frame_ipv4(p, IPPROTO_UDP, src, dst, 1000 + i, 53, 64, 64);
		break;
	case 1:
		frame_ipv4(p, IPPROTO_TCP, src, dst, 1000 + i, 80, 64, 64);
		break;
	case 2:
		frame_icmp_echo(p, src, dst, 98);
		break;
	case 3:
		frame_ipv4(p, IPPROTO_UDP, src, dst, 1000 + i, 53, 64, 64);
		add_vlan(p, 100);
		break;
	case 4:
		frame_eth(p, ETH_P_IPV6, 78);
		p->frame[14] = 0x60;
		p->frame[20] = IPPROTO_UDP;	/* nexthdr */
		break;
	default:
		frame_eth(p, ETH_P_ARP, 60);
		break;
	}
	p->expect = XDP_DROP;
	return 0;
}

/* xdp2: UDP is MAC-swapped and sent back (TX), the rest passes */
static int xdp2_packet(struct bench_maps *m, unsigned int i, unsigned int n,
		       struct bench_pkt *p)
{
	uint32_t src = ip_key(192, 168, 1, i & 0xff), dst = ip_key(10, 0, 0, 1);

	switch (i % 4) {
	case 0:
	case 1:
		frame_ipv4(p, IPPROTO_UDP, src, dst, 1000 + i, 9, 64, 64);
		p->expect = XDP_TX;
		break;
	case 2:
		frame_ipv4(p, IPPROTO_TCP, src, dst, 1000 + i, 80, 64, 64);
		p->expect = XDP_PASS;
		break;
	default:
		frame_eth(p, ETH_P_ARP, 60);
		p->expect = XDP_PASS;
		break;
	}
	return 0;
}

/* router_ipv4: 16 routes 10.1.0.1-16 */
struct route {
	uint8_t dmac[6];
	uint8_t smac[6];
	uint32_t ifindex;
};

#define ROUTES	16

static int router_setup(struct bench_maps *m)
{
	struct route r;
	uint32_t k, dst;
	int err;

	for (k = 1; k <= ROUTES; k++) {
		memcpy(r.dmac, mac_peer, 6);
		r.dmac[5] = 0x10 + k;
		memcpy(r.smac, mac_nic, 6);
		r.ifindex = 2 + k % 3;
		dst = ip_key(10, 1, 0, k);
		err = bench_map_update(m, "routes", &dst, &r);
		if (err)
			return err;
	}
	return 0;
}

static int router_packet(struct bench_maps *m, unsigned int i, unsigned int n,
			 struct bench_pkt *p)
{
	uint32_t src = ip_key(192, 168, 1, i & 0xff);

	switch (i % 8) {
	case 6:			/* no route */
		frame_ipv4(p, IPPROTO_UDP, src, ip_key(10, 2, 0, 1), 1000, 53, 64, 64);
		p->expect = XDP_PASS;
		break;
	case 7:			/* TTL expires */
		frame_ipv4(p, IPPROTO_UDP, src, ip_key(10, 1, 0, 1), 1000, 53, 1, 64);
		p->expect = XDP_PASS;
		break;
	default:
		frame_ipv4(p, IPPROTO_UDP, src, ip_key(10, 1, 0, 1 + i % ROUTES),
			   1000 + i, 53, 64, 64);
		p->expect = XDP_REDIRECT;
		break;
	}
	return 0;
}

/*
 * simple_firewall: each inside flow (ingress 1) opens a flow and is sent
 * out (TX); the outside answer on that flow passes (TX); an outside
 * packet on an unknown flow is dropped.
 */
static int sfw_packet(struct bench_maps *m, unsigned int i, unsigned int n,
		      struct bench_pkt *p)
{
	unsigned int f = i / 3;
	uint32_t in = ip_key(192, 168, f >> 8, f & 0xff), out = ip_key(10, 0, 0, 1);
	uint8_t proto = f & 1 ? IPPROTO_TCP : IPPROTO_UDP;

	switch (i % 3) {
	case 0:
		frame_ipv4(p, proto, in, out, 1000 + f, 80, 64, 64);
		p->ifindex = 1;
		p->expect = XDP_TX;
		break;
	case 1:
		frame_ipv4(p, proto, out, in, 80, 1000 + f, 64, 64);
		p->ifindex = 2;
		p->expect = XDP_TX;
		break;
	default:
		frame_ipv4(p, proto, out, in, 81, 1000 + f, 64, 64);
		p->ifindex = 2;
		p->expect = XDP_DROP;
		break;
	}
	return 0;
}

/* icmp_reply: echo requests to 10.99.0.1 (plain and trimmed) are
 * answered (TX); other ICMP and UDP to it pass */
static int icmp_packet(struct bench_maps *m, unsigned int i, unsigned int n,
		       struct bench_pkt *p)
{
	uint32_t src = ip_key(192, 168, 1, i & 0xff), me = ip_key(10, 99, 0, 1);

	switch (i % 4) {
	case 0:
		frame_icmp_echo(p, src, me, 98);
		p->expect = XDP_TX;
		break;
	case 1:
		frame_icmp_echo(p, src, me, 142);	/* trimmed to 98 */
		p->expect = XDP_TX;
		break;
	case 2:
		frame_icmp_echo(p, src, ip_key(10, 99, 0, 2), 98);
		p->expect = XDP_PASS;
		break;
	default:
		frame_ipv4(p, IPPROTO_UDP, src, me, 1000, 53, 64, 64);
		p->expect = XDP_PASS;
		break;
	}
	return 0;
}

/* ipip_encap: tunnels for destination ports 80, 443 and 53 */
struct tunnel {
	uint32_t saddr;
	uint32_t daddr;
	uint8_t dmac[6];
	uint8_t smac[6];
};

static int ipip_setup(struct bench_maps *m)
{
	static const uint16_t ports[] = { 80, 443, 53 };
	struct tunnel t;
	unsigned int k;
	uint8_t key[2];
	int err;

	for (k = 0; k < sizeof(ports) / sizeof(ports[0]); k++) {
		t.saddr = ip_key(172, 16, 0, 1);
		t.daddr = ip_key(172, 16, 1, 1 + k);
		memcpy(t.dmac, mac_peer, 6);
		t.dmac[5] = 0x20 + k;
		memcpy(t.smac, mac_nic, 6);
		put16(key, ports[k]);
		err = bench_map_update(m, "tunnels", key, &t);
		if (err)
			return err;
	}
	return 0;
}

static int ipip_packet(struct bench_maps *m, unsigned int i, unsigned int n,
		       struct bench_pkt *p)
{
	uint32_t src = ip_key(192, 168, 1, i & 0xff);
	uint32_t vip = ip_key(10, 100, 0, 1 + i % 200);

	switch (i % 4) {
	case 0:
		frame_ipv4(p, IPPROTO_UDP, src, vip, 1000 + i, 80, 64, 64);
		p->expect = XDP_TX;
		break;
	case 1:
		frame_ipv4(p, IPPROTO_TCP, src, vip, 1000 + i, 443, 64, 128);
		p->expect = XDP_TX;
		break;
	case 2:			/* no tunnel for the port */
		frame_ipv4(p, IPPROTO_UDP, src, vip, 1000 + i, 9999, 64, 64);
		p->expect = XDP_DROP;
		break;
	default:		/* not a service address */
		frame_ipv4(p, IPPROTO_UDP, src, ip_key(10, 5, 0, 1), 1000, 80, 64, 64);
		p->expect = XDP_PASS;
		break;
	}
	return 0;
}

/* l4lb: 4 backends; 48 flows to the VIP, each seen many times (the
 * first packet pins it in `conns`), plus non-VIP and ICMP-to-VIP */
struct backend {
	uint32_t addr;
	uint8_t mac[6];
	uint16_t pad;
};

#define LB_BACKENDS	4
#define LB_FLOWS	48

static int l4lb_setup(struct bench_maps *m)
{
	struct backend be;
	uint32_t k;
	int err;

	for (k = 0; k < LB_BACKENDS; k++) {
		memset(&be, 0, sizeof(be));
		be.addr = ip_key(10, 200, 0, 1 + k);
		memcpy(be.mac, mac_peer, 6);
		be.mac[5] = 0x30 + k;
		err = bench_map_update(m, "backends", &k, &be);
		if (err)
			return err;
	}
	return 0;
}

static int l4lb_packet(struct bench_maps *m, unsigned int i, unsigned int n,
		       struct bench_pkt *p)
{
	unsigned int f = (i / 2) % LB_FLOWS;
	uint32_t vip = ip_key(10, 100, 0, 1);
	uint32_t src = ip_key(192, 168, 2, f);

	switch (i % 8) {
	case 6:
		frame_ipv4(p, IPPROTO_UDP, src, ip_key(10, 100, 0, 2), 1000, 80, 64, 64);
		p->expect = XDP_PASS;
		break;
	case 7:
		frame_icmp_echo(p, src, vip, 98);
		p->expect = XDP_DROP;
		break;
	default:
		frame_ipv4(p, f & 1 ? IPPROTO_TCP : IPPROTO_UDP, src, vip,
			   2000 + f, 80, 64, 64);
		p->expect = XDP_TX;
		break;
	}
	return 0;
}

/* firewall (offnic's built-in example): the rule layout of firewall.h */
struct fw_rule {
	uint8_t proto;
	uint8_t action;
	uint16_t dport;			/* host order */
};

static int fw_setup(struct bench_maps *m)
{
	static const struct fw_rule rules[] = {
		{ IPPROTO_UDP, XDP_PASS, 53 },
		{ IPPROTO_TCP, XDP_DROP, 22 },
		{ IPPROTO_TCP, XDP_TX, 0 },
		{ IPPROTO_ICMP, XDP_DROP, 0 },
	};
	uint32_t k;
	int err;

	for (k = 0; k < sizeof(rules) / sizeof(rules[0]); k++) {
		err = bench_map_update(m, "rules", &k, &rules[k]);
		if (err)
			return err;
	}
	return 0;
}

static int fw_packet(struct bench_maps *m, unsigned int i, unsigned int n,
		     struct bench_pkt *p)
{
	uint32_t src = ip_key(192, 168, 3, i & 0xff), dst = ip_key(10, 0, 0, 1);

	switch (i % 6) {
	case 0:
		frame_ipv4(p, IPPROTO_UDP, src, dst, 1000 + i, 53, 64, 64);
		p->expect = XDP_PASS;
		break;
	case 1:
		frame_ipv4(p, IPPROTO_TCP, src, dst, 1000 + i, 22, 64, 64);
		p->expect = XDP_DROP;
		break;
	case 2:
		frame_ipv4(p, IPPROTO_TCP, src, dst, 1000 + i, 80, 64, 64);
		p->expect = XDP_TX;
		break;
	case 3:
		frame_icmp_echo(p, src, dst, 98);
		p->expect = XDP_DROP;
		break;
	case 4:			/* no rule: default */
		frame_ipv4(p, IPPROTO_UDP, src, dst, 1000 + i, 123, 64, 64);
		p->expect = XDP_PASS;
		break;
	default:
		frame_eth(p, ETH_P_ARP, 60);
		p->expect = XDP_PASS;
		break;
	}
	return 0;
}

/* rxq_info: the layout of selftests/progs/rxq_info.bpf.c */
struct rxq_config {
	uint32_t action;
	uint32_t ifindex;
	uint32_t options;
};

#define RXQ_SWAP_MAC	0x2
#define RXQ_QUEUES	8

static int rxq_configure(struct bench_maps *m, uint32_t action, uint32_t options)
{
	struct rxq_config c = { .action = action, .ifindex = 1, .options = options };
	uint32_t key = 0;

	return bench_map_update(m, "rxq_config", &key, &c);
}

static int rxq_setup(struct bench_maps *m)
{
	return rxq_configure(m, XDP_DROP, 0);
}

/* First half DROP, second half MAC swap + TX; every 16th packet on the
 * wrong interface (an "issue") */
static int rxq_packet(struct bench_maps *m, unsigned int i, unsigned int n,
		      struct bench_pkt *p)
{
	int err;

	if (i == n / 2) {
		err = rxq_configure(m, XDP_TX, RXQ_SWAP_MAC);
		if (err)
			return err;
	}
	frame_ipv4(p, IPPROTO_UDP, ip_key(192, 168, 4, i & 0xff), ip_key(10, 0, 0, 1),
		   1000 + i, 9, 64, 64);
	p->rxq = i % RXQ_QUEUES;
	p->ifindex = i % 16 == 15 ? 2 : 1;
	p->expect = i < n / 2 ? XDP_DROP : XDP_TX;
	return 0;
}

const struct bench_prog bench_progs[] = {
	{ "xdp_drop", "xdp_drop.bpf.o", no_setup, drop_packet },
	{ "xdp_tx", "xdp_tx.bpf.o", no_setup, tx_packet },
	{ "xdp1", "xdp1.bpf.o", no_setup, xdp1_packet },
	{ "xdp2", "xdp2.bpf.o", no_setup, xdp2_packet },
	{ "router_ipv4", "router_ipv4.bpf.o", router_setup, router_packet },
	{ "rxq_info", "rxq_info.bpf.o", rxq_setup, rxq_packet },
	{ "simple_firewall", "simple_firewall.bpf.o", no_setup, sfw_packet },
	{ "firewall", "firewall.bpf.o", fw_setup, fw_packet },
	{ "icmp_reply", "icmp_reply.bpf.o", no_setup, icmp_packet },
	{ "ipip_encap", "ipip_encap.bpf.o", ipip_setup, ipip_packet },
	{ "l4lb", "l4lb.bpf.o", l4lb_setup, l4lb_packet },
};

const unsigned int bench_n_progs = sizeof(bench_progs) / sizeof(bench_progs[0]);
