// SPDX-License-Identifier: (GPL-2.0 OR MIT)
#include <stdint.h>
#include <time.h>

#include "pcap.h"

#define PCAP_MAGIC_USEC		0xa1b2c3d4U
#define PCAP_SNAPLEN		65535U
#define PCAP_DLT_EN10MB		1U

struct pcap_file_hdr {
	uint32_t magic;
	uint16_t version_major;
	uint16_t version_minor;
	int32_t thiszone;
	uint32_t sigfigs;
	uint32_t snaplen;
	uint32_t linktype;
};

struct pcap_rec_hdr {
	uint32_t ts_sec;
	uint32_t ts_usec;
	uint32_t incl_len;
	uint32_t orig_len;
};

int pcap_open(struct pcap *pcap, const char *path)
{
	struct pcap_file_hdr hdr = {
		.magic = PCAP_MAGIC_USEC,
		.version_major = 2,
		.version_minor = 4,
		.snaplen = PCAP_SNAPLEN,
		.linktype = PCAP_DLT_EN10MB,
	};

	pcap->file = fopen(path, "w");
	if (!pcap->file)
		return -1;
	if (fwrite(&hdr, sizeof(hdr), 1, pcap->file) != 1 || fflush(pcap->file)) {
		pcap_close(pcap);
		return -1;
	}
	return 0;
}

/* Flushed per frame: the file must be readable while the simulator runs. */
void pcap_write(struct pcap *pcap, const void *frame, size_t len)
{
	struct pcap_rec_hdr rec;
	struct timespec ts;

	if (!pcap->file)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	rec.ts_sec = (uint32_t)ts.tv_sec;
	rec.ts_usec = (uint32_t)(ts.tv_nsec / 1000);
	rec.incl_len = (uint32_t)len;
	rec.orig_len = (uint32_t)len;
	fwrite(&rec, sizeof(rec), 1, pcap->file);
	fwrite(frame, 1, len, pcap->file);
	fflush(pcap->file);
}

void pcap_close(struct pcap *pcap)
{
	if (pcap->file)
		fclose(pcap->file);
	pcap->file = NULL;
}
