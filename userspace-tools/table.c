// SPDX-License-Identifier: GPL-2.0
/*
 * The side-by-side table printed by run and report:
 *   case | kvalab ns/op | p99 | vmalloc ns/op | p99 | ratio | status
 * Column widths follow the content; "-" marks a backend without timings.
 */
#include <string.h>

#include "results.h"

#define NR_COLS 7

static const char *const headers[NR_COLS] = {
	"case", "kvalab ns/op", "p99", "vmalloc ns/op", "p99", "ratio", "status",
};

static void number_cell(char *buf, size_t len, const struct backend_result *b,
			unsigned long long v)
{
	if (backend_has_numbers(b))
		snprintf(buf, len, "%llu", v);
	else
		snprintf(buf, len, "-");
}

/* One status if the backends agree or only one ran, else "kvalab/vmalloc". */
static void status_cell(char *buf, size_t len, const struct case_result *c)
{
	enum case_status k = c->be[BE_KVALAB].status;
	enum case_status v = c->be[BE_VMALLOC].status;

	if (k == v || v == ST_NONE)
		snprintf(buf, len, "%s", k == ST_NONE ? "-" : status_names[k]);
	else if (k == ST_NONE)
		snprintf(buf, len, "%s", status_names[v]);
	else
		snprintf(buf, len, "%s/%s", status_names[k], status_names[v]);
}

static void case_cells(const struct case_result *c, char cells[NR_COLS][72])
{
	const struct backend_result *k = &c->be[BE_KVALAB];
	const struct backend_result *v = &c->be[BE_VMALLOC];

	snprintf(cells[0], 72, "%s", c->name);
	number_cell(cells[1], 72, k, k->median_ns);
	number_cell(cells[2], 72, k, k->p99_ns);
	number_cell(cells[3], 72, v, v->median_ns);
	number_cell(cells[4], 72, v, v->p99_ns);
	if (c->has_ratio)
		snprintf(cells[5], 72, "%.3f", c->ratio);
	else
		snprintf(cells[5], 72, "-");
	status_cell(cells[6], 72, c);
}

static void print_row(FILE *f, char cells[NR_COLS][72], const int *width)
{
	int i;

	for (i = 0; i < NR_COLS; i++) {
		/* The name and status read left to right, numbers line up right. */
		if (i == 0 || i == NR_COLS - 1)
			fprintf(f, "%-*s", i == NR_COLS - 1 ? 0 : width[i], cells[i]);
		else
			fprintf(f, "%*s", width[i], cells[i]);
		fputs(i == NR_COLS - 1 ? "\n" : "  ", f);
	}
}

void table_print(FILE *f, const struct run_results *r)
{
	unsigned int counts[NR_STATUS] = { 0 };
	char cells[NR_COLS][72];
	int width[NR_COLS];
	unsigned int i, b, total = 0;
	bool first;

	fprintf(f, "kvalab %s, kernel %s, state: %s", r->version, r->kernel,
		r->state);
	if (r->total)
		fprintf(f, " (%u/%u)", r->done, r->total);
	fputc('\n', f);
	if (r->nr_params) {
		fputs("params:", f);
		for (i = 0; i < r->nr_params; i++)
			fprintf(f, " %s=%s", r->params[i].key, r->params[i].value);
		fputc('\n', f);
	}
	fputc('\n', f);
	if (!r->nr_cases) {
		fputs("no case finished\n", f);
		return;
	}

	for (i = 0; i < NR_COLS; i++)
		width[i] = (int)strlen(headers[i]);
	for (i = 0; i < r->nr_cases; i++) {
		int col;

		case_cells(&r->cases[i], cells);
		for (col = 0; col < NR_COLS; col++)
			if ((int)strlen(cells[col]) > width[col])
				width[col] = (int)strlen(cells[col]);
	}
	for (i = 0; i < NR_COLS; i++)
		snprintf(cells[i], sizeof(cells[i]), "%s", headers[i]);
	print_row(f, cells, width);
	for (i = 0; i < r->nr_cases; i++) {
		case_cells(&r->cases[i], cells);
		print_row(f, cells, width);
	}

	fputs("\nns/op: median over repeats; p99: 99th percentile; ratio: kvalab median / vmalloc median\n",
	      f);
	for (i = 0; i < r->nr_cases; i++) {
		for (b = 0; b < NR_BACKENDS; b++) {
			const struct backend_result *be = &r->cases[i].be[b];

			if (be->status == ST_NONE)
				continue;
			counts[be->status]++;
			total++;
			if (be->reason[0])
				fprintf(f, "%s on %s: %s: %s\n", r->cases[i].name,
					backend_names[b], status_names[be->status],
					be->reason);
		}
	}
	fprintf(f, "%u cases, %u results:", r->nr_cases, total);
	first = true;
	for (i = ST_PASS; i < NR_STATUS; i++) {
		if (!counts[i])
			continue;
		fprintf(f, "%s %u %s", first ? "" : ",", counts[i], status_names[i]);
		first = false;
	}
	fputc('\n', f);
}
