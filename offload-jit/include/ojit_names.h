/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * The kernel's names of BPF helpers and map types (core/bpf_names.c,
 * generated from Linux 6.1's UAPI header), for messages.
 */
#ifndef OJIT_NAMES_H
#define OJIT_NAMES_H

/* "bpf_map_lookup_elem" for 1; NULL for 0 and ids 6.1 does not know */
const char *ojit_bpf_helper_name(unsigned int id);
/* "PERCPU_ARRAY" for BPF_MAP_TYPE_PERCPU_ARRAY; NULL if unknown */
const char *ojit_bpf_map_type_name(unsigned int type);

#endif /* OJIT_NAMES_H */
