// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab sim TRACE --sweep AXIS=V,... [AXIS=V,...] [--jobs N]
 *     [--figure ops|ext_frag|enomem] [--json OUT] [--csv OUT] [--svg OUT]
 *     [--html OUT]
 *
 * The grid of every combination of the axes' values (policy, search,
 * lazy_max, slice; an axis not given has the sim's default), one sim run
 * per cell. Cells share nothing but the loaded trace, which no run
 * changes, so N threads take cells from a counter and each writes only its
 * own record: the output is the same for every N (nothing timed is in the
 * records; the table's ns/op is). Each record says what produced it (the
 * trace's digest and ops, every parameter, the version), so sweeps sharded
 * over machines merge by concatenating their records (docs/sim.md).
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sim.h"
#include "simsvg.h"
#include "trace_write.h"

#define SWEEP_MAX_VALUES	32
#define SWEEP_MAX_CELLS		4096

struct axis {
	unsigned long v[SWEEP_MAX_VALUES];
	int n;
};

struct cell {
	int policy, search;
	unsigned long lazy_max, slice;
	struct sim_summary sum;
	int failed;
	char err[256];
};

struct sweep {
	const struct sim_trace *t;
	const struct sweep_out *o;
	struct cell *cells;
	int *order;			/* cell indexes, the slowest first */
	int nr;
	atomic_int next;
};

/*
 * The policies by their cost on a trace, the slowest first: vmlist and
 * cached-hole walk the list of occupied areas, next-fit's rotor may walk
 * its whole tree, the others descend once (docs/policies.md, "Cost").
 * Running the slow cells first keeps the last cell short, so no job idles
 * long at the end (the longest-processing-time-first rule).
 */
static int policy_cost(int policy)
{
	static const char *const slow[] = { "vmlist", "cached-hole", "next-fit" };
	unsigned int i;

	for (i = 0; i < sizeof(slow) / sizeof(slow[0]); i++)
		if (!strcmp(sim_policy_name(policy), slow[i]))
			return 3 - (int)i;
	return 0;
}

static int axis_add(struct axis *a, unsigned long v)
{
	int i;

	for (i = 0; i < a->n; i++)
		if (a->v[i] == v)
			return 0;	/* a value given twice is one column */
	if (a->n == SWEEP_MAX_VALUES)
		return -1;
	a->v[a->n++] = v;
	return 0;
}

/* One AXIS=V,... word into its axis; 0, or 1 after a message. */
static int parse_spec(const char *spec, struct axis *pol, struct axis *se,
		      struct axis *lazy, struct axis *slice)
{
	const char *eq = strchr(spec, '=');
	char key[16], buf[512], *tok, *save = NULL;
	unsigned long v;

	if (!eq || eq == spec || (size_t)(eq - spec) >= sizeof(key) ||
	    strlen(eq + 1) >= sizeof(buf) || !eq[1]) {
		msg_err("sim: --sweep '%s' is not AXIS=VALUE,... (policy, search, lazy_max, slice)",
			spec);
		return 1;
	}
	memcpy(key, spec, (size_t)(eq - spec));
	key[eq - spec] = '\0';
	strcpy(buf, eq + 1);
	if (!strcmp(key, "policy") || !strcmp(key, "search")) {
		bool is_pol = key[0] == 'p';
		long m;
		int i;

		m = is_pol ? sim_parse_policies(buf) : sim_parse_searches(buf);
		if (m < 0) {
			msg_err("sim: --sweep %s: '%s' is not %s", key, buf,
				is_pol ? "a list of policy names or 'all'" :
				"exact, padded or all");
			return 1;
		}
		for (i = 0; i < 31; i++)
			if (m & (1L << i))
				axis_add(is_pol ? pol : se, (unsigned long)i);
		return 0;
	}
	if (strcmp(key, "lazy_max") && strcmp(key, "slice")) {
		msg_err("sim: --sweep: unknown axis '%s' (policy, search, lazy_max, slice)",
			key);
		return 1;
	}
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		bool ok = key[0] == 'l' ? parse_uint(tok, &v) && v :
			  tw_parse_size(tok, &v) && v && !(v % tw_page_size());

		if (!ok) {
			msg_err("sim: --sweep %s: '%s' is not %s", key, tok,
				key[0] == 'l' ? "a page count" : "a size in pages");
			return 1;
		}
		if (axis_add(key[0] == 'l' ? lazy : slice, v)) {
			msg_err("sim: --sweep %s: more than %d values", key,
				SWEEP_MAX_VALUES);
			return 1;
		}
	}
	return 0;
}

static void run_cell(struct sweep *sw, struct cell *c)
{
	struct sim_params p = {
		.policy = c->policy, .search = c->search,
		.lazy_max_pages = c->lazy_max, .slice_size = c->slice,
		.base_align = sw->o->base_align, .samples = sw->o->samples,
		.va_pools = sw->o->va_pools,
	};

	c->failed = sim_run(sw->t, &p, NULL, &c->sum, c->err, sizeof(c->err));
}

static void *worker(void *data)
{
	struct sweep *sw = data;
	int i;

	while ((i = atomic_fetch_add(&sw->next, 1)) < sw->nr)
		run_cell(sw, &sw->cells[sw->order[i]]);
	return NULL;
}

static unsigned long ops_lasted(const struct cell *c)
{
	return c->sum.first_fail_op ? c->sum.first_fail_op - 1 : c->sum.ops;
}

static void write_record(FILE *f, const struct cell *c, const char *name,
			 const struct sim_trace_info *ti, const struct sweep_out *o)
{
	fputs("{\"trace\": ", f);
	json_string(f, name);
	fprintf(f, ", \"trace_digest\": \"%016llx\", \"trace_ops\": %lu, \"version\": ",
		(unsigned long long)ti->digest, ti->nr_ops);
	json_string(f, KVALAB_VERSION);
	fprintf(f, ", \"policy\": \"%s\", \"search\": \"%s\", \"lazy_max_pages\": %lu, \"slice_size\": %lu, \"base_align\": %lu, \"va_pools\": %s, \"samples\": %u",
		sim_policy_name(c->policy), sim_search_name(c->search),
		c->lazy_max, c->slice, o->base_align,
		o->va_pools ? "true" : "false", o->samples ? o->samples : 100);
	fprintf(f, ", \"ops_lasted\": %lu, \"allocs_ok\": %lu, \"enomem\": %lu, \"errors\": %lu, \"first_fail_line\": %lu, \"peak_used\": %lu, \"purges\": %lu, \"ext_frag_peak\": %.4f, \"placements\": \"%016llx\", \"check\": \"%s\"}",
		ops_lasted(c), c->sum.allocs_ok, c->sum.enomem, c->sum.errors,
		c->sum.first_fail_line, c->sum.peak_used, c->sum.purge_n,
		c->sum.ext_frag_peak_e4 / 10000.0,
		(unsigned long long)c->sum.placements,
		c->sum.check_ok ? "ok" : "failed");
}

static FILE *open_out(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;

	if (!f)
		msg_err("sim: cannot write %s: %s", path, strerror(errno));
	return f;
}

static int close_out(FILE *f, const char *path)
{
	if (f == stdout ? fflush(f) : fclose(f)) {
		msg_err("sim: cannot write %s: %s", path, strerror(errno));
		return 1;
	}
	return 0;
}

static int write_json(const struct sweep *sw, const char *name,
		      const struct sim_trace_info *ti)
{
	FILE *f = open_out(sw->o->json);
	int i;

	if (!f)
		return 1;
	fputs("{\"cells\": [", f);
	for (i = 0; i < sw->nr; i++) {
		fputs(i ? ",\n  " : "\n  ", f);
		write_record(f, &sw->cells[i], name, ti, sw->o);
	}
	fputs("\n]}\n", f);
	return close_out(f, sw->o->json);
}

static int write_csv(const struct sweep *sw, const struct sim_trace_info *ti)
{
	FILE *f = open_out(sw->o->csv);
	int i;

	if (!f)
		return 1;
	fputs("trace_digest,version,policy,search,lazy_max_pages,slice_size,base_align,va_pools,ops_lasted,allocs_ok,enomem,errors,first_fail_line,peak_used,purges,ext_frag_peak,placements,check\n",
	      f);
	for (i = 0; i < sw->nr; i++) {
		const struct cell *c = &sw->cells[i];

		fprintf(f, "%016llx,%s,%s,%s,%lu,%lu,%lu,%d,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%.4f,%016llx,%s\n",
			(unsigned long long)ti->digest, KVALAB_VERSION,
			sim_policy_name(c->policy), sim_search_name(c->search),
			c->lazy_max, c->slice, sw->o->base_align, sw->o->va_pools,
			ops_lasted(c), c->sum.allocs_ok, c->sum.enomem,
			c->sum.errors, c->sum.first_fail_line, c->sum.peak_used,
			c->sum.purge_n, c->sum.ext_frag_peak_e4 / 10000.0,
			(unsigned long long)c->sum.placements,
			c->sum.check_ok ? "ok" : "failed");
	}
	return close_out(f, sw->o->csv);
}

static double figure_of(const struct cell *c, const char *figure)
{
	if (!strcmp(figure, "ops"))
		return (double)ops_lasted(c);
	if (!strcmp(figure, "enomem"))
		return (double)c->sum.enomem;
	return c->sum.ext_frag_peak_e4 / 10000.0;
}

/*
 * The heatmap: a row per policy, a column per combination of the other
 * axes (in the grid's order: policy is the innermost axis, so a column is
 * nr_pol consecutive cells).
 */
static int write_heatmap(const struct sweep *sw, const struct axis *pol,
			 const struct axis *se, const struct axis *lazy,
			 const struct axis *slice, const char *table)
{
	int rows = pol->n, cols = sw->nr / pol->n, r, c, rc = 0;
	const char **rl = calloc((size_t)rows, sizeof(*rl));
	char **cl = calloc((size_t)cols, sizeof(*cl));
	double *v = calloc((size_t)sw->nr, sizeof(*v));
	char *svg = NULL, title[160];
	size_t svg_len = 0;
	FILE *f;

	if (!rl || !cl || !v)
		goto oom;
	for (r = 0; r < rows; r++)
		rl[r] = sim_policy_name((int)pol->v[r]);
	for (c = 0; c < cols; c++) {
		const struct cell *x = &sw->cells[c * rows];
		char sz[32], lab[96];
		int m = 0;

		lab[0] = '\0';
		if (slice->n > 1)
			m += snprintf(lab + m, sizeof(lab) - (size_t)m, "slice=%s ",
				      tw_size_str(x->slice, sz, sizeof(sz)));
		if (se->n > 1)
			m += snprintf(lab + m, sizeof(lab) - (size_t)m, "%s ",
				      sim_search_name(x->search));
		if (lazy->n > 1 || !m)
			m += snprintf(lab + m, sizeof(lab) - (size_t)m, "lazy=%lu ",
				      x->lazy_max);
		if (m)
			lab[m - 1] = '\0';
		cl[c] = strdup(lab);
		if (!cl[c])
			goto oom;
		for (r = 0; r < rows; r++)
			v[r * cols + c] = sw->cells[c * rows + r].failed ? NAN :
				figure_of(&sw->cells[c * rows + r], sw->o->figure);
	}
	snprintf(title, sizeof(title), "kvalab sim --sweep: %s", sw->o->figure);
	f = open_memstream(&svg, &svg_len);
	if (!f)
		goto oom;
	if (simsvg_heatmap(f, title, sw->o->figure, rows, rl, cols,
			   (const char *const *)cl, v,
			   strcmp(sw->o->figure, "ops") != 0)) {
		fclose(f);
		msg_err("sim: --sweep: nothing to draw");
		rc = 1;
		goto out;
	}
	fclose(f);
	if (sw->o->svg) {
		f = open_out(sw->o->svg);
		if (!f || fputs(svg, f) < 0)
			rc = 1;
		if (f)
			rc |= close_out(f, sw->o->svg);
	}
	if (sw->o->html) {
		f = open_out(sw->o->html);
		if (!f || simsvg_html(f, title, table, svg))
			rc = 1;
		if (f)
			rc |= close_out(f, sw->o->html);
	}
	goto out;
oom:
	msg_err("sim: out of memory");
	rc = 1;
out:
	for (c = 0; cl && c < cols; c++)
		free(cl[c]);
	free(cl);
	free(rl);
	free(v);
	free(svg);
	return rc;
}

static void print_table(FILE *f, const struct sweep *sw)
{
	char sz[32];
	int i;

	fprintf(f, "%-8s %-7s %8s %-12s %10s %7s %9s %12s %7s %9s %6s\n",
		"slice", "search", "lazy_max", "policy", "ops_lasted", "ENOMEM",
		"ext_frag", "peak_used", "purges", "ns/op", "check");
	for (i = 0; i < sw->nr; i++) {
		const struct cell *c = &sw->cells[i];

		if (c->failed) {
			fprintf(f, "%-8s %-7s %8lu %-12s %s\n",
				tw_size_str(c->slice, sz, sizeof(sz)),
				sim_search_name(c->search), c->lazy_max,
				sim_policy_name(c->policy), c->err);
			continue;
		}
		fprintf(f, "%-8s %-7s %8lu %-12s %10lu %7lu %9.4f %12lu %7lu %9.1f %6s\n",
			tw_size_str(c->slice, sz, sizeof(sz)),
			sim_search_name(c->search), c->lazy_max,
			sim_policy_name(c->policy), ops_lasted(c), c->sum.enomem,
			c->sum.ext_frag_peak_e4 / 10000.0, c->sum.peak_used,
			c->sum.purge_n,
			c->sum.ops ? (double)c->sum.ns / (double)c->sum.ops : 0.0,
			c->sum.check_ok ? "ok" : "failed");
	}
}

int sim_sweep(const char *name, const char *text, size_t len,
	      char **specs, int nr_specs, const struct sweep_out *o)
{
	struct axis pol = { .n = 0 }, se = { .n = 0 }, lazy = { .n = 0 };
	struct axis slice = { .n = 0 };
	struct sweep sw = { .o = o };
	struct sim_trace_info ti;
	struct sim_trace *t;
	pthread_t th[256];
	char err[512], *table = NULL;
	size_t table_len = 0;
	int i, a, b, c, d, nth, rc = 0;

	if (strcmp(o->figure, "ops") && strcmp(o->figure, "ext_frag") &&
	    strcmp(o->figure, "enomem")) {
		msg_err("sim: --figure '%s' is not ops, ext_frag or enomem",
			o->figure);
		return 2;
	}
	for (i = 0; i < nr_specs; i++)
		if (parse_spec(specs[i], &pol, &se, &lazy, &slice))
			return 2;
	t = sim_trace_load(name, text, len, err, sizeof(err));
	if (!t) {
		msg_err("sim: %s", err);
		return 1;
	}
	sim_trace_info(t, &ti);
	if (!pol.n)
		axis_add(&pol, 0);
	if (!se.n)
		axis_add(&se, 0);
	if (!slice.n)
		axis_add(&slice, ti.slice_size);
	if (!lazy.n)
		axis_add(&lazy, 0);
	sw.nr = pol.n * se.n * lazy.n * slice.n;
	if (sw.nr > SWEEP_MAX_CELLS) {
		msg_err("sim: --sweep: %d cells; at most %d", sw.nr,
			SWEEP_MAX_CELLS);
		sim_trace_free(t);
		return 2;
	}
	sw.t = t;
	sw.cells = calloc((size_t)sw.nr, sizeof(*sw.cells));
	sw.order = calloc((size_t)sw.nr, sizeof(*sw.order));
	if (!sw.cells || !sw.order) {
		msg_err("sim: out of memory");
		free(sw.cells);
		free(sw.order);
		sim_trace_free(t);
		return 1;
	}
	/* slice, search, lazy_max, policy: policy innermost (write_heatmap). */
	i = 0;
	for (a = 0; a < slice.n; a++)
		for (b = 0; b < se.n; b++)
			for (c = 0; c < lazy.n; c++)
				for (d = 0; d < pol.n; d++, i++) {
					struct cell *x = &sw.cells[i];

					x->slice = slice.v[a];
					x->search = (int)se.v[b];
					x->lazy_max = lazy.v[c] ? lazy.v[c] :
						sim_default_lazy_max(x->slice / tw_page_size(),
								     (unsigned int)sysconf(_SC_NPROCESSORS_ONLN));
					x->policy = (int)pol.v[d];
				}
	/* Stable by cost, slowest first: a counting pass per cost class. */
	for (i = 0, c = 3; c >= 0; c--)
		for (d = 0; d < sw.nr; d++)
			if (policy_cost(sw.cells[d].policy) == c)
				sw.order[i++] = d;
	nth = (int)o->jobs < sw.nr ? (int)o->jobs : sw.nr;
	atomic_init(&sw.next, 0);
	for (i = 1; i < nth; i++)
		if (pthread_create(&th[i], NULL, worker, &sw)) {
			nth = i;
			break;
		}
	worker(&sw);
	for (i = 1; i < nth; i++)
		pthread_join(th[i], NULL);
	fprintf(stderr, "kvalab: sim: %s: %d cells (%lu ops each, digest %016llx) on %d jobs\n",
		name, sw.nr, ti.nr_ops, (unsigned long long)ti.digest, nth);
	print_table(stdout, &sw);
	for (i = 0; i < sw.nr; i++)
		if (sw.cells[i].failed || !sw.cells[i].sum.check_ok)
			rc = 1;
	if (o->json)
		rc |= write_json(&sw, name, &ti);
	if (o->csv)
		rc |= write_csv(&sw, &ti);
	if (o->svg || o->html) {
		FILE *tf = open_memstream(&table, &table_len);

		if (tf) {
			print_table(tf, &sw);
			fclose(tf);
		}
		rc |= write_heatmap(&sw, &pol, &se, &lazy, &slice,
				    table ? table : "");
		free(table);
	}
	free(sw.cells);
	free(sw.order);
	sim_trace_free(t);
	return rc;
}
