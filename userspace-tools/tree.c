// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab tree: the augmented free tree (debugfs free_tree) as indented
 * text, as SVG laid out here (x by in-order index among the drawn nodes, y
 * by depth, nodes in their red-black colour, labelled with their start,
 * size and subtree_max_size) or as DOT for Graphviz.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "insight.h"
#include "xml.h"

#define TREE_DEFAULT_DEPTH	6
#define NODE_W		112
#define NODE_H		38
#define STEP_X		120
#define STEP_Y		78
#define MARGIN		24
#define TOP		84

void fmt_size(unsigned long v, char *buf, size_t len)
{
	if (v && !(v & ((1UL << 30) - 1)))
		snprintf(buf, len, "%luG", v >> 30);
	else if (v && !(v & ((1UL << 20) - 1)))
		snprintf(buf, len, "%luM", v >> 20);
	else if (v && !(v & ((1UL << 10) - 1)))
		snprintf(buf, len, "%luK", v >> 10);
	else
		snprintf(buf, len, "%lu", v);
}

void tree_free(struct ftree *t)
{
	free(t->n);
	memset(t, 0, sizeof(*t));
}

int tree_find(const struct ftree *t, unsigned long start)
{
	int i;

	for (i = 0; i < t->nr; i++)
		if (t->n[i].start == start)
			return i;
	return -1;
}

int tree_parse(const char *text, struct ftree *t, char *why, size_t len)
{
	/* The last node seen at each depth: a new node's parent is one up. */
	int last[64];
	const char *p = text;
	int cap = 0, line = 0;

	memset(t, 0, sizeof(*t));
	while (*p) {
		size_t l = strcspn(p, "\n");
		char buf[256], colour[8];
		struct tnode nd = { .parent = -1, .left = -1, .right = -1 };
		unsigned long size;
		int used = 0;

		line++;
		snprintf(buf, sizeof(buf), "%.*s", (int)(l < 255 ? l : 255), p);
		p += l + (p[l] == '\n');
		if (sscanf(buf, "# shown %lu of %lu nodes, cut %lu", &t->shown,
			   &t->total, &t->cut) == 3) {
			t->have_summary = true;
			continue;
		}
		if (buf[0] == '#' || !buf[0])
			continue;
		if (sscanf(buf, "depth=%u %7s [+0x%lx, +0x%lx) size=%lu subtree_max_size=%lu%n",
			   &nd.depth, colour, &nd.start, &nd.end, &size, &nd.max,
			   &used) != 6 || buf[used] ||
		    (strcmp(colour, "red") && strcmp(colour, "black"))) {
			snprintf(why, len, "line %d: not a free_tree node line: '%s'",
				 line, buf);
			goto bad;
		}
		if (nd.end <= nd.start || size != nd.end - nd.start ||
		    nd.max < size) {
			snprintf(why, len, "line %d: inconsistent range, size or subtree_max_size",
				 line);
			goto bad;
		}
		nd.red = !strcmp(colour, "red");
		if (nd.depth >= 64 || (t->nr == 0) != (nd.depth == 0) ||
		    (t->nr && nd.depth > t->n[t->nr - 1].depth + 1)) {
			snprintf(why, len, "line %d: depth %u does not follow the pre-order",
				 line, nd.depth);
			goto bad;
		}
		if (t->nr == cap) {
			struct tnode *n;

			cap = cap ? 2 * cap : 64;
			n = realloc(t->n, (size_t)cap * sizeof(*n));
			if (!n) {
				snprintf(why, len, "out of memory");
				goto bad;
			}
			t->n = n;
		}
		if (nd.depth) {
			struct tnode *par = &t->n[last[nd.depth - 1]];
			int *slot = nd.start < par->start ? &par->left : &par->right;

			if (*slot != -1 || nd.start == par->start) {
				snprintf(why, len, "line %d: [+0x%lx, +0x%lx) has no free place under its parent",
					 line, nd.start, nd.end);
				goto bad;
			}
			*slot = t->nr;
			nd.parent = last[nd.depth - 1];
		}
		last[nd.depth] = t->nr;
		t->n[t->nr++] = nd;
	}
	if (!t->nr && !t->have_summary) {
		snprintf(why, len, "no free_tree lines found");
		goto bad;
	}
	return 0;
bad:
	tree_free(t);
	return -1;
}

/* In-order index of every drawn node (depth < @maxdepth); -1 elsewhere. */
static int tree_layout(struct ftree *t, unsigned int maxdepth)
{
	int i, x = 0, cur = t->nr ? 0 : -1, *stack, sp = 0;

	for (i = 0; i < t->nr; i++)
		t->n[i].x = -1;
	stack = malloc(((size_t)t->nr + 1) * sizeof(*stack));
	if (!stack)
		return -1;
	for (;;) {
		/* A node below the depth bound ends the descent like a leaf. */
		while (cur != -1 && t->n[cur].depth < maxdepth) {
			stack[sp++] = cur;
			cur = t->n[cur].left;
		}
		if (!sp)
			break;
		cur = stack[--sp];
		t->n[cur].x = x++;
		cur = t->n[cur].right;
	}
	free(stack);
	return x;
}

static bool children_cut(const struct tnode *nd,
			 unsigned int maxdepth)
{
	return nd->depth + 1 >= maxdepth && (nd->left != -1 || nd->right != -1);
}

static int hidden(const struct ftree *t, unsigned int maxdepth)
{
	int i, h = 0;

	for (i = 0; i < t->nr; i++)
		h += t->n[i].depth >= maxdepth;
	return h;
}

static void print_node(FILE *f, const struct ftree *t, int i,
		       unsigned int maxdepth)
{
	const struct tnode *nd = &t->n[i];
	char sz[24], mx[24];

	if (nd->depth >= maxdepth)
		return;
	fmt_size(nd->end - nd->start, sz, sizeof(sz));
	fmt_size(nd->max, mx, sizeof(mx));
	fprintf(f, "%*s%s[+0x%lx, +0x%lx) %s size=%s max=%s%s", (int)nd->depth * 4,
		"", nd->parent == -1 ? "" :
		t->n[nd->parent].left == i ? "L " : "R ",
		nd->start, nd->end, nd->red ? "red" : "black", sz, mx,
		children_cut(nd, maxdepth) ? " ..." : "");
	if (nd->step)
		fprintf(f, "   <- step %u: %s%s", nd->step, nd->go,
			nd->chosen ? " (chosen)" : "");
	fputc('\n', f);
}

void tree_print(FILE *f, const struct ftree *t, unsigned int maxdepth)
{
	int i;

	/* Pre-order is the listing's order: print as it comes. */
	for (i = 0; i < t->nr; i++)
		print_node(f, t, i, maxdepth);
	fprintf(f, "# %d nodes listed", t->nr);
	if (t->have_summary)
		fprintf(f, " of %lu (the module cut %lu)", t->total, t->cut);
	fprintf(f, "; %d below --depth %u not shown\n", hidden(t, maxdepth),
		maxdepth);
}

static int node_cx(const struct tnode *nd)
{
	return MARGIN + nd->x * STEP_X + NODE_W / 2;
}

static int node_cy(const struct tnode *nd)
{
	return TOP + (int)nd->depth * STEP_Y + NODE_H / 2;
}

int tree_svg(FILE *f, const struct ftree *t_in, unsigned int maxdepth,
	     const char *title)
{
	struct ftree t = *t_in;
	unsigned int depth = 0;
	int cols, i, w, h;
	bool trace = false;

	cols = tree_layout(&t, maxdepth);
	if (cols < 0)
		return -1;
	for (i = 0; i < t.nr; i++) {
		if (t.n[i].x >= 0 && t.n[i].depth + 1 > depth)
			depth = t.n[i].depth + 1;
		trace |= t.n[i].step != 0;
	}
	w = MARGIN * 2 + (cols ? cols : 1) * STEP_X;
	if (w < 640)
		w = 640;
	h = TOP + (int)(depth ? depth : 1) * STEP_Y + 40;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"monospace\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
		w, h, w, h);
	fputs("<text x=\"24\" y=\"26\" font-size=\"16\" font-weight=\"bold\">", f);
	xml_text(f, title);
	fprintf(f, "</text>\n<text x=\"24\" y=\"46\" font-size=\"12\">%d nodes drawn of %d listed",
		cols, t.nr);
	if (t.have_summary)
		fprintf(f, " (%lu free areas, %lu cut by the module)", t.total, t.cut);
	fprintf(f, "; label: start offset, size / subtree_max_size</text>\n");
	/* Legend. */
	fputs("<g font-size=\"12\">"
	      "<rect x=\"24\" y=\"56\" width=\"14\" height=\"14\" fill=\"#c62828\"/>"
	      "<text x=\"42\" y=\"68\">red node</text>"
	      "<rect x=\"120\" y=\"56\" width=\"14\" height=\"14\" fill=\"#212121\"/>"
	      "<text x=\"138\" y=\"68\">black node</text>", f);
	if (trace)
		fputs("<rect x=\"230\" y=\"56\" width=\"14\" height=\"14\" fill=\"none\" stroke=\"#ff9800\" stroke-width=\"4\"/>"
		      "<text x=\"250\" y=\"68\">visited (step: decision)</text>"
		      "<rect x=\"440\" y=\"56\" width=\"14\" height=\"14\" fill=\"none\" stroke=\"#00c853\" stroke-width=\"4\"/>"
		      "<text x=\"460\" y=\"68\">chosen</text>", f);
	fputs("</g>\n", f);

	/* Edges first, so nodes are drawn over them. */
	for (i = 0; i < t.nr; i++) {
		const struct tnode *nd = &t.n[i], *par;
		bool hot;

		if (nd->x < 0 || nd->parent == -1)
			continue;
		par = &t.n[nd->parent];
		hot = nd->step && par->step;
		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%d\"/>\n",
			node_cx(par), node_cy(par) + NODE_H / 2, node_cx(nd),
			node_cy(nd) - NODE_H / 2, hot ? "#ff9800" : "#9e9e9e",
			hot ? 4 : 1);
	}
	for (i = 0; i < t.nr; i++) {
		const struct tnode *nd = &t.n[i];
		char sz[24], mx[24];
		int x, y;

		if (nd->x < 0)
			continue;
		x = node_cx(nd) - NODE_W / 2;
		y = node_cy(nd) - NODE_H / 2;
		fmt_size(nd->end - nd->start, sz, sizeof(sz));
		fmt_size(nd->max, mx, sizeof(mx));
		fprintf(f, "<g><title>[+0x%lx, +0x%lx) %s size=%lu subtree_max_size=%lu</title>"
			"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\" fill=\"%s\"",
			nd->start, nd->end, nd->red ? "red" : "black",
			nd->end - nd->start, nd->max, x, y, NODE_W, NODE_H,
			nd->red ? "#c62828" : "#212121");
		if (nd->chosen)
			fputs(" stroke=\"#00c853\" stroke-width=\"5\"", f);
		else if (nd->step)
			fputs(" stroke=\"#ff9800\" stroke-width=\"4\"", f);
		fprintf(f, "/><text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#ffffff\" text-anchor=\"middle\">+0x%lx</text>"
			"<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#ffffff\" text-anchor=\"middle\">%s / %s</text>",
			x + NODE_W / 2, y + 15, nd->start, x + NODE_W / 2, y + 30,
			sz, mx);
		if (nd->step) {
			fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#e65100\" text-anchor=\"middle\">",
				x + NODE_W / 2, y + NODE_H + 13);
			fprintf(f, "%u: ", nd->step);
			xml_text(f, nd->go);
			fputs("</text>", f);
		}
		if (children_cut(nd, maxdepth))
			fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#616161\" text-anchor=\"middle\">...</text>",
				x + NODE_W / 2, y + NODE_H + (nd->step ? 26 : 14));
		fputs("</g>\n", f);
	}
	fputs("</svg>\n", f);
	return ferror(f) ? -1 : 0;
}

void tree_dot(FILE *f, const struct ftree *t, unsigned int maxdepth)
{
	int i;

	fputs("digraph free_tree {\n"
	      "\tnode [shape=box, style=\"rounded,filled\", fontcolor=white, fontname=monospace];\n", f);
	for (i = 0; i < t->nr; i++) {
		const struct tnode *nd = &t->n[i];
		char sz[24], mx[24];

		if (nd->depth >= maxdepth)
			continue;
		fmt_size(nd->end - nd->start, sz, sizeof(sz));
		fmt_size(nd->max, mx, sizeof(mx));
		fprintf(f, "\tn%d [label=\"[+0x%lx, +0x%lx)\\nsize %s\\nmax %s\", fillcolor=%s",
			i, nd->start, nd->end, sz, mx, nd->red ? "red3" : "black");
		if (nd->step)
			fprintf(f, ", penwidth=4, color=%s, xlabel=\"%u: %s\"",
				nd->chosen ? "green3" : "orange", nd->step, nd->go);
		fputs("];\n", f);
		if (nd->parent != -1)
			fprintf(f, "\tn%d -> n%d [label=\"%s\"];\n", nd->parent, i,
				t->n[nd->parent].left == i ? "L" : "R");
	}
	fputs("}\n", f);
}

/* Write @t to @path as SVG or DOT; 0, or 1 after a message. */
static int write_out(const char *cmdname, const char *path,
		     const struct ftree *t, unsigned int maxdepth, bool svg,
		     const char *title)
{
	FILE *f = fopen(path, "w");
	int err = 0;

	if (!f) {
		msg_err("%s: cannot write %s: %s", cmdname, path, strerror(errno));
		return 1;
	}
	if (svg)
		err = tree_svg(f, t, maxdepth, title);
	else
		tree_dot(f, t, maxdepth);
	if (fclose(f) || err) {
		msg_err("%s: writing %s failed", cmdname, path);
		return 1;
	}
	return 0;
}

int tree_outputs(const char *cmdname, const struct ftree *t,
		 unsigned int maxdepth, const char *svg, const char *dot,
		 const char *title)
{
	if (svg && write_out(cmdname, svg, t, maxdepth, true, title))
		return 1;
	if (dot && write_out(cmdname, dot, t, maxdepth, false, title))
		return 1;
	return 0;
}

int tree_read(const char *cmdname, struct ftree *t)
{
	char why[512], *text;

	if (debugfs_require(cmdname))
		return 1;
	text = debugfs_read("free_tree", NULL);
	if (!text) {
		msg_err("%s: cannot read %s/free_tree: %s", cmdname,
			debugfs_dir(), strerror(errno));
		return 1;
	}
	if (tree_parse(text, t, why, sizeof(why))) {
		msg_err("%s: %s/free_tree: %s", cmdname, debugfs_dir(), why);
		free(text);
		return 1;
	}
	free(text);
	return 0;
}

bool parse_depth(const char *s, unsigned int *out)
{
	unsigned long v;

	if (!parse_uint(s, &v) || v < 1 || v > 64)
		return false;
	*out = (unsigned int)v;
	return true;
}

int cmd_tree(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "depth", required_argument, NULL, 'd' },
		{ "svg", required_argument, NULL, 's' },
		{ "dot", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *svg = NULL, *dot = NULL;
	unsigned int depth = TREE_DEFAULT_DEPTH;
	struct ftree t;
	int c, ret;

	while ((c = sub_getopt(argc, argv, ":h", opts)) != -1) {
		switch (c) {
		case 'd':
			if (!parse_depth(optarg, &depth))
				return usage_error(cmd, "--depth '%s': expected 1 to 64",
						   optarg);
			break;
		case 's':
			svg = optarg;
			break;
		case 'g':
			dot = optarg;
			break;
		case 'h':
			return print_help(cmd);
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (tree_read(cmd->name, &t))
		return 1;
	tree_print(stdout, &t, depth);
	ret = tree_outputs(cmd->name, &t, depth, svg, dot, "kvalab free tree");
	tree_free(&t);
	return ret;
}
