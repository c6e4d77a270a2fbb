// SPDX-License-Identifier: GPL-2.0
/*
 * report: read a run's JSON (or, with --from-results, a saved debugfs
 * results file) and print the same table run prints, optionally converting
 * it to CSV, SVG or JSON again, or draw the fragmentation over time
 * (--frag-svg) and the whole report as one self-contained HTML file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "results.h"

int write_outputs(const char *what, const struct outputs *o,
		  const struct run_results *r)
{
	const struct {
		const char *path;
		int (*writer)(FILE *, const struct run_results *);
	} outs[] = {
		{ o->json, results_write_json },
		{ o->csv, results_write_csv },
		{ o->svg, results_write_svg },
		{ o->frag_svg, results_write_frag_svg },
		{ o->html, results_write_html },
	};
	size_t i;
	int ret = 0;

	for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		int err;

		if (!outs[i].path)
			continue;
		err = results_write_file(outs[i].path, outs[i].writer, r);
		if (err) {
			msg_err("%s: cannot write %s: %s", what, outs[i].path,
				strerror(-err));
			ret = 1;
		}
	}
	return ret;
}

int cmd_report(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "svg", required_argument, NULL, 'S' },
		{ "csv", required_argument, NULL, 'C' },
		{ "json", required_argument, NULL, 'J' },
		{ "from-results", no_argument, NULL, 'F' },
		{ "frag-svg", required_argument, NULL, 'G' },
		{ "html", required_argument, NULL, 'H' },
		{ "latency", no_argument, NULL, 'L' },
		{ "breakdown", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct outputs o = { NULL };
	const char *file;
	struct run_results *r;
	bool from_results = false, latency = false, breakdown = false;
	char err[256];
	char *text;
	int c, ret;

	while ((c = sub_getopt(argc, argv, ":h", opts)) != -1) {
		switch (c) {
		case 'S':
			o.svg = optarg;
			break;
		case 'C':
			o.csv = optarg;
			break;
		case 'J':
			o.json = optarg;
			break;
		case 'G':
			o.frag_svg = optarg;
			break;
		case 'H':
			o.html = optarg;
			break;
		case 'L':
			latency = true;
			break;
		case 'D':
			breakdown = true;
			break;
		case 'F':
			from_results = true;
			break;
		case 'h':
			return print_help(cmd);
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (optind >= argc)
		return usage_error(cmd, "missing FILE");
	if (argc - optind > 1)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
	file = argv[optind];

	text = read_file(file, NULL);
	if (!text) {
		msg_err("report: cannot read %s: %s", file, strerror(errno));
		return 1;
	}
	r = malloc(sizeof(*r));
	if (!r) {
		free(text);
		msg_err("report: out of memory");
		return 1;
	}
	if (from_results) {
		ret = results_parse(text, r, err, sizeof(err));
		snprintf(r->version, sizeof(r->version), "%s", KVALAB_VERSION);
		snprintf(r->kernel, sizeof(r->kernel), "%s", kernel_release());
	} else {
		ret = results_read_json(text, r, err, sizeof(err));
	}
	free(text);
	if (ret) {
		msg_err("report: %s: %s", file, err);
		free(r);
		return 1;
	}
	table_print(stdout, r);
	if (latency)
		latency_print(stdout, r);
	if (breakdown)
		breakdown_print(stdout, r);
	ret = write_outputs("report", &o, r);
	results_release(r);
	free(r);
	return ret;
}
