# SPDX-License-Identifier: GPL-2.0
#
# out/scenario_check: replays a trace on the userspace core (module/core.c
# and the policies, as test_core links them, plus debugfs/trace_parse.c),
# for tests/native/cli/scenario.bats. Included from the Makefile's end;
# built by `all` (EXTRA_BINS).

$(OUT)/scenario_check: scenario_check.c ../../debugfs/trace_parse.c \
		../../include/kvalab/trace.h ../../include/kvalab/lex.h $(CORE_HDRS) \
		$(OBJ_plain)
	$(CC_plain) $(WARN) -o $@ scenario_check.c ../../debugfs/trace_parse.c \
		$(filter-out $(OUT)/core.o,$(OBJ_plain))

EXTRA_BINS += $(OUT)/scenario_check
