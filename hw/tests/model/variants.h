/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/* Canonical assembly text of every opcode/format variant, from the table. */
#ifndef ONM_VARIANTS_H
#define ONM_VARIANTS_H

typedef void (*variant_fn)(void *arg, int op, const char *text);

/* Calls fn for each variant of every defined opcode, in opcode order.
 * Texts are canonical: exactly what the disassembler prints.
 */
void for_each_variant(variant_fn fn, void *arg);

#endif
