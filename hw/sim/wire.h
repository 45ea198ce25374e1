/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef SIM_WIRE_H
#define SIM_WIRE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "offnic_abi.h"
#include "pcap.h"

/* Frames moved per recvmmsg/sendmmsg call */
#define WIRE_BATCH		64
/* Socket buffers asked for: a burst of a few thousand frames fits */
#define WIRE_SOCKBUF_BYTES	(8 << 20)

/*
 * The simulated wire: one Ethernet frame per UDP datagram on 127.0.0.1,
 * the format of QEMU's "-netdev socket,udp=..." backend.  Every frame that
 * crosses it in either direction is also written to the capture, if any.
 *
 * Frames go out in batches: wire_send() queues, wire_flush() sends the
 * queue with one sendmmsg().  Frames come in with one recvmmsg() per
 * wire_recv_batch(); datagrams the host kernel dropped at the socket
 * because its buffer was full are counted in @overflow (SO_RXQ_OVFL and
 * SO_MEMINFO), so no loss on the wire goes uncounted.
 */
struct wire {
	int fd;				/* -1: no wire attached */
	struct sockaddr_in peer;
	struct pcap *tap;
	uint64_t overflow;		/* datagrams lost in the socket buffer */
	uint64_t tx_errors;		/* frames sendmmsg() would not take */
	uint32_t ovfl_seen;		/* the socket's drop count, last read */
	unsigned int tx_n;		/* frames queued for wire_flush() */
	unsigned int tx_flushed;	/* sent by wire_send() when the batch was full */
	struct mmsghdr tx_msg[WIRE_BATCH];
	struct iovec tx_iov[WIRE_BATCH];
	uint8_t tx_buf[WIRE_BATCH][OFFNIC_MAX_FRAME];
};

int wire_open(struct wire *wire, uint16_t port, uint16_t peer_port, struct pcap *tap);
void wire_close(struct wire *wire);
static inline bool wire_attached(const struct wire *wire)
{
	return wire->fd >= 0;
}

/* Queues a frame (flushing first when the batch is full). */
void wire_send(struct wire *wire, const void *frame, size_t len);
/* Sends every queued frame; returns how many the socket took since the
 * last call (with those wire_send() sent because the batch was full).
 */
unsigned int wire_flush(struct wire *wire);

/*
 * Receives up to @n datagrams, datagram i into bufs[i] (@cap bytes each).
 * lens[i] is the datagram's length, or cap + 1 if it did not fit (the
 * frame was truncated and must be dropped).  Returns the number received,
 * 0 when nothing is pending, -1 on error.
 */
int wire_recv_batch(struct wire *wire, uint8_t *const bufs[], size_t cap, size_t lens[],
		    unsigned int n);

/* Brings @overflow up to date with the socket's own drop counter. */
void wire_poll_overflow(struct wire *wire);

#endif
