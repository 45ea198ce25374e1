# SPDX-License-Identifier: GPL-2.0
# offnic front door.
#
#   make          build everything (installs what it needs first)
#   make run      boot the VM with the simulated NIC and move traffic
#   make check    every test: host-side suites, then the VM suite
#   make check KERNEL=debug
#                 the VM suite on the debug kernel (KASAN, lockdep,
#                 kmemleak: scripts/debug-kernel.sh builds it once)
#   make shell    a guest shell with the device up
#   make lint     checkpatch --strict, W=1, verilator lint
#   make bench    the performance table, beside hXDP's published numbers
#   make clean
#
# The kernel module is built by Kbuild (`make -C $KDIR M=$PWD` also works
# at the root); this Makefile builds it out of tree in build/kmod so all
# output stays under build/.  KDIR= and KIMAGE= point everything at
# another kernel (see docs/kernel-build.md).

REPO := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(REPO)/build
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c

KENV = eval "$$($(REPO)/scripts/kernel-env.sh)"
# KERNEL=debug: the guest is scripts/debug-kernel.sh's debug kernel, and
# `make check` runs only the VM suite (the host suites do not involve it).
DEBUG_KERNEL := $(filter debug,$(KERNEL))
VM_TIMEOUT ?= $(if $(DEBUG_KERNEL),2400,1200)

# Host-side components, each with its own Makefile (all, check, O=).
# In dependency order: the model; the RTL on it; the JIT (its tests run
# JIT output on the RTL too); the simulator (its tests load JIT output);
# the benchmarks.
COMPONENTS := $(patsubst %/Makefile,%,$(wildcard \
	hw/model/Makefile hw/rtl/Makefile offload-jit/Makefile hw/sim/Makefile \
	scripts/bench/Makefile))
# What `make check` asks of each: build it all (later suites use its
# tools), then test it; the benchmarks' `all` is the benchmark itself.
check_goals = $(if $(filter scripts/bench,$(1)),check,all check)
# Each component's output dir, where its own Makefile puts it by default
# (and where the others look for its tools)
comp_out = $(BUILD)/$(patsubst offload-jit,jit,$(notdir $(1)))

.PHONY: all deps kernel kmod sim components selftests initramfs vm-ready \
	check run shell lint bench clean

all: vm-ready components

# What a VM run needs: the module, the selftests in an initramfs, and
# the simulator that is the device.
vm-ready: initramfs sim

# The packages are those of Debian's kernel, also with KERNEL=debug (whose
# build needs them and linux-source).
deps:
	@KERNEL= $(REPO)/scripts/deps.sh

kernel: deps
	@$(REPO)/scripts/prepare-ksrc.sh
	@$(REPO)/scripts/prepare-kdir.sh
	@$(if $(DEBUG_KERNEL),$(REPO)/scripts/debug-kernel.sh)

# Kbuild writes objects beside the sources, so build from a tree of
# symlinks under build/kmod.
kmod: kernel
	@mkdir -p $(BUILD)/kmod/hw
	@cp -rs --remove-destination $(REPO)/Kbuild $(REPO)/kmod $(BUILD)/kmod/
	@cp -rs --remove-destination $(REPO)/hw/include $(REPO)/hw/isa $(BUILD)/kmod/hw/
	@if [ -d $(REPO)/offload-jit ]; then \
		cp -rs --remove-destination $(REPO)/offload-jit $(BUILD)/kmod/; fi
	@$(KENV); $(MAKE) -C "$$KDIR" M=$(BUILD)/kmod O= W=1 modules

sim: deps
	@$(MAKE) -C hw/sim all O=$(BUILD)/sim

components: deps
	@$(foreach c,$(COMPONENTS),$(MAKE) -C $(c) all O=$(call comp_out,$(c)) &&) true

selftests: kernel
	@$(KENV); $(MAKE) -C selftests HARNESS_DIR="$$HARNESS_DIR" \
		OUTPUT=$(BUILD)/selftests

initramfs: kmod selftests
	@$(KENV); $(REPO)/qemu/mkinitramfs.sh -r "$$KMODROOT" -a "$$KABI" \
		-k $(BUILD)/kmod/offnic.ko -t $(BUILD)/selftests \
		-o $(BUILD)/vm/initramfs.cpio.gz

# ENGINE=model runs programs on the C model instead of the RTL
VMTEST = $(KENV); $(REPO)/qemu/vmtest.sh -k "$$KIMAGE" \
	-i $(BUILD)/vm/initramfs.cpio.gz -S $(BUILD)/sim/offnic-sim \
	$(if $(ENGINE),-e "--engine $(ENGINE)")

# Each component's own `check` builds and tests it as one suite, so a
# component that fails to build fails its suite, not the whole run.
check:
	@rm -rf $(BUILD)/check
	@$(REPO)/scripts/stage-time.sh deps $(BUILD)/check -- $(MAKE) -s deps
	@$(REPO)/scripts/stage-time.sh kernel-dir $(BUILD)/check -- $(MAKE) -s kernel
	@$(REPO)/scripts/stage-time.sh build $(BUILD)/check -- $(MAKE) -s vm-ready
	@-$(foreach c,$(if $(DEBUG_KERNEL),,$(COMPONENTS)),$(REPO)/scripts/run-suite.sh $(notdir $(c)) \
		$(BUILD)/check -- $(MAKE) -s -C $(c) $(call check_goals,$(c)) \
		O=$(call comp_out,$(c));)
	@-$(if $(DEBUG_KERNEL),:,$(REPO)/scripts/run-suite.sh lint $(BUILD)/check -- \
		$(REPO)/scripts/lint.sh)
	@-$(REPO)/scripts/run-suite.sh splat-denylist $(BUILD)/check -- \
		$(REPO)/scripts/test-splat-denylist.sh
	@-$(REPO)/scripts/run-suite.sh vm $(BUILD)/check -- \
		bash -c '$(VMTEST) -d $(BUILD)/vm/check -t $(VM_TIMEOUT) -c $(REPO)/qemu/cmd-check.sh'
	@$(REPO)/scripts/tap-summary.sh $(BUILD)/check

# make run [PROG=obj.bpf.o [SEC=section]] [PCAP=traffic.pcap]
run: vm-ready
	@env=$(BUILD)/vm/run.env; : > $$env; extra="-f $$env"; \
	if [ -n "$(PROG)" ]; then \
		echo "OFFNIC_PROG=/mnt/out/$(notdir $(PROG))" >> $$env; \
		extra="$$extra -f $(abspath $(PROG))"; fi; \
	if [ -n "$(SEC)" ]; then echo "OFFNIC_SEC=$(SEC)" >> $$env; fi; \
	if [ -n "$(PCAP)" ]; then \
		echo "OFFNIC_PCAP=/mnt/out/$(notdir $(PCAP))" >> $$env; \
		extra="$$extra -f $(abspath $(PCAP))"; fi; \
	$(VMTEST) -d $(BUILD)/vm/run -t $(VM_TIMEOUT) \
		-c $(REPO)/qemu/cmd-run.sh $$extra

shell: vm-ready
	@$(VMTEST) -d $(BUILD)/vm/shell -s

lint: kernel
	@$(REPO)/scripts/lint.sh

bench: deps
	@$(REPO)/scripts/bench.sh

clean:
	rm -rf $(BUILD)
