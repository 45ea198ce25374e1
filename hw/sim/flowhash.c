// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The device's flow hash, reported in every RX descriptor: CRC32C of the
 * IPv4 5-tuple (addresses, protocol and, for TCP/UDP first fragments, the
 * ports).  Frames that are not IPv4 hash to 0, meaning "no hash".
 */
#include <string.h>

#include "flowhash.h"

#define ETH_HLEN		14
#define ETH_P_IP		0x0800
#define IPV4_MIN_HLEN		20
#define IPPROTO_TCP_NUM		6
#define IPPROTO_UDP_NUM		17
#define IPV4_FRAG_OFFSET_MASK	0x1fff
#define CRC32C_POLY_REFLECTED	0x82f63b78U

static uint32_t crc32c(uint32_t crc, const uint8_t *p, size_t len)
{
	int bit;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (CRC32C_POLY_REFLECTED & -(crc & 1));
	}
	return ~crc;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t flow_hash(const uint8_t *frame, size_t len)
{
	const uint8_t *ip = frame + ETH_HLEN;
	uint8_t tuple[13];
	size_t ihl, tuple_len = 9;

	if (len < ETH_HLEN + IPV4_MIN_HLEN || be16(frame + 12) != ETH_P_IP)
		return 0;
	ihl = (size_t)(ip[0] & 0xf) * 4;
	if ((ip[0] >> 4) != 4 || ihl < IPV4_MIN_HLEN || ETH_HLEN + ihl > len)
		return 0;
	memcpy(tuple, ip + 12, 8);		/* saddr, daddr */
	tuple[8] = ip[9];			/* protocol */
	if ((ip[9] == IPPROTO_TCP_NUM || ip[9] == IPPROTO_UDP_NUM) &&
	    !(be16(ip + 6) & IPV4_FRAG_OFFSET_MASK) && ETH_HLEN + ihl + 4 <= len) {
		memcpy(tuple + 9, ip + ihl, 4);	/* sport, dport */
		tuple_len = 13;
	}
	return crc32c(0, tuple, tuple_len);
}
