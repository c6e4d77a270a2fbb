// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab explain: send "explain SIZE [align=N] [noguard]" (a dry run of
 * the active policy's search: nothing changes), then read the explain
 * listing and print its steps with what each decision means. --svg draws
 * the free tree with the visited nodes and the chosen area marked.
 * --saved shows the latest explain already in debugfs instead of running
 * one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "insight.h"

struct meaning {
	const char *kind, *go, *text;
};

/* What each (kind, decision) of docs/debugfs.md's explain listing says. */
static const struct meaning meanings[] = {
	{ "node", "left", "the left subtree holds a big enough area that starts lower: go left" },
	{ "node", "this", "the request fits in this area" },
	{ "node", "right", "nothing to the left or here: the right subtree's max is big enough, go right" },
	{ "node", "up", "no area below holds it (alignment): back up" },
	{ "parent", "this", "back at an ancestor: the request fits in it" },
	{ "parent", "right", "back at an ancestor: try its right subtree" },
	{ "parent", "up", "back at an ancestor: nothing there either, keep going up" },
	{ "entry", "skip", "an area below the candidate address: skip it" },
	{ "entry", "this", "the hole before this area holds the request" },
	{ "entry", "next", "the hole before it is too small: the candidate moves past it" },
	{ "entry", "fail", "the candidate ran past the end of the slice" },
	{ "cache", "hit", "the cached area: the walk resumes right after it" },
	{ "cache", "reset", "the cache is dropped: the walk starts at the bottom" },
	{ "rotor", "from", "next-fit searches from the rotor (the last allocation's end)" },
	{ "rotor", "wrap", "nothing above the rotor: wrap to the slice start" },
	{ "size-node", "left", "big enough: remember it, look for a smaller one on the left" },
	{ "size-node", "right", "too small: go right (larger areas)" },
	{ "class", "this", "the first area of the lowest non-empty class that is sure to fit" },
	{ "class", "next", "an empty size class: skipped" },
	{ "class", "skip", "a class whose areas may fit: try them one by one" },
	{ "candidate", "this", "the request fits in this area" },
	{ "candidate", "next", "alignment makes it miss: next area" },
};

static const struct {
	const char *fit, *text;
} fits[] = {
	{ "FL", "full fit: the free area is used whole" },
	{ "LE", "left edge: the request starts at the free area's start" },
	{ "RE", "right edge: the request ends at the free area's end" },
	{ "NE", "no edge: the free area splits in two" },
};

static const char *meaning(const char *kind, const char *go)
{
	size_t i;

	for (i = 0; i < sizeof(meanings) / sizeof(meanings[0]); i++)
		if (!strcmp(meanings[i].kind, kind) && !strcmp(meanings[i].go, go))
			return meanings[i].text;
	return "";
}

static const char *fit_text(const char *fit)
{
	size_t i;

	for (i = 0; i < sizeof(fits) / sizeof(fits[0]); i++)
		if (!strcmp(fits[i].fit, fit))
			return fits[i].text;
	return "";
}

/* The value of " KEY=" in @line, up to the next blank, or "". */
static void field(const char *line, const char *key, char *out, size_t len)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	if (!p && !strncmp(line, pat + 1, strlen(pat) - 1))
		p = line - 1;
	out[0] = '\0';
	if (p) {
		p += strlen(pat);
		snprintf(out, len, "%.*s", (int)strcspn(p, " \n"), p);
	}
}

/*
 * Print the explain listing @text readably and mark its steps on @t (may
 * be NULL). Returns 0, or -1 if the listing has no explain in it.
 */
static int show_explain(const char *text, struct ftree *t)
{
	const char *p = text;
	bool any = false;

	while (*p) {
		size_t l = strcspn(p, "\n");
		char line[512], kind[16], go[16], fit[8];
		unsigned long a, b, chosen_start;
		unsigned int step;
		int n = 0;

		snprintf(line, sizeof(line), "%.*s", (int)(l < 511 ? l : 511), p);
		p += l + (p[l] == '\n');
		if (!strncmp(line, "# explain ", 10)) {
			printf("%s\n", line + 2);
			any = true;
		} else if (sscanf(line, "step=%u %15s %n", &step, kind, &n) == 2) {
			const char *rest = line + n;

			field(line, "go", go, sizeof(go));
			printf("%4u  %-9s %s\n      -> %s: %s\n", step, kind,
			       rest, go, meaning(kind, go));
			if (t && sscanf(rest, "[+0x%lx, +0x%lx)", &a, &b) == 2) {
				int i = tree_find(t, a);

				if (i >= 0 && t->n[i].end == b && !t->n[i].step) {
					t->n[i].step = step;
					snprintf(t->n[i].go, sizeof(t->n[i].go), "%s", go);
				}
			}
		} else if (sscanf(line, "chosen area=[+0x%lx, +0x%lx)", &chosen_start, &b) == 2) {
			field(line, "fit", fit, sizeof(fit));
			printf("%s\n      -> %s\n", line, fit_text(fit));
			if (t) {
				int i = tree_find(t, chosen_start);

				if (i >= 0)
					t->n[i].chosen = true;
			}
		} else if (line[0]) {
			printf("%s\n", line[0] == '#' ? line + 2 : line);
		}
	}
	return any ? 0 : -1;
}

int cmd_explain(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "align", required_argument, NULL, 'a' },
		{ "noguard", no_argument, NULL, 'n' },
		{ "svg", required_argument, NULL, 's' },
		{ "depth", required_argument, NULL, 'd' },
		{ "saved", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *align = NULL, *svg = NULL;
	bool noguard = false, saved = false;
	unsigned int depth = 16;
	struct ftree t, *tp = NULL;
	char *text;
	int c, ret = 0;

	while ((c = sub_getopt(argc, argv, ":h", opts)) != -1) {
		switch (c) {
		case 'a':
			align = optarg;
			break;
		case 'n':
			noguard = true;
			break;
		case 's':
			svg = optarg;
			break;
		case 'd':
			if (!parse_depth(optarg, &depth))
				return usage_error(cmd, "--depth '%s': expected 1 to 64",
						   optarg);
			break;
		case 'S':
			saved = true;
			break;
		case 'h':
			return print_help(cmd);
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (saved && (optind < argc || align || noguard))
		return usage_error(cmd, "--saved takes no SIZE, --align or --noguard");
	if (!saved && optind >= argc)
		return usage_error(cmd, "missing SIZE");
	if (!saved && optind + 1 < argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
	if (!saved && (!is_word(argv[optind]) || (align && !is_word(align))))
		return usage_error(cmd, "invalid argument '%s'",
				   !is_word(argv[optind]) ? argv[optind] : align);
	if (debugfs_require(cmd->name))
		return 1;

	if (!saved) {
		struct ctl_result res;
		char line[300];

		snprintf(line, sizeof(line), "explain %s%s%s%s", argv[optind],
			 align ? " align=" : "", align ? align : "",
			 noguard ? " noguard" : "");
		if (control_run(line, &res)) {
			msg_err("explain: %s", res.reason);
			return 1;
		}
		if (!res.have_line || strncmp(res.line, "ok explain ", 11)) {
			msg_err("explain: no result line read back from %s/control",
				debugfs_dir());
			return 1;
		}
		/* The result style of every control command: no "ok explain". */
		printf("%s\n", res.line + 11);
	}
	text = debugfs_read("explain", NULL);
	if (!text) {
		msg_err("explain: cannot read %s/explain: %s", debugfs_dir(),
			strerror(errno));
		return 1;
	}
	if (svg) {
		if (tree_read(cmd->name, &t)) {
			free(text);
			return 1;
		}
		tp = &t;
	}
	if (show_explain(text, tp)) {
		msg_err("explain: %s/explain holds no explain yet", debugfs_dir());
		ret = 1;
	} else if (tp) {
		ret = tree_outputs(cmd->name, tp, depth, svg, NULL,
				   "kvalab explain: the search on the free tree");
	}
	if (tp)
		tree_free(tp);
	free(text);
	return ret;
}
