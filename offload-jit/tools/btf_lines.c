// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Source lines for listings, from the object's .BTF.ext line info: per
 * section, records {insn byte offset, file name, line text, line/column}
 * whose strings live in .BTF's string section (UAPI: linux/btf.h and
 * the .BTF.ext layout documented in Documentation/bpf/btf.rst).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools.h"

struct btf_hdr_min {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t type_off;
	uint32_t type_len;
	uint32_t str_off;
	uint32_t str_len;
};

struct btf_ext_hdr_min {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t func_info_off;
	uint32_t func_info_len;
	uint32_t line_info_off;
	uint32_t line_info_len;
};

struct line_rec {
	uint32_t insn_off;
	uint32_t file_name_off;
	uint32_t line_off;
	uint32_t line_col;
};

static Elf_Data *section(Elf *elf, size_t shstrndx, const char *name)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		const char *sname;

		if (!gelf_getshdr(scn, &sh))
			continue;
		sname = elf_strptr(elf, shstrndx, sh.sh_name);
		if (sname && !strcmp(sname, name))
			return elf_getdata(scn, NULL);
	}
	return NULL;
}

/* A u32 of the section, wherever it sits */
static uint32_t get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* String off of the string section, or NULL if not NUL-terminated in it */
static const char *str_at(const char *strs, uint32_t str_len, uint32_t off)
{
	if (off >= str_len || !memchr(strs + off, 0, str_len - off))
		return NULL;
	return strs + off;
}

/* Records of section insns [first, first + l's count) land at base + (insn - first) */
static void take_records(struct ojit_loaded *l, const uint8_t *p, uint32_t rec_size,
			 uint32_t n, int64_t base, uint32_t first, const char *strs,
			 uint32_t str_len)
{
	uint32_t i;

	for (i = 0; i < n; i++, p += rec_size) {
		struct line_rec r;
		const char *text;
		int64_t at;

		memcpy(&r, p, sizeof(r));
		at = base + (int64_t)(r.insn_off / 8) - first;
		text = str_at(strs, str_len, r.line_off);
		if (r.insn_off / 8 < first || at < 0 || at >= l->n_insns || !text)
			continue;
		/* a later record for the same instruction wins */
		free(l->line_text[at]);
		l->line_text[at] = strdup(text);
		l->line_no[at] = r.line_col >> 10;
	}
}

/* Fill l->line_text/line_no for the program at insn sec_off of section
 * sec (and .text at text_base) */
int ojit_load_lines(const char *path, const char *sec, uint32_t sec_off, int64_t text_base,
		    struct ojit_loaded *l)
{
	int fd = open(path, O_RDONLY), err = -ENOENT;
	struct btf_ext_hdr_min eh_buf, *eh = &eh_buf;
	struct btf_hdr_min bh_buf, *bh = &bh_buf;
	Elf_Data *btf, *ext;
	const uint8_t *p, *end;
	uint32_t rec_size;
	size_t shstrndx;
	Elf *elf;

	if (fd < 0 || elf_version(EV_CURRENT) == EV_NONE)
		return -errno;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx))
		goto out;
	btf = section(elf, shstrndx, ".BTF");
	ext = section(elf, shstrndx, ".BTF.ext");
	if (!btf || !ext || btf->d_size < sizeof(*bh) || ext->d_size < sizeof(*eh))
		goto out;
	memcpy(bh, btf->d_buf, sizeof(*bh));
	memcpy(eh, ext->d_buf, sizeof(*eh));
	if (bh->magic != 0xeB9F || eh->magic != 0xeB9F || eh->line_info_len < 4 ||
	    (uint64_t)bh->hdr_len + bh->str_off + bh->str_len > btf->d_size ||
	    (uint64_t)eh->hdr_len + eh->line_info_off + eh->line_info_len > ext->d_size)
		goto out;
	l->line_text = calloc(l->n_insns, sizeof(*l->line_text));
	l->line_no = calloc(l->n_insns, sizeof(*l->line_no));
	if (!l->line_text || !l->line_no) {
		err = -ENOMEM;
		goto out;
	}
	p = (const uint8_t *)ext->d_buf + eh->hdr_len + eh->line_info_off;
	end = p + eh->line_info_len;
	rec_size = get_u32(p);
	for (p += 4; end - p >= 8 && rec_size >= sizeof(struct line_rec);) {
		const char *strs = (const char *)btf->d_buf + bh->hdr_len + bh->str_off;
		uint32_t n = get_u32(p + 4);
		const char *sname = str_at(strs, bh->str_len, get_u32(p));

		p += 8;
		if (!sname)
			sname = "";
		if ((uint64_t)n * rec_size > (uint64_t)(end - p))
			break;
		if (!strcmp(sname, sec))
			take_records(l, p, rec_size, n, 0, sec_off, strs, bh->str_len);
		else if (!strcmp(sname, ".text") && text_base >= 0)
			take_records(l, p, rec_size, n, text_base, 0, strs, bh->str_len);
		p += (size_t)n * rec_size;
	}
	err = 0;
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return err;
}
