/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvalab CLI: the pictures of the slice (tree.c, explain.c, mapsvg.c).
 * They read the debugfs listings free_tree, explain, vmallocinfo,
 * free_areas, map and stats (docs/debugfs.md) and draw them as text, SVG
 * (no Graphviz needed: the layout is computed here) or DOT.
 */
#ifndef KVALAB_INSIGHT_H
#define KVALAB_INSIGHT_H

#include <stdbool.h>
#include <stdio.h>

/* One free-tree node from the free_tree listing. */
struct tnode {
	unsigned long start, end;	/* slice offsets */
	unsigned long max;		/* subtree_max_size */
	unsigned int depth;
	bool red;
	int parent, left, right;	/* indexes, -1 for none */
	/* Layout (tree_layout): in-order index among the drawn nodes. */
	int x;
	/* An explain trace on this node (explain.c): first step number. */
	unsigned int step;
	char go[16];			/* the decision taken there */
	bool chosen;
};

struct ftree {
	struct tnode *n;
	int nr;
	unsigned long shown, total, cut;	/* the listing's last line */
	bool have_summary;
};

/*
 * Parse the free_tree listing @text into @t (pre-order lines; the parent
 * of a node is the nearest earlier node one level up, its side follows
 * from the addresses). Returns 0, or -1 with the line and reason in @why.
 */
int tree_parse(const char *text, struct ftree *t, char *why, size_t len);
void tree_free(struct ftree *t);
/* The node holding slice offset @start as its start, or -1. */
int tree_find(const struct ftree *t, unsigned long start);

/* Drawings; nodes deeper than @maxdepth - 1 are left out (and counted). */
void tree_print(FILE *f, const struct ftree *t, unsigned int maxdepth);
int tree_svg(FILE *f, const struct ftree *t, unsigned int maxdepth,
	     const char *title);
void tree_dot(FILE *f, const struct ftree *t, unsigned int maxdepth);

/* Write the SVG and/or DOT files asked for; 0, or 1 after a message. */
int tree_outputs(const char *cmdname, const struct ftree *t,
		 unsigned int maxdepth, const char *svg, const char *dot,
		 const char *title);
/* Read and parse debugfs free_tree; 0, or 1 after a message. */
int tree_read(const char *cmdname, struct ftree *t);
/* --depth's value: 1 to 64. */
bool parse_depth(const char *s, unsigned int *out);

/* "4K", "2M", "3G" for exact multiples, else the byte count. */
void fmt_size(unsigned long v, char *buf, size_t len);

#endif /* KVALAB_INSIGHT_H */
