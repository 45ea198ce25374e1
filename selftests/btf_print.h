/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Print a value in memory as its BTF type says, compactly, the way a C
 * designated initializer reads: { .proto = 17, .dport = 9999 }.
 * The rules for addresses are in docs/maps.md.
 */
#ifndef BTF_PRINT_H
#define BTF_PRINT_H

#include <stddef.h>
#include <stdio.h>

#include <bpf/btf.h>

/* data is size bytes of type id; name is the variable or member name
 * (NULL for none), which decides whether a 4-byte integer is an IPv4
 * address. */
void btf_print_value(FILE *out, const struct btf *btf, __u32 id,
		     const void *data, size_t size, const char *name);

/* The type's C name: "__u32", "struct fw_rule", "__u8[6]". */
void btf_print_type_name(FILE *out, const struct btf *btf, __u32 id);

/* bytes as bpftool prints them: "11 01 0f 27" */
void btf_print_hex(FILE *out, const void *data, size_t size);

#endif
