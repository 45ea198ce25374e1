/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * offnic microcode image: what the JIT emits and the engine loads.
 * The one definition of the image format; docs/isa.md describes it.
 *
 * Layout, all little endian, each part 8-byte aligned:
 *   struct offnic_image_hdr
 *   __u64 bundles[n_bundles][lanes]      micro-op words, see offnic_isa.def
 *   __u64 consts[n_consts]               constant pool (LDK)
 *   struct offnic_image_reloc[n_relocs]  const-pool entries naming maps
 *   struct offnic_image_map[n_maps]      maps the program uses
 *   __u32 line_of_bundle[n_bundles]      first BPF insn index per bundle
 *                                        (present if OFFNIC_IMG_F_LINES)
 */
#ifndef OFFNIC_IMAGE_H
#define OFFNIC_IMAGE_H

#include <linux/types.h>

#define OFFNIC_IMG_MAGIC	0x4d49554fU	/* "OUIM" */
#define OFFNIC_IMG_VERSION	1U

#define OFFNIC_IMG_F_LINES	(1U << 0)

/* Program types, as the device interprets verdicts and context */
#define OFFNIC_PROG_XDP		1
#define OFFNIC_PROG_TC		2

struct offnic_image_hdr {
	__u32 magic;
	__u32 version;
	__u32 lanes;
	__u32 n_bundles;
	__u32 n_consts;
	__u32 n_relocs;
	__u32 n_maps;
	__u32 prog_type;		/* OFFNIC_PROG_* */
	__u32 stack_size;		/* bytes the program uses, <= 512 */
	__u32 flags;			/* OFFNIC_IMG_F_* */
	__u32 bpf_insns;		/* instructions in the source program */
	__u32 rsvd;
};

/* After relocation, consts[const_idx] = map handle of maps[map_idx]. */
struct offnic_image_reloc {
	__u32 const_idx;
	__u32 map_idx;
};

#define OFFNIC_MAP_ARRAY	1
#define OFFNIC_MAP_HASH		2
#define OFFNIC_MAP_PERF_EVENT	3	/* host PERF_EVENT_ARRAY: events leave the device */

struct offnic_image_map {
	__u32 type;			/* OFFNIC_MAP_* */
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 flags;
	__u32 dev_slot;			/* filled in by whoever loads the image */
};

/*
 * Where each section starts, in bytes from the header: the one place the
 * layout above is computed.  Callers check h->lanes (at most 8) before,
 * so no sum overflows 64 bits.
 */
static inline __u64 offnic_image_consts_off(const struct offnic_image_hdr *h)
{
	return sizeof(*h) + 8ULL * h->n_bundles * h->lanes;
}

static inline __u64 offnic_image_relocs_off(const struct offnic_image_hdr *h)
{
	return offnic_image_consts_off(h) + 8ULL * h->n_consts;
}

static inline __u64 offnic_image_maps_off(const struct offnic_image_hdr *h)
{
	return offnic_image_relocs_off(h) +
	       (__u64)h->n_relocs * sizeof(struct offnic_image_reloc);
}

static inline __u64 offnic_image_lines_off(const struct offnic_image_hdr *h)
{
	return offnic_image_maps_off(h) +
	       (__u64)h->n_maps * sizeof(struct offnic_image_map);
}

/* Bytes a well-formed image holds at least (the line table unpadded) */
static inline __u64 offnic_image_need(const struct offnic_image_hdr *h)
{
	return offnic_image_lines_off(h) +
	       (h->flags & OFFNIC_IMG_F_LINES ? 4ULL * h->n_bundles : 0);
}

/* Bytes an image writer allocates: the need, padded to 8 */
static inline __u64 offnic_image_size(const struct offnic_image_hdr *h)
{
	return (offnic_image_need(h) + 7) & ~7ULL;
}

/* The sections of an image whose size was checked against the need */
static inline const __u64 *offnic_image_words(const struct offnic_image_hdr *h)
{
	return (const __u64 *)(h + 1);
}

static inline const __u64 *offnic_image_consts(const struct offnic_image_hdr *h)
{
	return (const __u64 *)((const char *)h + offnic_image_consts_off(h));
}

static inline const struct offnic_image_reloc *
offnic_image_relocs(const struct offnic_image_hdr *h)
{
	return (const struct offnic_image_reloc *)((const char *)h +
						    offnic_image_relocs_off(h));
}

static inline const struct offnic_image_map *
offnic_image_maps(const struct offnic_image_hdr *h)
{
	return (const struct offnic_image_map *)((const char *)h +
						  offnic_image_maps_off(h));
}

/* NULL when the image has no line table */
static inline const __u32 *offnic_image_lines(const struct offnic_image_hdr *h)
{
	if (!(h->flags & OFFNIC_IMG_F_LINES))
		return (const __u32 *)0;
	return (const __u32 *)((const char *)h + offnic_image_lines_off(h));
}

#endif /* OFFNIC_IMAGE_H */
