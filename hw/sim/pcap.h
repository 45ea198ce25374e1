/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef SIM_PCAP_H
#define SIM_PCAP_H

#include <stddef.h>
#include <stdio.h>

/* Classic libpcap capture file, DLT_EN10MB, written by hand. */
struct pcap {
	FILE *file;
};

int pcap_open(struct pcap *pcap, const char *path);
void pcap_write(struct pcap *pcap, const void *frame, size_t len);
void pcap_close(struct pcap *pcap);

#endif
