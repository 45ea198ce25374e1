// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Getting BPF programs into the tools: ELF objects through libbpf (the
 * map relocations read with libelf, since libbpf applies them only at
 * load time), raw instruction files and base16 text.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "tools.h"
#include "offnic_image.h"
#include "ojit_names.h"

void ojit_loaded_free(struct ojit_loaded *l)
{
	uint32_t i;

	for (i = 0; l->line_text && i < l->n_insns; i++)
		free(l->line_text[i]);
	free(l->line_text);
	free(l->line_no);
	free(l->insns);
	free(l->map_of_insn);
	memset(l, 0, sizeof(*l));
}

static int alloc_insns(struct ojit_loaded *l, uint32_t n)
{
	uint32_t i;

	l->n_insns = n;
	l->insns = calloc(n ? n : 1, sizeof(*l->insns));
	l->map_of_insn = malloc(sizeof(int32_t) * (n ? n : 1));
	if (!l->insns || !l->map_of_insn)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		l->map_of_insn[i] = -1;
	if (!l->prog_type)
		l->prog_type = OFFNIC_PROG_XDP;
	return 0;
}

int ojit_load_insns(const struct ojit_bpf_insn *insns, uint32_t n, struct ojit_loaded *out)
{
	int err = alloc_insns(out, n);

	if (!err)
		memcpy(out->insns, insns, sizeof(*insns) * n);
	return err;
}

int ojit_load_hex(const char *text, struct ojit_loaded *out)
{
	size_t n = 0, cap = strlen(text) / 2 + 1;
	uint8_t *bytes = malloc(cap);
	int hi = -1, err;

	if (!bytes)
		return -ENOMEM;
	for (; *text; text++) {
		int v;

		if (*text >= '0' && *text <= '9')
			v = *text - '0';
		else if ((*text | 0x20) >= 'a' && (*text | 0x20) <= 'f')
			v = (*text | 0x20) - 'a' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			bytes[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (n % 8) {
		fprintf(stderr, "program is %zu bytes, not a multiple of 8\n", n);
		free(bytes);
		return -EINVAL;
	}
	err = alloc_insns(out, (uint32_t)(n / 8));
	if (!err)
		memcpy(out->insns, bytes, n);
	free(bytes);
	return err;
}

int ojit_load_raw(const char *path, struct ojit_loaded *out)
{
	FILE *f = fopen(path, "rb");
	long size;
	int err;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -errno;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	if (size <= 0 || size % 8) {
		fprintf(stderr, "%s: %ld bytes, not a multiple of 8\n", path, size);
		fclose(f);
		return -EINVAL;
	}
	err = alloc_insns(out, (uint32_t)(size / 8));
	if (!err && fread(out->insns, 8, out->n_insns, f) != out->n_insns)
		err = -EIO;
	fclose(f);
	return err;
}

struct elf_view {
	Elf *elf;
	size_t shstrndx;
	size_t text_idx;		/* .text: subprograms */
	int64_t text_base;		/* where .text was appended, -1 if not */
	const char *const *map_names;	/* the object's maps, in order */
	uint32_t n_maps;
	size_t sec_idx;			/* the program's section */
	uint32_t sec_off;		/* its first insn within that section */
	struct ojit_rodata_ref *ro;	/* per insn: a .rodata address taken */
	uint32_t n_ro;
};

static const char *section_name(struct elf_view *ev, size_t idx)
{
	Elf_Scn *scn = elf_getscn(ev->elf, idx);
	GElf_Shdr sh;

	if (!scn || !gelf_getshdr(scn, &sh))
		return NULL;
	return elf_strptr(ev->elf, ev->shstrndx, sh.sh_name);
}

static int map_index(const struct elf_view *ev, const char *name)
{
	uint32_t i;

	for (i = 0; i < ev->n_maps; i++)
		if (ev->map_names[i] && !strcmp(ev->map_names[i], name))
			return (int)i;
	return -1;
}

static Elf_Scn *rel_section_of(struct elf_view *ev, size_t sec_idx)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(ev->elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_REL && sh.sh_info == sec_idx)
			return scn;
	}
	return NULL;
}

static int grow(struct ojit_loaded *l, uint32_t extra)
{
	struct ojit_bpf_insn *insns = realloc(l->insns, sizeof(*insns) * (l->n_insns + extra));
	int32_t *maps;
	uint32_t i;

	if (!insns)
		return -ENOMEM;
	l->insns = insns;
	maps = realloc(l->map_of_insn, sizeof(int32_t) * (l->n_insns + extra));
	if (!maps)
		return -ENOMEM;
	l->map_of_insn = maps;
	for (i = 0; i < extra; i++)
		maps[l->n_insns + i] = -1;
	return 0;
}

static int relocate(struct elf_view *ev, size_t sec_idx, uint32_t sec_off, uint32_t base,
		    uint32_t count, struct ojit_loaded *l);

/*
 * An LD_IMM64 of an address in a .rodata section (read-only, with bytes):
 * recorded for ojit_fold_rodata.  1 if it is one, 0 if not.
 */
static int note_rodata(struct elf_view *ev, const GElf_Sym *sym, const char *name,
		       uint32_t at, struct ojit_loaded *l)
{
	Elf_Scn *scn = sym->st_shndx && sym->st_shndx < SHN_LORESERVE ?
		       elf_getscn(ev->elf, sym->st_shndx) : NULL;
	const char *sname = scn ? section_name(ev, sym->st_shndx) : NULL;
	struct ojit_rodata_ref *ro;
	Elf_Data *d;
	GElf_Shdr sh;

	if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
	    (sh.sh_flags & SHF_WRITE) || !sname || strncmp(sname, ".rodata", 7))
		return 0;
	d = elf_getdata(scn, NULL);
	if (!d || !d->d_buf)
		return 0;
	if (at >= ev->n_ro) {
		ro = realloc(ev->ro, sizeof(*ro) * (l->n_insns + 1));
		if (!ro)
			return -ENOMEM;
		memset(ro + ev->n_ro, 0, sizeof(*ro) * (l->n_insns + 1 - ev->n_ro));
		ev->ro = ro;
		ev->n_ro = l->n_insns + 1;
	}
	ro = &ev->ro[at];
	ro->bytes = d->d_buf;
	ro->size = (uint32_t)d->d_size;
	/* the addend is in the instruction (libbpf: imm + st_value) */
	ro->off = (uint32_t)(l->insns[at].imm + sym->st_value);
	ro->name = GELF_ST_TYPE(sym->st_info) == STT_SECTION || !name || !*name ? sname : name;
	return 1;
}

/* BPF-to-BPF calls land in .text: append it once, relocated too */
static int append_text(struct elf_view *ev, struct ojit_loaded *l)
{
	Elf_Scn *scn = ev->text_idx ? elf_getscn(ev->elf, ev->text_idx) : NULL;
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
	uint32_t n, base = l->n_insns;
	int err;

	if (!d || !d->d_buf || d->d_size < 8 || d->d_size / 8 > UINT32_MAX - base)
		return -ENOENT;
	n = (uint32_t)(d->d_size / 8);
	err = grow(l, n);
	if (err)
		return err;
	memcpy(l->insns + base, d->d_buf, 8UL * n);
	l->n_insns += n;
	ev->text_base = base;
	return relocate(ev, ev->text_idx, 0, base, n, l);
}

static int relocate_call(struct elf_view *ev, const GElf_Sym *sym, const char *name,
			 uint32_t at, struct ojit_loaded *l)
{
	int64_t target;
	int err;

	if (sym->st_shndx == SHN_UNDEF) {
		fprintf(stderr, "insn %u: kfunc call to %s not supported on the device (kfuncs are host-only)\n",
			at, name ? name : "?");
		return -EOPNOTSUPP;
	}
	if (sym->st_shndx != ev->text_idx) {
		fprintf(stderr, "insn %u: call into section %u not supported\n", at,
			sym->st_shndx);
		return -EOPNOTSUPP;
	}
	if (ev->text_base < 0) {
		err = append_text(ev, l);
		if (err)
			return err;
	}
	target = ev->text_base + (int64_t)(sym->st_value / 8) + l->insns[at].imm + 1;
	l->insns[at].imm = (int32_t)(target - at - 1);
	return 0;
}

/*
 * Relocations of the count instructions that start at insn sec_off of
 * section sec_idx, copied to [base, base + count) of l: a section holds
 * several programs, and relocation offsets count from the section start.
 */
static int relocate(struct elf_view *ev, size_t sec_idx, uint32_t sec_off, uint32_t base,
		    uint32_t count, struct ojit_loaded *l)
{
	Elf_Scn *rel = rel_section_of(ev, sec_idx), *symscn;
	GElf_Shdr rsh, ssh;
	Elf_Data *rd, *sd;
	size_t k, n;
	int err = 0;

	if (!rel)
		return 0;
	if (!gelf_getshdr(rel, &rsh) || !rsh.sh_entsize)
		goto bad;
	rd = elf_getdata(rel, NULL);
	symscn = elf_getscn(ev->elf, rsh.sh_link);
	sd = symscn ? elf_getdata(symscn, NULL) : NULL;
	if (!rd || !sd || !gelf_getshdr(symscn, &ssh))
		goto bad;
	n = rsh.sh_size / rsh.sh_entsize;
	for (k = 0; k < n && k <= INT32_MAX && !err; k++) {
		GElf_Rel r;
		GElf_Sym sym;
		uint32_t at;
		const char *name;
		int idx;

		/* libelf checks the indices against the data it has */
		if (!gelf_getrel(rd, (int)k, &r) || GELF_R_SYM(r.r_info) > INT32_MAX ||
		    !gelf_getsym(sd, (int)GELF_R_SYM(r.r_info), &sym))
			goto bad;
		name = elf_strptr(ev->elf, ssh.sh_link, sym.st_name);
		if (r.r_offset / 8 < sec_off || r.r_offset / 8 - sec_off >= count)
			continue;
		at = base + (uint32_t)(r.r_offset / 8 - sec_off);
		if (l->insns[at].code == (OJIT_BPF_JMP | OJIT_BPF_CALL) &&
		    l->insns[at].src_reg == OJIT_BPF_PSEUDO_CALL) {
			err = relocate_call(ev, &sym, name, at, l);
			continue;
		}
		if (l->insns[at].code != (OJIT_BPF_LD | OJIT_BPF_IMM | OJIT_BPF_DW))
			continue;
		idx = name ? map_index(ev, name) : -1;
		if (idx < 0) {
			err = note_rodata(ev, &sym, name, at, l);
			if (err) {
				err = err < 0 ? err : 0;
				continue;
			}
			/* a section symbol (static data) is named by its section */
			if (GELF_ST_TYPE(sym.st_info) == STT_SECTION || !name || !*name)
				name = section_name(ev, sym.st_shndx);
			if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE)
				fprintf(stderr, "insn %u: reference to %s is not a map (global data is not supported)\n",
					at, name ? name : "?");
			else
				fprintf(stderr, "insn %u: reference to %s in %s is not a map (global data is not supported: only .rodata folds to constants, %s is writable)\n",
					at, name ? name : "?",
					section_name(ev, sym.st_shndx) ?: "?",
					section_name(ev, sym.st_shndx) ?: "its section");
			return -EOPNOTSUPP;
		}
		l->insns[at].src_reg = OJIT_BPF_PSEUDO_MAP_IDX;
		l->insns[at].imm = idx;
		l->map_of_insn[at] = idx;
	}
	return err;
bad:
	fprintf(stderr, "section %zu: malformed relocations\n", sec_idx);
	return -EINVAL;
}

/*
 * Where the program's code sits: its function symbol names the section
 * (by index, so a "?sec" that libbpf reports as "sec" is still found) and
 * the offset within it (a section may hold several programs).
 */
static int find_prog(struct elf_view *ev, const char *prog)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(ev->elf, scn))) {
		Elf_Data *sd = elf_getdata(scn, NULL);
		GElf_Shdr sh;
		size_t k;

		gelf_getshdr(scn, &sh);
		if (sh.sh_type != SHT_SYMTAB || !sd || !sh.sh_entsize)
			continue;
		for (k = 0; k < sh.sh_size / sh.sh_entsize; k++) {
			const char *name;
			GElf_Sym sym;

			if (!gelf_getsym(sd, (int)k, &sym) ||
			    GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
			    sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE ||
			    sym.st_shndx == ev->text_idx || sym.st_value % 8)
				continue;
			name = elf_strptr(ev->elf, sh.sh_link, sym.st_name);
			if (!name || strcmp(name, prog))
				continue;
			ev->sec_idx = sym.st_shndx;
			ev->sec_off = (uint32_t)(sym.st_value / 8);
			return 0;
		}
	}
	fprintf(stderr, "program %s: no function symbol for it\n", prog);
	return -ENOENT;
}

/* Loads from .rodata become constants, while the section's bytes are here */
static int fold_rodata(struct elf_view *ev, struct ojit_loaded *l)
{
	struct ojit_rodata_ref *ro = realloc(ev->ro, sizeof(*ro) * (l->n_insns + 1));
	char msg[320];
	int n;

	if (!ro)
		return -ENOMEM;
	if (ev->n_ro < l->n_insns + 1)
		memset(ro + ev->n_ro, 0, sizeof(*ro) * (l->n_insns + 1 - ev->n_ro));
	ev->ro = ro;
	ev->n_ro = l->n_insns + 1;
	n = ojit_fold_rodata(l->insns, l->n_insns, ro, NULL, msg, sizeof(msg));
	if (n < 0 && n != -ENOMEM)
		fprintf(stderr, "%s\n", msg);
	return n < 0 ? n : 0;
}

int ojit_elf_relocate(const char *path, const char *prog, const char *const *map_names,
		      uint32_t n_maps, struct ojit_loaded *l, int64_t *text_base,
		      uint32_t *sec_off, char *sec_name, size_t sec_name_size)
{
	struct elf_view ev = { .text_base = -1, .map_names = map_names, .n_maps = n_maps };
	int fd = open(path, O_RDONLY), err = -ENOENT;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	*text_base = -1;
	if (fd < 0)
		return -errno;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		close(fd);
		return -EINVAL;
	}
	ev.elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!ev.elf || elf_getshdrstrndx(ev.elf, &ev.shstrndx))
		goto out;
	while ((scn = elf_nextscn(ev.elf, scn))) {
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(ev.elf, ev.shstrndx, sh.sh_name);
		if (!name)
			continue;
		if (!strcmp(name, ".text"))
			ev.text_idx = elf_ndxscn(scn);
	}
	err = find_prog(&ev, prog);
	if (err)
		goto out;
	scn = elf_getscn(ev.elf, ev.sec_idx);
	if (!scn || !gelf_getshdr(scn, &sh) ||
	    (uint64_t)ev.sec_off + l->n_insns > sh.sh_size / 8) {
		fprintf(stderr, "program %s: outside its section\n", prog);
		err = -EINVAL;
		goto out;
	}
	snprintf(sec_name, sec_name_size, "%s", elf_strptr(ev.elf, ev.shstrndx, sh.sh_name));
	err = relocate(&ev, ev.sec_idx, ev.sec_off, 0, l->n_insns, l);
	*text_base = ev.text_base;
	*sec_off = ev.sec_off;
	if (!err && ev.ro)
		err = fold_rodata(&ev, l);
out:
	free(ev.ro);
	if (ev.elf)
		elf_end(ev.elf);
	close(fd);
	return err;
}

/* Map references and calls of the program; its ELF section name for lines */
static int apply_relocs(const char *path, struct bpf_object *obj, const char *prog,
			struct ojit_loaded *l, int64_t *text_base, uint32_t *sec_off,
			char *sec_name, size_t sec_name_size)
{
	const char *names[OJIT_MAX_MAPS];
	struct bpf_map *m;
	uint32_t n = 0;

	bpf_object__for_each_map(m, obj) {
		if (n == OJIT_MAX_MAPS)
			return -E2BIG;
		names[n++] = bpf_map__name(m);
	}
	return ojit_elf_relocate(path, prog, names, n, l, text_base, sec_off,
				 sec_name, sec_name_size);
}

static uint32_t offnic_map_type(enum bpf_map_type t)
{
	switch (t) {
	case BPF_MAP_TYPE_ARRAY:
		return OFFNIC_MAP_ARRAY;
	case BPF_MAP_TYPE_HASH:
		return OFFNIC_MAP_HASH;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		return OFFNIC_MAP_PERF_EVENT;
	default:
		return 0;
	}
}

/*
 * The program's maps.  One the device cannot hold (of a type it does not
 * have, or of 0 entries) refuses the program only if the program uses
 * it; unused ones are left out of the image (and the others renumbered),
 * so one program of an object is not refused for a map only another uses.
 */
static int take_maps(struct bpf_object *obj, struct ojit_loaded *l)
{
	int32_t remap[OJIT_MAX_MAPS] = { 0 };
	struct bpf_map *m;
	uint32_t i, k = 0;

	bpf_object__for_each_map(m, obj) {
		struct ojit_map_desc *d = &l->maps[l->n_maps];
		const char *tname = ojit_bpf_map_type_name(bpf_map__type(m));
		uint32_t type = offnic_map_type(bpf_map__type(m));
		int64_t user = -1;

		if (k == OJIT_MAX_MAPS)
			return -E2BIG;
		for (i = 0; i < l->n_insns && user < 0; i++)
			if (l->map_of_insn[i] == (int32_t)k)
				user = i;
		/* .rodata folded to constants leaves its internal map unused */
		remap[k++] = type && bpf_map__max_entries(m) &&
			     !(bpf_map__is_internal(m) && user < 0) ? (int32_t)l->n_maps : -1;
		if (!type && user >= 0) {
			fprintf(stderr, "insn %lld: map %s: map type %s (%d) does not offload\n",
				(long long)user, bpf_map__name(m), tname ? tname : "unknown",
				bpf_map__type(m));
			return -EOPNOTSUPP;
		}
		/* sized by its loader at run time: there is nothing to create */
		if (type && !bpf_map__max_entries(m) && user >= 0) {
			fprintf(stderr, "insn %lld: map %s: max_entries 0 (its loader sizes it at load time)\n",
				(long long)user, bpf_map__name(m));
			return -EINVAL;
		}
		if (remap[k - 1] < 0)
			continue;
		d->type = type;
		d->key_size = bpf_map__key_size(m);
		d->value_size = bpf_map__value_size(m);
		d->max_entries = bpf_map__max_entries(m);
		d->flags = bpf_map__map_flags(m);
		l->n_maps++;
	}
	for (i = 0; i < l->n_insns; i++) {
		if (l->map_of_insn[i] < 0)
			continue;
		l->map_of_insn[i] = remap[l->map_of_insn[i]];
		l->insns[i].imm = l->map_of_insn[i];
	}
	return 0;
}

int ojit_load_elf(const char *path, const char *sec, struct ojit_loaded *out)
{
	struct bpf_object *obj = bpf_object__open(path);
	struct bpf_program *prog, *found = NULL;
	int64_t text_base = -1;
	uint32_t sec_off = 0;
	char sec_name[256];
	int err;

	if (!obj) {
		fprintf(stderr, "%s: cannot open BPF object\n", path);
		return -EINVAL;
	}
	/* libbpf names a "?sec" section "sec" */
	if (sec && sec[0] == '?')
		sec++;
	bpf_object__for_each_program(prog, obj) {
		if (!sec || !strcmp(bpf_program__section_name(prog), sec) ||
		    !strcmp(bpf_program__name(prog), sec)) {
			found = prog;
			break;
		}
	}
	if (!found) {
		fprintf(stderr, "%s: no program in section %s\n", path, sec ? sec : "(any)");
		bpf_object__close(obj);
		return -ENOENT;
	}
	switch (bpf_program__type(found)) {
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
		out->prog_type = OFFNIC_PROG_TC;
		break;
	default:
		out->prog_type = OFFNIC_PROG_XDP;
	}
	snprintf(out->name, sizeof(out->name), "%s", bpf_program__name(found));
	err = alloc_insns(out, (uint32_t)bpf_program__insn_cnt(found));
	if (!err) {
		memcpy(out->insns, bpf_program__insns(found), 8UL * out->n_insns);
		err = apply_relocs(path, obj, bpf_program__name(found), out, &text_base,
				   &sec_off, sec_name, sizeof(sec_name));
	}
	if (!err)
		err = take_maps(obj, out);
	/* listings show source lines where the object has them */
	if (!err)
		ojit_load_lines(path, sec_name, sec_off, text_base, out);
	bpf_object__close(obj);
	return err;
}

/* r2 = *(u32 *)(r1 + 4); r1 = *(u32 *)(r1 + 0); r2 -= r1: the packet is
 * the program's memory, r1 points to it, r2 is its length (or, with
 * end_ptr, r2 stays the data_end pointer) */
static int add_prologue(struct ojit_loaded *l, uint32_t np)
{
	static const struct ojit_bpf_insn pro[3] = {
		{ OJIT_BPF_LDX | OJIT_BPF_MEM | OJIT_BPF_W, 2, 1, 4, 0 },
		{ OJIT_BPF_LDX | OJIT_BPF_MEM | OJIT_BPF_W, 1, 1, 0, 0 },
		{ OJIT_BPF_ALU64 | OJIT_BPF_SUB | OJIT_BPF_X, 2, 1, 0, 0 },
	};
	struct ojit_bpf_insn *insns = calloc(l->n_insns + np, sizeof(*insns));
	int32_t *maps = malloc(sizeof(int32_t) * (l->n_insns + np));
	uint32_t i;

	if (!insns || !maps) {
		free(insns);
		free(maps);
		return -ENOMEM;
	}
	memcpy(insns, pro, sizeof(*insns) * np);
	memcpy(insns + np, l->insns, sizeof(*insns) * l->n_insns);
	for (i = 0; i < np; i++)
		maps[i] = -1;
	memcpy(maps + np, l->map_of_insn, sizeof(int32_t) * l->n_insns);
	free(l->insns);
	free(l->map_of_insn);
	l->insns = insns;
	l->map_of_insn = maps;
	l->n_insns += np;
	return 0;
}

int ojit_add_mem_prologue(struct ojit_loaded *l)
{
	return add_prologue(l, 3);
}

int ojit_add_pkt_prologue(struct ojit_loaded *l)
{
	return add_prologue(l, 2);
}

/* Bytes from base16 text; anything not a hex digit is skipped. */
size_t ojit_unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s && n < cap; s++) {
		int v;

		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			v = (*s | 0x20) - 'a' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}
