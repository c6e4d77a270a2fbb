// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only views: list (vmallocinfo), free-areas, lazy-areas, map,
 * results, stats.
 * The files are printed as the module wrote them; only stats is parsed, to
 * pick one value or to turn the "name: value" lines into JSON.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *command;
	const char *file;
} views[] = {
	{ "list", "vmallocinfo" },
	{ "free-areas", "free_areas" },
	{ "lazy-areas", "lazy_areas" },
	{ "results", "results" },
};

int cmd_show(const struct command *cmd, int argc, char **argv)
{
	size_t i;
	int ret = simple_opts(cmd, argc, argv, false, 0);

	if (ret)
		return ret < 0 ? 0 : ret;
	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		if (!strcmp(views[i].command, cmd->name))
			return debugfs_cat(cmd->name, views[i].file);
	return usage_error(cmd, "no debugfs file for this command");
}

/* Find "NAME: value" in the stats text; false if there is no such line. */
bool stats_lookup(const char *text, const char *name, char *val, size_t len)
{
	size_t nlen = strlen(name);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, name, nlen) && p[nlen] == ':') {
			const char *v = p + nlen + 1;
			size_t vlen;

			v += strspn(v, " \t");
			vlen = strcspn(v, "\n");
			snprintf(val, len, "%.*s", (int)vlen, v);
			return true;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

/* Every "name: value" line as one JSON object. */
static void stats_json(const char *text)
{
	const char *p = text;
	bool first = true;

	putchar('{');
	while (*p) {
		size_t linelen = strcspn(p, "\n");
		const char *colon = memchr(p, ':', linelen);

		if (colon) {
			char name[64], val[128];
			const char *v = colon + 1 + strspn(colon + 1, " \t");

			snprintf(name, sizeof(name), "%.*s", (int)(colon - p), p);
			snprintf(val, sizeof(val), "%.*s",
				 (int)(p + linelen - v), v);
			printf("%s", first ? "" : ",");
			json_string(stdout, name);
			putchar(':');
			/* ext_frag, frag_rss: fixed point D.DDDD, a number. */
			if (strlen(val) == 6 && val[1] == '.' &&
			    strspn(val, "0123456789.") == 6 && val[0] != '.')
				fputs(val, stdout);
			else
				json_auto_value(stdout, val);
			first = false;
		}
		p += linelen;
		if (*p)
			p++;
	}
	printf("}\n");
}

int cmd_stats(const struct command *cmd, int argc, char **argv)
{
	int ret = simple_opts(cmd, argc, argv, true, 1);
	char *text;

	if (ret)
		return ret < 0 ? 0 : ret;
	if (debugfs_require("stats"))
		return 1;
	text = debugfs_read("stats", NULL);
	if (!text) {
		msg_err("stats: cannot read %s/stats: %s%s", debugfs_dir(),
			strerror(errno), errno == EACCES ? " (run as root)" : "");
		return 1;
	}
	if (optind < argc) {
		char val[128];
		const char *name = argv[optind];

		if (!stats_lookup(text, name, val, sizeof(val))) {
			msg_err("stats: no counter named '%s'", name);
			free(text);
			return 1;
		}
		if (opt_json) {
			putchar('{');
			json_string(stdout, name);
			putchar(':');
			json_auto_value(stdout, val);
			printf("}\n");
		} else {
			printf("%s\n", val);
		}
	} else if (opt_json) {
		stats_json(text);
	} else {
		fputs(text, stdout);
	}
	free(text);
	return 0;
}
