// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab scenario NAME [--ops N] [--seed N] [--json OUT] [-o TRACE]
 * kvalab scenario --list
 *
 * Generate the scenario's trace (scenario_gen.c), replay it in the module
 * once per configuration being compared (module/replay.c, VA decisions
 * only), and print the comparison. Sources and how to read the output:
 * docs/scenarios.md.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "scenario.h"
#include "sim.h"
#include "../include/kvalab/policies.h"

/* One replay's result line and samples, copied out of the listing. */
struct run {
	char line[2048];
	char *listing;
};

static unsigned long uf(const struct run *r, const char *key)
{
	return replay_ufield(r->line, key);
}

/* The first "result" line of @listing into @r (false: none). */
static bool first_result(const char *listing, struct run *r, const char *pol)
{
	const char *p = listing;
	char v[64];

	while ((p = strstr(p, "\nresult "))) {
		size_t n = strcspn(++p, "\n");

		if (n >= sizeof(r->line))
			n = sizeof(r->line) - 1;
		memcpy(r->line, p, n);
		r->line[n] = '\0';
		p += n;
		if (!pol || (replay_field(r->line, "policy", v, sizeof(v)) &&
			     !strcmp(v, pol)))
			return true;
	}
	return false;
}

/*
 * The mean of @key over the samples of @pol taken at or before op @op
 * ("sample policy=P op=N ..." lines), or the end figure when none was.
 */
static double sample_mean(const struct run *r, const char *pol,
			  unsigned long op, const char *key)
{
	const char *p = r->listing;
	unsigned long n = 0;
	double sum = 0;
	char line[512], v[64];

	while ((p = strstr(p, "\nsample "))) {
		size_t len = strcspn(++p, "\n");

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		p += len;
		if (!replay_field(line, "policy", v, sizeof(v)) || strcmp(v, pol))
			continue;
		if (replay_ufield(line, "op") > op)
			continue;
		sum += replay_ufield(line, key);
		n++;
	}
	return n ? sum / n : uf(r, key);
}

/* Write @tb to a private temporary file and read it back as text. */
static char *trace_text(const struct trace_buf *tb, unsigned long slice,
			const char *keep, size_t *len)
{
	char tmp[] = "/tmp/kvalab-scenario-XXXXXX";
	const char *path = keep;
	char *text;

	if (!path) {
		int fd = mkstemp(tmp);

		if (fd < 0) {
			msg_err("scenario: cannot create %s: %s", tmp,
				strerror(errno));
			return NULL;
		}
		close(fd);
		path = tmp;
	}
	if (tb_write(tb, path, slice, "scenario")) {
		if (!keep)
			unlink(tmp);
		return NULL;
	}
	text = read_file(path, len);
	if (!text)
		msg_err("scenario: cannot read %s: %s", path, strerror(errno));
	if (!keep)
		unlink(tmp);
	return text;
}

/* Line number of the trace's first operation (after header and comments). */
static unsigned long first_op_line(const char *text)
{
	unsigned long nr = 1;
	const char *p = text;

	while ((p = strchr(p, '\n')) && *++p) {
		nr++;
		if (*p != '#' && *p != '\n')
			return nr;
	}
	return nr;
}

/* Replays run on the sim (sim.c) instead of the module. */
static bool use_sim;

/*
 * Load @text and run `replay start @opts`, in the module or on the sim;
 * the listing, or NULL.
 */
static char *run_replay(const char *name, const char *text, size_t len,
			const char *opts)
{
	struct ctl_result res;
	struct sim_opts so;
	char cmd[256];

	if (use_sim) {
		if (sim_opts_from_replay(opts, &so))
			return NULL;
		fprintf(stderr, "kvalab: scenario: on the sim: %s\n", opts);
		return sim_listing(name, text, len, &so);
	}

	if (replay_load(name, text, len))
		return NULL;
	snprintf(cmd, sizeof(cmd), "replay start %s", opts);
	if (control_run(cmd, &res)) {
		msg_err("scenario: %s: %s", name, res.reason);
		return NULL;
	}
	fprintf(stderr, "kvalab: scenario: %s\n", res.line);
	return replay_wait_done();
}

static unsigned long slice_of_module(void)
{
	char val[64];
	char *text;
	size_t len;
	unsigned long v = 0;

	if (debugfs_require("replay"))
		return 0;
	text = debugfs_read("stats", &len);
	if (!text) {
		msg_err("scenario: cannot read %s/stats: %s", debugfs_dir(),
			strerror(errno));
		return 0;
	}
	if (!stats_lookup(text, "slice_size", val, sizeof(val)) ||
	    !parse_uint(val, &v))
		msg_err("scenario: no slice_size in %s/stats", debugfs_dir());
	free(text);
	return v;
}

static FILE *json_open(const char *path)
{
	FILE *f;

	if (!path)
		return NULL;
	f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	if (!f)
		msg_err("scenario: cannot write %s: %s", path, strerror(errno));
	return f;
}

static void json_close(FILE *f)
{
	if (f && f != stdout)
		fclose(f);
}

static void jkv(FILE *f, const char *k, unsigned long v, bool comma)
{
	fprintf(f, "%s\"%s\": %lu", comma ? ", " : "", k, v);
}

static void jks(FILE *f, const char *k, const char *v, bool comma)
{
	fprintf(f, "%s\"%s\": ", comma ? ", " : "", k);
	json_string(f, v);
}

struct scn_opts {
	unsigned long ops, seed, small, large, slice, lazy;
	bool have_ops;
	const char *json, *out;
};

static int check_ok(const struct run *r)
{
	char v[16] = "";

	replay_field(r->line, "check", v, sizeof(v));
	return strcmp(v, "ok") || uf(r, "stopped");
}

/* ---- modules-area ---- */

/* 1 - largest / free at the first failure, x 10000 (0: no failure). */
static unsigned long frag_then(const struct run *r)
{
	unsigned long free = uf(r, "free_bytes_then");

	return free ? 10000 - uf(r, "largest_free_then") * 10000 / free : 0;
}

static int scn_modules_area(const struct scn_opts *o)
{
	struct scn_modules_opts mo = {
		.slice_size = o->slice, .seed = o->seed,
		.ops = o->have_ops ? o->ops : 6000,
	};
	unsigned long lazy = o->lazy ? o->lazy : 512;
	unsigned long first_line, fail_op[KVA_NR_POLICIES];
	unsigned long first_fail = 0, best = 0, upto;
	struct scn_modules_info info;
	struct trace_buf tb = { 0 };
	struct run r = { 0 };
	char *text, opts[128];
	int i, rc = 0, best_i = -1, rows = 0;
	size_t len;
	FILE *jf;

	if (o->slice < SCN_MODULES_AREA_SIZE) {
		char sz[32];

		msg_err("scenario: modules-area needs a slice of at least 16M (this one is %s): kvalab unload; kvalab load --slice 16M",
			tw_size_str(o->slice, sz, sizeof(sz)));
		return 1;
	}
	if (lazy > o->slice / tw_page_size()) {
		msg_err("scenario: --lazy-max %lu is above the slice's %lu pages",
			lazy, o->slice / tw_page_size());
		return 1;
	}
	tb_comment(&tb, "kvalab scenario modules-area seed=%lu ops=%lu", mo.seed,
		   mo.ops);
	tb_comment(&tb, "a 16M modules area (32-bit ARM MODULES_VADDR..MODULES_END): module and BPF JIT allocations and frees");
	if (scn_gen_modules_area(&tb, &mo, &info)) {
		msg_err("scenario: out of memory");
		tb_release(&tb);
		return 1;
	}
	if (info.has_filler)
		tb_comment(&tb, "area 0 (%lu bytes) keeps the slice beyond the 16M area busy",
			   info.filler_size);
	text = trace_text(&tb, o->slice, o->out, &len);
	tb_release(&tb);
	if (!text)
		return 1;
	if (o->out) {
		fprintf(stderr, "kvalab: scenario: %lu module and %lu BPF JIT allocations, %lu frees, peak %luK live -> %s\n",
			info.module_allocs, info.bpf_allocs, info.frees,
			info.peak_live >> 10, o->out);
		free(text);
		return 0;
	}
	/* The line of the first op after the filler: op 1 of the scenario. */
	first_line = first_op_line(text) + (info.has_filler ? 1 : 0);
	snprintf(opts, sizeof(opts), "policy=all va_only samples=200 lazy_max_pages=%lu",
		 lazy);
	r.listing = run_replay("modules-area", text, len, opts);
	free(text);
	if (!r.listing)
		return 1;
	for (i = 0; i < KVA_NR_POLICIES; i++) {
		fail_op[i] = 0;
		if (!first_result(r.listing, &r, kva_policy_names[i]))
			continue;
		if (uf(&r, "first_fail_line")) {
			fail_op[i] = uf(&r, "first_fail_line") - first_line + 1;
			if (!first_fail || fail_op[i] < first_fail)
				first_fail = fail_op[i];
		}
	}
	/* Samples count ops with the filler; before the earliest failure. */
	upto = (first_fail ? first_fail - 1 : mo.ops) + (info.has_filler ? 1 : 0);
	jf = json_open(o->json);
	if (o->json && !jf) {
		free(r.listing);
		return 1;
	}
	printf("modules-area: %lu ops (%lu module loads, %lu BPF JIT images, %lu frees) in a 16M area, peak %luK live, lazy_max_pages %lu\n",
	       mo.ops, info.module_allocs, info.bpf_allocs, info.frees,
	       info.peak_live >> 10, lazy);
	printf("%-12s %10s %6s %9s %12s %9s %9s %8s %9s %10s %6s\n", "policy",
	       "lasted_ops", "ENOMEM", "fail_size", "largest_then",
	       "free_then", "frag_then", "nr_free", "mean_frag", "peak_used",
	       "check");
	if (jf)
		fprintf(jf, "{\"scenario\": \"modules-area\", \"seed\": %lu, \"ops\": %lu, \"lazy_max_pages\": %lu, \"results\": [",
			mo.seed, mo.ops, lazy);
	for (i = 0; i < KVA_NR_POLICIES; i++) {
		const char *pol = kva_policy_names[i];
		unsigned long lasted, peak;
		double mean;

		if (!first_result(r.listing, &r, pol))
			continue;
		lasted = fail_op[i] ? fail_op[i] - 1 : mo.ops;
		peak = uf(&r, "peak_used") - info.filler_size;
		mean = sample_mean(&r, pol, upto, "ext_frag_e4") / 10000.0;
		rc |= check_ok(&r);
		printf("%-12s %10lu %6lu %9lu %12lu %9lu %9.4f %8lu %9.4f %10lu %6s\n",
		       pol, lasted, uf(&r, "enomem"),
		       uf(&r, "first_fail_size"), uf(&r, "largest_free_then"),
		       uf(&r, "free_bytes_then"), frag_then(&r) / 10000.0,
		       uf(&r, "nr_free_then"), mean, peak,
		       check_ok(&r) ? "FAILED" : "ok");
		if (jf) {
			fprintf(jf, "%s\n  {", rows++ ? "," : "");
			jks(jf, "policy", pol, false);
			jkv(jf, "lasted_ops", lasted, true);
			jkv(jf, "first_fail_op", fail_op[i], true);
			jkv(jf, "enomem", uf(&r, "enomem"), true);
			jkv(jf, "first_fail_size", uf(&r, "first_fail_size"), true);
			jkv(jf, "largest_free_then", uf(&r, "largest_free_then"), true);
			jkv(jf, "free_bytes_then", uf(&r, "free_bytes_then"), true);
			jkv(jf, "nr_free_then", uf(&r, "nr_free_then"), true);
			jkv(jf, "ext_frag_e4_then", frag_then(&r), true);
			jkv(jf, "mean_ext_frag_e4", (unsigned long)(mean * 10000 + 0.5), true);
			jkv(jf, "peak_used", peak, true);
			jks(jf, "check", check_ok(&r) ? "failed" : "ok", true);
			fputc('}', jf);
		}
		if (best_i < 0 || lasted > best) {
			best = lasted;
			best_i = i;
		}
	}
	if (jf) {
		fprintf(jf, "\n], \"longest\": ");
		/* On a tie: the first of them in table order. */
		json_string(jf, best_i >= 0 ? kva_policy_names[best_i] : "");
		fprintf(jf, ", \"first_failure_op\": %lu}\n", first_fail);
		json_close(jf);
	}
	if (!first_fail) {
		printf("no policy hit ENOMEM in %lu ops: the area never fragmented enough (try more --ops or another --seed)\n",
		       mo.ops);
	} else {
		unsigned int ties = 0;

		for (i = 0; i < KVA_NR_POLICIES; i++)
			ties += (fail_op[i] ? fail_op[i] - 1 : mo.ops) == best;
		if (ties > 1) {
			printf("longest: a tie of %u policies at %lu ops before the first 'vmap allocation failed' (fewest ENOMEM after it:",
			       ties, best);
			for (i = 0; i < KVA_NR_POLICIES; i++)
				if ((fail_op[i] ? fail_op[i] - 1 : mo.ops) == best &&
				    first_result(r.listing, &r, kva_policy_names[i]))
					printf(" %s %lu", kva_policy_names[i],
					       uf(&r, "enomem"));
			printf(")\n");
		} else {
			printf("longest: %s, %lu ops before its first 'vmap allocation failed'\n",
			       kva_policy_names[best_i], best);
		}
		printf("why: live bytes stay below 94%% of the area, so every failure had the bytes free (free_then) but no free area as large as the request (largest_then): frag_then = 1 - largest_then / free_then; mean_frag is ext_frag averaged over ops 1..%lu, while every policy still succeeded\n",
		       first_fail - 1);
	}
	free(r.listing);
	return rc;
}

/* ---- aligned-search ---- */

static int scn_aligned_search(const struct scn_opts *o)
{
	static const char *const modes[] = { "padded", "exact" };
	struct scn_aligned_info info;
	struct trace_buf tb = { 0 };
	struct run r[2] = { 0 };
	char *text, opts[96];
	bool as_claimed;
	int i, rc = 0;
	size_t len;
	FILE *jf;

	tb_comment(&tb, "kvalab scenario aligned-search: the last request fits one free area exactly, at an aligned start");
	if (scn_gen_aligned_search(&tb, o->slice, &info)) {
		char sz[32];

		msg_err("scenario: aligned-search needs a slice of at least %luK (this one is %s)",
			(info.layout_bytes + 2 * SCN_ALIGN) >> 10,
			tw_size_str(o->slice, sz, sizeof(sz)));
		tb_release(&tb);
		return 1;
	}
	text = trace_text(&tb, o->slice, o->out, &len);
	tb_release(&tb);
	if (!text)
		return 1;
	if (o->out) {
		fprintf(stderr, "kvalab: scenario: request %lu align %lu (padded length %lu), %lu smaller holes -> %s\n",
			info.size, info.align, info.length, info.holes, o->out);
		free(text);
		return 0;
	}
	for (i = 0; i < 2; i++) {
		snprintf(opts, sizeof(opts), "policy=lowest va_only search=%s",
			 modes[i]);
		r[i].listing = run_replay("aligned-search", text, len, opts);
		if (!r[i].listing || !first_result(r[i].listing, &r[i], NULL)) {
			if (r[i].listing)
				msg_err("scenario: the listing has no results");
			free(text);
			free(r[0].listing);
			free(r[1].listing);
			return 1;
		}
	}
	free(text);
	jf = json_open(o->json);
	printf("aligned-search: request %lu bytes aligned to %lu; the v5.2 search compares subtrees with %lu\n",
	       info.size, info.align, info.length);
	printf("%-8s %-8s %7s %10s %13s %6s\n", "search", "request", "ENOMEM",
	       "fail_line", "largest_then", "check");
	if (jf)
		fputs("{\"scenario\": \"aligned-search\", \"size\": ", jf);
	if (jf)
		fprintf(jf, "%lu, \"align\": %lu, \"length\": %lu, \"results\": [",
			info.size, info.align, info.length);
	for (i = 0; i < 2; i++) {
		bool failed = uf(&r[i], "enomem") != 0;

		rc |= check_ok(&r[i]);
		printf("%-8s %-8s %7lu %10lu %13lu %6s\n", modes[i],
		       failed ? "ENOMEM" : "placed", uf(&r[i], "enomem"),
		       uf(&r[i], "first_fail_line"),
		       uf(&r[i], "largest_free_then"),
		       check_ok(&r[i]) ? "FAILED" : "ok");
		if (jf) {
			fprintf(jf, "%s\n  {", i ? "," : "");
			jks(jf, "search", modes[i], false);
			jks(jf, "request", failed ? "ENOMEM" : "placed", true);
			jkv(jf, "enomem", uf(&r[i], "enomem"), true);
			jkv(jf, "first_fail_line", uf(&r[i], "first_fail_line"), true);
			jkv(jf, "largest_free_then", uf(&r[i], "largest_free_then"), true);
			jks(jf, "check", check_ok(&r[i]) ? "failed" : "ok", true);
			fputc('}', jf);
		}
	}
	as_claimed = uf(&r[0], "enomem") == 1 && !uf(&r[1], "enomem") &&
		     uf(&r[0], "largest_free_then") >= info.size;
	if (jf) {
		fprintf(jf, "\n], \"reproduced\": %s}\n",
			as_claimed ? "true" : "false");
		json_close(jf);
	}
	if (as_claimed)
		printf("reproduced: padded failed with a %lu-byte free area at an aligned start (largest free %lu >= size %lu, < length %lu); exact placed the request there\n",
		       info.size, uf(&r[0], "largest_free_then"), info.size,
		       info.length);
	else
		printf("not reproduced: padded ENOMEM=%lu, exact ENOMEM=%lu\n",
		       uf(&r[0], "enomem"), uf(&r[1], "enomem"));
	free(r[0].listing);
	free(r[1].listing);
	return rc || !as_claimed;
}

/* ---- lazy-purge ---- */

static int scn_lazy_purge(const struct scn_opts *o)
{
	unsigned long slice_pages = o->slice / tw_page_size();
	struct scn_lazy_opts lo = {
		.seed = o->seed, .ops = o->have_ops ? o->ops : 40000,
		.batch = 64,
	};
	unsigned long thr[2];
	struct scn_lazy_info info;
	struct trace_buf tb = { 0 };
	struct run r[2] = { 0 };
	char *text, opts[128];
	int i, rc = 0;
	size_t len;
	FILE *jf;

	thr[0] = o->small ? o->small : 32;
	thr[1] = o->large ? o->large : slice_pages / 4;
	if (thr[0] >= thr[1] || thr[1] > slice_pages / 2) {
		msg_err("scenario: lazy-purge: the thresholds %lu and %lu pages must grow and the large one stay within half the slice (%lu pages)",
			thr[0], thr[1], slice_pages / 2);
		return 1;
	}
	tb_comment(&tb, "kvalab scenario lazy-purge seed=%lu: rounds of %lu short-lived areas, no purge points",
		   lo.seed, lo.batch);
	if (scn_gen_lazy_purge(&tb, &lo, &info)) {
		msg_err("scenario: out of memory");
		tb_release(&tb);
		return 1;
	}
	text = trace_text(&tb, o->slice, o->out, &len);
	tb_release(&tb);
	if (!text)
		return 1;
	if (o->out) {
		fprintf(stderr, "kvalab: scenario: %lu allocs, %lu frees, %lu pages freed -> %s\n",
			info.allocs, info.frees, info.freed_pages, o->out);
		free(text);
		return 0;
	}
	for (i = 0; i < 2; i++) {
		snprintf(opts, sizeof(opts), "policy=lowest va_only lazy_max_pages=%lu",
			 thr[i]);
		r[i].listing = run_replay("lazy-purge", text, len, opts);
		if (!r[i].listing || !first_result(r[i].listing, &r[i], NULL)) {
			free(text);
			free(r[0].listing);
			free(r[1].listing);
			return 1;
		}
	}
	free(text);
	jf = json_open(o->json);
	printf("lazy-purge: %lu allocs and frees (%lu pages freed) under lazy_max_pages %lu and %lu\n",
	       info.allocs + info.frees, info.freed_pages, thr[0], thr[1]);
	printf("%-14s %7s %10s %10s %10s %9s %9s %9s %9s %6s\n",
	       "lazy_max_pages", "purges", "p50_ns", "p99_ns", "max_ns",
	       "areas_p50", "areas_max", "pages_p50", "pages_max", "check");
	if (jf)
		fputs("{\"scenario\": \"lazy-purge\", \"results\": [", jf);
	for (i = 0; i < 2; i++) {
		rc |= check_ok(&r[i]);
		printf("%-14lu %7lu %10lu %10lu %10lu %9lu %9lu %9lu %9lu %6s\n",
		       thr[i], uf(&r[i], "purge_n"), uf(&r[i], "purge_ns_p50"),
		       uf(&r[i], "purge_ns_p99"), uf(&r[i], "purge_ns_max"),
		       uf(&r[i], "purge_areas_p50"), uf(&r[i], "purge_areas_max"),
		       uf(&r[i], "purge_pages_p50"), uf(&r[i], "purge_pages_max"),
		       check_ok(&r[i]) ? "FAILED" : "ok");
		if (jf) {
			static const char *const keys[] = {
				"purge_n", "purge_ns_p50", "purge_ns_p99",
				"purge_ns_max", "purge_areas_p50",
				"purge_areas_max", "purge_pages_p50",
				"purge_pages_max", "ns_per_op",
			};
			size_t k;

			fprintf(jf, "%s\n  {", i ? "," : "");
			jkv(jf, "lazy_max_pages", thr[i], false);
			for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
				jkv(jf, keys[k], uf(&r[i], keys[k]), true);
			jks(jf, "check", check_ok(&r[i]) ? "failed" : "ok", true);
			fputc('}', jf);
		}
	}
	if (jf) {
		fputs("\n]}\n", jf);
		json_close(jf);
	}
	printf("the longest purge: %lu ns for %lu pages at lazy_max_pages=%lu, %lu ns for %lu pages at %lu (p99 %lu against %lu ns)\n",
	       uf(&r[1], "purge_ns_max"), uf(&r[1], "purge_pages_max"), thr[1],
	       uf(&r[0], "purge_ns_max"), uf(&r[0], "purge_pages_max"), thr[0],
	       uf(&r[1], "purge_ns_p99"), uf(&r[0], "purge_ns_p99"));
	free(r[0].listing);
	free(r[1].listing);
	return rc;
}

int cmd_scenario(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "list", no_argument, NULL, 'l' },
		{ "ops", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "small", required_argument, NULL, 'S' },
		{ "large", required_argument, NULL, 'L' },
		{ "slice-size", required_argument, NULL, 'z' },
		{ "lazy-max", required_argument, NULL, 'm' },
		{ "json", required_argument, NULL, 'j' },
		{ "sim", no_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct scn_opts o = { .seed = 1 };
	bool list = false, sim = false;
	const char *name;
	int c, i;

	while ((c = sub_getopt(argc, argv, ":ho:", opts)) != -1) {
		switch (c) {
		case 'h':
			return print_help(cmd);
		case 'l':
			list = true;
			break;
		case 'n':
			if (!parse_uint(optarg, &o.ops) || !o.ops ||
			    o.ops > 1000000)
				return usage_error(cmd, "--ops '%s' is not 1..1000000", optarg);
			o.have_ops = true;
			break;
		case 's':
			if (!parse_uint(optarg, &o.seed))
				return usage_error(cmd, "--seed '%s' is not a number", optarg);
			break;
		case 'S':
			if (!parse_uint(optarg, &o.small) || !o.small)
				return usage_error(cmd, "--small '%s' is not a page count", optarg);
			break;
		case 'L':
			if (!parse_uint(optarg, &o.large) || !o.large)
				return usage_error(cmd, "--large '%s' is not a page count", optarg);
			break;
		case 'm':
			if (!parse_uint(optarg, &o.lazy) || !o.lazy)
				return usage_error(cmd, "--lazy-max '%s' is not a page count", optarg);
			break;
		case 'z':
			if (!tw_parse_size(optarg, &o.slice) || !o.slice ||
			    o.slice % tw_page_size())
				return usage_error(cmd, "--slice-size '%s' is not a size in pages", optarg);
			break;
		case 'j':
			o.json = optarg;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'M':
			sim = true;
			break;
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (list) {
		if (optind < argc)
			return usage_error(cmd, "--list takes no NAME");
		for (i = 0; i < SCN_NR; i++)
			printf("%-15s %s\n%-15s source: %s\n", scn_table[i].name,
			       scn_table[i].summary, "", scn_table[i].source);
		return 0;
	}
	if (optind >= argc)
		return usage_error(cmd, "missing NAME (kvalab scenario --list)");
	name = argv[optind++];
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	for (i = 0; i < SCN_NR; i++)
		if (!strcmp(name, scn_table[i].name))
			break;
	if (i == SCN_NR)
		return usage_error(cmd, "unknown scenario '%s' (modules-area, aligned-search, lazy-purge)",
				   name);
	if ((o.small || o.large) && i != SCN_LAZY_PURGE)
		return usage_error(cmd, "--small and --large are lazy-purge's");
	if (o.lazy && i != SCN_MODULES_AREA)
		return usage_error(cmd, "--lazy-max is modules-area's");
	if (!sim && !o.out && access("/sys/module/kvalab", F_OK) &&
	    !getenv("KVALAB_DEBUGFS")) {
		fprintf(stderr, "kvalab: scenario: kvalab is not loaded: running on the sim (kvalab sim)\n");
		sim = true;
	}
	if (o.slice && !o.out && !sim)
		return usage_error(cmd, "--slice-size is for -o and --sim (without it the loaded slice's size is used)");
	if (sim && o.out)
		return usage_error(cmd, "-o writes the trace and stops: --sim has nothing to run");
	use_sim = sim;
	if (sim && !o.slice)
		o.slice = SCN_MODULES_AREA_SIZE;
	if (o.out && o.json)
		return usage_error(cmd, "-o writes the trace and stops: there is no comparison for --json");
	if (!o.slice) {
		o.slice = slice_of_module();
		if (!o.slice)
			return 1;
	}
	switch (i) {
	case SCN_MODULES_AREA:
		return scn_modules_area(&o);
	case SCN_ALIGNED_SEARCH:
		return scn_aligned_search(&o);
	default:
		return scn_lazy_purge(&o);
	}
}

int scenario_write_trace(const char *name, unsigned long slice,
			 const char *path)
{
	struct scn_opts o = { .seed = 1, .slice = slice, .out = path };

	if (!strcmp(name, "modules-area"))
		return scn_modules_area(&o);
	if (!strcmp(name, "aligned-search"))
		return scn_aligned_search(&o);
	if (!strcmp(name, "lazy-purge"))
		return scn_lazy_purge(&o);
	msg_err("sim: unknown scenario '%s' (modules-area, aligned-search, lazy-purge)",
		name);
	return 2;
}
