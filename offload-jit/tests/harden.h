/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef OJIT_TEST_HARDEN_H
#define OJIT_TEST_HARDEN_H

#include "tools.h"

typedef void (*harden_tap)(int ok, const char *fmt, const char *name);

/* Malformed and dead-code programs: refused by name, or compiled and run */
void harden_run(harden_tap tap);

#endif
