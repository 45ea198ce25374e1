# SPDX-License-Identifier: (GPL-2.0 OR MIT)
# SAN=1: build a component with AddressSanitizer and UndefinedBehavior-
# Sanitizer for `make check`'s san-* suites.  Every finding aborts the
# program (no recovery), so a finding fails the test that hit it.
# Included by the host components' Makefiles after their CFLAGS default;
# SAN_SUFFIX names their default output dir (build/<comp>-san).
SAN ?= 0
ifeq ($(SAN),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer
CFLAGS += $(SAN_FLAGS)
CXXFLAGS += $(SAN_FLAGS)
LDFLAGS += $(SAN_FLAGS)
SAN_SUFFIX := -san
else
SAN_SUFFIX :=
endif
