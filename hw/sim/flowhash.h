/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef SIM_FLOWHASH_H
#define SIM_FLOWHASH_H

#include <stddef.h>
#include <stdint.h>

uint32_t flow_hash(const uint8_t *frame, size_t len);

#endif
