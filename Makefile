# SPDX-License-Identifier: GPL-2.0
#
# make                  build module/oomsnap.ko (against KDIR) and tools/oomsnap
# make demo             build, boot a Debian kernel in QEMU, provoke a real OOM, show it
# make check            every test; ends with "N passed, M failed"
# make bpf              build bpf/oomsnap-bpf, the BPF recorder (clang, bpftool, libbpf-dev)
#
KDIR ?= /lib/modules/$(shell uname -r)/build

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	$(MAKE) -C tools clean
	$(MAKE) -C bpf clean

bpf:
	$(MAKE) -C bpf

.PHONY: all module tools clean bpf

# --- tests, demo, benchmarks (tests/lib/, tests/check.sh; see README "Tests") ----------------
# These build and boot Debian's stock kernels in QEMU; they never use KDIR or the host kernel.

demo:
	tests/demo.sh

check:
	tests/check.sh

e2e:
	tests/e2e/run.sh

build-matrix:
	tests/lib/build-matrix.sh --build

style:
	tests/lib/build-matrix.sh --style

bench:
	bench/alloc-cost.sh

# KUnit suites in a kernel built from Debian's linux-source-6.1 (cached after the first build).
kunit:
	tests/kunit/run.sh

# The field scenarios of issue 5, each in QEMU: "make scenarios S='slab-leak memcg-limit'" runs
# some of them.
scenarios:
	tests/scenarios/run.sh $(S)

.PHONY: demo check e2e build-matrix style bench kunit scenarios
