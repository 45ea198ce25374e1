// SPDX-License-Identifier: GPL-2.0
/*
 * offnic_testrun: run packets through the program offloaded on an offnic
 * port, on the device, without touching the wire, and print what the
 * device did: verdict, cycles, bundles, fault and the output packet.
 * Built on the bpf_offnic_test_run() kfunc (docs/kfuncs.md).
 *
 * usage: offnic_testrun -i IFACE [-s xdp|tc] (-x HEX | -p FILE.pcap) [-q]
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "kfunc_devrun.h"
#include "kfunc_devrun.skel.h"

static const char * const verdicts[] = {
	"ABORTED", "DROP", "PASS", "TX", "REDIRECT",
};

static struct kfunc_devrun *skel;
static int ifindex, slot, quiet;

static int run_one(const __u8 *pkt, __u32 len, int n)
{
	struct devrun_args args = { .ifindex = ifindex, .slot = slot };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &args,
		    .ctx_size_in = sizeof(args));
	static struct devrun_buf b;
	int fd = bpf_map__fd(skel->maps.buf);
	__u32 zero = 0, i;

	if (len > sizeof(b.pkt)) {
		fprintf(stderr, "packet %d: %u bytes is too long\n", n, len);
		return -1;
	}
	memset(&b, 0, sizeof(b));
	b.run.len = len;
	memcpy(b.pkt, pkt, len);
	if (bpf_map_update_elem(fd, &zero, &b, BPF_ANY) ||
	    bpf_prog_test_run_opts(bpf_program__fd(skel->progs.test_run), &opts) ||
	    bpf_map_lookup_elem(fd, &zero, &b)) {
		fprintf(stderr, "packet %d: %s\n", n, strerror(errno));
		return -1;
	}
	if (args.ret) {
		fprintf(stderr, "packet %d: the device test-run failed: %s\n", n,
			strerror(-args.ret));
		return -1;
	}
	printf("packet %d: %s (%u) cycles %llu bundles %llu", n,
	       b.run.verdict < 5 ? verdicts[b.run.verdict] : "verdict",
	       b.run.verdict, (unsigned long long)b.run.cycles,
	       (unsigned long long)b.run.bundles);
	if (b.run.fault_cause)
		printf(" fault %u at pc %u", b.run.fault_cause, b.run.fault_pc);
	printf(" len %u\n", b.run.len);
	if (!quiet && (b.run.verdict == 2 || b.run.verdict == 3)) {
		for (i = 0; i < b.run.len; i++)
			printf("%s%02x", i % 16 ? " " : (i ? "\n  " : "  "), b.pkt[i]);
		printf("\n");
	}
	return 0;
}

static int run_hex(const char *hex)
{
	__u8 pkt[2048];
	__u32 len = 0;

	while (hex[0] && hex[1] && len < sizeof(pkt)) {
		if (sscanf(hex, "%2hhx", &pkt[len]) != 1) {
			fprintf(stderr, "bad hex at '%s'\n", hex);
			return -1;
		}
		len++;
		hex += 2;
		while (*hex == ' ' || *hex == ':')
			hex++;
	}
	return run_one(pkt, len, 0);
}

static int run_pcap(const char *path)
{
	__u32 gh[6], rh[4];
	__u8 pkt[65536];
	int n = 0, err = 0, swapped;
	FILE *f = fopen(path, "rb");

	if (!f || fread(gh, sizeof(gh), 1, f) != 1) {
		fprintf(stderr, "cannot read %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	swapped = gh[0] == 0xd4c3b2a1;
	if (gh[0] != 0xa1b2c3d4 && !swapped) {
		fprintf(stderr, "%s is not a classic pcap file\n", path);
		fclose(f);
		return -1;
	}
	while (fread(rh, sizeof(rh), 1, f) == 1) {
		__u32 len = swapped ? __builtin_bswap32(rh[2]) : rh[2];

		if (len > sizeof(pkt) || fread(pkt, len, 1, f) != 1)
			break;
		err |= run_one(pkt, len, n++);
	}
	fclose(f);
	return err;
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *hex = NULL, *pcap = NULL;
	int opt, err;

	while ((opt = getopt(argc, argv, "i:s:x:p:q")) != -1) {
		switch (opt) {
		case 'i':
			ifname = optarg;
			break;
		case 's':
			slot = !strcmp(optarg, "tc");
			break;
		case 'x':
			hex = optarg;
			break;
		case 'p':
			pcap = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			return 2;
		}
	}
	if (!ifname || !(hex || pcap)) {
		fprintf(stderr, "usage: %s -i IFACE [-s xdp|tc] (-x HEX | -p FILE.pcap) [-q]\n",
			argv[0]);
		return 2;
	}
	ifindex = if_nametoindex(ifname);
	if (!ifindex) {
		fprintf(stderr, "%s: no such interface\n", ifname);
		return 1;
	}
	skel = kfunc_devrun__open_and_load();
	if (!skel) {
		fprintf(stderr, "loading the test-run program failed (is offnic.ko loaded, with BTF?)\n");
		return 1;
	}
	err = hex ? run_hex(hex) : run_pcap(pcap);
	kfunc_devrun__destroy(skel);
	return err ? 1 : 0;
}
