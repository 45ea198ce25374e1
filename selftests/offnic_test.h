/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by offnic's C selftests. */
#ifndef OFFNIC_TEST_H
#define OFFNIC_TEST_H

#include <arpa/inet.h>
#include <dirent.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* Find the offnic netdev: its name and its PCI address. */
static inline int offnic_find(char *ifname, char *pci, size_t pci_len)
{
	char path[512], link[256];
	struct dirent *de;
	DIR *dir;
	ssize_t n;
	int found = -1;

	dir = opendir("/sys/class/net");
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/device/driver",
			 de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		if (strcmp(strrchr(link, '/') + 1, "offnic"))
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/device",
			 de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		snprintf(ifname, IF_NAMESIZE, "%.15s", de->d_name);
		snprintf(pci, pci_len, "%s", strrchr(link, '/') + 1);
		found = 0;
		break;
	}
	closedir(dir);
	return found;
}

/* A counter as the device reports it over the control queue (debugfs). */
static inline long long offnic_debugfs_counter(const char *pci, const char *name)
{
	char path[256], key[64];
	long long val = -1, v;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/offnic/%s/counters", pci);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63[^:]: %lld\n", key, &v) == 2)
		if (!strcmp(key, name))
			val = v;
	fclose(f);
	return val;
}

/* Bring the port up and send @n broadcast frames out of it. */
static inline int offnic_send_frames(int ifindex, int n)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = ifindex,
		.sll_halen = ETH_ALEN,
	};
	unsigned char frame[60] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* dst: broadcast */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* src */
		0x88, 0xb5,				/* local experimental */
	};
	struct ifreq ifr = { 0 };
	int fd, i, err = 0;

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		return -1;
	if (!if_indextoname(ifindex, ifr.ifr_name) ||
	    ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		close(fd);
		return -1;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr)) {
		close(fd);
		return -1;
	}
	memset(sll.sll_addr, 0xff, ETH_ALEN);
	for (i = 0; i < n && !err; i++)
		if (sendto(fd, frame, sizeof(frame), 0,
			   (struct sockaddr *)&sll, sizeof(sll)) != sizeof(frame))
			err = -1;
	close(fd);
	return err;
}

/* A UDP/IPv4 frame to @dport, 10.99.0.2 -> 10.99.0.1; returns its length. */
static inline unsigned int offnic_udp_frame(unsigned char *f, unsigned short dport)
{
	static const unsigned char hdr[] = {
		0x02, 0x0f, 0xf0, 0x00, 0x00, 0x01, 0x02, 0x0f, 0xf0, 0x00, 0x00, 0x02,
		0x08, 0x00,
		0x45, 0x00, 0x00, 0x2e, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
		10, 99, 0, 2, 10, 99, 0, 1,
		0x9c, 0x40, 0x00, 0x00, 0x00, 0x1a, 0x00, 0x00,
	};

	memcpy(f, hdr, sizeof(hdr));
	f[36] = dport >> 8;
	f[37] = dport & 0xff;
	memcpy(f + sizeof(hdr), "offnic test-run frame", 18);
	return sizeof(hdr) + 18;
}

#ifdef __LIBBPF_LIBBPF_H
/* Open @path with its programs and maps bound to @ifindex (0: the host),
 * and load it.
 */
static inline struct bpf_object *offnic_load_obj(const char *path, int ifindex)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	struct bpf_map *map;

	if (!obj)
		return NULL;
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_ifindex(prog, ifindex);
	bpf_object__for_each_map(map, obj)
		bpf_map__set_ifindex(map, ifindex);
	if (bpf_object__load(obj)) {
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}
#endif

/* Set a netdev administratively up or down. */
static inline int offnic_set_up(const char *ifname, int up)
{
	struct ifreq ifr = { 0 };
	int fd, err;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, IF_NAMESIZE, "%s", ifname);
	err = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (!err) {
		if (up)
			ifr.ifr_flags |= IFF_UP;
		else
			ifr.ifr_flags &= ~IFF_UP;
		err = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return err;
}

/* Write a debugfs knob of the device (knobs/NAME). */
static inline int offnic_knob(const char *pci, const char *name, int val)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/offnic/%s/knobs/%s",
		 pci, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "%d\n", val);
	return fclose(f) ? -1 : 0;
}

#endif
