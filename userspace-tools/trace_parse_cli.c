// SPDX-License-Identifier: GPL-2.0
/*
 * The module's trace parser, compiled into the CLI unchanged (as
 * tests/native/test_core.c compiles module/core.c): the writer checks every
 * line it writes with the parser that will read it.
 */
#include "../debugfs/trace_parse.c"
