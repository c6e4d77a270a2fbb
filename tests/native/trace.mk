# SPDX-License-Identifier: GPL-2.0
#
# Native tests of the trace parser (debugfs/trace_parse.c, compiled
# unchanged; it needs no shim, only include/kvalab/trace.h):
#   out/test_trace_parse   table-driven tests, TAP (gcc)
#   out/fuzz_trace         libFuzzer target (clang, ASan + UBSan)
#
# Included from the end of parse.mk, so tests/native/Makefile runs it in
# `make test` (EXTRA_TESTS), builds it in `all` (EXTRA_BINS) and runs the
# long fuzz in `make fuzz` (EXTRA_FUZZ). Uses CC, CLANG, CFLAGS, FUZZ_FLAGS
# and OUT from there.
#
# Knobs: TRACE_FUZZ_RUNS and TRACE_FUZZ_SHORT_TIME (the bounded run in
# `test` stops at whichever comes first: 300000 runs or 30 seconds),
# TRACE_FUZZ_TIME (seconds, `make fuzz`), TRACE_FUZZ_ARGS (extra libFuzzer
# flags, e.g. -seed=N to replay a run).

TRACE_FUZZ_RUNS ?= 300000
TRACE_FUZZ_SHORT_TIME ?= 30
TRACE_FUZZ_TIME ?= 120
TRACE_FUZZ_ARGS ?=

TRACE_WARN := -Wall -Wextra -Werror
TRACE_SRC := ../../debugfs/trace_parse.c
TRACE_HDRS := ../../include/kvalab/trace.h ../../include/kvalab/lex.h

$(OUT)/test_trace_parse: test_trace_parse.c $(TRACE_SRC) $(TRACE_HDRS)
	@mkdir -p $(OUT)
	$(CC) -I../../include $(CFLAGS) $(TRACE_WARN) -o $@ \
		test_trace_parse.c $(TRACE_SRC)

$(OUT)/fuzz_trace: fuzz_trace.c $(TRACE_SRC) $(TRACE_HDRS)
	@mkdir -p $(OUT)
	$(CLANG) -I../../include $(FUZZ_FLAGS) $(TRACE_WARN) -o $@ \
		fuzz_trace.c $(TRACE_SRC)

# Seeds (one trace per file; on a leading '!' the fuzzer feeds a header
# first, then the rest) and a dictionary of
# the grammar's words, written at build time. New inputs go to
# $(OUT)/trace_corpus, kept between runs.
TRACE_SEEDS := \
	'kvalab-trace 1 slice_size=64M page_size=4096\na 0 4096\nf 0\np\n' \
	'kvalab-trace 1 slice_size=0x4000000 page_size=4K ids=2 source=x\na 1 8K align=2M flags=noguard,vmap\n' \
	'!a 1 12345 flags=vmalloc\n@100 a 2 4096\n@200 f 1\n@300 p\n' \
	'!a 7 1M align=64K flags=filler,noguard\na 8 4096 flags=unpurged\nf 8\nf 7\n\043 c\n\n'
TRACE_WORDS := kvalab-trace slice_size= page_size= ids= source= align= \
	flags= noguard filler unpurged vmalloc vmap ioremap user vpages \
	vm_map_ram dma-coherent 0x 4096 4294967295 18446744073709551615

$(OUT)/trace_seeds/.stamp: trace.mk
	rm -rf $(@D) && mkdir -p $(@D) $(OUT)/trace_corpus
	i=0; for s in $(TRACE_SEEDS); do \
		i=$$((i + 1)); printf "$$s" > $(@D)/seed$$i; \
	done
	for w in $(TRACE_WORDS) ' a ' ' f ' ' p' '@' ','; do \
		printf '"%s"\n' "$$w"; done > $(OUT)/trace.dict
	@touch $@

trace_fuzz_tap = $(OUT)/fuzz_trace $(2) -max_len=1024 -dict=$(OUT)/trace.dict \
		-artifact_prefix=$(OUT)/trace- $(TRACE_FUZZ_ARGS) \
		$(OUT)/trace_corpus $(OUT)/trace_seeds >$(1) 2>&1; rc=$$?; \
	done="$$(grep -o 'Done [0-9]* runs in [0-9]* second' $(1))"; \
	if [ $$rc -eq 0 ]; then \
		echo "ok 1 - fuzz_trace $(2): $$done, every property held"; \
	else \
		tail -n 40 $(1) | sed 's/^/\# /'; \
		echo "not ok 1 - fuzz_trace $(2): exit $$rc, see tests/native/$(1)"; \
	fi; \
	echo "1..1"; exit $$rc

trace-test: $(OUT)/test_trace_parse $(OUT)/fuzz_trace $(OUT)/trace_seeds/.stamp
	@rc=0; $(OUT)/test_trace_parse || rc=1; \
	( $(call trace_fuzz_tap,$(OUT)/fuzz_trace.log,-runs=$(TRACE_FUZZ_RUNS) -max_total_time=$(TRACE_FUZZ_SHORT_TIME)) ) \
		|| rc=1; \
	exit $$rc

trace-fuzz-long: $(OUT)/fuzz_trace $(OUT)/trace_seeds/.stamp
	@$(call trace_fuzz_tap,$(OUT)/fuzz_trace-long.log,-max_total_time=$(TRACE_FUZZ_TIME))

.PHONY: trace-test trace-fuzz-long
EXTRA_TESTS += trace-test
EXTRA_BINS += $(OUT)/test_trace_parse $(OUT)/fuzz_trace
EXTRA_FUZZ += trace-fuzz-long
