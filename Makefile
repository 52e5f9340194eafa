# SPDX-License-Identifier: GPL-2.0
#
# make                  build module/oomsnap.ko (against KDIR) and tools/oomsnap
# make demo             build, boot a Debian kernel in QEMU, provoke a real OOM, show it
# make check            every test; ends with "N passed, M failed"
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

.PHONY: all module tools clean
