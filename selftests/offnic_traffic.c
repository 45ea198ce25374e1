// SPDX-License-Identifier: GPL-2.0
/*
 * offnic_traffic: send real frames out of an interface, for `make run`
 * and the traffic selftests.  Either a built-in mix of IPv4 traffic
 * (ICMP echo, UDP and TCP SYNs to a few ports, one per class in turn) or
 * the frames of a pcap file, as they are.
 *
 * usage: offnic_traffic -i IFACE -d DST_MAC [-s SRC_IP] [-t DST_IP]
 *                       [-n COUNT] [-p FILE.pcap] [-g GAP_US]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct mix_class {
	const char *name;
	uint8_t proto;
	uint16_t dport;
};

/* The built-in mix; `make run`'s firewall rules refer to these ports. */
static const struct mix_class mix[] = {
	{ "icmp-echo", IPPROTO_ICMP, 0 },
	{ "udp-53", IPPROTO_UDP, 53 },
	{ "udp-9999", IPPROTO_UDP, 9999 },
	{ "tcp-22", IPPROTO_TCP, 22 },
	{ "tcp-80", IPPROTO_TCP, 80 },
};

#define N_MIX	(sizeof(mix) / sizeof(mix[0]))

static uint16_t csum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;

	while (len > 1) {
		sum += (p[0] << 8) | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

static size_t build_frame(uint8_t *f, const uint8_t *dmac, const uint8_t *smac,
			  uint32_t saddr, uint32_t daddr,
			  const struct mix_class *c, uint16_t seq)
{
	uint8_t *ip = f + 14, *l4 = ip + 20;
	size_t l4len;

	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	f[12] = 0x08;
	f[13] = 0x00;

	memset(l4, 0, 64);
	switch (c->proto) {
	case IPPROTO_ICMP:
		l4len = 8 + 32;
		l4[0] = 8;				/* echo request */
		l4[4] = 0x0f;				/* identifier */
		l4[6] = seq >> 8;
		l4[7] = seq & 0xff;
		memset(l4 + 8, 'o', 32);
		*(uint16_t *)(l4 + 2) = csum(l4, l4len, 0);
		break;
	case IPPROTO_UDP:
		l4len = 8 + 18;
		*(uint16_t *)l4 = htons(40000 + seq % 1000);
		*(uint16_t *)(l4 + 2) = htons(c->dport);
		*(uint16_t *)(l4 + 4) = htons(l4len);
		memcpy(l4 + 8, "offnic traffic mix", 18);
		break;
	default:				/* TCP SYN */
		l4len = 20;
		*(uint16_t *)l4 = htons(40000 + seq % 1000);
		*(uint16_t *)(l4 + 2) = htons(c->dport);
		*(uint32_t *)(l4 + 4) = htonl(seq);
		l4[12] = 5 << 4;
		l4[13] = 0x02;				/* SYN */
		*(uint16_t *)(l4 + 14) = htons(64240);
		break;
	}

	memset(ip, 0, 20);
	ip[0] = 0x45;
	*(uint16_t *)(ip + 2) = htons(20 + l4len);
	*(uint16_t *)(ip + 4) = htons(seq);
	ip[8] = 64;
	ip[9] = c->proto;
	memcpy(ip + 12, &saddr, 4);
	memcpy(ip + 16, &daddr, 4);
	*(uint16_t *)(ip + 10) = csum(ip, 20, 0);

	if (c->proto != IPPROTO_ICMP) {
		/* pseudo-header sum, then the segment */
		uint32_t sum = 0;
		uint16_t *cs = (uint16_t *)(l4 + (c->proto == IPPROTO_UDP ? 6 : 16));

		sum += (ntohl(saddr) >> 16) + (ntohl(saddr) & 0xffff);
		sum += (ntohl(daddr) >> 16) + (ntohl(daddr) & 0xffff);
		sum += c->proto + l4len;
		*cs = csum(l4, l4len, sum);
	}
	return 14 + 20 + l4len < 60 ? 60 : 14 + 20 + l4len;
}

static int parse_mac(const char *s, uint8_t *mac)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
		      &mac[2], &mac[3], &mac[4], &mac[5]) == 6 ? 0 : -1;
}

static int send_pcap(int fd, const char *path, int gap_us)
{
	uint8_t frame[65536];
	uint32_t gh[6], rh[4];
	int n = 0, swapped;
	FILE *f;

	f = fopen(path, "rb");
	if (!f || fread(gh, sizeof(gh), 1, f) != 1) {
		fprintf(stderr, "offnic_traffic: cannot read pcap %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	swapped = gh[0] == 0xd4c3b2a1;
	if (gh[0] != 0xa1b2c3d4 && !swapped) {
		fprintf(stderr, "offnic_traffic: %s is not a classic pcap file\n", path);
		fclose(f);
		return -1;
	}
	while (fread(rh, sizeof(rh), 1, f) == 1) {
		uint32_t len = swapped ? __builtin_bswap32(rh[2]) : rh[2];

		if (len > sizeof(frame) || fread(frame, len, 1, f) != 1)
			break;
		if (send(fd, frame, len, 0) < 0)
			perror("send");
		else
			n++;
		usleep(gap_us);
	}
	fclose(f);
	printf("sent %d frames from %s\n", n, path);
	return 0;
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *pcap = NULL;
	uint32_t saddr = inet_addr("10.99.0.2"), daddr = inet_addr("10.99.0.1");
	uint8_t dmac[6], smac[6] = { 0 }, frame[128];
	int count = 50, gap_us = 2000, opt, fd, i;
	unsigned int sent[N_MIX] = { 0 };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	bool have_dmac = false;

	while ((opt = getopt(argc, argv, "i:d:s:t:n:p:g:")) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 'd': have_dmac = !parse_mac(optarg, dmac); break;
		case 's': saddr = inet_addr(optarg); break;
		case 't': daddr = inet_addr(optarg); break;
		case 'n': count = atoi(optarg); break;
		case 'p': pcap = optarg; break;
		case 'g': gap_us = atoi(optarg); break;
		default: return 2;
		}
	}
	if (!ifname || (!pcap && !have_dmac)) {
		fprintf(stderr, "usage: %s -i IFACE -d DST_MAC [-s SRC_IP] [-t DST_IP] [-n COUNT] [-p FILE.pcap] [-g GAP_US]\n",
			argv[0]);
		return 2;
	}
	sll.sll_ifindex = if_nametoindex(ifname);
	sll.sll_protocol = htons(ETH_P_ALL);
	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0 || !sll.sll_ifindex ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		fprintf(stderr, "offnic_traffic: %s: %s\n", ifname, strerror(errno));
		return 1;
	}
	if (pcap)
		return send_pcap(fd, pcap, gap_us) ? 1 : 0;

	{
		char path[128];
		FILE *f;

		snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
		f = fopen(path, "r");
		if (f) {
			if (fscanf(f, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &smac[0], &smac[1],
				   &smac[2], &smac[3], &smac[4], &smac[5]) != 6)
				memset(smac, 0, sizeof(smac));
			fclose(f);
		}
	}
	for (i = 0; i < count; i++) {
		const struct mix_class *c = &mix[i % N_MIX];
		size_t len = build_frame(frame, dmac, smac, saddr, daddr, c, i);

		if (send(fd, frame, len, 0) != (ssize_t)len) {
			perror("send");
			return 1;
		}
		sent[i % N_MIX]++;
		usleep(gap_us);
	}
	for (i = 0; i < (int)N_MIX; i++)
		printf("sent %-10s %u\n", mix[i].name, sent[i]);
	return 0;
}
