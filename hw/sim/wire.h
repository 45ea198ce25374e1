/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef SIM_WIRE_H
#define SIM_WIRE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pcap.h"

/*
 * The simulated wire: one Ethernet frame per UDP datagram on 127.0.0.1,
 * the format of QEMU's "-netdev socket,udp=..." backend.  Every frame that
 * crosses it in either direction is also written to the capture, if any.
 */
struct wire {
	int fd;				/* -1: no wire attached */
	struct sockaddr_in peer;
	struct pcap *tap;
};

int wire_open(struct wire *wire, uint16_t port, uint16_t peer_port, struct pcap *tap);
void wire_close(struct wire *wire);
static inline bool wire_attached(const struct wire *wire)
{
	return wire->fd >= 0;
}

int wire_send(struct wire *wire, const void *frame, size_t len);
/*
 * Returns the datagram's full length (which may exceed @cap: the frame was
 * truncated and must be dropped), 0 when nothing is pending, -1 on error.
 */
ssize_t wire_recv(struct wire *wire, void *buf, size_t cap);

#endif
