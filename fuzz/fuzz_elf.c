// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * libFuzzer harness: the tools' ELF loader (offload-jit/tools/load.c):
 * the relocations it reads with libelf (ojit_elf_relocate) and the source
 * lines it takes from .BTF.ext (ojit_load_lines).
 *
 * ojit_load_elf() opens the object with libbpf first; this harness does
 * libbpf's part itself, with libelf: the program is the function at offset
 * 0 of the first executable section other than .text, the maps are the
 * symbols of .maps.  libbpf is
 * left out because Debian's libbpf 1.1 crashes on malformed objects
 * inside bpf_object__open() (fuzz/findings/elf/libbpf-*), which is not
 * this project's code.
 *
 * The input is the object file, given to the loader as a memfd path.  Run
 * it with -close_fd_mask=2: the loader explains each refusal on stderr.
 */
#define _GNU_SOURCE
#include <gelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tools.h"

struct picked {
	char sec[64];
	size_t sec_idx;
	const char *prog;		/* the function at offset 0 of sec */
	const char *maps[OJIT_MAX_MAPS];
	uint32_t n_maps;
};

static int pick(Elf *elf, struct picked *p, struct ojit_loaded *l)
{
	size_t shstrndx, maps_idx = 0;
	Elf_Scn *scn = NULL, *symtab = NULL;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return -1;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (sh.sh_type == SHT_SYMTAB && !symtab)
			symtab = scn;
		if (name && !strcmp(name, ".maps"))
			maps_idx = elf_ndxscn(scn);
		if (!name || l->insns || sh.sh_type != SHT_PROGBITS ||
		    !(sh.sh_flags & SHF_EXECINSTR) || !strcmp(name, ".text") ||
		    strlen(name) >= sizeof(p->sec))
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf || d->d_size < 8 || d->d_size / 8 > OJIT_MAX_INSNS)
			continue;
		if (ojit_load_insns(d->d_buf, (uint32_t)(d->d_size / 8), l))
			return -1;
		strcpy(p->sec, name);
		p->sec_idx = elf_ndxscn(scn);
	}
	if (!l->insns)
		return -1;
	if (symtab && maps_idx && gelf_getshdr(symtab, &sh) && sh.sh_entsize) {
		Elf_Data *d = elf_getdata(symtab, NULL);
		size_t i, n = sh.sh_size / sh.sh_entsize;

		for (i = 0; d && i < n && i < 4096 && p->n_maps < OJIT_MAX_MAPS; i++) {
			GElf_Sym sym;

			if (!gelf_getsym(d, (int)i, &sym))
				continue;
			if (sym.st_shndx == maps_idx)
				p->maps[p->n_maps++] = elf_strptr(elf, sh.sh_link, sym.st_name);
			else if (!p->prog && sym.st_shndx == p->sec_idx &&
				 GELF_ST_TYPE(sym.st_info) == STT_FUNC && !sym.st_value)
				p->prog = elf_strptr(elf, sh.sh_link, sym.st_name);
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct ojit_loaded l = { 0 };
	struct picked p = { 0 };
	int64_t text_base;
	uint32_t sec_off;
	char path[64], sec_name[64];
	Elf *elf;

	if (fd < 0) {
		fd = memfd_create("fuzz_elf", 0);
		if (fd < 0 || elf_version(EV_CURRENT) == EV_NONE)
			abort();
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	elf = elf_memory((char *)data, size);
	if (elf && !pick(elf, &p, &l) && p.prog &&
	    !ojit_elf_relocate(path, p.prog, p.maps, p.n_maps, &l, &text_base,
			       &sec_off, sec_name, sizeof(sec_name)))
		ojit_load_lines(path, sec_name, sec_off, text_base, &l);
	if (elf)
		elf_end(elf);
	ojit_loaded_free(&l);
	return 0;
}
