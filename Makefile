# SPDX-License-Identifier: GPL-2.0
# kvalab: top-level build. `make` builds kvalab.ko and the CLI; see README.md.

SHELL := /bin/bash
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(TOP)/dkms.conf)

# Which kernel to build for: KDIR=<tree> wins, then KVER=<release>, then the
# running kernel if its headers are installed, else the default test kernel.
ifneq ($(KDIR),)
KVER := $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
else
ifeq ($(KVER),)
ifneq ($(wildcard /lib/modules/$(shell uname -r)/build),)
KVER := $(shell uname -r)
else
KVER := $(shell $(TOP)/scripts/kernels.sh release 6.1 2>/dev/null)
KVER_NOTE := no headers for the running kernel $(shell uname -r); building for the default test kernel $(KVER)
endif
endif
KDIR := /lib/modules/$(KVER)/build
endif

BUILD := $(TOP)/build/$(KVER)
# Sources linked into each per-kernel build folder (Kbuild writes objects
# next to its sources, so each kernel gets its own tree of links).
KSRC := Kbuild dkms.conf $(wildcard module/*.c module/*.h \
	module/workloads/*.c module/workloads/*.h debugfs/*.c debugfs/*.h \
	include/kvalab/*.h)

PREFIX ?= /usr/local
MANDIR ?= $(PREFIX)/share/man

.PHONY: all module cli deps check run bench soak install uninstall dkms-install \
	dkms-uninstall static style sparse lint native clean help print-ksrc

all: module cli

help:
	@echo "make [module|cli]      build kvalab.ko for KVER=/KDIR= (default: running or 6.1) and the CLI"
	@echo "make run               boot the test VM, run the workloads on both backends, print the table"
	@echo "make check             every test: native, style, VM suites on 6.1, 6.12, 7.2 (smoke) and 7.3 (+ debug and race kernels)"
	@echo "make bench             callgrind cost per pair by policy, the levers, test_vmalloc.ko vs kvalab (perf kernel; not in check)"
	@echo "make soak              mixed traffic for SOAK_SECONDS (3600) on the debug kernel, figures at the end (not in check)"
	@echo "make deps              install the Debian packages the project needs"
	@echo "make install|uninstall module to /lib/modules/KVER/extra, CLI to $(PREFIX)/bin"
	@echo "make dkms-install      sources to /usr/src/kvalab-$(VERSION) and dkms add"
	@echo "make static            checkpatch --strict, sparse (C=1) on 6.1 and 6.12, gcc on 7.3, cppcheck (TAP)"

module:
	@if [ -n "$(KVER_NOTE)" ]; then echo "kvalab: $(KVER_NOTE)"; fi
	@if [ -z "$(KVER)" ] || [ ! -d "$(KDIR)" ]; then \
		echo "kvalab: no kernel tree for KVER='$(KVER)' KDIR='$(KDIR)'; run 'make deps'" >&2; exit 1; fi
	@for f in $(KSRC); do mkdir -p $(BUILD)/$$(dirname $$f); \
		ln -sfn $(TOP)/$$f $(BUILD)/$$f; done
	$(MAKE) -C $(KDIR) M=$(BUILD) $(if $(C),C=$(C)) modules
	@echo "kvalab: built $(BUILD)/kvalab.ko"

cli:
	$(MAKE) -C $(TOP)/userspace-tools

deps:
	$(TOP)/scripts/deps.sh

native: deps
	$(MAKE) -C $(TOP)/tests/native test

check:
	$(TOP)/tests/check.sh

run:
	$(TOP)/scripts/run.sh

# Cost figures (docs/policies.md); not part of `make check`.
bench:
	$(TOP)/scripts/bench.sh

# Hours of mixed traffic on the debug kernel (docs/reliability.md); not
# part of `make check`. SOAK_SECONDS, SOAK_CYCLE, SOAK_KERNEL pass through.
soak:
	$(TOP)/scripts/soak.sh

# One script runs all three (the `style` stage of make check).
static style sparse lint:
	$(TOP)/scripts/static-checks.sh

install: module cli
	install -D -m 0644 $(BUILD)/kvalab.ko /lib/modules/$(KVER)/extra/kvalab.ko
	depmod -a $(KVER)
	install -D -m 0755 $(TOP)/userspace-tools/kvalab $(DESTDIR)$(PREFIX)/bin/kvalab
	install -D -m 0644 $(TOP)/docs/kvalab.1 $(DESTDIR)$(MANDIR)/man1/kvalab.1

uninstall:
	rm -f /lib/modules/$(KVER)/extra/kvalab.ko
	depmod -a $(KVER)
	rm -f $(DESTDIR)$(PREFIX)/bin/kvalab $(DESTDIR)$(MANDIR)/man1/kvalab.1

dkms-install:
	rm -rf /usr/src/kvalab-$(VERSION)
	mkdir -p /usr/src/kvalab-$(VERSION)
	cd $(TOP) && cp -a --parents $(KSRC) /usr/src/kvalab-$(VERSION)/
	dkms add -m kvalab -v $(VERSION) || dkms status -m kvalab -v $(VERSION) | grep -q kvalab

# The sources `module` links and `dkms-install` copies, one a line
# (tests/native/cli/sources.bats checks that every kernel source is one).
print-ksrc:
	@printf '%s\n' $(KSRC)

dkms-uninstall:
	-dkms remove -m kvalab -v $(VERSION) --all
	rm -rf /usr/src/kvalab-$(VERSION)

clean:
	rm -rf $(TOP)/build
	$(MAKE) -C $(TOP)/userspace-tools clean
	$(MAKE) -C $(TOP)/tests/native clean
