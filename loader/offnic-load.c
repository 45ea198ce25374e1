// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * offnic-load: offload an unmodified XDP object to an offnic port, the
 * offload counterpart of xdp-loader.
 *
 *   offnic-load [-s SEC | -p PROG] [-n] OBJ IFACE
 *
 * libbpf opens the object and creates its maps on the device
 * (bpf_map__set_ifindex) and loads the chosen program for it
 * (bpf_program__set_ifindex).  What Linux 6.1's offload API cannot
 * express is rewritten first, in a prog_prepare_load callback, on the
 * instructions libbpf has relocated:
 *
 *   - .rodata: each load at a constant offset becomes the constant
 *     (the values are the map's initial contents, as libbpf would
 *     freeze them); the .rodata map stays on the host, unused.
 *
 * Every rewrite is printed.  What cannot be rewritten (a .rodata address
 * that escapes, .data/.bss) is refused with the reason, before the
 * kernel sees the program.  The program is then attached in
 * XDP_FLAGS_HW_MODE (-n: loaded only) and stays after offnic-load exits.
 */
#include <errno.h>
#include <getopt.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "tools.h"

static struct bpf_object *the_obj;
static struct bpf_program *the_prog;
static int refused;

static int is_rodata(const struct bpf_map *m)
{
	return bpf_map__is_internal(m) && strstr(bpf_map__name(m), ".rodata");
}

static struct bpf_map *map_of_fd(int fd)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, the_obj)
		if (bpf_map__fd(m) == fd)
			return m;
	return NULL;
}

/* The variable at off of a global-data map, by its BTF; else the map */
static void var_at(const struct bpf_map *m, uint32_t off, char *buf, size_t size)
{
	struct btf *btf = bpf_object__btf(the_obj);
	__u32 id = bpf_map__btf_value_type_id(m);
	const struct btf_type *t = btf && id ? btf__type_by_id(btf, id) : NULL;
	const struct btf_var_secinfo *v;
	int i;

	snprintf(buf, size, "%s", bpf_map__name(m));
	if (!t || !btf_is_datasec(t))
		return;
	v = btf_var_secinfos(t);
	for (i = 0; i < btf_vlen(t); i++, v++) {
		const struct btf_type *var = btf__type_by_id(btf, v->type);

		if (var && off >= v->offset && off < v->offset + v->size) {
			snprintf(buf, size, "%s", btf__name_by_offset(btf, var->name_off));
			return;
		}
	}
}

/*
 * The references libbpf relocated: LD_IMM64 of a map value (src_reg
 * BPF_PSEUDO_MAP_VALUE, imm the map's fd, the next imm the offset).
 */
static int find_refs(const struct bpf_insn *insns, size_t n, struct ojit_rodata_ref *refs,
		     char (*names)[64])
{
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		const struct bpf_map *m;
		const void *bytes;
		size_t size;

		if (insns[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (insns[i].src_reg != BPF_PSEUDO_MAP_VALUE) {
			i++;
			continue;
		}
		m = map_of_fd(insns[i].imm);
		if (!m || !is_rodata(m)) {
			fprintf(stderr,
				"offnic-load: insn %zu: reference to %s: global data other than .rodata is not supported on the device (6.1 offloads no direct map-value access)\n",
				i, m ? bpf_map__name(m) : "a map value");
			return -EOPNOTSUPP;
		}
		bytes = bpf_map__initial_value((struct bpf_map *)m, &size);
		if (!bytes)
			return -EINVAL;
		refs[i].bytes = bytes;
		refs[i].size = (uint32_t)size;
		refs[i].off = (uint32_t)insns[i + 1].imm;
		var_at(m, refs[i].off, names[i], sizeof(names[i]));
		refs[i].name = names[i];
		i++;
	}
	return 0;
}

/* After libbpf's relocations, before BPF_PROG_LOAD */
static int prepare(struct bpf_program *prog, struct bpf_prog_load_opts *opts, long cookie)
{
	size_t n = bpf_program__insn_cnt(prog);
	/* the program's own buffer: libbpf loads it next */
	struct bpf_insn *insns = (struct bpf_insn *)bpf_program__insns(prog);
	struct ojit_rodata_ref *refs;
	char msg[320], (*names)[64];
	int err;

	if (prog != the_prog)
		return 0;
	refs = calloc(n + 1, sizeof(*refs));
	names = calloc(n + 1, sizeof(*names));
	if (!refs || !names) {
		free(refs);
		free(names);
		return -ENOMEM;
	}
	err = find_refs(insns, n, refs, names);
	if (!err) {
		err = ojit_fold_rodata((struct ojit_bpf_insn *)insns, (uint32_t)n, refs, stdout,
				       msg, sizeof(msg));
		if (err < 0)
			fprintf(stderr, "offnic-load: %s: %s\n", bpf_program__name(prog), msg);
		else
			printf("%s: %d load(s) from .rodata folded to constants\n",
			       bpf_program__name(prog), err);
	}
	free(refs);
	free(names);
	if (err < 0)
		refused = 1;
	return err < 0 ? err : 0;
}

static int register_handlers(void)
{
	LIBBPF_OPTS(libbpf_prog_handler_opts, opts, .prog_prepare_load_fn = prepare);

	/* ahead of libbpf's own "xdp" handler: same type, our callback */
	if (libbpf_register_prog_handler("xdp+", BPF_PROG_TYPE_XDP, BPF_XDP, &opts) < 0 ||
	    libbpf_register_prog_handler("xdp.frags+", BPF_PROG_TYPE_XDP, BPF_XDP, &opts) < 0)
		return -1;
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: offnic-load [-s SEC | -p PROG] [-n] OBJ IFACE\n"
		"  -s SEC   the program of ELF section SEC (default: the first XDP program)\n"
		"  -p PROG  the program named PROG\n"
		"  -n       load only, do not attach (xdpoffload)\n");
	exit(2);
}

static struct bpf_program *pick(const char *sec, const char *name)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, the_obj) {
		if (name && strcmp(bpf_program__name(p), name))
			continue;
		if (sec && strcmp(bpf_program__section_name(p), sec))
			continue;
		if (!name && !sec && bpf_program__type(p) != BPF_PROG_TYPE_XDP)
			continue;
		return p;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *sec = NULL, *name = NULL, *path, *iface;
	struct bpf_program *p;
	struct bpf_map *m;
	int opt, attach = 1, ifindex, err;

	while ((opt = getopt(argc, argv, "s:p:n")) != -1) {
		if (opt == 's')
			sec = optarg;
		else if (opt == 'p')
			name = optarg;
		else if (opt == 'n')
			attach = 0;
		else
			usage();
	}
	if (argc - optind != 2)
		usage();
	path = argv[optind];
	iface = argv[optind + 1];
	ifindex = (int)if_nametoindex(iface);
	if (!ifindex) {
		fprintf(stderr, "offnic-load: %s: no such interface\n", iface);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (register_handlers()) {
		fprintf(stderr, "offnic-load: cannot register the XDP section handler\n");
		return 1;
	}
	the_obj = bpf_object__open_file(path, NULL);
	if (!the_obj) {
		fprintf(stderr, "offnic-load: %s: cannot open: %s\n", path, strerror(errno));
		return 1;
	}
	the_prog = pick(sec, name);
	if (!the_prog) {
		fprintf(stderr, "offnic-load: %s: no such XDP program\n", path);
		return 1;
	}
	bpf_object__for_each_program(p, the_obj)
		bpf_program__set_autoload(p, p == the_prog);
	bpf_program__set_ifindex(the_prog, ifindex);
	/* the object's maps live on the device; global data stays here */
	bpf_object__for_each_map(m, the_obj)
		if (!bpf_map__is_internal(m))
			bpf_map__set_ifindex(m, ifindex);
	err = bpf_object__load(the_obj);
	if (err) {
		if (!refused)
			fprintf(stderr, "offnic-load: %s: the kernel refused %s: %s (see its log above)\n",
				path, bpf_program__name(the_prog), strerror(-err));
		bpf_object__close(the_obj);
		return 1;
	}
	printf("%s: loaded for %s\n", bpf_program__name(the_prog), iface);
	if (attach) {
		err = bpf_xdp_attach(ifindex, bpf_program__fd(the_prog), XDP_FLAGS_HW_MODE, NULL);
		if (err) {
			fprintf(stderr, "offnic-load: attach to %s (xdpoffload): %s\n", iface,
				strerror(-err));
			bpf_object__close(the_obj);
			return 1;
		}
		printf("%s: attached to %s (xdpoffload)\n", bpf_program__name(the_prog), iface);
	}
	bpf_object__close(the_obj);
	return 0;
}
