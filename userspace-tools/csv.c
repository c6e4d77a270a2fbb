// SPDX-License-Identifier: GPL-2.0
/*
 * CSV output: a header, then one row per case and backend that reported it.
 * Timings are empty where the backend has none (skip, xfail without ops);
 * ratio repeats on both rows of a case, empty when there is none.
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
	unsigned int i, b;

	fputs("case,bit,backend,status,ops,median_ns,p99_ns,min_ns,max_ns,ratio,reason\n",
	      f);
	for (i = 0; i < r->nr_cases; i++) {
		const struct case_result *c = &r->cases[i];

		for (b = 0; b < NR_BACKENDS; b++) {
			const struct backend_result *be = &c->be[b];

			if (be->status == ST_NONE)
				continue;
			csv_field(f, c->name);
			fprintf(f, ",%u,%s,%s,", c->bit, backend_names[b],
				status_names[be->status]);
			if (backend_has_numbers(be))
				fprintf(f, "%llu,%llu,%llu,%llu,%llu,", be->ops,
					be->median_ns, be->p99_ns, be->min_ns,
					be->max_ns);
			else
				fprintf(f, "%llu,,,,,", be->ops);
			if (c->has_ratio)
				fprintf(f, "%.3f", c->ratio);
			fputc(',', f);
			csv_field(f, be->reason);
			fputc('\n', f);
		}
	}
	return ferror(f) ? -EIO : 0;
}
