/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One workload run as a struct: filled from the module's results file
 * (results.c) or from the JSON that run wrote (report.c), and the only
 * source the table, JSON, CSV and SVG writers read.
 */
#ifndef KVALAB_RESULTS_H
#define KVALAB_RESULTS_H

#include <stdbool.h>
#include <stdio.h>

/*
 * Backends by <kvalab/backends.h> id (vmalloc, kvalab, kvalab:<policy>);
 * a run uses some of them, in the order struct run_results lists.
 */
#include <kvalab/backends.h>

#define NR_BACKENDS	KVALAB_NR_BACKENDS

/*
 * A case's outcome on one backend, as the results file names it: the
 * module's list (<kvalab/status.h>); ST_NONE: the backend did not report it.
 */
#include <kvalab/status.h>

enum case_status {
	ST_NONE = KVALAB_ST_NONE,
	ST_PASS = KVALAB_ST_PASS,
	ST_FAIL = KVALAB_ST_FAIL,
	ST_XFAIL = KVALAB_ST_XFAIL,
	ST_XPASS = KVALAB_ST_XPASS,
	ST_SKIP = KVALAB_ST_SKIP,
	NR_STATUS = KVALAB_NR_STATUS,
};
#define status_names	kvalab_status_names
int status_from_name(const char *name);

struct backend_result {
	enum case_status status;
	unsigned long long ops;
	unsigned long long median_ns;
	unsigned long long p99_ns;
	unsigned long long min_ns;
	unsigned long long max_ns;
	unsigned long long enomem;	/* alloc/map calls that returned NULL */
	bool has_space;			/* kvalab backends: the slice after it */
	unsigned long long nr_free;
	unsigned long long largest_free;	/* bytes */
	char reason[96];	/* why a skip happened, "" if not given */
};

struct case_result {
	char name[64];
	unsigned int bit;	/* run_test_mask bit value (1, 2, 4...), 0 unknown */
	struct backend_result be[NR_BACKENDS];	/* by backend id */
	/* Each backend's median over the baseline's, by backend id. */
	bool has_ratios[NR_BACKENDS];
	double ratios[NR_BACKENDS];
	/*
	 * The two-backend format's one ratio (JSON "ratio", CSV "ratio"):
	 * kvalab over the baseline when kvalab ran and is not the baseline,
	 * else the first kvalab:<policy> backend's; see results_finish().
	 */
	bool has_ratio;
	double ratio;
	/* A "ratio case=X kvalab/vmalloc=R" line (old format), until finish. */
	bool has_kv_vm;
	double kv_vm;
};

#define RESULTS_MAX_PARAMS	16
#define RESULTS_MAX_CASES	32

struct run_param {
	char key[32];
	char value[256];	/* backends= of every backend fits */
};

struct run_results {
	char state[16];		/* idle, running, done, stopped, failed */
	unsigned int done, total;
	unsigned int nr_params;
	struct run_param params[RESULTS_MAX_PARAMS];
	char version[32];	/* kvalab version that wrote it */
	char kernel[128];	/* uname -r of the measured kernel */
	unsigned int nr_cases;
	struct case_result cases[RESULTS_MAX_CASES];
	/* The run's backends in its order, and the baseline among them. */
	unsigned int nr_backends;
	unsigned int backends[NR_BACKENDS];
	unsigned int baseline;
};

/* results.c */
int results_parse(const char *text, struct run_results *r,
		  char *err, size_t errlen);
struct case_result *results_case(struct run_results *r, const char *name,
				 char *err, size_t errlen);
unsigned int workload_bit(const char *name);
bool results_failed(const struct run_results *r);
bool backend_has_numbers(const struct backend_result *b);
void results_note_backend(struct run_results *r, unsigned int id);
int results_finish(struct run_results *r, char *err, size_t errlen);
const char *results_param(const struct run_results *r, const char *key);

/* table.c: the run table; the compare table (one row per case, backend). */
void table_print(FILE *f, const struct run_results *r);
void compare_print(FILE *f, const struct run_results *r);

/* json.c, csv.c, svg.c: each returns 0 or -errno of the failed write. */
int results_write_json(FILE *f, const struct run_results *r);
int results_write_csv(FILE *f, const struct run_results *r);
int results_write_svg(FILE *f, const struct run_results *r);
int results_write_file(const char *path,
		       int (*writer)(FILE *, const struct run_results *),
		       const struct run_results *r);

/* report.c: --json/--csv/--svg files of run and report; 0 or 1. */
int write_outputs(const char *what, const char *json, const char *csv,
		  const char *svg, const struct run_results *r);

/* jsonread.c */
int results_read_json(const char *text, struct run_results *r,
		      char *err, size_t errlen);

#endif /* KVALAB_RESULTS_H */
