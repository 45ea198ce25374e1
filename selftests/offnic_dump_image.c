// SPDX-License-Identifier: GPL-2.0
/*
 * offnic_dump_image: write the device image of an offloaded program to a
 * file, as `bpftool prog dump jited id N file F` would.  Debian's bpftool
 * is built without libbfd and refuses every `dump jited`, even to a file;
 * the kernel hands the image out all the same (BPF_OBJ_GET_INFO_BY_FD,
 * jited_prog_insns).  Disassemble it with hw/asm's offnic-dis.
 *
 * usage: offnic_dump_image PROG_ID FILE
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

int main(int argc, char **argv)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	unsigned char *img;
	FILE *out;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s PROG_ID FILE\n", argv[0]);
		return 2;
	}
	fd = bpf_prog_get_fd_by_id(strtoul(argv[1], NULL, 0));
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len)) {
		fprintf(stderr, "program %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (!info.ifindex || !info.jited_prog_len) {
		fprintf(stderr, "program %s is not offloaded or has no image\n", argv[1]);
		return 1;
	}
	img = calloc(1, info.jited_prog_len);
	len = info.jited_prog_len;
	memset(&info, 0, sizeof(info));
	info.jited_prog_len = len;
	info.jited_prog_insns = (unsigned long)img;
	len = sizeof(info);
	if (!img || bpf_obj_get_info_by_fd(fd, &info, &len)) {
		fprintf(stderr, "program %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	out = fopen(argv[2], "wb");
	if (!out || fwrite(img, 1, info.jited_prog_len, out) != info.jited_prog_len ||
	    fclose(out)) {
		fprintf(stderr, "%s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	printf("%u bytes of device image written to %s\n", info.jited_prog_len, argv[2]);
	return 0;
}
