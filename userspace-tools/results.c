// SPDX-License-Identifier: GPL-2.0
/*
 * The module's results file (docs/debugfs.md, "results") into a struct
 * run_results. Lines the contract does not name (Summary: lines kept for
 * test_vmalloc compatibility, future additions) are skipped; a case,
 * ratio or list line that names no case or an unknown backend or status is
 * an error, reported with its line number.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <kvalab/workloads.h>

#include "cli.h"
#include "results.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

const char *const lat_op_names[NR_LAT_OPS] = { "alloc", "free", "purge" };

const char *const snap_names[NR_SNAPS] = {
	"map", "free_areas", "vmallocinfo", "free_tree",
};

void results_release(struct run_results *r)
{
	unsigned int i;

	for (i = 0; i < NR_SNAPS; i++) {
		free(r->snap[i]);
		r->snap[i] = NULL;
	}
}

bool results_has_latency(const struct run_results *r)
{
	unsigned int i, b, op;

	for (i = 0; i < r->nr_cases; i++)
		for (b = 0; b < NR_BACKENDS; b++)
			for (op = 0; op < NR_LAT_OPS; op++)
				if (r->cases[i].be[b].lat[op].has)
					return true;
	return false;
}

bool results_has_frag(const struct run_results *r)
{
	unsigned int i, b;

	for (i = 0; i < r->nr_cases; i++)
		for (b = 0; b < NR_BACKENDS; b++)
			if (r->cases[i].be[b].nr_frag)
				return true;
	return false;
}

int status_from_name(const char *name)
{
	int i;

	for (i = ST_PASS; i < NR_STATUS; i++)
		if (!strcmp(status_names[i], name))
			return i;
	return -1;
}

static int backend_from_name(const char *name)
{
	return kvalab_backend_by_name(name, strlen(name));
}

/* Add backend @id to the run's list, in order of first appearance. */
void results_note_backend(struct run_results *r, unsigned int id)
{
	unsigned int i;

	for (i = 0; i < r->nr_backends; i++)
		if (r->backends[i] == id)
			return;
	if (r->nr_backends < NR_BACKENDS)
		r->backends[r->nr_backends++] = id;
}

/* The value of run parameter @key, or NULL. */
const char *results_param(const struct run_results *r, const char *key)
{
	unsigned int i;

	for (i = 0; i < r->nr_params; i++)
		if (!strcmp(r->params[i].key, key))
			return r->params[i].value;
	return NULL;
}

unsigned int workload_bit(const char *name)
{
	unsigned int i;

	for (i = 0; i < KVALAB_NR_WORKLOAD_BITS; i++)
		if (kvalab_workload_names[i] &&
		    !strcmp(kvalab_workload_names[i], name))
			return 1U << i;
	return 0;
}

/* The case named @name, added in order of first appearance. */
struct case_result *results_case(struct run_results *r, const char *name,
				 char *err, size_t errlen)
{
	struct case_result *c;
	unsigned int i;

	for (i = 0; i < r->nr_cases; i++)
		if (!strcmp(r->cases[i].name, name))
			return &r->cases[i];
	if (r->nr_cases == RESULTS_MAX_CASES) {
		snprintf(err, errlen, "more than %d cases", RESULTS_MAX_CASES);
		return NULL;
	}
	if (!*name || strlen(name) >= sizeof(c->name)) {
		snprintf(err, errlen, "bad case name '%s'", name);
		return NULL;
	}
	c = &r->cases[r->nr_cases++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->bit = workload_bit(name);
	return c;
}

static bool parse_ull(const char *s, unsigned long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return !errno && *end == '\0';
}

/* "case=N backend=B status=S ops=.. avg_us=.. loop_ns=.. ... reason=..." */
static int parse_case_line(char *line, struct run_results *r,
			   char *err, size_t errlen)
{
	const char *name = NULL, *backend = NULL, *status = NULL;
	const char *reason = NULL;
	static const char *const num_keys[] = {
		"ops", "loop_ns", "p99_ns", "min_ns", "max_ns", "enomem",
		"nr_free", "largest_free", "avg_us",
	};
	unsigned long long *nums[ARRAY_SIZE(num_keys)];
	const char *num_vals[ARRAY_SIZE(num_keys)] = { NULL };
	struct backend_result *b;
	struct case_result *c;
	char *tok, *save = NULL;
	int be, st, i;

	for (tok = strtok_r(line, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		char *val = strchr(tok, '=');

		if (!val)
			continue;
		*val++ = '\0';
		if (!strcmp(tok, "case"))
			name = val;
		else if (!strcmp(tok, "backend"))
			backend = val;
		else if (!strcmp(tok, "status"))
			status = val;
		else if (!strcmp(tok, "reason"))
			reason = val;
		for (i = 0; i < (int)ARRAY_SIZE(num_keys); i++)
			if (!strcmp(tok, num_keys[i]))
				num_vals[i] = val;
	}
	if (!name || !backend || !status) {
		snprintf(err, errlen, "case line without case=, backend= or status=");
		return -1;
	}
	be = backend_from_name(backend);
	if (be < 0) {
		snprintf(err, errlen, "unknown backend '%s'", backend);
		return -1;
	}
	st = status_from_name(status);
	if (st < 0) {
		snprintf(err, errlen, "unknown status '%s'", status);
		return -1;
	}
	c = results_case(r, name, err, errlen);
	if (!c)
		return -1;
	results_note_backend(r, (unsigned int)be);
	b = &c->be[be];
	b->status = (enum case_status)st;
	snprintf(b->reason, sizeof(b->reason), "%s", reason ? reason : "");
	nums[0] = &b->ops;
	nums[1] = &b->loop_ns;
	nums[2] = &b->p99_ns;
	nums[3] = &b->min_ns;
	nums[4] = &b->max_ns;
	nums[5] = &b->enomem;
	nums[6] = &b->nr_free;
	nums[7] = &b->largest_free;
	nums[8] = &b->avg_us;
	for (i = 0; i < (int)ARRAY_SIZE(num_keys); i++) {
		unsigned long long v = 0;

		if (num_vals[i] && !parse_ull(num_vals[i], &v)) {
			snprintf(err, errlen, "bad %s value '%s'", num_keys[i],
				 num_vals[i]);
			return -1;
		}
		*nums[i] = v;
	}
	/* The module gives both or neither, for kvalab backends only. */
	b->has_space = num_vals[6] && num_vals[7];
	return 0;
}

/* "W.FFFF" (4 decimals, W 0 or 1) into W * 10000 + FFFF. */
static bool parse_e4(const char *s, unsigned int *out)
{
	if (strlen(s) != 6 || (s[0] != '0' && s[0] != '1') || s[1] != '.' ||
	    strspn(s + 2, "0123456789") != 4)
		return false;
	*out = (unsigned int)((s[0] - '0') * 10000 + atoi(s + 2));
	return *out <= 10000;
}

/* KEY=VALUE tokens of @line into @vals by @keys (NULL where absent). */
static void split_keys(char *line, const char *const *keys, unsigned int n,
		       const char **vals)
{
	char *tok, *save = NULL;
	unsigned int i;

	for (i = 0; i < n; i++)
		vals[i] = NULL;
	for (tok = strtok_r(line, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		char *val = strchr(tok, '=');

		if (!val)
			continue;
		*val++ = '\0';
		for (i = 0; i < n; i++)
			if (!strcmp(tok, keys[i]))
				vals[i] = val;
	}
}

/* The case and backend a latency or frag line names. */
static struct backend_result *line_backend(struct run_results *r,
					   const char *name,
					   const char *backend,
					   char *err, size_t errlen)
{
	struct case_result *c;
	int be;

	if (!name || !backend) {
		snprintf(err, errlen, "line without case= or backend=");
		return NULL;
	}
	be = backend_from_name(backend);
	if (be < 0) {
		snprintf(err, errlen, "unknown backend '%s'", backend);
		return NULL;
	}
	c = results_case(r, name, err, errlen);
	if (!c)
		return NULL;
	results_note_backend(r, (unsigned int)be);
	return &c->be[be];
}

/* Five numbers of a latency summary from vals[0..4] (n and the rest). */
static int lat_from(struct lat_summary *l, const char *const *vals,
		    const char *const *keys, char *err, size_t errlen)
{
	unsigned long long *out[5] = { &l->n, &l->p50, &l->p99, &l->p999,
				       &l->max };
	unsigned int i;

	for (i = 0; i < 5; i++) {
		if (!vals[i] || !parse_ull(vals[i], out[i])) {
			snprintf(err, errlen, "missing or bad %s", keys[i]);
			return -1;
		}
	}
	if (l->p50 > l->p99 || l->p99 > l->p999 || l->p999 > l->max) {
		snprintf(err, errlen, "%s..%s not in increasing order", keys[1],
			 keys[4]);
		return -1;
	}
	l->has = true;
	return 0;
}

/*
 * "latency case=N backend=B op=alloc|free|purge n=.. p50_ns=.. p99_ns=..
 * p999_ns=.. max_ns=.." and for purge also areas_* and pages_* (no n).
 */
static int parse_latency_line(char *line, struct run_results *r,
			      char *err, size_t errlen)
{
	static const char *const keys[] = {
		"case", "backend", "op",
		"n", "p50_ns", "p99_ns", "p999_ns", "max_ns",
		"n", "areas_p50", "areas_p99", "areas_p999", "areas_max",
		"n", "pages_p50", "pages_p99", "pages_p999", "pages_max",
	};
	const char *vals[ARRAY_SIZE(keys)];
	struct backend_result *b;
	int op;

	split_keys(line, keys, ARRAY_SIZE(keys), vals);
	b = line_backend(r, vals[0], vals[1], err, errlen);
	if (!b)
		return -1;
	for (op = 0; op < NR_LAT_OPS; op++)
		if (vals[2] && !strcmp(vals[2], lat_op_names[op]))
			break;
	if (op == NR_LAT_OPS) {
		snprintf(err, errlen, "unknown latency op '%s'",
			 vals[2] ? vals[2] : "");
		return -1;
	}
	if (lat_from(&b->lat[op], vals + 3, keys + 3, err, errlen))
		return -1;
	if (op != LAT_PURGE)
		return 0;
	return lat_from(&b->purge_areas, vals + 8, keys + 8, err, errlen) ||
	       lat_from(&b->purge_pages, vals + 13, keys + 13, err, errlen) ?
	       -1 : 0;
}

/*
 * "frag case=N backend=B op=N ext_frag=W.FFFF frag_rss=W.FFFF
 * largest_free=B nr_free=N free_bytes=B", in op order per backend.
 */
static int parse_frag_line(char *line, struct run_results *r,
			   char *err, size_t errlen)
{
	static const char *const keys[] = {
		"case", "backend", "op", "ext_frag", "frag_rss",
		"largest_free", "nr_free", "free_bytes",
	};
	const char *vals[ARRAY_SIZE(keys)];
	struct backend_result *b;
	struct frag_point fp;
	unsigned int i;

	split_keys(line, keys, ARRAY_SIZE(keys), vals);
	b = line_backend(r, vals[0], vals[1], err, errlen);
	if (!b)
		return -1;
	for (i = 2; i < ARRAY_SIZE(keys); i++) {
		if (!vals[i]) {
			snprintf(err, errlen, "frag line without %s=", keys[i]);
			return -1;
		}
	}
	if (!parse_ull(vals[2], &fp.op) || !parse_e4(vals[3], &fp.ext_frag_e4) ||
	    !parse_e4(vals[4], &fp.frag_rss_e4) ||
	    !parse_ull(vals[5], &fp.largest_free) ||
	    !parse_ull(vals[6], &fp.nr_free) ||
	    !parse_ull(vals[7], &fp.free_bytes)) {
		snprintf(err, errlen, "bad value in frag line");
		return -1;
	}
	if (b->nr_frag == FRAG_MAX_SAMPLES) {
		snprintf(err, errlen, "more than %d frag samples for %s",
			 FRAG_MAX_SAMPLES, vals[1]);
		return -1;
	}
	if (b->nr_frag && fp.op <= b->frag[b->nr_frag - 1].op) {
		snprintf(err, errlen, "frag op=%llu not after op=%llu", fp.op,
			 b->frag[b->nr_frag - 1].op);
		return -1;
	}
	b->frag[b->nr_frag++] = fp;
	return 0;
}

/*
 * "list case=N length=N test_vmalloc=N": the list the case builds, per
 * worker, and test_vmalloc's; kept for results_finish().
 */
static int parse_list_line(char *line, struct run_results *r,
			   char *err, size_t errlen)
{
	static const char *const keys[] = { "case", "length", "test_vmalloc" };
	const char *vals[ARRAY_SIZE(keys)];
	struct case_list *l;

	split_keys(line, keys, ARRAY_SIZE(keys), vals);
	if (!vals[0] || !vals[1] || !vals[2]) {
		snprintf(err, errlen,
			 "list line without case=, length= or test_vmalloc=");
		return -1;
	}
	if (r->nr_lists == RESULTS_MAX_CASES) {
		snprintf(err, errlen, "more than %d list lines",
			 RESULTS_MAX_CASES);
		return -1;
	}
	l = &r->lists[r->nr_lists];
	if (!*vals[0] || strlen(vals[0]) >= sizeof(l->name)) {
		snprintf(err, errlen, "bad case name '%s'", vals[0]);
		return -1;
	}
	if (!parse_ull(vals[1], &l->len) || !parse_ull(vals[2], &l->tv)) {
		snprintf(err, errlen, "bad value in list line");
		return -1;
	}
	snprintf(l->name, sizeof(l->name), "%s", vals[0]);
	r->nr_lists++;
	return 0;
}

/* "timing: latency=0|1 clock_ns=N frag_every=N frag_samples=N" */
static int parse_timing_line(char *line, struct run_results *r,
			     char *err, size_t errlen)
{
	static const char *const keys[] = {
		"latency", "clock_ns", "frag_every", "frag_samples",
	};
	const char *vals[ARRAY_SIZE(keys)];
	unsigned long long lat;

	split_keys(line, keys, ARRAY_SIZE(keys), vals);
	if (!vals[0] || !vals[1] || !vals[2] || !vals[3] ||
	    !parse_ull(vals[0], &lat) || lat > 1 ||
	    !parse_ull(vals[1], &r->clock_ns) ||
	    !parse_ull(vals[2], &r->frag_every) ||
	    !parse_ull(vals[3], &r->frag_samples)) {
		snprintf(err, errlen, "bad timing line");
		return -1;
	}
	r->latency = lat;
	r->has_timing = true;
	return 0;
}

static bool parse_double(const char *s, double *out)
{
	char *end;

	if (!*s)
		return false;
	*out = strtod(s, &end);
	return !*end;
}

/*
 * "ratio case=N backend=B baseline=A value=R" (one per non-baseline
 * backend), or the two-backend format's "ratio case=N kvalab/vmalloc=R".
 */
static int parse_ratio_line(char *line, struct run_results *r,
			    char *err, size_t errlen)
{
	const char *name = NULL, *kv_vm = NULL, *backend = NULL, *value = NULL;
	struct case_result *c;
	char *tok, *save = NULL;
	double v;
	int be;

	for (tok = strtok_r(line, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (!strncmp(tok, "case=", 5))
			name = tok + 5;
		else if (!strncmp(tok, "kvalab/vmalloc=", 15))
			kv_vm = tok + 15;
		else if (!strncmp(tok, "backend=", 8))
			backend = tok + 8;
		else if (!strncmp(tok, "value=", 6))
			value = tok + 6;
	}
	if (!name || (!kv_vm && (!backend || !value))) {
		snprintf(err, errlen,
			 "ratio line without case= and backend=, value= or kvalab/vmalloc=");
		return -1;
	}
	c = results_case(r, name, err, errlen);
	if (!c)
		return -1;
	if (kv_vm) {
		if (!parse_double(kv_vm, &c->kv_vm)) {
			snprintf(err, errlen, "bad ratio '%s'", kv_vm);
			return -1;
		}
		c->has_kv_vm = true;
		return 0;
	}
	be = backend_from_name(backend);
	if (be < 0) {
		snprintf(err, errlen, "unknown backend '%s'", backend);
		return -1;
	}
	if (!parse_double(value, &v)) {
		snprintf(err, errlen, "bad ratio '%s'", value);
		return -1;
	}
	c->ratios[be] = v;
	c->has_ratios[be] = true;
	return 0;
}

static int parse_params_line(char *line, struct run_results *r,
			     char *err, size_t errlen)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(line, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		const char *eq = strchr(tok, '=');
		struct run_param *p;

		if (!eq || eq == tok)
			continue;
		if (r->nr_params == RESULTS_MAX_PARAMS) {
			snprintf(err, errlen, "more than %d params",
				 RESULTS_MAX_PARAMS);
			return -1;
		}
		p = &r->params[r->nr_params++];
		if ((size_t)(eq - tok) >= sizeof(p->key) ||
		    strlen(eq + 1) >= sizeof(p->value)) {
			snprintf(err, errlen, "param '%.*s' is too long",
				 (int)(eq - tok) < 32 ? (int)(eq - tok) : 32, tok);
			return -1;
		}
		snprintf(p->key, sizeof(p->key), "%.*s", (int)(eq - tok), tok);
		snprintf(p->value, sizeof(p->value), "%s", eq + 1);
	}
	return 0;
}

/*
 * The floor and breakdown parts (issue 13), kept apart from the rest:
 * "breakdown case=C backend=B ops=N PHASE=NS:CALLS..." with every phase of
 * <kvalab/phases.h> once; a phase this build does not know is an error.
 */
static int parse_breakdown_line(char *line, struct run_results *r,
				char *err, size_t errlen)
{
	const char *name = NULL, *backend = NULL, *ops = NULL;
	unsigned long long ns[KVALAB_NR_PHASES], calls[KVALAB_NR_PHASES];
	bool seen[KVALAB_NR_PHASES] = { false };
	struct backend_result *be;
	struct case_result *c;
	char *tok, *save = NULL, *eq;
	int id, ph;

	for (tok = strtok_r(line, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		eq = strchr(tok, '=');
		if (!eq) {
			snprintf(err, errlen, "breakdown: '%s' is not KEY=VALUE", tok);
			return -1;
		}
		*eq++ = '\0';
		if (!strcmp(tok, "case")) {
			name = eq;
			continue;
		}
		if (!strcmp(tok, "backend")) {
			backend = eq;
			continue;
		}
		if (!strcmp(tok, "ops")) {
			ops = eq;
			continue;
		}
		for (ph = 0; ph < KVALAB_NR_PHASES; ph++)
			if (!strcmp(tok, kvalab_phase_names[ph]))
				break;
		if (ph == KVALAB_NR_PHASES || seen[ph] ||
		    sscanf(eq, "%llu:%llu", &ns[ph], &calls[ph]) != 2) {
			snprintf(err, errlen, "breakdown: bad phase '%s=%s'", tok, eq);
			return -1;
		}
		seen[ph] = true;
	}
	if (!name || !backend || !ops) {
		snprintf(err, errlen, "breakdown line without case=, backend= and ops=");
		return -1;
	}
	for (ph = 0; ph < KVALAB_NR_PHASES; ph++) {
		if (!seen[ph]) {
			snprintf(err, errlen, "breakdown: no phase %s",
				 kvalab_phase_names[ph]);
			return -1;
		}
	}
	id = backend_from_name(backend);
	if (id < 0) {
		snprintf(err, errlen, "breakdown: unknown backend '%s'", backend);
		return -1;
	}
	c = results_case(r, name, err, errlen);
	if (!c)
		return -1;
	be = &c->be[id];
	if (sscanf(ops, "%llu", &be->ph_ops) != 1) {
		snprintf(err, errlen, "breakdown: bad ops '%s'", ops);
		return -1;
	}
	memcpy(be->ph_ns, ns, sizeof(ns));
	memcpy(be->ph_calls, calls, sizeof(calls));
	be->has_phases = true;
	return 0;
}

/* kvalab ÷ floor for every case both ran (results_finish()). */
static void results_kv_floor(struct run_results *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_cases; i++) {
		struct case_result *c = &r->cases[i];
		const struct backend_result *kv = &c->be[KVALAB_BE_KVALAB];
		const struct backend_result *fl = &c->be[KVALAB_BE_FLOOR];

		c->has_kv_floor = backend_has_numbers(kv) &&
			backend_has_numbers(fl) && fl->loop_ns;
		if (c->has_kv_floor)
			c->kv_floor = (double)kv->loop_ns / fl->loop_ns;
	}
}

bool results_has_kv_floor(const struct run_results *r)
{
	bool kv = false, fl = false;
	unsigned int i;

	for (i = 0; i < r->nr_backends; i++) {
		kv |= r->backends[i] == KVALAB_BE_KVALAB;
		fl |= r->backends[i] == KVALAB_BE_FLOOR;
	}
	return kv && fl && r->baseline != KVALAB_BE_FLOOR;
}

bool results_has_breakdown(const struct run_results *r)
{
	unsigned int i, b;

	for (i = 0; i < r->nr_cases; i++)
		for (b = 0; b < NR_BACKENDS; b++)
			if (r->cases[i].be[b].has_phases)
				return true;
	return false;
}

int results_parse(const char *text, struct run_results *r,
		  char *err, size_t errlen)
{
	char line[1024], why[256];
	unsigned int lineno = 0;
	const char *p = text;

	memset(r, 0, sizeof(*r));
	while (*p) {
		size_t len = strcspn(p, "\n");
		int ret = 0;

		lineno++;
		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		p += len;
		if (*p)
			p++;
		why[0] = '\0';
		if (!strncmp(line, "state:", 6)) {
			snprintf(r->state, sizeof(r->state), "%s",
				 line + 6 + strspn(line + 6, " "));
		} else if (!strncmp(line, "progress:", 9)) {
			if (sscanf(line + 9, " %u/%u", &r->done, &r->total) != 2) {
				snprintf(why, sizeof(why), "bad progress line");
				ret = -1;
			}
		} else if (!strncmp(line, "params:", 7)) {
			ret = parse_params_line(line + 7, r, why, sizeof(why));
		} else if (!strncmp(line, "case=", 5)) {
			ret = parse_case_line(line, r, why, sizeof(why));
		} else if (!strncmp(line, "ratio ", 6)) {
			ret = parse_ratio_line(line + 6, r, why, sizeof(why));
		} else if (!strncmp(line, "timing:", 7)) {
			ret = parse_timing_line(line + 7, r, why, sizeof(why));
		} else if (!strncmp(line, "list ", 5)) {
			ret = parse_list_line(line + 5, r, why, sizeof(why));
		} else if (!strncmp(line, "latency ", 8)) {
			ret = parse_latency_line(line + 8, r, why, sizeof(why));
		} else if (!strncmp(line, "frag ", 5)) {
			ret = parse_frag_line(line + 5, r, why, sizeof(why));
		} else if (!strncmp(line, "breakdown ", 10)) {
			ret = parse_breakdown_line(line + 10, r, why,
						   sizeof(why));
		}
		if (ret) {
			snprintf(err, errlen, "line %u: %s", lineno, why);
			return -1;
		}
	}
	if (!r->state[0]) {
		snprintf(err, errlen, "no 'state:' line");
		return -1;
	}
	return results_finish(r, err, errlen);
}

/*
 * Put the cases in test_vmalloc's table order (mask bit ascending), which
 * is the order the module's table and the docs list them in, whatever
 * shuffled order they ran in; cases of no known bit go last, in their own
 * order. A stable insertion sort: at most RESULTS_MAX_CASES rows.
 */
static void sort_cases(struct run_results *r)
{
	unsigned int i, j;

	for (i = 1; i < r->nr_cases; i++) {
		struct case_result c = r->cases[i];
		unsigned int key = c.bit ? c.bit : ~0U;

		for (j = i; j > 0; j--) {
			unsigned int prev = r->cases[j - 1].bit;

			if ((prev ? prev : ~0U) <= key)
				break;
			r->cases[j] = r->cases[j - 1];
		}
		r->cases[j] = c;
	}
}

/* The "list" lines to their cases; a case with no row has nothing to say. */
static void results_lists(struct run_results *r)
{
	unsigned int i, j;

	for (i = 0; i < r->nr_lists; i++) {
		for (j = 0; j < r->nr_cases; j++) {
			struct case_result *c = &r->cases[j];

			if (strcmp(c->name, r->lists[i].name))
				continue;
			c->has_list = true;
			c->list_len = r->lists[i].len;
			c->list_tv = r->lists[i].tv;
		}
	}
	r->nr_lists = 0;
}

bool case_list_short(const struct case_result *c)
{
	return c->has_list && c->list_len < c->list_tv;
}

/*
 * Settle what the lines left open, for results files and JSON alike: the
 * case order (table order, sort_cases()), the backend order (params' backends= first, then any backend seen only in
 * case lines, in the default run's order: kvalab, the kvalab:<policy>
 * ones, vmalloc, which is the two-backend format's order), the baseline (params' baseline=, else vmalloc if it ran,
 * else the first backend), kvalab's ratio from an old-format
 * kvalab/vmalloc line, each case's single ratio, and the list lengths.
 */
int results_finish(struct run_results *r, char *err, size_t errlen)
{
	unsigned int seen[NR_BACKENDS], nr_seen = r->nr_backends, i, b;
	const char *list = results_param(r, "backends");
	const char *base = results_param(r, "baseline");
	int id;

	sort_cases(r);
	memcpy(seen, r->backends, sizeof(seen));
	r->nr_backends = 0;
	while (list && *list) {
		size_t n = strcspn(list, ",");

		id = kvalab_backend_by_name(list, n);
		if (id < 0) {
			snprintf(err, errlen, "params: unknown backend '%.*s'",
				 (int)n, list);
			return -1;
		}
		results_note_backend(r, (unsigned int)id);
		list += n + !!list[n];
	}
	/* Ids are vmalloc 0, kvalab 1, policies 2...: vmalloc goes last. */
	for (b = KVALAB_BE_KVALAB; b <= NR_BACKENDS; b++)
		for (i = 0; i < nr_seen; i++)
			if (seen[i] == b % NR_BACKENDS)
				results_note_backend(r, seen[i]);

	r->baseline = r->nr_backends ? r->backends[0] : KVALAB_BE_VMALLOC;
	for (i = 0; i < r->nr_backends; i++)
		if (r->backends[i] == KVALAB_BE_VMALLOC)
			r->baseline = KVALAB_BE_VMALLOC;
	if (base) {
		id = backend_from_name(base);
		if (id < 0) {
			snprintf(err, errlen, "params: unknown baseline '%s'", base);
			return -1;
		}
		r->baseline = (unsigned int)id;
	}

	for (i = 0; i < r->nr_cases; i++) {
		struct case_result *c = &r->cases[i];

		if (c->has_kv_vm && r->baseline == KVALAB_BE_VMALLOC &&
		    !c->has_ratios[KVALAB_BE_KVALAB]) {
			c->has_ratios[KVALAB_BE_KVALAB] = true;
			c->ratios[KVALAB_BE_KVALAB] = c->kv_vm;
		}
		c->has_ratio = false;
		for (b = 0; b < r->nr_backends && !c->has_ratio; b++) {
			id = (int)r->backends[b];
			if (id != KVALAB_BE_KVALAB || !c->has_ratios[id])
				continue;
			c->has_ratio = true;
			c->ratio = c->ratios[id];
		}
		for (b = 0; b < r->nr_backends && !c->has_ratio; b++) {
			id = (int)r->backends[b];
			if (kvalab_backend_policy((unsigned int)id) < 0 ||
			    !c->has_ratios[id])
				continue;
			c->has_ratio = true;
			c->ratio = c->ratios[id];
		}
	}
	results_kv_floor(r);
	results_lists(r);
	return 0;
}

/* A failed case, or an expected failure that passed, fails the run. */
bool results_failed(const struct run_results *r)
{
	unsigned int i, b;

	for (i = 0; i < r->nr_cases; i++)
		for (b = 0; b < NR_BACKENDS; b++)
			if (r->cases[i].be[b].status == ST_FAIL ||
			    r->cases[i].be[b].status == ST_XPASS)
				return true;
	return false;
}

/* Timings mean something only for a case that ran operations. */
bool backend_has_numbers(const struct backend_result *b)
{
	return b->status != ST_NONE && b->status != ST_SKIP && b->ops > 0;
}
