// SPDX-License-Identifier: GPL-2.0
/*
 * offnic_maps: print a program's maps with the types of its object file,
 * as `bpftool map dump` does for maps that carry BTF.  An offloaded map
 * carries none on 6.1 (the kernel refuses BTF for device maps), so the
 * types come from the BPF object the program was loaded from: each map
 * of the program is matched by name to a map of the object.
 *
 * usage: offnic_maps [-a] [-n MAX] OBJ PROG_ID
 *            every map of program PROG_ID, typed from OBJ
 *        offnic_maps -m MAP OBJ KEYHEX VALHEX [KEYHEX VALHEX...]
 *            decode entries of MAP given as hex bytes (a map image, or a
 *            `bpftool map dump` line), without a kernel
 *   -a  also the entries of arrays whose value is all zero
 *   -n  at most MAX entries per map (default: all)
 *
 * Printing rules (names, addresses): docs/maps.md.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf_print.h"

struct opts {
	bool all;
	unsigned int max;
};

struct map_types {
	const struct btf *btf;		/* NULL: print bytes */
	__u32 key_id, value_id;
};

/* The object's types for the map the kernel calls kname. */
static struct map_types obj_map_types(struct bpf_object *obj, const char *kname)
{
	struct map_types mt = { .btf = bpf_object__btf(obj) };
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map), *sec;
		int id;

		/* the kernel keeps BPF_OBJ_NAME_LEN - 1 characters */
		if (strncmp(name, kname, BPF_OBJ_NAME_LEN - 1))
			continue;
		mt.key_id = bpf_map__btf_key_type_id(map);
		mt.value_id = bpf_map__btf_value_type_id(map);
		/* .data/.bss/.rodata are typed by their DATASEC, which
		 * libbpf only looks up at load time */
		sec = strchr(name, '.');
		if (!mt.value_id && bpf_map__is_internal(map) && sec && mt.btf) {
			id = btf__find_by_name_kind(mt.btf, sec, BTF_KIND_DATASEC);
			if (id > 0)
				mt.value_id = id;
		}
		break;
	}
	if (!mt.value_id)
		mt.btf = NULL;
	return mt;
}

static void print_part(const struct map_types *mt, __u32 id, const void *data,
		       size_t size)
{
	if (mt->btf && id)
		btf_print_value(stdout, mt->btf, id, data, size, NULL);
	else
		btf_print_hex(stdout, data, size);
}

static void print_entry(const struct map_types *mt, const void *key, size_t ksz,
			const void *val, size_t vsz)
{
	fputs("  [", stdout);
	print_part(mt, mt->key_id, key, ksz);
	fputs("] = ", stdout);
	print_part(mt, mt->value_id, val, vsz);
	putchar('\n');
}

static void print_types(const struct map_types *mt, size_t ksz, size_t vsz)
{
	if (!mt->btf) {
		printf("key %zu bytes, value %zu bytes (no BTF in the object)", ksz, vsz);
		return;
	}
	fputs("key ", stdout);
	if (mt->key_id)
		btf_print_type_name(stdout, mt->btf, mt->key_id);
	else
		printf("%zu bytes", ksz);
	fputs(", value ", stdout);
	btf_print_type_name(stdout, mt->btf, mt->value_id);
}

static bool all_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static int dump_map(__u32 id, struct bpf_object *obj, const struct opts *o)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), shown = 0, zero = 0, more = 0;
	unsigned char *key, *next, *val, *tmp;
	struct map_types mt;
	const char *tname;
	bool first = true;
	int fd;

	fd = bpf_map_get_fd_by_id(id);
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len)) {
		fprintf(stderr, "map %u: %s\n", id, strerror(errno));
		return 1;
	}
	mt = obj_map_types(obj, info.name);
	tname = libbpf_bpf_map_type_str(info.type);
	printf("map %u %s: %s, %u entries, ", id, info.name, tname ? tname : "?",
	       info.max_entries);
	print_types(&mt, info.key_size, info.value_size);
	putchar('\n');
	if (info.type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	    info.type == BPF_MAP_TYPE_PERCPU_HASH ||
	    info.type == BPF_MAP_TYPE_LRU_PERCPU_HASH) {
		printf("  (per-CPU values are not shown)\n");
		close(fd);
		return 0;
	}
	key = calloc(1, info.key_size + 1);
	next = calloc(1, info.key_size + 1);
	val = calloc(1, info.value_size + 1);
	if (!key || !next || !val) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	while (!bpf_map_get_next_key(fd, first ? NULL : key, next)) {
		first = false;
		tmp = key;
		key = next;
		next = tmp;
		if (bpf_map_lookup_elem(fd, key, val))
			continue;
		if (!o->all && info.type == BPF_MAP_TYPE_ARRAY &&
		    all_zero(val, info.value_size)) {
			zero++;
			continue;
		}
		if (o->max && shown >= o->max) {
			more++;
			continue;
		}
		print_entry(&mt, key, info.key_size, val, info.value_size);
		shown++;
	}
	if (first)
		printf("  (empty)\n");
	if (zero)
		printf("  (%u entries all zero, not shown)\n", zero);
	if (more)
		printf("  (%u more, not shown)\n", more);
	free(key);
	free(next);
	free(val);
	close(fd);
	return 0;
}

static int dump_prog(__u32 prog_id, struct bpf_object *obj, const struct opts *o)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info), ids[64], i;
	int fd, err = 0;

	fd = bpf_prog_get_fd_by_id(prog_id);
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len)) {
		fprintf(stderr, "program %u: %s\n", prog_id, strerror(errno));
		return 1;
	}
	if (info.nr_map_ids > 64)
		info.nr_map_ids = 64;
	len = info.nr_map_ids;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = len;
	info.map_ids = (unsigned long)ids;
	len = sizeof(info);
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		fprintf(stderr, "program %u: %s\n", prog_id, strerror(errno));
		return 1;
	}
	for (i = 0; i < info.nr_map_ids && i < 64; i++)
		err |= dump_map(ids[i], obj, o);
	close(fd);
	return err;
}

/* "11 01 0f 27" or "11010f27" -> bytes; the count, or -1 */
static int parse_hex(const char *s, unsigned char *out, size_t max)
{
	size_t n = 0;
	unsigned int b;

	while (*s) {
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (n == max || !isxdigit((unsigned char)s[0]) ||
		    !isxdigit((unsigned char)s[1]) || sscanf(s, "%2x", &b) != 1)
			return -1;
		out[n++] = b;
		s += 2;
	}
	return n;
}

static int decode_entries(struct bpf_object *obj, const char *name,
			  char **hex, int n)
{
	struct map_types mt = obj_map_types(obj, name);
	unsigned char key[512], val[4096];
	int i, ksz, vsz;

	printf("map %s: ", name);
	if (!mt.btf) {
		printf("no such map with types in the object\n");
		return 1;
	}
	fputs("key ", stdout);
	mt.key_id ? btf_print_type_name(stdout, mt.btf, mt.key_id) : (void)fputs("?", stdout);
	fputs(", value ", stdout);
	btf_print_type_name(stdout, mt.btf, mt.value_id);
	putchar('\n');
	for (i = 0; i + 1 < n; i += 2) {
		ksz = parse_hex(hex[i], key, sizeof(key));
		vsz = parse_hex(hex[i + 1], val, sizeof(val));
		if (ksz < 0 || vsz < 0) {
			fprintf(stderr, "bad hex: %s %s\n", hex[i], hex[i + 1]);
			return 1;
		}
		print_entry(&mt, key, ksz, val, vsz);
	}
	return 0;
}

static void usage(const char *me)
{
	fprintf(stderr, "usage: %s [-a] [-n MAX] OBJ PROG_ID\n"
		"       %s -m MAP OBJ KEYHEX VALHEX [KEYHEX VALHEX...]\n", me, me);
	exit(2);
}

int main(int argc, char **argv)
{
	struct opts o = {};
	const char *map = NULL;
	struct bpf_object *obj;
	int c, err;

	while ((c = getopt(argc, argv, "an:m:")) != -1) {
		switch (c) {
		case 'a':
			o.all = true;
			break;
		case 'n':
			o.max = strtoul(optarg, NULL, 0);
			break;
		case 'm':
			map = optarg;
			break;
		default:
			usage(argv[0]);
		}
	}
	if (map ? argc - optind < 3 || (argc - optind) % 2 == 0 : argc - optind != 2)
		usage(argv[0]);
	libbpf_set_print(NULL);
	obj = bpf_object__open_file(argv[optind], NULL);
	if (!obj) {
		fprintf(stderr, "%s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	if (map)
		err = decode_entries(obj, map, argv + optind + 1, argc - optind - 1);
	else
		err = dump_prog(strtoul(argv[optind + 1], NULL, 0), obj, &o);
	bpf_object__close(obj);
	return err;
}
