# SPDX-License-Identifier: GPL-2.0
#
# make                  build module/oomsnap.ko (against KDIR) and tools/oomsnap
# make demo             build, boot a Debian kernel in QEMU, provoke a real OOM, show it
# make check            every test; ends with "N passed, M failed"
# make bpf              build bpf/oomsnap-bpf, the BPF recorder (clang, bpftool, libbpf-dev)
#
# Installing (README "Installing"):
# make install          tools/oomsnap, man pages, bash completion, the recorder's systemd unit and
#                       the modprobe.d/modules-load.d examples under $(DESTDIR)$(PREFIX)
# make modules_install  oomsnap.ko into /lib/modules/KVER/extra/module, then depmod
# make uninstall        removes what both installed
# make dkms-install     copies the module's sources to /usr/src/oomsnap-VERSION and lets DKMS
#                       build and install it for KVER (and for every later kernel); again for
#                       another KVER adds that kernel, with the sources of this tree
# make dkms-uninstall   removes it from DKMS and /usr/src
#
KDIR ?= /lib/modules/$(shell uname -r)/build
# The kernel release KDIR was configured for ("uname -r" of the kernel that loads the module).
KVER ?= $(shell $(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null || uname -r)
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' $(CURDIR)/dkms.conf)

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DOCDIR ?= $(PREFIX)/share/doc/oomsnap
UNITDIR ?= $(PREFIX)/lib/systemd/system
DKMS_SRCDIR ?= /usr/src/oomsnap-$(VERSION)
INSTALL ?= install

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

# --- install (PREFIX, DESTDIR) ------------------------------------------------------------------
# Man pages: whatever man/ and doc/ hold as NAME.SECTION; bash completion: the first of
# tools/oomsnap-completion.bash, completion/oomsnap, bash-completion/oomsnap that exists.
MAN_PAGES := $(wildcard man/*.[1-8] doc/*.[1-8])
BASH_COMPLETION := $(firstword $(wildcard tools/oomsnap-completion.bash completion/oomsnap \
					   bash-completion/oomsnap contrib/bash-completion/oomsnap))
MOD_INSTALL_DIR := $(DESTDIR)/lib/modules/$(KVER)/extra

install: tools
	$(INSTALL) -D -m 0755 tools/oomsnap $(DESTDIR)$(SBINDIR)/oomsnap
	$(foreach m,$(MAN_PAGES),$(INSTALL) -D -m 0644 $(m) \
		$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m)) &&) true
	$(if $(BASH_COMPLETION),$(INSTALL) -D -m 0644 $(BASH_COMPLETION) \
		$(DESTDIR)$(BASHCOMPDIR)/oomsnap)
	$(INSTALL) -d -m 0755 $(DESTDIR)$(UNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|g' packaging/oomsnap-recorder.service.in \
		> $(DESTDIR)$(UNITDIR)/oomsnap-recorder.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/oomsnap-recorder.service
	$(INSTALL) -D -m 0644 packaging/oomsnap.conf.modprobe \
		$(DESTDIR)$(DOCDIR)/examples/modprobe.d/oomsnap.conf
	$(INSTALL) -D -m 0644 packaging/oomsnap.conf.modules-load \
		$(DESTDIR)$(DOCDIR)/examples/modules-load.d/oomsnap.conf
	$(INSTALL) -D -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	$(INSTALL) -D -m 0644 COPYING $(DESTDIR)$(DOCDIR)/COPYING

# INSTALL_MOD_DIR=extra, as kbuild does for every M= module; depmod here, since kbuild skips it
# without the kernel's System.map (distribution header packages have none).
modules_install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	depmod $(if $(DESTDIR),-b $(DESTDIR)) -a $(KVER)

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/oomsnap $(DESTDIR)$(BASHCOMPDIR)/oomsnap \
		$(DESTDIR)$(UNITDIR)/oomsnap-recorder.service
	$(foreach m,$(MAN_PAGES),rm -f $(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m)) &&) true
	rm -rf $(DESTDIR)$(DOCDIR)
	if [ -e $(MOD_INSTALL_DIR)/module/oomsnap.ko ] || [ -e $(MOD_INSTALL_DIR)/oomsnap.ko ]; then \
		rm -f $(MOD_INSTALL_DIR)/module/oomsnap.ko* $(MOD_INSTALL_DIR)/oomsnap.ko* && \
		depmod $(if $(DESTDIR),-b $(DESTDIR)) -a $(KVER); fi

# --- DKMS (dkms.conf) -----------------------------------------------------------------------
# Only what the module's build needs goes to /usr/src (not the KUnit suites, module/*_kunit.*);
# DKMS builds it in its own tree.
DKMS_FILES := Kbuild Makefile dkms.conf COPYING LICENSE \
	      $(filter-out module/%_kunit.c module/%_kunit.h,$(wildcard module/*.[ch])) \
	      $(wildcard module/*.mk lib/*.[ch] lib/*.mk uapi/*.h)

dkms-install:
	rm -rf $(DKMS_SRCDIR)
	$(INSTALL) -d $(DKMS_SRCDIR)
	tar -cf - $(DKMS_FILES) | tar -C $(DKMS_SRCDIR) -xf -
	dkms status -m oomsnap -v $(VERSION) | grep -q . || dkms add -m oomsnap -v $(VERSION)
	dkms build --force -m oomsnap -v $(VERSION) -k $(KVER)
	dkms install --force -m oomsnap -v $(VERSION) -k $(KVER)

dkms-uninstall:
	-dkms remove -m oomsnap -v $(VERSION) --all
	rm -rf $(DKMS_SRCDIR)

.PHONY: install modules_install uninstall dkms-install dkms-uninstall

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

# The benchmarks of BENCHMARKS.md, CSV (and a PNG per scaling series) in bench/results/: the
# failure hooks' cost on the allocator's success path and the cost of one capture by guest
# memory, vCPUs, tasks, memcgs and slab caches, both instruction-counted (QEMU -icount); then
# explain against grep on a 1 GB log (host CPU time). bench/alloc-cost.sh, the wall-clock
# method, is no longer part of it.
bench:
	bench/hook-cost.sh
	bench/capture-cost.sh
	bench/explain-vs-grep.sh 7

# oomsnap.ko at the worst moment: storms on every CPU of a debug kernel (lockdep, KASAN, KFENCE,
# UBSAN, kmemleak, lockup detectors). "make stress ARGS=--long" for the figures of BENCHMARKS.md.
stress:
	tests/stress/run.sh $(ARGS)

# The KUnit suites (module/*_kunit.c), built into oomsnap.ko with OOMSNAP_KUNIT=1 and run as it
# loads, in a kernel built from Debian's linux-source-6.1 (cached after the first build).
kunit:
	tests/kunit/run.sh

# The field scenarios, each in QEMU: "make scenarios S='slab-leak memcg-limit'" runs
# some of them.
scenarios:
	tests/scenarios/run.sh $(S)

.PHONY: demo check e2e build-matrix style bench kunit scenarios stress
