// SPDX-License-Identifier: GPL-2.0
/*
 * A BTF-typed value printer for offnic_maps: struct fields by name, enums
 * by name, char arrays as strings, u64 counters as numbers, and network
 * addresses where the names say so (docs/maps.md):
 *   - a 4-byte integer whose member name ends in "addr", "ip" or "ip4"
 *     (saddr, daddr, vip, src_ip), or a struct in_addr: a dotted quad of
 *     its bytes in memory order, which is the order the packet carries;
 *   - a 16-byte member named like that, or a struct in6_addr: IPv6;
 *   - a 6-byte u8 array whose name contains "mac" or ends in "addr": a MAC;
 *   - a __be16, __be32 or __be64 that is not an address: a number in host
 *     order (a port of __be16 reads 53, not 13568).
 */
#define _GNU_SOURCE		/* strcasestr */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "btf_print.h"

#define ARRAY_SHOWN	16	/* elements of a long array before "..." */

static bool name_ends(const char *name, const char *sfx)
{
	size_t n = name ? strlen(name) : 0, s = strlen(sfx);

	return n >= s && !strcasecmp(name + n - s, sfx);
}

static bool addr_name(const char *name)
{
	return name_ends(name, "addr") || name_ends(name, "ip") ||
	       name_ends(name, "ip4") || name_ends(name, "ip6");
}

static bool mac_name(const char *name)
{
	return name && (strcasestr(name, "mac") || name_ends(name, "addr"));
}

/* Past typedefs and qualifiers; *be is set when a __be* typedef is seen. */
static const struct btf_type *resolve(const struct btf *btf, __u32 *id, bool *be)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t && (btf_is_typedef(t) || btf_is_mod(t) || btf_is_type_tag(t))) {
		if (btf_is_typedef(t) &&
		    !strncmp(btf__name_by_offset(btf, t->name_off), "__be", 4))
			*be = true;
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

static __u64 load_uint(const void *data, size_t size, bool be)
{
	__u64 v = 0;
	__u8 b[8] = {};
	size_t i;

	memcpy(b, data, size > 8 ? 8 : size);
	for (i = 0; i < size && i < 8; i++)
		v |= (__u64)b[be ? size - 1 - i : i] << (8 * i);
	return v;
}

void btf_print_hex(FILE *out, const void *data, size_t size)
{
	const __u8 *b = data;
	size_t i;

	for (i = 0; i < size; i++)
		fprintf(out, "%s%02x", i ? " " : "", b[i]);
}

static void print_ip(FILE *out, const void *data, size_t size)
{
	char s[INET6_ADDRSTRLEN];

	if (inet_ntop(size == 4 ? AF_INET : AF_INET6, data, s, sizeof(s)))
		fputs(s, out);
	else
		btf_print_hex(out, data, size);
}

/* bits 0: the whole integer; else a bitfield of that many bits, shift
 * bits into data, which holds the bytes that cover it */
static void print_int(FILE *out, const struct btf_type *t, const void *data,
		      bool be, __u32 bits, __u32 shift)
{
	__u8 enc = btf_int_encoding(t);
	__u64 v;

	if (t->size > 8) {
		fputs("0x", out);
		btf_print_hex(out, data, t->size);
		return;
	}
	v = load_uint(data, bits ? (shift + bits + 7) / 8 : t->size, be) >> shift;
	if (!bits)
		bits = t->size * 8;
	if (bits < 64)
		v &= (1ULL << bits) - 1;
	if (enc & BTF_INT_BOOL) {
		fputs(v ? "true" : "false", out);
	} else if (enc & BTF_INT_SIGNED) {
		if (bits < 64 && (v >> (bits - 1)))
			v |= ~0ULL << bits;
		fprintf(out, "%lld", (long long)v);
	} else {
		fprintf(out, "%llu", (unsigned long long)v);
	}
}

static void print_enum(FILE *out, const struct btf *btf,
		       const struct btf_type *t, const void *data)
{
	__u64 v = load_uint(data, t->size, false);
	int i;

	for (i = 0; i < btf_vlen(t); i++) {
		__u64 ev = btf_is_enum64(t) ? btf_enum64_value(btf_enum64(t) + i) :
					      (__u32)btf_enum(t)[i].val;
		__u32 off = btf_is_enum64(t) ? btf_enum64(t)[i].name_off :
					       btf_enum(t)[i].name_off;

		if (ev == v) {
			fputs(btf__name_by_offset(btf, off), out);
			return;
		}
	}
	fprintf(out, "%llu", (unsigned long long)v);
}

static bool is_char(const struct btf *btf, const struct btf_type *t)
{
	/* plain char only: __u8 is an unsigned char, and a byte array */
	return btf_is_int(t) && t->size == 1 &&
	       ((btf_int_encoding(t) & BTF_INT_CHAR) ||
		!strcmp(btf__name_by_offset(btf, t->name_off), "char"));
}

static void print_string(FILE *out, const char *s, size_t n)
{
	size_t i;

	fputc('"', out);
	for (i = 0; i < n && s[i]; i++)
		if (isprint((unsigned char)s[i]) && s[i] != '"' && s[i] != '\\')
			fputc(s[i], out);
		else
			fprintf(out, "\\x%02x", (unsigned char)s[i]);
	fputc('"', out);
}

static void print_array(FILE *out, const struct btf *btf,
			const struct btf_type *t, const __u8 *data,
			size_t size, const char *name)
{
	const struct btf_array *a = btf_array(t);
	__u32 eid = a->type;
	bool be = false;
	const struct btf_type *et = resolve(btf, &eid, &be);
	__s64 esize = btf__resolve_size(btf, a->type);
	__u32 i;

	if (!et || esize <= 0 || (size_t)esize * a->nelems > size) {
		btf_print_hex(out, data, size);
		return;
	}
	if (esize == 1 && a->nelems == 6 && mac_name(name)) {
		fprintf(out, "%02x:%02x:%02x:%02x:%02x:%02x",
			data[0], data[1], data[2], data[3], data[4], data[5]);
		return;
	}
	if (is_char(btf, et)) {
		print_string(out, (const char *)data, a->nelems);
		return;
	}
	if (esize * a->nelems == 16 && btf_is_int(et) && addr_name(name)) {
		print_ip(out, data, 16);
		return;
	}
	fputc('[', out);
	for (i = 0; i < a->nelems && i < ARRAY_SHOWN; i++) {
		fputs(i ? ", " : "", out);
		btf_print_value(out, btf, a->type, data + i * esize, esize, NULL);
	}
	fputs(i < a->nelems ? ", ...]" : "]", out);
}

static void print_members(FILE *out, const struct btf *btf,
			  const struct btf_type *t, const __u8 *data, size_t size)
{
	const struct btf_member *m = btf_members(t);
	int i;

	fputs("{ ", out);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		const char *mname = btf__name_by_offset(btf, m->name_off);
		__u32 off = btf_member_bit_offset(t, i);
		__u32 bits = btf_member_bitfield_size(t, i);
		__u32 mid = m->type;
		bool be = false;
		const struct btf_type *mt = resolve(btf, &mid, &be);
		__s64 msize = btf__resolve_size(btf, m->type);

		fputs(i ? ", " : "", out);
		if (mname && *mname)
			fprintf(out, ".%s = ", mname);
		if (bits && mt && btf_is_int(mt) && bits <= 56 &&
		    off / 8 + (off % 8 + bits + 7) / 8 <= size) {
			print_int(out, mt, data + off / 8, false, bits, off % 8);
			continue;
		}
		if (msize < 0 || off / 8 + msize > size) {
			fputs("?", out);
			continue;
		}
		btf_print_value(out, btf, m->type, data + off / 8, msize, mname);
	}
	fputs(" }", out);
}

static void print_datasec(FILE *out, const struct btf *btf,
			  const struct btf_type *t, const __u8 *data, size_t size)
{
	const struct btf_var_secinfo *v = btf_var_secinfos(t);
	int i;

	fputs("{ ", out);
	for (i = 0; i < btf_vlen(t); i++, v++) {
		const struct btf_type *var = btf__type_by_id(btf, v->type);
		const char *vname = var ? btf__name_by_offset(btf, var->name_off) : "?";

		fprintf(out, "%s.%s = ", i ? ", " : "", vname);
		if (!var || !btf_is_var(var) || v->offset + v->size > size)
			fputs("?", out);
		else
			btf_print_value(out, btf, var->type, data + v->offset,
					v->size, vname);
	}
	fputs(" }", out);
}

void btf_print_value(FILE *out, const struct btf *btf, __u32 id,
		     const void *data, size_t size, const char *name)
{
	bool be = false;
	const struct btf_type *t = resolve(btf, &id, &be);
	const char *tname = t ? btf__name_by_offset(btf, t->name_off) : "";
	__s64 tsize = btf__resolve_size(btf, id);

	if (!t || tsize < 0 || (size_t)tsize > size) {
		btf_print_hex(out, data, size);
		return;
	}
	if (btf_is_int(t)) {
		if ((t->size == 4 || t->size == 16) && addr_name(name))
			print_ip(out, data, t->size);
		else
			print_int(out, t, data, be, 0, 0);
	} else if (btf_is_any_enum(t)) {
		print_enum(out, btf, t, data);
	} else if (btf_is_composite(t) && (!strcmp(tname, "in_addr") ||
					   !strcmp(tname, "in6_addr"))) {
		print_ip(out, data, t->size);
	} else if (btf_is_composite(t)) {
		print_members(out, btf, t, data, tsize);
	} else if (btf_is_array(t)) {
		print_array(out, btf, t, data, tsize, name);
	} else if (btf_is_datasec(t)) {
		print_datasec(out, btf, t, data, size);
	} else if (btf_is_ptr(t)) {
		fprintf(out, "0x%llx", (unsigned long long)load_uint(data, tsize, false));
	} else {
		btf_print_hex(out, data, size);
	}
}

void btf_print_type_name(FILE *out, const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *name = t ? btf__name_by_offset(btf, t->name_off) : NULL;

	if (!t) {
		fputs("?", out);
	} else if (btf_is_array(t)) {
		btf_print_type_name(out, btf, btf_array(t)->type);
		fprintf(out, "[%u]", btf_array(t)->nelems);
	} else if (btf_is_mod(t) || btf_is_type_tag(t)) {
		btf_print_type_name(out, btf, t->type);
	} else if (btf_is_ptr(t)) {
		btf_print_type_name(out, btf, t->type);
		fputc('*', out);
	} else {
		fprintf(out, "%s%s", btf_is_struct(t) ? "struct " :
			btf_is_union(t) ? "union " :
			btf_is_any_enum(t) ? "enum " : "",
			name && *name ? name : "(anon)");
	}
}
