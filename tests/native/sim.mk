# SPDX-License-Identifier: GPL-2.0
#
# The sim's engine (userspace-tools/sim_engine.c) under libFuzzer:
#   out/fuzz_sim   clang, ASan + UBSan, the engine (sim_engine.c,
#                  sim_space.c, sim_whatif.c) with the core, the policies,
#                  frag.c and the trace parser
#
# Included from the Makefile's end: built by `all` (EXTRA_BINS), a bounded
# run in `make test` (EXTRA_TESTS), a long one in `make fuzz` (EXTRA_FUZZ).
# Knobs: SIM_FUZZ_RUNS, SIM_FUZZ_SHORT_TIME (default 2000000 runs or 15 s),
# SIM_FUZZ_TIME (make fuzz), SIM_FUZZ_ARGS.

SIM_FUZZ_RUNS ?= 2000000
SIM_FUZZ_SHORT_TIME ?= 15
SIM_FUZZ_TIME ?= 300
SIM_FUZZ_ARGS ?=
# The sim's files built in the core's environment (userspace-tools/Makefile's
# SIM_SRCS).
SIM_ENGINE_NAMES := sim_engine sim_space sim_whatif
SIM_ENGINE_OBJS := $(SIM_ENGINE_NAMES:%=$(OUT)/%-fuzz.o)
SIM_ENGINE_HDRS := ../../userspace-tools/sim_engine.h \
	../../userspace-tools/sim_space.h ../../include/kvalab/trace.h $(CORE_HDRS)

$(SIM_ENGINE_OBJS): $(OUT)/%-fuzz.o: ../../userspace-tools/%.c $(SIM_ENGINE_HDRS) $(KTOOLS_STAMP)
	$(CC_fuzz) $(WARN) -c -o $@ $<
$(OUT)/trace_parse-fuzz.o: ../../debugfs/trace_parse.c ../../include/kvalab/trace.h \
		../../include/kvalab/lex.h
	$(CLANG) -I../../include $(FUZZ_OBJ_FLAGS) $(WARN) -c -o $@ $<

$(OUT)/fuzz_sim: fuzz_sim.c $(SIM_ENGINE_OBJS) $(OUT)/trace_parse-fuzz.o \
		$(OBJ_fuzz)
	$(CLANG) $(FUZZ_FLAGS) $(WARN) -o $@ fuzz_sim.c \
		$(SIM_ENGINE_OBJS) $(OUT)/trace_parse-fuzz.o $(OBJ_fuzz)

# Seeds: small traces of every op kind; new inputs go to out/sim_corpus.
$(OUT)/sim_seeds/.stamp: sim.mk
	rm -rf $(@D) && mkdir -p $(@D) $(OUT)/sim_corpus
	printf 'kvalab-trace 1 slice_size=1M page_size=4096\na 0 4096\na 1 8192 align=64K\nf 0\np\na 2 1M flags=noguard\n' >$(@D)/seed1
	printf 'kvalab-trace 1 slice_size=1M page_size=4096\na 0 12345\na 1 4096 flags=noguard\nf 1\na 2 4096\nf 2\nf 0\n' >$(@D)/seed2
	@touch $@

sim_fuzz_tap = $(OUT)/fuzz_sim $(2) -max_len=2048 -dict=$(OUT)/trace.dict \
		-artifact_prefix=$(OUT)/sim- $(SIM_FUZZ_ARGS) \
		$(OUT)/sim_corpus $(OUT)/sim_seeds >$(1) 2>&1; rc=$$?; \
	done="$$(grep -o 'Done [0-9]* runs in [0-9]* second' $(1))"; \
	if [ $$rc -eq 0 ]; then \
		echo "ok 1 - fuzz_sim $(2): $$done, every run checked clean"; \
	else \
		tail -n 40 $(1) | sed 's/^/\# /'; \
		echo "not ok 1 - fuzz_sim $(2): exit $$rc, see tests/native/$(1)"; \
	fi; \
	echo "1..1"; exit $$rc

sim-test: $(OUT)/fuzz_sim $(OUT)/sim_seeds/.stamp $(OUT)/trace_seeds/.stamp
	@$(call sim_fuzz_tap,$(OUT)/fuzz_sim.log,-runs=$(SIM_FUZZ_RUNS) -max_total_time=$(SIM_FUZZ_SHORT_TIME))

sim-fuzz-long: $(OUT)/fuzz_sim $(OUT)/sim_seeds/.stamp $(OUT)/trace_seeds/.stamp
	@$(call sim_fuzz_tap,$(OUT)/fuzz_sim-long.log,-max_total_time=$(SIM_FUZZ_TIME))

.PHONY: sim-test sim-fuzz-long
EXTRA_TESTS += sim-test
EXTRA_BINS += $(OUT)/fuzz_sim
EXTRA_FUZZ += sim-fuzz-long
