# SPDX-License-Identifier: (GPL-2.0 OR MIT)
# The tools' library: ELF loading, .rodata folding, source lines, fact
# inference, listings and the model runner (offload-jit/tools/*.c).  One
# list for everything that links it: offload-jit, the bench, the fuzz
# harnesses and the real-programs suite.
OJIT_TOOL_NAMES := load rodata btf_lines infer listing runner
