# SPDX-License-Identifier: GPL-2.0
#
# Native tests of the control-command parser (debugfs/parse.c, compiled
# unchanged against userspace-tools/shim/):
#   out/test_parse   table-driven tests, TAP (gcc)
#   out/fuzz_parse   libFuzzer target (clang, ASan + UBSan)
#
# Included at the end of tests/native/Makefile, which runs $(EXTRA_TESTS)
# from `make test`, builds $(EXTRA_BINS) in `all` and runs $(EXTRA_FUZZ) in
# `make fuzz`. It also works on its own, from tests/native:
#   make -f parse.mk test                 build both, run both
#   make -f parse.mk parse-fuzz PARSE_FUZZ_RUNS=10000000
#
# Knobs: PARSE_FUZZ_RUNS (bounded run in `test`, default 1000000),
# PARSE_FUZZ_TIME (seconds, `make fuzz`), PARSE_FUZZ_ARGS (extra libFuzzer
# flags, e.g. -seed=N to replay a run).

PARSE_FUZZ_RUNS ?= 1000000
PARSE_FUZZ_TIME ?= 120
PARSE_FUZZ_ARGS ?=

# On its own, set up what tests/native/Makefile otherwise provides, with the
# same paths, so both ways share out/ and its extracted kernel tools/include.
ifeq ($(words $(MAKEFILE_LIST)),1)
KSRC_TAR ?= /usr/src/linux-source-6.1.tar.xz
KSRC_DIR := linux-source-6.1
OUT := out
KTOOLS := $(OUT)/$(KSRC_DIR)/tools
KTOOLS_STAMP := $(OUT)/.ktools-extracted
CC := gcc
CLANG ?= clang-14
CPPFLAGS := -I../../include -I../../userspace-tools/shim -I$(KTOOLS)/include
CFLAGS := -O2 -g
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined \
	      -fno-sanitize-recover=all

$(KTOOLS_STAMP):
	@mkdir -p $(OUT)
	tar -xJf $(KSRC_TAR) -C $(OUT) --wildcards \
		'$(KSRC_DIR)/tools/lib/rbtree.c' '$(KSRC_DIR)/tools/include/*'
	@touch $@

.DEFAULT_GOAL := test
test: parse-test
fuzz: parse-fuzz-long
clean: parse-clean
.PHONY: test fuzz clean
endif

PARSE_WARN := -Wall -Wextra -Werror
PARSE_SRC := ../../debugfs/parse.c
PARSE_HDRS := ../../include/kvalab/lex.h ../../include/kvalab/cmd.h ../../include/kvalab/workloads.h \
	      ../../include/kvalab/backends.h ../../include/kvalab/policies.h \
	      $(wildcard ../../userspace-tools/shim/*.h ../../userspace-tools/shim/*/*.h)

$(OUT)/test_parse: test_parse.c $(PARSE_SRC) $(PARSE_HDRS) | $(KTOOLS_STAMP)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PARSE_WARN) -o $@ test_parse.c \
		$(PARSE_SRC)

$(OUT)/fuzz_parse: fuzz_parse.c $(PARSE_SRC) $(PARSE_HDRS) | $(KTOOLS_STAMP)
	$(CLANG) $(CPPFLAGS) $(FUZZ_FLAGS) $(PARSE_WARN) -o $@ fuzz_parse.c \
		$(PARSE_SRC)

# Seed corpus, one valid line per file, written at build time rather than
# kept as files in the repository; parse.dict supplies the grammar's words.
# New inputs the fuzzer finds go to $(OUT)/parse_corpus, kept between runs.
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
	'policy best-fit' \
	'run' \
	'run fix_size_alloc_test vm_map_ram_test threads=2 loops=1000' \
	'run mask=0x47f repeat=3 pages=1 sequential=1 backend=kvalab,vmalloc'

$(OUT)/parse_seeds/.stamp: parse.mk
	rm -rf $(@D) && mkdir -p $(@D) $(OUT)/parse_corpus
	i=0; for s in $(PARSE_SEEDS); do \
		i=$$((i + 1)); printf '%s\n' "$$s" > $(@D)/seed$$i; \
	done
	@touch $@

# $(call parse_fuzz_tap,LOG,ARGS): run fuzz_parse with its output in LOG and
# print one TAP line and its plan; fail if the fuzzer did (a property
# violation aborts it and leaves the input as $(OUT)/parse-crash-*).
parse_fuzz_tap = $(OUT)/fuzz_parse $(2) -max_len=320 -dict=parse.dict \
		-artifact_prefix=$(OUT)/parse- $(PARSE_FUZZ_ARGS) \
		$(OUT)/parse_corpus $(OUT)/parse_seeds >$(1) 2>&1; rc=$$?; \
	done="$$(grep -o 'Done [0-9]* runs in [0-9]* second' $(1))"; \
	if [ $$rc -eq 0 ]; then \
		echo "ok 1 - fuzz_parse $(2): $$done, every property held"; \
	else \
		tail -n 40 $(1) | sed 's/^/\# /'; \
		echo "not ok 1 - fuzz_parse $(2): exit $$rc, see tests/native/$(1)"; \
	fi; \
	echo "1..1"; exit $$rc

# test_parse's TAP stream, then the fuzz run's. Both always run; the target
# fails if either did.
parse-test: $(OUT)/test_parse $(OUT)/fuzz_parse $(OUT)/parse_seeds/.stamp
	@rc=0; $(OUT)/test_parse || rc=1; \
	( $(call parse_fuzz_tap,$(OUT)/fuzz_parse.log,-runs=$(PARSE_FUZZ_RUNS)) ) \
		|| rc=1; \
	exit $$rc

parse-fuzz: $(OUT)/fuzz_parse $(OUT)/parse_seeds/.stamp
	@$(call parse_fuzz_tap,$(OUT)/fuzz_parse.log,-runs=$(PARSE_FUZZ_RUNS))

parse-fuzz-long: $(OUT)/fuzz_parse $(OUT)/parse_seeds/.stamp
	@$(call parse_fuzz_tap,$(OUT)/fuzz_parse-long.log,-max_total_time=$(PARSE_FUZZ_TIME))

parse-clean:
	rm -rf $(OUT)/test_parse $(OUT)/fuzz_parse $(OUT)/parse_seeds \
		$(OUT)/parse_corpus $(OUT)/fuzz_parse.log \
		$(OUT)/fuzz_parse-long.log

.PHONY: parse-test parse-fuzz parse-fuzz-long parse-clean
EXTRA_TESTS += parse-test
EXTRA_BINS += $(OUT)/test_parse $(OUT)/fuzz_parse
EXTRA_FUZZ += parse-fuzz-long

# The trace parser's tests ride on the same hooks.
-include trace.mk
