// SPDX-License-Identifier: GPL-2.0
/*
 * JSON output. The run schema (read back by jsonread.c):
 * {"tool":"kvalab","version":V,"kernel":K,"state":S,"progress":{...},
 *  "params":{...},"backends":[NAME...],"baseline":NAME,
 *  "cases":[{"name":N,"bit":B,"backends":{NAME:{
 *  "status":S,"ops":..,"median_ns":..,"p99_ns":..,"min_ns":..,"max_ns":..,
 *  "enomem":..[,"nr_free":..,"largest_free":..][,"reason":R]},...},
 *  "ratio":R|null,"ratios":{NAME:R|null,...}}]}
 * NAME is a backend name (vmalloc, kvalab, kvalab:<policy>), in the run's
 * order. A backend that did not report a case is left out of the case's
 * "backends". "ratios" has every backend but the baseline (its median over
 * the baseline's); "ratio" is the two-backend format's single ratio (see
 * struct case_result). The two-backend schema (no top-level "backends",
 * "baseline", no "ratios", "enomem") is a subset and still read.
 */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "results.h"

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* A plain decimal integer is written as a number, anything else as a string. */
void json_auto_value(FILE *f, const char *s)
{
	size_t n = strspn(s, "0123456789");

	if (n && !s[n] && n <= 19 && (s[0] != '0' || n == 1))
		fputs(s, f);
	else
		json_string(f, s);
}

static void json_backend(FILE *f, const struct backend_result *b)
{
	fputs("{\"status\": ", f);
	json_string(f, status_names[b->status]);
	fprintf(f, ", \"ops\": %llu, \"median_ns\": %llu, \"p99_ns\": %llu, \"min_ns\": %llu, \"max_ns\": %llu, \"enomem\": %llu",
		b->ops, b->median_ns, b->p99_ns, b->min_ns, b->max_ns,
		b->enomem);
	if (b->has_space)
		fprintf(f, ", \"nr_free\": %llu, \"largest_free\": %llu",
			b->nr_free, b->largest_free);
	if (b->reason[0]) {
		fputs(", \"reason\": ", f);
		json_string(f, b->reason);
	}
	fputc('}', f);
}

int results_write_json(FILE *f, const struct run_results *r)
{
	unsigned int i, k, b;

	fputs("{\n  \"tool\": \"kvalab\",\n  \"version\": ", f);
	json_string(f, r->version);
	fputs(",\n  \"kernel\": ", f);
	json_string(f, r->kernel);
	fputs(",\n  \"state\": ", f);
	json_string(f, r->state);
	fprintf(f, ",\n  \"progress\": {\"done\": %u, \"total\": %u},\n  \"params\": {",
		r->done, r->total);
	for (i = 0; i < r->nr_params; i++) {
		fputs(i ? ", " : "", f);
		json_string(f, r->params[i].key);
		fputs(": ", f);
		json_auto_value(f, r->params[i].value);
	}
	fputs("},\n  \"backends\": [", f);
	for (k = 0; k < r->nr_backends; k++) {
		fputs(k ? ", " : "", f);
		json_string(f, kvalab_backend_name(r->backends[k]));
	}
	fputs("],\n  \"baseline\": ", f);
	json_string(f, kvalab_backend_name(r->baseline));
	fputs(",\n  \"cases\": [", f);
	for (i = 0; i < r->nr_cases; i++) {
		const struct case_result *c = &r->cases[i];
		bool first = true;

		fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
		json_string(f, c->name);
		fprintf(f, ", \"bit\": %u,\n     \"backends\": {", c->bit);
		for (k = 0; k < r->nr_backends; k++) {
			b = r->backends[k];
			if (c->be[b].status == ST_NONE)
				continue;
			fprintf(f, "%s\n       ", first ? "" : ",");
			json_string(f, kvalab_backend_name(b));
			fputs(": ", f);
			json_backend(f, &c->be[b]);
			first = false;
		}
		fputs("},\n     \"ratio\": ", f);
		if (c->has_ratio)
			fprintf(f, "%.3f", c->ratio);
		else
			fputs("null", f);
		fputs(",\n     \"ratios\": {", f);
		first = true;
		for (k = 0; k < r->nr_backends; k++) {
			b = r->backends[k];
			if (b == r->baseline)
				continue;
			fputs(first ? "" : ", ", f);
			json_string(f, kvalab_backend_name(b));
			if (c->has_ratios[b])
				fprintf(f, ": %.3f", c->ratios[b]);
			else
				fputs(": null", f);
			first = false;
		}
		fputs("}}", f);
	}
	fputs(r->nr_cases ? "\n  ]\n}\n" : "]\n}\n", f);
	return ferror(f) ? -EIO : 0;
}

/* Write @r to @path with @writer; 0 or -errno. */
int results_write_file(const char *path,
		       int (*writer)(FILE *, const struct run_results *),
		       const struct run_results *r)
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return -errno;
	err = writer(f, r);
	if (fclose(f) && !err)
		err = -errno;
	return err;
}
