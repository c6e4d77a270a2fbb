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
#include <kvalab/phases.h>

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

/* Latency lines (docs/debugfs.md): per-op alloc and free, and purges. */
enum lat_op { LAT_ALLOC, LAT_FREE, LAT_PURGE, NR_LAT_OPS };
extern const char *const lat_op_names[NR_LAT_OPS];

/* A log2 histogram's summary: count, nearest-rank percentiles, max. */
struct lat_summary {
	bool has;
	unsigned long long n, p50, p99, p999, max;
};

/* Most fragmentation samples per case and backend (WL_FRAG_SAMPLES). */
#define FRAG_MAX_SAMPLES	100

/* One "frag" line: the slice after operation @op of the case. */
struct frag_point {
	unsigned long long op;
	unsigned int ext_frag_e4;	/* ext_frag x 10000 */
	unsigned int frag_rss_e4;	/* frag_rss x 10000 */
	unsigned long long largest_free, nr_free, free_bytes;
};

struct backend_result {
	enum case_status status;
	unsigned long long ops;
	/* avg: test_vmalloc's Summary avg (whole case per repeat, usec) */
	unsigned long long avg_us;
	/* median ns per operation of the measured loop; p99/min/max alike */
	unsigned long long loop_ns;
	unsigned long long p99_ns;
	unsigned long long min_ns;
	unsigned long long max_ns;
	unsigned long long enomem;	/* alloc/map calls that returned NULL */
	bool has_space;			/* kvalab backends: the slice after it */
	unsigned long long nr_free;
	unsigned long long largest_free;	/* bytes */
	char reason[96];	/* why a skip happened, "" if not given */
	/* alloc, free (ns), purge (ns; then areas and pages per purge). */
	struct lat_summary lat[NR_LAT_OPS];
	struct lat_summary purge_areas, purge_pages;
	/* Fragmentation over the case's operations, in op order. */
	unsigned int nr_frag;
	struct frag_point frag[FRAG_MAX_SAMPLES];
	/*
	 * A "breakdown" line (run with breakdown=Y): each phase's ns and
	 * calls over @ph_ops iterations of the measured loops.
	 */
	bool has_phases;
	unsigned long long ph_ops;
	unsigned long long ph_ns[KVALAB_NR_PHASES];
	unsigned long long ph_calls[KVALAB_NR_PHASES];
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
	/*
	 * kvalab's median over floor's, when both ran the case (whatever
	 * the baseline): the share of kvalab's time its VA management costs.
	 */
	bool has_kv_floor;
	double kv_floor;
	/*
	 * A case that builds a list before its loop (full_fit,
	 * long_busy_list): the entries each worker built and test_vmalloc's
	 * (the results' "list" line). Fewer than test_vmalloc's
	 * (case_list_short()): the case's figures, avg_us above all, are
	 * not test_vmalloc's.
	 */
	bool has_list;
	unsigned long long list_len, list_tv;
};

#define RESULTS_MAX_PARAMS	16
#define RESULTS_MAX_CASES	32

/*
 * A results file's "list" line, kept until results_finish() gives it to
 * its case: the line comes with the parameters, before the case has a row
 * (and a case that never finished gets none).
 */
struct case_list {
	char name[64];
	unsigned long long len, tv;
};

/* The debugfs listings a run's JSON may carry, by the file's name. */
enum snap_id { SNAP_MAP, SNAP_FREE_AREAS, SNAP_VMALLOCINFO, SNAP_FREE_TREE,
	       NR_SNAPS };
extern const char *const snap_names[NR_SNAPS];
/* Longest listing kept (bytes); a longer one is cut at a line end. */
#define SNAP_MAX		(256 * 1024)

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
	/* The "timing:" line: per-op timing on, local_clock() cost. */
	bool has_timing;
	bool latency;
	unsigned long long clock_ns, frag_every, frag_samples;
	/* The "list" lines read, until results_finish(). */
	unsigned int nr_lists;
	struct case_list lists[RESULTS_MAX_CASES];
	/*
	 * Listings of the slice when the run ended (kvalab run --json reads
	 * them from debugfs): malloc'd text or NULL; results_release() frees.
	 */
	char *snap[NR_SNAPS];
};

/* results.c */
int results_parse(const char *text, struct run_results *r,
		  char *err, size_t errlen);
struct case_result *results_case(struct run_results *r, const char *name,
				 char *err, size_t errlen);
unsigned int workload_bit(const char *name);
bool results_failed(const struct run_results *r);
/* True when @c ran with a shorter list than test_vmalloc's. */
bool case_list_short(const struct case_result *c);
bool backend_has_numbers(const struct backend_result *b);
void results_note_backend(struct run_results *r, unsigned int id);
int results_finish(struct run_results *r, char *err, size_t errlen);
const char *results_param(const struct run_results *r, const char *key);
void results_release(struct run_results *r);
bool results_has_latency(const struct run_results *r);
bool results_has_frag(const struct run_results *r);

/* True when the run has kvalab and floor and floor is not the baseline. */
bool results_has_kv_floor(const struct run_results *r);
bool results_has_breakdown(const struct run_results *r);

/* table.c: the run table; the compare table (one row per case, backend). */
void table_print(FILE *f, const struct run_results *r);
/* One row per case and backend that has a breakdown: ns/op per phase. */
void breakdown_print(FILE *f, const struct run_results *r);
void compare_print(FILE *f, const struct run_results *r);
/* One row per case and backend: alloc, free, purge percentiles. */
void latency_print(FILE *f, const struct run_results *r);

/* json.c, csv.c, svg.c: each returns 0 or -errno of the failed write. */
int results_write_json(FILE *f, const struct run_results *r);
int results_write_csv(FILE *f, const struct run_results *r);
int results_write_svg(FILE *f, const struct run_results *r);
/* fragsvg.c: ext_frag and largest_free over operations, per case. */
int results_write_frag_svg(FILE *f, const struct run_results *r);
void frag_svg_body(FILE *f, const struct run_results *r, unsigned int ci);
/* fragsvg.c: per case, alloc/free/purge percentiles per backend. */
void latency_svg_body(FILE *f, const struct run_results *r, unsigned int ci);
/* html.c: the self-contained report. */
int results_write_html(FILE *f, const struct run_results *r);
int results_write_file(const char *path,
		       int (*writer)(FILE *, const struct run_results *),
		       const struct run_results *r);

/* The files run, compare and report may write (NULL: not asked for). */
struct outputs {
	const char *json, *csv, *svg, *frag_svg, *html;
};

/* report.c: the files of @o; 0 or 1 after reporting what failed. */
int write_outputs(const char *what, const struct outputs *o,
		  const struct run_results *r);
/* run.c: copy the debugfs listings of the slice into r->snap[]. */
void results_snapshot(struct run_results *r);

/* jsonread.c */
int results_read_json(const char *text, struct run_results *r,
		      char *err, size_t errlen);

#endif /* KVALAB_RESULTS_H */
