# SPDX-License-Identifier: GPL-2.0
#
# Native tests of the control-command parser (debugfs/parse.c):
#   out/test_parse   table-driven TAP tests (gcc)
#   out/fuzz_parse   libFuzzer target (clang, ASan + UBSan)
#
# Included at the end of tests/native/Makefile, which runs $(EXTRA_TESTS)
# from `make test`; or on its own from tests/native:
#   make -f parse.mk test            build both, run both
#   make -f parse.mk parse-fuzz PARSE_FUZZ_RUNS=10000000
#
# parse.c is built unchanged against shim/kvalab_shim.h, which needs the
# kernel's tools/include. If the including Makefile already extracts it, it
# sets PARSE_TOOLS_INCLUDE (the include directory) and PARSE_TOOLS_DEP (a
# target that creates it) before the include; otherwise this file extracts
# its own copy from the linux-source tarball.

PARSE_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
PARSE_STANDALONE := $(filter 1,$(words $(MAKEFILE_LIST)))

PARSE_OUT ?= $(PARSE_DIR)/out
PARSE_SRC := $(PARSE_DIR)/../../debugfs/parse.c
PARSE_HDRS := $(PARSE_DIR)/../../include/kvalab/cmd.h \
	      $(PARSE_DIR)/../../include/kvalab/workloads.h \
	      $(wildcard $(PARSE_DIR)/shim/*.h $(PARSE_DIR)/shim/asm/*.h)

PARSE_GCC ?= gcc
PARSE_CLANG ?= clang
PARSE_FUZZ_RUNS ?= 1000000
# Extra libFuzzer flags, e.g. -seed=1 to replay one run exactly.
PARSE_FUZZ_ARGS ?=

LINUX_SOURCE_TARBALL ?= /usr/src/linux-source-6.1.tar.xz
ifeq ($(PARSE_TOOLS_INCLUDE),)
PARSE_TOOLS_INCLUDE := $(PARSE_OUT)/parse-tools/tools/include
PARSE_TOOLS_DEP := $(PARSE_OUT)/parse-tools/.stamp

$(PARSE_TOOLS_DEP):
	rm -rf $(@D) && mkdir -p $(@D)
	tar -xJf $(LINUX_SOURCE_TARBALL) -C $(@D) --strip-components=1 \
		--wildcards '*/tools/include'
	touch $@
endif

PARSE_CPPFLAGS := -I$(PARSE_DIR)/../../include -I$(PARSE_DIR)/shim \
		  -I$(PARSE_TOOLS_INCLUDE)
PARSE_CFLAGS := -O2 -g -Wall -Wextra -Werror
PARSE_FUZZ_CFLAGS := -O1 -g -Wall -Wextra -Werror \
		     -fsanitize=fuzzer,address,undefined \
		     -fno-sanitize-recover=all

$(PARSE_OUT)/test_parse: $(PARSE_DIR)/test_parse.c $(PARSE_SRC) \
			 $(PARSE_HDRS) | $(PARSE_TOOLS_DEP)
	@mkdir -p $(@D)
	$(PARSE_GCC) $(PARSE_CFLAGS) $(PARSE_CPPFLAGS) -o $@ \
		$(PARSE_DIR)/test_parse.c $(PARSE_SRC)

$(PARSE_OUT)/fuzz_parse: $(PARSE_DIR)/fuzz_parse.c $(PARSE_SRC) \
			 $(PARSE_HDRS) | $(PARSE_TOOLS_DEP)
	@mkdir -p $(@D)
	$(PARSE_CLANG) $(PARSE_FUZZ_CFLAGS) $(PARSE_CPPFLAGS) -o $@ \
		$(PARSE_DIR)/fuzz_parse.c $(PARSE_SRC)

# Seed corpus, one valid line per file, written here rather than kept as
# files in the repository. The fuzzer adds what it finds to parse_corpus.
PARSE_SEEDS := \
	'alloc 64K' \
	'alloc 4K align=2M noguard' \
	'alloc 0xffffffffffffe000' \
	'alloc 17179869183G noguard' \
	'free 3' \
	'free_atomic 0xffffc90000000000' \
	'fill 1 0x5a' \
	'verify 0xffffc90000001000 255' \
	'purge' \
	'reset' \
	'check' \
	'stop' \
	'run' \
	'run fix_size_alloc_test vm_map_ram_test threads=2 loops=1000' \
	'run mask=0x47f repeat=3 pages=1 sequential=1 backend=kvalab,vmalloc'

$(PARSE_OUT)/parse_seeds/.stamp: $(PARSE_DIR)/parse.mk
	rm -rf $(@D) && mkdir -p $(@D)
	i=0; for s in $(PARSE_SEEDS); do \
		i=$$((i + 1)); printf '%s\n' "$$s" > $(@D)/seed$$i; \
	done
	touch $@

parse-build: $(PARSE_OUT)/test_parse $(PARSE_OUT)/fuzz_parse

# One TAP line for a fuzz run; the log keeps libFuzzer's own output.
define PARSE_FUZZ_RUN
log=$(PARSE_OUT)/fuzz_parse.log; \
mkdir -p $(PARSE_OUT)/parse_corpus; \
if $(PARSE_OUT)/fuzz_parse -runs=$(PARSE_FUZZ_RUNS) -max_len=320 \
	-dict=$(PARSE_DIR)/parse.dict \
	-artifact_prefix=$(PARSE_OUT)/ $(PARSE_FUZZ_ARGS) \
	$(PARSE_OUT)/parse_corpus $(PARSE_OUT)/parse_seeds \
	> $$log 2>&1; then \
	echo "ok - fuzz_parse $(PARSE_FUZZ_RUNS) runs"; \
else \
	echo "not ok - fuzz_parse $(PARSE_FUZZ_RUNS) runs (log: $$log)"; \
	tail -n 40 $$log | sed 's/^/# /'; \
	false; \
fi
endef

# TAP from test_parse, then the fuzz line. Both always run; the target
# fails if either did.
parse-test: parse-build $(PARSE_OUT)/parse_seeds/.stamp
	@rc=0; \
	$(PARSE_OUT)/test_parse || rc=1; \
	{ $(PARSE_FUZZ_RUN); } || rc=1; \
	exit $$rc

parse-fuzz: $(PARSE_OUT)/fuzz_parse $(PARSE_OUT)/parse_seeds/.stamp
	@$(PARSE_FUZZ_RUN)

parse-clean:
	rm -rf $(PARSE_OUT)/test_parse $(PARSE_OUT)/fuzz_parse \
		$(PARSE_OUT)/parse_seeds $(PARSE_OUT)/parse_corpus \
		$(PARSE_OUT)/parse-tools $(PARSE_OUT)/fuzz_parse.log \
		$(PARSE_OUT)/crash-* $(PARSE_OUT)/leak-* $(PARSE_OUT)/timeout-*

.PHONY: parse-build parse-test parse-fuzz parse-clean
EXTRA_TESTS += parse-test

ifneq ($(PARSE_STANDALONE),)
.DEFAULT_GOAL := test
test: parse-test
clean: parse-clean
.PHONY: test clean
endif
