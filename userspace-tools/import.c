// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab import vmallocinfo|tracefs: convert a kernel's view of its vmalloc
 * space into a kvalab trace (docs/traces.md). The converters are in
 * import_vmallocinfo.c and import_tracefs.c, the writer in trace_write.c.
 *
 * Exit status: 0 written; 1 the input was refused (malformed line, with its
 * number; hashed addresses; a layout that does not fit) or I/O failed;
 * 2 bad command line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trace_write.h"
#include <kvalab/lex.h>	/* KVALAB_SIZE_FORMS */

static int import_usage_check(const struct command *cmd, const char *out,
			      int argc, char **argv)
{
	if (argc - optind < 2)
		return usage_error(cmd, (argc - optind) ? "missing FILE" :
				   "missing KIND (vmallocinfo or tracefs)");
	if (argc - optind > 2)
		return usage_error(cmd, "unexpected argument '%s'",
				   argv[optind + 2]);
	if (!out)
		return usage_error(cmd, "missing -o TRACE");
	return 0;
}

int cmd_import(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "scale", required_argument, NULL, 's' },
		{ "ignore-addresses", no_argument, NULL, 'i' },
		{ "slice-size", required_argument, NULL, 'S' },
		{ "max-gap", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vmi_opts vo = { .max_gap = 64UL << 20 };
	bool vmi_only = false;
	const char *vmi_opt = NULL;
	const char *kind;
	char *end;
	int c, rc;

	while ((c = sub_getopt(argc, argv, ":ho:", opts)) != -1) {
		switch (c) {
		case 'h':
			return print_help(cmd);
		case 'o':
			vo.out = optarg;
			break;
		case 's':
			vmi_only = true;
			vmi_opt = "--scale";
			if (!strcmp(optarg, "fit")) {
				vo.scale_fit = true;
				break;
			}
			errno = 0;
			vo.scale = strtod(optarg, &end);
			if (errno || *end || !(vo.scale > 0) || vo.scale > 1e6)
				return usage_error(cmd,
						   "--scale '%s' is not a positive number or 'fit'",
						   optarg);
			break;
		case 'i':
			vmi_only = true;
			vmi_opt = "--ignore-addresses";
			vo.ignore_addresses = true;
			break;
		case 'S':
			if (!tw_parse_size(optarg, &vo.slice_size) ||
			    !vo.slice_size || vo.slice_size % tw_page_size())
				return usage_error(cmd,
						   "--slice-size '%s' is not a non-zero multiple of the page size (sizes are " KVALAB_SIZE_FORMS ")",
						   optarg);
			break;
		case 'g':
			vmi_only = true;
			vmi_opt = "--max-gap";
			if (!strcmp(optarg, "none")) {
				vo.keep_gaps = true;
				break;
			}
			if (!tw_parse_size(optarg, &vo.max_gap))
				return usage_error(cmd,
						   "--max-gap '%s' is not a size or 'none'",
						   optarg);
			break;
		default:
			return bad_option(cmd, c, argv);
		}
	}
	rc = import_usage_check(cmd, vo.out, argc, argv);
	if (rc)
		return rc;
	kind = argv[optind];
	vo.in = argv[optind + 1];
	if (!strcmp(kind, "vmallocinfo"))
		return import_vmallocinfo(&vo);
	if (strcmp(kind, "tracefs"))
		return usage_error(cmd, "unknown KIND '%s' (vmallocinfo or tracefs)",
				   kind);
	if (vmi_only)
		return usage_error(cmd, "%s applies to vmallocinfo only", vmi_opt);
	{
		struct tfs_opts to = {
			.in = vo.in, .out = vo.out,
			.slice_size = vo.slice_size, .source = "tracefs",
		};
		size_t len;
		char *text = read_file(vo.in, &len);

		if (!text) {
			msg_err("import: cannot read %s: %s", vo.in,
				strerror(errno));
			return 1;
		}
		rc = import_tracefs_text(text, len, &to);
		free(text);
		return rc;
	}
}
