/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A workload case's outcome on one backend, as the results file names it:
 * one list for the module (module/workloads/wl_results.c writes the names) and the
 * CLI (userspace-tools/results.c reads them back).
 */
#ifndef _KVALAB_STATUS_H
#define _KVALAB_STATUS_H

enum kvalab_status {
	KVALAB_ST_NONE,		/* not run / the backend did not report it */
	KVALAB_ST_PASS,
	KVALAB_ST_FAIL,
	KVALAB_ST_XFAIL,	/* the expected failure happened */
	KVALAB_ST_XPASS,	/* an expected failure did not happen */
	KVALAB_ST_SKIP,
	KVALAB_NR_STATUS
};

static const char *const kvalab_status_names[KVALAB_NR_STATUS] = {
	[KVALAB_ST_NONE]	= "not_run",
	[KVALAB_ST_PASS]	= "pass",
	[KVALAB_ST_FAIL]	= "fail",
	[KVALAB_ST_XFAIL]	= "xfail",
	[KVALAB_ST_XPASS]	= "xpass",
	[KVALAB_ST_SKIP]	= "skip",
};

#endif /* _KVALAB_STATUS_H */
