// SPDX-License-Identifier: GPL-2.0
/*
 * CSV output: a header, then one row per case and backend that reported it,
 * backends in the run's order. Timings are empty where the backend has none
 * (skip, xfail without ops). "ratio" is the case's single ratio of the
 * two-backend format (struct case_result), repeated on every row of the
 * case; the columns after "reason" came with N backends: the run's
 * baseline, this backend's median over the baseline's (empty for the
 * baseline itself and where there is none), ENOMEM failures, and for
 * kvalab backends the slice's free-area count and largest free area, then
 * kvalab_floor (kvalab's median over floor's, when both ran); last, avg_us, the Summary line's avg (test_vmalloc's: whole case per repeat).
 * loop_ns is the median ns per operation of the measured loop alone.
 */
#include <errno.h>
#include <string.h>

#include "results.h"

/* RFC 4180: quote a field holding a comma, quote or newline. */
static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

int results_write_csv(FILE *f, const struct run_results *r)
{
	unsigned int i, k, b;

	fputs("case,bit,backend,status,ops,loop_ns,p99_ns,min_ns,max_ns,ratio,reason,baseline,backend_ratio,enomem,nr_free,largest_free,kvalab_floor,avg_us\n",
	      f);
	for (i = 0; i < r->nr_cases; i++) {
		const struct case_result *c = &r->cases[i];

		for (k = 0; k < r->nr_backends; k++) {
			const struct backend_result *be;

			b = r->backends[k];
			be = &c->be[b];
			if (be->status == ST_NONE)
				continue;
			csv_field(f, c->name);
			fprintf(f, ",%u,%s,%s,", c->bit, kvalab_backend_name(b),
				status_names[be->status]);
			if (backend_has_numbers(be))
				fprintf(f, "%llu,%llu,%llu,%llu,%llu,", be->ops,
					be->loop_ns, be->p99_ns, be->min_ns,
					be->max_ns);
			else
				fprintf(f, "%llu,,,,,", be->ops);
			if (c->has_ratio)
				fprintf(f, "%.3f", c->ratio);
			fputc(',', f);
			csv_field(f, be->reason);
			fprintf(f, ",%s,", kvalab_backend_name(r->baseline));
			if (c->has_ratios[b])
				fprintf(f, "%.3f", c->ratios[b]);
			fprintf(f, ",%llu,", be->enomem);
			if (be->has_space)
				fprintf(f, "%llu,%llu", be->nr_free,
					be->largest_free);
			else
				fputc(',', f);
			fputc(',', f);
			if (c->has_kv_floor)
				fprintf(f, "%.3f", c->kv_floor);
			fputc(',', f);
			if (backend_has_numbers(be))
				fprintf(f, "%llu", be->avg_us);
			fputc('\n', f);
		}
	}
	return ferror(f) ? -EIO : 0;
}
