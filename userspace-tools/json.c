// SPDX-License-Identifier: GPL-2.0
/*
 * JSON output. The run schema (read back by jsonread.c):
 * {"tool":"kvalab","version":V,"kernel":K,"state":S,"progress":{...},
 *  "params":{...},"backends":[NAME...],"baseline":NAME,
 *  "cases":[{"name":N,"bit":B,"backends":{NAME:{
 *  "status":S,"ops":..,"avg_us":..,"loop_ns":..,"p99_ns":..,"min_ns":..,"max_ns":..,
 *  "enomem":..[,"nr_free":..,"largest_free":..][,"reason":R]},...},
 *  "ratio":R|null,"ratios":{NAME:R|null,...}}]}
 * Newer, optional members: top-level "timing" {"latency":0|1,"clock_ns",
 * "frag_every","frag_samples"} and "snapshot" {LISTING: TEXT} (map,
 * free_areas, vmallocinfo, free_tree as debugfs gave them when the run
 * ended); per backend "latency" {"alloc"|"free"|"purge": {"n","p50_ns",
 * "p99_ns","p999_ns","max_ns"}, "purge_areas"|"purge_pages": {"n","p50",
 * "p99","p999","max"}} and "frag" [{"op","ext_frag","frag_rss",
 * "largest_free","nr_free","free_bytes"}...].
 * Per case "kvalab_floor": R|null (kvalab's median over floor's, when the
 * run had both; derived again on reading), "list": {"length": N,
 * "test_vmalloc": M} for a case that builds a list (full_fit,
 * long_busy_list: the entries each worker built and test_vmalloc's; N < M
 * means the case's figures are not test_vmalloc's), per backend "breakdown"
 * {"ops": N, PHASE: {"ns","calls"}...} (runs with breakdown=Y).
 * NAME is a backend name (vmalloc, kvalab, floor, kvalab:<policy>), in the run's
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

static void json_lat(FILE *f, const char *key, const char *unit,
		     const struct lat_summary *l)
{
	fprintf(f, "\"%s\": {\"n\": %llu, \"p50%s\": %llu, \"p99%s\": %llu, \"p999%s\": %llu, \"max%s\": %llu}",
		key, l->n, unit, l->p50, unit, l->p99, unit, l->p999, unit,
		l->max);
}

static void json_latency(FILE *f, const struct backend_result *b)
{
	bool first = true;
	unsigned int op;

	fputs(",\n        \"latency\": {", f);
	for (op = 0; op < NR_LAT_OPS; op++) {
		if (!b->lat[op].has)
			continue;
		fputs(first ? "" : ", ", f);
		json_lat(f, lat_op_names[op], "_ns", &b->lat[op]);
		first = false;
	}
	if (b->lat[LAT_PURGE].has) {
		fputs(", ", f);
		json_lat(f, "purge_areas", "", &b->purge_areas);
		fputs(", ", f);
		json_lat(f, "purge_pages", "", &b->purge_pages);
	}
	fputc('}', f);
}

static void json_frag(FILE *f, const struct backend_result *b)
{
	unsigned int i;

	fputs(",\n        \"frag\": [", f);
	for (i = 0; i < b->nr_frag; i++) {
		const struct frag_point *p = &b->frag[i];

		fprintf(f, "%s{\"op\": %llu, \"ext_frag\": %u.%04u, \"frag_rss\": %u.%04u, \"largest_free\": %llu, \"nr_free\": %llu, \"free_bytes\": %llu}",
			i ? ",\n          " : "\n          ", p->op,
			p->ext_frag_e4 / 10000, p->ext_frag_e4 % 10000,
			p->frag_rss_e4 / 10000, p->frag_rss_e4 % 10000,
			p->largest_free, p->nr_free, p->free_bytes);
	}
	fputc(']', f);
}

static void json_breakdown(FILE *f, const struct backend_result *b)
{
	int ph;

	fprintf(f, ", \"breakdown\": {\"ops\": %llu", b->ph_ops);
	for (ph = 0; ph < KVALAB_NR_PHASES; ph++)
		fprintf(f, ", \"%s\": {\"ns\": %llu, \"calls\": %llu}",
			kvalab_phase_names[ph], b->ph_ns[ph], b->ph_calls[ph]);
	fputc('}', f);
}

static void json_backend(FILE *f, const struct backend_result *b)
{
	fputs("{\"status\": ", f);
	json_string(f, status_names[b->status]);
	fprintf(f, ", \"ops\": %llu, \"avg_us\": %llu, \"loop_ns\": %llu, \"p99_ns\": %llu, \"min_ns\": %llu, \"max_ns\": %llu, \"enomem\": %llu",
		b->ops, b->avg_us, b->loop_ns, b->p99_ns, b->min_ns,
		b->max_ns, b->enomem);
	if (b->has_space)
		fprintf(f, ", \"nr_free\": %llu, \"largest_free\": %llu",
			b->nr_free, b->largest_free);
	if (b->reason[0]) {
		fputs(", \"reason\": ", f);
		json_string(f, b->reason);
	}
	if (b->lat[LAT_ALLOC].has || b->lat[LAT_FREE].has ||
	    b->lat[LAT_PURGE].has)
		json_latency(f, b);
	if (b->nr_frag)
		json_frag(f, b);
	if (b->has_phases)
		json_breakdown(f, b);
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
	if (r->has_timing)
		fprintf(f, ",\n  \"timing\": {\"latency\": %d, \"clock_ns\": %llu, \"frag_every\": %llu, \"frag_samples\": %llu}",
			r->latency, r->clock_ns, r->frag_every,
			r->frag_samples);
	for (i = 0, k = 0; i < NR_SNAPS; i++) {
		if (!r->snap[i])
			continue;
		fputs(k++ ? ",\n    " : ",\n  \"snapshot\": {\n    ", f);
		json_string(f, snap_names[i]);
		fputs(": ", f);
		json_string(f, r->snap[i]);
	}
	if (k)
		fputs("\n  }", f);
	fputs(",\n  \"cases\": [", f);
	for (i = 0; i < r->nr_cases; i++) {
		const struct case_result *c = &r->cases[i];
		bool first = true;

		fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
		json_string(f, c->name);
		fprintf(f, ", \"bit\": %u,", c->bit);
		if (c->has_list)
			fprintf(f, " \"list\": {\"length\": %llu, \"test_vmalloc\": %llu},",
				c->list_len, c->list_tv);
		fputs("\n     \"backends\": {", f);
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
		fputs("},\n     \"kvalab_floor\": ", f);
		if (c->has_kv_floor)
			fprintf(f, "%.3f", c->kv_floor);
		else
			fputs("null", f);
		fputs(",\n     \"ratio\": ", f);
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
