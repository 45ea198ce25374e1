# SPDX-License-Identifier: GPL-2.0
# offnic front door.
#
#   make          build everything (installs what it needs first)
#   make run      boot the VM with the simulated NIC and move traffic
#   make check    every test: host-side suites, the same under ASan and
#                 UBSan, bounded fuzzing, then the VM suite
#   make fuzz     the fuzz harnesses at length (FUZZ_TIME=600 s each)
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
# The host suites again, built with SAN=1 (ASan + UBSan, any finding
# fails) into <output dir>-san, in dependency order.  The simulator's runs
# the model engine only: the Verilated RTL is not sanitized.
SAN_COMPONENTS := hw/model offload-jit hw/sim
# Seconds each fuzz harness runs in `make check` and in `make fuzz`
FUZZ_CHECK_TIME ?= 20
FUZZ_TIME ?= 600

.PHONY: all deps kernel kmod sim components selftests initramfs vm-ready \
	check run shell lint bench fuzz clean

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

# ENGINE=model runs programs on the C model instead of the RTL.  The RTL
# is checked against the model on every packet in the tests; make run has
# it alone (LOCKSTEP=on or N: every Nth packet checked).
SIM_ARGS = $(if $(ENGINE),--engine $(ENGINE))
VMTEST = $(KENV); $(REPO)/qemu/vmtest.sh -k "$$KIMAGE" \
	-i $(BUILD)/vm/initramfs.cpio.gz -S $(BUILD)/sim/offnic-sim \
	$(if $(strip $(SIM_ARGS)),-e "$(strip $(SIM_ARGS))")

# Each component's own `check` builds and tests it as one suite, so a
# component that fails to build fails its suite, not the whole run.
check:
	@rm -rf $(BUILD)/check
	@$(REPO)/scripts/stage-time.sh deps $(BUILD)/check -- $(MAKE) -s deps
	@$(REPO)/scripts/stage-time.sh kernel-dir $(BUILD)/check -- $(MAKE) -s kernel
	@$(REPO)/scripts/stage-time.sh build $(BUILD)/check -- $(MAKE) -s vm-ready
	@-$(foreach c,$(if $(DEBUG_KERNEL),,$(COMPONENTS)),$(REPO)/scripts/run-suite.sh $(notdir $(c)) \
		$(BUILD)/check -- $(MAKE) -s -C $(c) $(call check_goals,$(c)) \
		O=$(call comp_out,$(c)) || true;)
	@-$(if $(DEBUG_KERNEL),:,$(REPO)/scripts/run-suite.sh corpus $(BUILD)/check -- \
		$(MAKE) -s -C corpus check O=$(BUILD)/corpus)
	@-$(foreach c,$(if $(DEBUG_KERNEL),,$(SAN_COMPONENTS)),$(REPO)/scripts/run-suite.sh \
		san-$(notdir $(c)) $(BUILD)/check -- $(MAKE) -s -C $(c) all check \
		SAN=1 O=$(call comp_out,$(c))-san || true;)
	@-$(if $(DEBUG_KERNEL),:,$(REPO)/scripts/run-suite.sh fuzz $(BUILD)/check -- \
		$(MAKE) -s -C fuzz check O=$(BUILD)/fuzz FUZZ_CHECK_TIME=$(FUZZ_CHECK_TIME))
	@-$(if $(DEBUG_KERNEL),:,$(REPO)/scripts/run-suite.sh lint $(BUILD)/check -- \
		$(REPO)/scripts/lint.sh)
	@-$(if $(DEBUG_KERNEL),:,$(REPO)/scripts/run-suite.sh docs $(BUILD)/check -- \
		$(REPO)/scripts/check-readme.sh)
	@-$(REPO)/scripts/run-suite.sh splat-denylist $(BUILD)/check -- \
		$(REPO)/scripts/test-splat-denylist.sh
	@-$(REPO)/scripts/run-suite.sh vm $(BUILD)/check -- \
		bash -c '$(VMTEST) -d $(BUILD)/vm/check -t $(VM_TIMEOUT) -c $(REPO)/qemu/cmd-check.sh'
	@$(REPO)/scripts/tap-summary.sh $(BUILD)/check

# make run [PROG=obj.bpf.o [SEC=section]] [PCAP=traffic.pcap] [VERBOSE=1]
#          [LOCKSTEP=off|on|N]
# Each build step is one line; their output is in build/vm/build.log.
STEP = $(REPO)/scripts/step.sh $(BUILD)/vm/build.log
run: SIM_ARGS += --lockstep $(or $(LOCKSTEP),off)
run:
	@mkdir -p $(BUILD)/vm; : > $(BUILD)/vm/build.log
	@$(STEP) "packages (scripts/deps.sh)" -- $(MAKE) -s deps
	@$(STEP) "kernel dir (scripts/prepare-k*.sh)" -- $(MAKE) -s kernel
	@$(STEP) "module, selftests, initramfs" -- $(MAKE) -s initramfs
	@$(STEP) "simulator (Verilator build if the RTL changed)" -- $(MAKE) -s sim
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

fuzz: deps
	@$(MAKE) -C fuzz fuzz O=$(BUILD)/fuzz FUZZ_TIME=$(FUZZ_TIME)

clean:
	rm -rf $(BUILD)
