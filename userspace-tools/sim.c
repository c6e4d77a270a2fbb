// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab sim TRACE|--scenario NAME [--policy LIST|all] [--search LIST|all]
 *     [--lazy-max N] [--slice-size N] [--base-align N] [--va-pools]
 *     [--scale F] [--samples N] [--log OUT] [--listing OUT]
 *     [--json OUT] [--csv OUT] [--svg OUT] [--html OUT]
 * kvalab sim TRACE --sweep AXIS=V,... [...] [--jobs N] [--figure F] ...
 * kvalab sim --from-listing FILE [--title T] [--json/--csv/--svg/--html OUT]
 *
 * --from-listing draws a saved listing instead of running: the sim's
 * (--listing) or the module's replay_results, copied after a replay.
 *
 * The module's VA-only replay (module/replay.c) without the module: the
 * trace runs on module/core.c and the policies compiled into the CLI
 * (sim_engine.c), and the result is the listing replay_results would show,
 * printed by the replay command's own table. No root, no debugfs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sim.h"
#include "simsvg.h"
#include "trace_write.h"

/* "all", or NAMES separated by commas, each found by @by_name: a mask. */
static long parse_list(const char *list, int nr, int (*by_name)(const char *))
{
	char buf[256], *tok, *save = NULL;
	long mask = 0;

	if (!strcmp(list, "all"))
		return (1L << nr) - 1;
	if (!*list || strlen(list) >= sizeof(buf))
		return -1;
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int id = by_name(tok);

		if (id < 0)
			return -1;
		mask |= 1L << id;
	}
	return mask ? mask : -1;
}

long sim_parse_policies(const char *list)
{
	return parse_list(list, sim_nr_policies(), sim_policy_by_name);
}

long sim_parse_searches(const char *list)
{
	return parse_list(list, sim_nr_search(), sim_search_by_name);
}

/* An option's LIST as a mask: 0, or usage_error()'s status naming @what. */
static int list_opt(const struct command *cmd, const char *opt,
		    const char *arg, long (*parse)(const char *),
		    const char *what, unsigned int *mask)
{
	long m = parse(arg);

	if (m < 0)
		return usage_error(cmd, "%s '%s' is not %s", opt, arg, what);
	*mask = (unsigned int)m;
	return 0;
}

int sim_policy_opt(const struct command *cmd, const char *arg,
		   unsigned int *mask)
{
	return list_opt(cmd, "--policy", arg, sim_parse_policies,
			"a list of policy names or 'all'", mask);
}

int sim_search_opt(const struct command *cmd, const char *arg,
		   unsigned int *mask)
{
	return list_opt(cmd, "--search", arg, sim_parse_searches,
			"exact, padded or all", mask);
}

int sim_opts_from_replay(const char *line, struct sim_opts *o)
{
	char buf[512], *tok, *save = NULL;
	long m;

	memset(o, 0, sizeof(*o));
	if (strlen(line) >= sizeof(buf))
		return -1;
	strcpy(buf, line);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (!strcmp(tok, "va_only"))
			continue;	/* the sim is never anything else */
		if (!strncmp(tok, "policy=", 7)) {
			m = sim_parse_policies(tok + 7);
			if (m < 0)
				goto bad;
			o->policies = (unsigned int)m;
		} else if (!strncmp(tok, "search=", 7)) {
			m = sim_parse_searches(tok + 7);
			if (m < 0)
				goto bad;
			o->searches = (unsigned int)m;
		} else if (!strncmp(tok, "lazy_max_pages=", 15)) {
			if (!parse_uint(tok + 15, &o->lazy_max_pages))
				goto bad;
		} else if (!strncmp(tok, "samples=", 8)) {
			unsigned long n;

			if (!replay_parse_samples(tok + 8, &n))
				goto bad;
			o->samples = (unsigned int)n;
		} else {
			goto bad;
		}
	}
	return 0;
bad:
	msg_err("sim: cannot run '%s' on the sim", tok);
	return -1;
}

char *sim_listing(const char *name, const char *text, size_t len,
		  const struct sim_opts *o)
{
	unsigned int policies = o->policies ? o->policies : 1;
	unsigned int searches = o->searches ? o->searches : 1;
	struct sim_trace_info info;
	unsigned long slice, align;
	struct sim_trace *t;
	size_t out_len = 0;
	char *out = NULL, err[512];
	int pol, se;
	FILE *f;

	t = sim_trace_load(name, text, len, err, sizeof(err));
	if (!t) {
		msg_err("sim: %s", err);
		return NULL;
	}
	sim_trace_info(t, &info);
	f = open_memstream(&out, &out_len);
	if (!f) {
		msg_err("sim: out of memory");
		sim_trace_free(t);
		return NULL;
	}
	fprintf(f, "state: done\n");
	fprintf(f, "trace: ops=%lu allocs=%lu frees=%lu purges=%lu ids=%lu slice_size=%lu source=%s peak_live=%lu text_bytes=%lu\n",
		info.nr_ops, info.nr_alloc, info.nr_free, info.nr_purge,
		info.nr_ids, info.slice_size, info.source, info.peak_live,
		info.text_bytes);
	slice = o->slice_size ? o->slice_size : info.slice_size;
	align = o->base_align;
	if (!align)	/* module/pgtable.c's: 2M, or the slice's power of two */
		for (align = 2UL << 20; align > slice && align > 4096; align >>= 1)
			;
	fprintf(f, "slice_size: %lu\nslice_align: %lu\n", slice, align);
	if (o->slice_size && info.slice_size > o->slice_size)
		fprintf(f, "note: the trace was made for slice_size=%lu, this slice is %lu: ENOMEM may come from the smaller slice (--scale F, or --slice-size)\n",
			info.slice_size, o->slice_size);
	for (se = 0; se < sim_nr_search(); se++) {
		if (!(searches & (1U << se)))
			continue;
		for (pol = 0; pol < sim_nr_policies(); pol++) {
			struct sim_params p = {
				.policy = pol, .search = se,
				.slice_size = o->slice_size,
				.lazy_max_pages = o->lazy_max_pages,
				.base_align = o->base_align,
				.samples = o->samples, .va_pools = o->va_pools,
				.log = o->log,
			};

			if (!(policies & (1U << pol)))
				continue;
			if (sim_run(t, &p, f, NULL, err, sizeof(err))) {
				msg_err("sim: %s: %s", name, err);
				fclose(f);
				free(out);
				sim_trace_free(t);
				return NULL;
			}
		}
	}
	sim_trace_free(t);
	if (fclose(f)) {
		free(out);
		msg_err("sim: out of memory");
		return NULL;
	}
	return out;
}

static int write_text(const char *path, const char *text)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;

	if (!f || fputs(text, f) < 0 || (f != stdout && fclose(f))) {
		msg_err("sim: cannot write %s: %s", path, strerror(errno));
		return 1;
	}
	return 0;
}

/* The frag-over-ops picture, as an SVG file or inside an HTML page. */
static int write_pictures(const char *name, const char *title,
			  const char *listing, const char *svg_out,
			  const char *html_out)
{
	char *svg = NULL, *table = NULL;
	size_t svg_len = 0, table_len = 0;
	FILE *f;
	int rc = 0;

	f = open_memstream(&svg, &svg_len);
	if (!f || simsvg_frag(f, listing, title ? title : name)) {
		msg_err("sim: %s: nothing to draw (no samples)", name);
		if (f)
			fclose(f);
		free(svg);
		return 1;
	}
	fclose(f);
	if (svg_out)
		rc |= write_text(svg_out, svg);
	if (html_out) {
		FILE *t = open_memstream(&table, &table_len);
		FILE *h;

		/* The table the command printed, again for the page. */
		if (t) {
			replay_print_results(t, listing, NULL, NULL);
			fclose(t);
		}
		h = strcmp(html_out, "-") ? fopen(html_out, "w") : stdout;
		if (!h || simsvg_html(h, title ? title : name, table ? table : "", svg) ||
		    (h != stdout && fclose(h))) {
			msg_err("sim: cannot write %s: %s", html_out,
				strerror(errno));
			rc = 1;
		}
	}
	free(table);
	free(svg);
	return rc;
}

/* --from-listing: the table and pictures of a saved listing. */
static int from_listing(const struct command *cmd, const char *path,
			const char *title, int operands, const char *json_out,
			const char *csv_out, const char *svg_out,
			const char *html_out)
{
	size_t len;
	char *text;
	int rc;

	if (operands)
		return usage_error(cmd, "--from-listing draws a listing: no TRACE");
	text = read_file(path, &len);
	if (!text) {
		msg_err("sim: cannot read %s: %s", path, strerror(errno));
		return 1;
	}
	rc = replay_print_results(stdout, text, json_out, csv_out);
	if (svg_out || html_out)
		rc |= write_pictures(path, title, text, svg_out, html_out);
	free(text);
	return rc ? 1 : 0;
}

static bool parse_size_opt(const char *s, unsigned long *v)
{
	return tw_parse_size(s, v) && *v && !(*v % tw_page_size());
}

int cmd_sim(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scenario", required_argument, NULL, 'S' },
		{ "policy", required_argument, NULL, 'p' },
		{ "search", required_argument, NULL, 'e' },
		{ "lazy-max", required_argument, NULL, 'm' },
		{ "slice-size", required_argument, NULL, 'z' },
		{ "base-align", required_argument, NULL, 'b' },
		{ "va-pools", no_argument, NULL, 'P' },
		{ "scale", required_argument, NULL, 's' },
		{ "samples", required_argument, NULL, 'n' },
		{ "log", required_argument, NULL, 'l' },
		{ "listing", required_argument, NULL, 'L' },
		{ "json", required_argument, NULL, 'j' },
		{ "csv", required_argument, NULL, 'c' },
		{ "svg", required_argument, NULL, 'g' },
		{ "html", required_argument, NULL, 'H' },
		{ "sweep", required_argument, NULL, 'w' },
		{ "jobs", required_argument, NULL, 'J' },
		{ "figure", required_argument, NULL, 'f' },
		{ "from-listing", required_argument, NULL, 'F' },
		{ "title", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *scenario = NULL, *log_out = NULL, *listing_out = NULL;
	const char *json_out = NULL, *csv_out = NULL, *svg_out = NULL;
	const char *html_out = NULL, *name, *from = NULL, *title = NULL;
	struct sweep_out so = { .figure = "ext_frag", .jobs = 1 };
	struct sim_opts o = { 0 };
	char *specs[16], *text, *listing;
	unsigned long v;
	int c, rc, nr_specs = 0;
	double scale = 0;
	size_t len;

	while ((c = sub_getopt(argc, argv, ":h", opts)) != -1) {
		switch (c) {
		case 'h':
			return print_help(cmd);
		case 'S':
			scenario = optarg;
			break;
		case 'p':
			if (sim_policy_opt(cmd, optarg, &o.policies))
				return EXIT_USAGE;
			break;
		case 'e':
			if (sim_search_opt(cmd, optarg, &o.searches))
				return EXIT_USAGE;
			break;
		case 'm':
			if (!parse_uint(optarg, &o.lazy_max_pages) ||
			    !o.lazy_max_pages)
				return usage_error(cmd, "--lazy-max '%s' is not a page count",
						   optarg);
			break;
		case 'z':
			if (!parse_size_opt(optarg, &o.slice_size))
				return usage_error(cmd, "--slice-size '%s' is not a size in pages",
						   optarg);
			break;
		case 'b':
			if (!parse_size_opt(optarg, &o.base_align) ||
			    (o.base_align & (o.base_align - 1)))
				return usage_error(cmd, "--base-align '%s' is not a power of two of at least a page",
						   optarg);
			break;
		case 'P':
			o.va_pools = true;
			break;
		case 's':
			if (!replay_parse_scale(optarg, &scale))
				return usage_error(cmd, "--scale '%s' is not a positive number",
						   optarg);
			break;
		case 'n':
			if (!replay_parse_samples(optarg, &v))
				return usage_error(cmd, "--samples '%s' is not 1..1000",
						   optarg);
			o.samples = (unsigned int)v;
			break;
		case 'l':
			log_out = optarg;
			break;
		case 'L':
			listing_out = optarg;
			break;
		case 'j':
			json_out = optarg;
			break;
		case 'c':
			csv_out = optarg;
			break;
		case 'g':
			svg_out = optarg;
			break;
		case 'H':
			html_out = optarg;
			break;
		case 'w':
			if (nr_specs == (int)(sizeof(specs) / sizeof(specs[0])))
				return usage_error(cmd, "too many --sweep axes");
			specs[nr_specs++] = optarg;
			break;
		case 'J':
			if (!parse_uint(optarg, &v) || !v || v > 256)
				return usage_error(cmd, "--jobs '%s' is not 1..256", optarg);
			so.jobs = (unsigned int)v;
			break;
		case 'f':
			so.figure = optarg;
			break;
		case 'F':
			from = optarg;
			break;
		case 'T':
			title = optarg;
			break;
		default:
			return bad_option(cmd, c, argv);
		}
	}
	/*
	 * "--sweep policy=all lazy_max=32,512": the AXIS=V words after the
	 * first axis are axes too (a trace's path is taken as one only if
	 * it has no '=' or names an existing file).
	 */
	if (nr_specs) {
		int j, k = optind;

		for (j = optind; j < argc; j++) {
			if (strchr(argv[j], '=') && access(argv[j], F_OK)) {
				if (nr_specs == (int)(sizeof(specs) / sizeof(specs[0])))
					return usage_error(cmd, "too many --sweep axes");
				specs[nr_specs++] = argv[j];
			} else {
				argv[k++] = argv[j];
			}
		}
		argc = k;
	}
	if (from)
		return from_listing(cmd, from, title, argc - optind, json_out,
				    csv_out, svg_out, html_out);
	if (!scenario == (optind >= argc))
		return usage_error(cmd, "give a TRACE or --scenario NAME, not both");
	if (optind + (scenario ? 0 : 1) < argc)
		return usage_error(cmd, "unexpected argument '%s'",
				   argv[optind + (scenario ? 0 : 1)]);
	if (nr_specs && (o.policies || o.searches || o.lazy_max_pages ||
			 o.slice_size || log_out || listing_out))
		return usage_error(cmd, "--sweep sets policy, search, lazy_max and slice itself (as its axes)");
	if (!nr_specs && (so.jobs > 1 || strcmp(so.figure, "ext_frag")))
		return usage_error(cmd, "--jobs and --figure are --sweep's");
	if (scenario) {
		unsigned long slice = o.slice_size ? o.slice_size : 16UL << 20;
		char tmp[] = "/tmp/kvalab-sim-XXXXXX";
		int fd = mkstemp(tmp);

		if (fd < 0) {
			msg_err("sim: cannot create %s: %s", tmp, strerror(errno));
			return 1;
		}
		close(fd);
		rc = scenario_write_trace(scenario, slice, tmp);
		if (rc) {
			unlink(tmp);
			return rc;
		}
		name = scenario;
		text = read_file(tmp, &len);
		unlink(tmp);
	} else {
		name = argv[optind];
		text = read_file(name, &len);
	}
	if (!text) {
		msg_err("sim: cannot read %s: %s", name, strerror(errno));
		return 1;
	}
	if (scale) {
		char *scaled = replay_scaled(name, text, len, scale, &len);

		free(text);
		if (!scaled)
			return 1;
		text = scaled;
	}
	if (nr_specs) {
		so.json = json_out;
		so.csv = csv_out;
		so.svg = svg_out;
		so.html = html_out;
		so.samples = o.samples;
		so.base_align = o.base_align;
		so.va_pools = o.va_pools;
		rc = sim_sweep(name, text, len, specs, nr_specs, &so);
		free(text);
		return rc;
	}
	if (log_out && !(o.log = strcmp(log_out, "-") ? fopen(log_out, "w") : stdout)) {
		msg_err("sim: cannot write %s: %s", log_out, strerror(errno));
		free(text);
		return 1;
	}
	listing = sim_listing(name, text, len, &o);
	free(text);
	if (o.log && o.log != stdout && fclose(o.log)) {
		msg_err("sim: cannot write %s: %s", log_out, strerror(errno));
		free(listing);
		return 1;
	}
	if (!listing)
		return 1;
	rc = 0;
	if (listing_out)
		rc |= write_text(listing_out, listing);
	if (!log_out || strcmp(log_out, "-"))
		rc |= replay_print_results(stdout, listing, json_out, csv_out);
	if (svg_out || html_out)
		rc |= write_pictures(name, title, listing, svg_out, html_out);
	free(listing);
	return rc ? 1 : 0;
}
