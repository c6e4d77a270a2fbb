// SPDX-License-Identifier: GPL-2.0
/*
 * The tables printed by run, report and compare.
 *
 * Run table, one row per case, columns for the run's backends in its order:
 *   case | B1 loop_ns | p99 | B2 loop_ns | p99 ... | ratios | status
 * with one ratio column per backend other than the baseline (its median
 * over the baseline's). With a single ratio column it is headed "ratio" (the
 * two-backend table); with more, "B/BASELINE". A run with kvalab and floor
 * whose baseline is not floor adds "kvalab/floor" before the status.
 *
 * Breakdown table (run --breakdown), one row per case and backend that has
 * a breakdown line: ns per loop iteration in each phase of
 * <kvalab/phases.h>, their sum, and the measured ns/op.
 *
 * Compare table, one row per case and backend:
 *   case | backend | loop_ns | p99 | enomem | ratio | status | nr_free | largest_free
 * nr_free and largest_free describe the slice after that kvalab backend's
 * last unit of the case ("-" for vmalloc).
 *
 * Column widths follow the content; "-" marks a value that does not exist.
 * A case that ran with a shorter list than test_vmalloc's (full_fit's and
 * long_busy_list's, cut to fit the slice and RAM) has " *" after its name,
 * and a line under the table, "* CASE: ...", gives both lengths.
 */
#include <string.h>

#include "results.h"

#define MAX_COLS	(4 + 3 * NR_BACKENDS + KVALAB_NR_PHASES)
#define CELL		72

struct table {
	unsigned int nr_cols;
	bool left[MAX_COLS];		/* left aligned (names, statuses) */
	int width[MAX_COLS];
	char head[MAX_COLS][CELL];
};

static void number_cell(char *buf, const struct backend_result *b,
			unsigned long long v)
{
	if (backend_has_numbers(b))
		snprintf(buf, CELL, "%llu", v);
	else
		snprintf(buf, CELL, "-");
}

static void ratio_cell(char *buf, const struct case_result *c, unsigned int b)
{
	if (c->has_ratios[b])
		snprintf(buf, CELL, "%.3f", c->ratios[b]);
	else
		snprintf(buf, CELL, "-");
}

/* One status if the backends that reported agree, else all joined by '/'. */
static void status_cell(char *buf, const struct run_results *r,
			const struct case_result *c)
{
	enum case_status first = ST_NONE;
	bool same = true;
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < r->nr_backends; i++) {
		enum case_status s = c->be[r->backends[i]].status;

		if (s == ST_NONE)
			continue;
		if (first == ST_NONE)
			first = s;
		else if (s != first)
			same = false;
	}
	if (same) {
		snprintf(buf, CELL, "%s", first == ST_NONE ? "-" : status_names[first]);
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < r->nr_backends && n < CELL; i++) {
		enum case_status s = c->be[r->backends[i]].status;

		if (s != ST_NONE)
			n += snprintf(buf + n, CELL - n, "%s%s", n ? "/" : "",
				      status_names[s]);
	}
}

static void add_col(struct table *t, bool left, const char *fmt,
		    const char *a, const char *b)
{
	unsigned int i = t->nr_cols++;

	t->left[i] = left;
	snprintf(t->head[i], CELL, fmt, a, b);
	t->width[i] = (int)strlen(t->head[i]);
}

static void fit(struct table *t, char cells[][CELL])
{
	unsigned int i;

	for (i = 0; i < t->nr_cols; i++)
		if ((int)strlen(cells[i]) > t->width[i])
			t->width[i] = (int)strlen(cells[i]);
}

static void print_row(FILE *f, const struct table *t, char cells[][CELL])
{
	unsigned int i, last = t->nr_cols - 1;

	for (i = 0; i < t->nr_cols; i++) {
		/* The last column is not padded: no trailing blanks. */
		if (t->left[i])
			fprintf(f, "%-*s", i == last ? 0 : t->width[i], cells[i]);
		else
			fprintf(f, "%*s", t->width[i], cells[i]);
		fputs(i == last ? "\n" : "  ", f);
	}
}

static unsigned int nr_ratio_cols(const struct run_results *r)
{
	unsigned int i, n = 0;

	for (i = 0; i < r->nr_backends; i++)
		n += r->backends[i] != r->baseline;
	return n;
}

static void run_columns(struct table *t, const struct run_results *r)
{
	const char *base = kvalab_backend_name(r->baseline);
	bool one = nr_ratio_cols(r) == 1;
	unsigned int i;

	t->nr_cols = 0;
	add_col(t, true, "%s%s", "case", "");
	for (i = 0; i < r->nr_backends; i++) {
		add_col(t, false, "%s%s", kvalab_backend_name(r->backends[i]),
			" loop_ns");
		add_col(t, false, "%s%s", "p99", "");
	}
	for (i = 0; i < r->nr_backends; i++) {
		if (r->backends[i] == r->baseline)
			continue;
		if (one)
			add_col(t, false, "%s%s", "ratio", "");
		else
			add_col(t, false, "%s/%s",
				kvalab_backend_name(r->backends[i]), base);
	}
	if (results_has_kv_floor(r))
		add_col(t, false, "%s%s", "kvalab/floor", "");
	add_col(t, true, "%s%s", "status", "");
}

/* The case's name, " *" after it when its list was short (see above). */
static void case_cell(char *buf, const struct case_result *c)
{
	snprintf(buf, CELL, "%s%s", c->name, case_list_short(c) ? " *" : "");
}

static void run_cells(const struct run_results *r, const struct case_result *c,
		      char cells[][CELL])
{
	unsigned int i, col = 0;

	case_cell(cells[col++], c);
	for (i = 0; i < r->nr_backends; i++) {
		const struct backend_result *b = &c->be[r->backends[i]];

		number_cell(cells[col++], b, b->loop_ns);
		number_cell(cells[col++], b, b->p99_ns);
	}
	for (i = 0; i < r->nr_backends; i++)
		if (r->backends[i] != r->baseline)
			ratio_cell(cells[col++], c, r->backends[i]);
	if (results_has_kv_floor(r)) {
		if (c->has_kv_floor)
			snprintf(cells[col++], CELL, "%.3f", c->kv_floor);
		else
			snprintf(cells[col++], CELL, "-");
	}
	status_cell(cells[col], r, c);
}

static void print_header(FILE *f, const struct run_results *r)
{
	fprintf(f, "kvalab %s, kernel %s, state: %s", r->version, r->kernel,
		r->state);
	if (r->total)
		fprintf(f, " (%u/%u)", r->done, r->total);
	fputc('\n', f);
	if (r->nr_params) {
		unsigned int i;

		fputs("params:", f);
		for (i = 0; i < r->nr_params; i++)
			fprintf(f, " %s=%s", r->params[i].key, r->params[i].value);
		fputc('\n', f);
	}
	fputc('\n', f);
}

/*
 * The short lists, the reasons of skips and failures, then the counts by
 * status.
 */
static void print_footer(FILE *f, const struct run_results *r)
{
	unsigned int counts[NR_STATUS] = { 0 };
	unsigned int i, k, total = 0;
	bool first = true;

	for (i = 0; i < r->nr_cases; i++)
		if (case_list_short(&r->cases[i]))
			fprintf(f, "* %s: its list is %llu per worker, test_vmalloc's %llu (cut to fit the slice and RAM)\n",
				r->cases[i].name, r->cases[i].list_len,
				r->cases[i].list_tv);

	for (i = 0; i < r->nr_cases; i++) {
		for (k = 0; k < r->nr_backends; k++) {
			unsigned int b = r->backends[k];
			const struct backend_result *be = &r->cases[i].be[b];

			if (be->status == ST_NONE)
				continue;
			counts[be->status]++;
			total++;
			if (be->reason[0])
				fprintf(f, "%s on %s: %s: %s\n", r->cases[i].name,
					kvalab_backend_name(b),
					status_names[be->status], be->reason);
		}
	}
	fprintf(f, "%u cases, %u results:", r->nr_cases, total);
	for (i = ST_PASS; i < NR_STATUS; i++) {
		if (!counts[i])
			continue;
		fprintf(f, "%s %u %s", first ? "" : ",", counts[i], status_names[i]);
		first = false;
	}
	fputc('\n', f);
}

void table_print(FILE *f, const struct run_results *r)
{
	char cells[MAX_COLS][CELL];
	struct table t;
	unsigned int i;

	print_header(f, r);
	if (!r->nr_cases) {
		fputs("no case finished\n", f);
		return;
	}
	run_columns(&t, r);
	for (i = 0; i < r->nr_cases; i++) {
		run_cells(r, &r->cases[i], cells);
		fit(&t, cells);
	}
	print_row(f, &t, t.head);
	for (i = 0; i < r->nr_cases; i++) {
		run_cells(r, &r->cases[i], cells);
		print_row(f, &t, cells);
	}
	if (!nr_ratio_cols(r)) {
		fputs("\nloop_ns: median over repeats of ns/op in the measured loop (no setup); p99: 99th percentile\n", f);
	} else if (nr_ratio_cols(r) == 1) {
		for (i = 0; i < r->nr_backends; i++)
			if (r->backends[i] != r->baseline)
				break;
		fprintf(f, "\nloop_ns: median over repeats of ns/op in the measured loop (no setup); p99: 99th percentile; ratio: %s median / %s median\n",
			kvalab_backend_name(r->backends[i]),
			kvalab_backend_name(r->baseline));
	} else {
		fprintf(f, "\nloop_ns: median over repeats of ns/op in the measured loop (no setup); p99: 99th percentile; B/%s: B's median / %s's median\n",
			kvalab_backend_name(r->baseline),
			kvalab_backend_name(r->baseline));
	}
	if (results_has_kv_floor(r))
		fputs("kvalab/floor: kvalab median / floor median (floor: the same pages, mappings and flushes with no VA management)\n",
		      f);
	print_footer(f, r);
}

static void breakdown_columns(struct table *t)
{
	int ph;

	t->nr_cols = 0;
	add_col(t, true, "%s%s", "case", "");
	add_col(t, true, "%s%s", "backend", "");
	for (ph = 0; ph < KVALAB_NR_PHASES; ph++)
		add_col(t, false, "%s%s", kvalab_phase_names[ph], "");
	add_col(t, false, "%s%s", "sum", "");
	add_col(t, false, "%s%s", "ns/op", "");
}

static void breakdown_cells(const struct case_result *c, unsigned int b,
			    char cells[][CELL])
{
	const struct backend_result *be = &c->be[b];
	unsigned long long sum = 0;
	unsigned int col = 0;
	int ph;

	snprintf(cells[col++], CELL, "%s", c->name);
	snprintf(cells[col++], CELL, "%s", kvalab_backend_name(b));
	for (ph = 0; ph < KVALAB_NR_PHASES; ph++) {
		sum += be->ph_ns[ph];
		/* A phase never entered is "-", one that took under 1 ns/op "0". */
		if (!be->ph_calls[ph] || !be->ph_ops)
			snprintf(cells[col++], CELL, "-");
		else
			snprintf(cells[col++], CELL, "%llu",
				 be->ph_ns[ph] / be->ph_ops);
	}
	snprintf(cells[col++], CELL, "%llu", be->ph_ops ? sum / be->ph_ops : 0);
	number_cell(cells[col], be, be->loop_ns);
}

void breakdown_print(FILE *f, const struct run_results *r)
{
	char cells[MAX_COLS][CELL];
	unsigned int i, k, b;
	struct table t;

	if (!results_has_breakdown(r)) {
		fputs("\nno breakdown: the run had breakdown=N, or more threads than CPUs\n",
		      f);
		return;
	}
	breakdown_columns(&t);
	for (i = 0; i < r->nr_cases; i++) {
		for (k = 0; k < r->nr_backends; k++) {
			b = r->backends[k];
			if (!r->cases[i].be[b].has_phases)
				continue;
			breakdown_cells(&r->cases[i], b, cells);
			fit(&t, cells);
		}
	}
	fputs("\nbreakdown (ns per loop iteration in each phase):\n", f);
	print_row(f, &t, t.head);
	for (i = 0; i < r->nr_cases; i++) {
		for (k = 0; k < r->nr_backends; k++) {
			b = r->backends[k];
			if (!r->cases[i].be[b].has_phases)
				continue;
			breakdown_cells(&r->cases[i], b, cells);
			print_row(f, &t, cells);
		}
	}
	fputs("\nphases: time in the phase over the measured loops / loop iterations; -: never entered;\n"
	      "sum: all phases (vblock includes making a new block, whose objects, va and insert count again);\n"
	      "ns/op: the measured median (the rest is the case's own work, the clock reads and what is not a phase)\n",
	      f);
}

#define NR_CMP_COLS	9

static void compare_cells(const struct run_results *r,
			  const struct case_result *c, unsigned int b,
			  bool first, char cells[][CELL])
{
	const struct backend_result *be = &c->be[b];

	if (first)
		case_cell(cells[0], c);
	else
		cells[0][0] = '\0';
	snprintf(cells[1], CELL, "%s", kvalab_backend_name(b));
	number_cell(cells[2], be, be->loop_ns);
	number_cell(cells[3], be, be->p99_ns);
	if (be->status == ST_NONE || be->status == ST_SKIP)
		snprintf(cells[4], CELL, "-");
	else
		snprintf(cells[4], CELL, "%llu", be->enomem);
	if (b == r->baseline)
		snprintf(cells[5], CELL, "base");
	else
		ratio_cell(cells[5], c, b);
	snprintf(cells[6], CELL, "%s", status_names[be->status]);
	if (be->has_space) {
		snprintf(cells[7], CELL, "%llu", be->nr_free);
		snprintf(cells[8], CELL, "%llu", be->largest_free);
	} else {
		snprintf(cells[7], CELL, "-");
		snprintf(cells[8], CELL, "-");
	}
}

void compare_print(FILE *f, const struct run_results *r)
{
	static const char *const heads[NR_CMP_COLS] = {
		"case", "backend", "loop_ns", "p99", "enomem", "ratio", "status",
		"nr_free", "largest_free",
	};
	char cells[NR_CMP_COLS][CELL];
	unsigned int i, k, pass;
	struct table t;

	print_header(f, r);
	if (!r->nr_cases) {
		fputs("no case finished\n", f);
		return;
	}
	t.nr_cols = 0;
	for (i = 0; i < NR_CMP_COLS; i++)
		add_col(&t, i < 2 || i == 6, "%s%s", heads[i], "");
	/* Pass 0 measures the columns, pass 1 prints. */
	for (pass = 0; pass < 2; pass++) {
		if (pass)
			print_row(f, &t, t.head);
		for (i = 0; i < r->nr_cases; i++) {
			bool first = true;

			for (k = 0; k < r->nr_backends; k++) {
				unsigned int b = r->backends[k];

				if (r->cases[i].be[b].status == ST_NONE)
					continue;
				compare_cells(r, &r->cases[i], b, first, cells);
				first = false;
				if (pass)
					print_row(f, &t, cells);
				else
					fit(&t, cells);
			}
		}
	}
	fprintf(f, "\nloop_ns: median over repeats of ns/op in the measured loop (no setup); p99: 99th percentile; enomem: allocations that failed; ratio: median / %s median;\n"
		"nr_free, largest_free (bytes): the slice's free areas after the backend's last repeat of the case\n",
		kvalab_backend_name(r->baseline));
	print_footer(f, r);
}

/*
 * Latency table, one row per case and backend that reported latency:
 *   case | backend | alloc p50 | p99 | p99.9 | max | free p50 | ... |
 *   purges | purge p50 | p99.9 | max | pages/purge max
 * in ns (pages: count); "-" where the line is absent (purges: vmalloc).
 */
#define NR_LAT_COLS	15

static void lat_cells(char cells[][CELL], const struct lat_summary *l)
{
	if (!l->has) {
		snprintf(cells[0], CELL, "-");
		snprintf(cells[1], CELL, "-");
		snprintf(cells[2], CELL, "-");
		snprintf(cells[3], CELL, "-");
		return;
	}
	snprintf(cells[0], CELL, "%llu", l->p50);
	snprintf(cells[1], CELL, "%llu", l->p99);
	snprintf(cells[2], CELL, "%llu", l->p999);
	snprintf(cells[3], CELL, "%llu", l->max);
}

static bool has_lat(const struct backend_result *b)
{
	return b->lat[LAT_ALLOC].has || b->lat[LAT_FREE].has ||
	       b->lat[LAT_PURGE].has;
}

static void latency_cells(const struct case_result *c, unsigned int b,
			  bool first, char cells[][CELL])
{
	const struct backend_result *be = &c->be[b];
	const struct lat_summary *p = &be->lat[LAT_PURGE];

	snprintf(cells[0], CELL, "%s", first ? c->name : "");
	snprintf(cells[1], CELL, "%s", kvalab_backend_name(b));
	lat_cells(cells + 2, &be->lat[LAT_ALLOC]);
	lat_cells(cells + 6, &be->lat[LAT_FREE]);
	if (p->has) {
		snprintf(cells[10], CELL, "%llu", p->n);
		snprintf(cells[11], CELL, "%llu", p->p50);
		snprintf(cells[12], CELL, "%llu", p->p999);
		snprintf(cells[13], CELL, "%llu", p->max);
		snprintf(cells[14], CELL, "%llu", be->purge_pages.max);
	} else {
		unsigned int i;

		for (i = 10; i < NR_LAT_COLS; i++)
			snprintf(cells[i], CELL, "-");
	}
}

void latency_print(FILE *f, const struct run_results *r)
{
	static const char *const heads[NR_LAT_COLS] = {
		"case", "backend", "alloc p50", "p99", "p99.9", "max",
		"free p50", "p99", "p99.9", "max", "purges", "purge p50",
		"p99.9", "max", "pages max",
	};
	char cells[NR_LAT_COLS][CELL];
	unsigned int i, k, pass;
	struct table t;

	fputs("\nlatency per operation (ns):\n", f);
	if (!results_has_latency(r)) {
		fputs("no latency lines in these results\n", f);
		return;
	}
	t.nr_cols = 0;
	for (i = 0; i < NR_LAT_COLS; i++)
		add_col(&t, i < 2, "%s%s", heads[i], "");
	for (pass = 0; pass < 2; pass++) {
		if (pass)
			print_row(f, &t, t.head);
		for (i = 0; i < r->nr_cases; i++) {
			bool first = true;

			for (k = 0; k < r->nr_backends; k++) {
				unsigned int b = r->backends[k];

				if (!has_lat(&r->cases[i].be[b]))
					continue;
				latency_cells(&r->cases[i], b, first, cells);
				first = false;
				if (pass)
					print_row(f, &t, cells);
				else
					fit(&t, cells);
			}
		}
	}
	fputs("\nalloc, free: each call of the measured loops (map and unmap in vm_map_ram_test,\n"
	      "every vrealloc() an alloc in vrealloc_test);\n"
	      "p50, p99, p99.9: upper bound of the log2 bucket of that rank, at most max;\n"
	      "purges: lazy purges during the backend's units, their duration and most pages\n", f);
	if (r->has_timing)
		fprintf(f, "per-op timing %s; one local_clock() read cost %llu ns when the run started\n",
			r->latency ? "on" : "off (op_latency=0)", r->clock_ns);
}
