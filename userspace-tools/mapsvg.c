// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab map [--svg OUT]: without --svg, the debugfs map as the module
 * draws it. With --svg, the slice as a strip wrapped over rows, busy,
 * guard, free and lazy ranges in their own colours with a legend, the
 * slice size and the fragmentation figures of stats. The ranges are exact
 * when the listings show real addresses: busy ones (and their guard pages)
 * from vmallocinfo, free ones from free_areas, lazy ones being what neither
 * covers. When addresses are hidden (kptr_restrict=2 prints zeros) the
 * module's coarse map characters are drawn instead, and the picture says so.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "insight.h"
#include "xml.h"

#define ROWS		16
#define ROW_W		1024
#define ROW_H		26
#define ROW_GAP		8
#define LEFT		110
#define TOP_Y		150
#define PAGE		4096UL

enum kind { K_BUSY, K_GUARD, K_FREE, K_LAZY, K_MIXED, K_POOL, NR_KINDS };

static const char *const kind_names[NR_KINDS] = {
	"busy", "guard page", "free", "lazy (freed, awaiting purge)", "mixed (coarse map cell)",
	"pooled (purged, kept whole for reuse)",
};
static const char *const kind_colours[NR_KINDS] = {
	"#1f77b4", "#ff7f0e", "#b9e3b0", "#9467bd", "#7f7f7f", "#e377c2",
};

struct range {
	unsigned long start, end;	/* slice offsets */
	enum kind kind;
};

struct map {
	struct range *r;
	size_t nr, cap;
	unsigned long size;
	bool coarse;
	unsigned long bytes[NR_KINDS];
	unsigned long count[NR_KINDS];
};

static int add(struct map *m, unsigned long s, unsigned long e, enum kind k)
{
	if (e <= s || e > m->size)
		return -1;
	if (m->nr == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 256;
		struct range *r = realloc(m->r, cap * sizeof(*r));

		if (!r)
			return -1;
		m->r = r;
		m->cap = cap;
	}
	m->r[m->nr++] = (struct range){ s, e, k };
	m->bytes[k] += e - s;
	m->count[k]++;
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Lines "0xA-0xB SIZE ..." of a listing, as offsets from @base. */
static int read_ranges(struct map *m, const char *text, unsigned long base,
		       bool busy)
{
	const char *p = text;

	while (*p) {
		unsigned long a, b, size;
		unsigned int pages;
		const char *pp;
		size_t l = strcspn(p, "\n");
		char line[600];

		snprintf(line, sizeof(line), "%.*s", (int)(l < 599 ? l : 599), p);
		p += l + (p[l] == '\n');
		if (sscanf(line, "0x%lx-0x%lx %lu", &a, &b, &size) != 3)
			continue;
		if (a < base || b <= a || b - a != size)
			return -1;
		a -= base;
		b -= base;
		if (!busy) {
			if (add(m, a, b, K_FREE))
				return -1;
			continue;
		}
		/*
		 * vmallocinfo ends with the lazy areas as "unpurged vm_area"
		 * lines: add_lazy() finds them as the gaps, so skip them. A
		 * vmap block ("vm_map_ram", no page count, no guard) and an
		 * area with no pages (no "pages=", as the kernel prints
		 * nr_pages 0: a replay's VA-only area) are busy VA throughout.
		 */
		if (strstr(line, " unpurged vm_area"))
			continue;
		pp = strstr(line, " pages=");
		if (strstr(line, " vm_map_ram") || !pp) {
			if (add(m, a, b, K_BUSY))
				return -1;
			continue;
		}
		if (sscanf(pp, " pages=%u", &pages) != 1 ||
		    (unsigned long)pages * PAGE > size)
			return -1;
		if (add(m, a, a + (unsigned long)pages * PAGE, K_BUSY) ||
		    (a + (unsigned long)pages * PAGE < b &&
		     add(m, a + (unsigned long)pages * PAGE, b, K_GUARD)))
			return -1;
	}
	return 0;
}

/* Whatever busy and free do not cover is lazy (the tiling is exact). */
static int add_lazy(struct map *m)
{
	unsigned long at = 0;
	size_t i, n = m->nr;

	qsort(m->r, n, sizeof(*m->r), by_start);
	for (i = 0; i < n; i++) {
		if (m->r[i].start < at)
			return -1;
		if (m->r[i].start > at && add(m, at, m->r[i].start, K_LAZY))
			return -1;
		at = m->r[i].end;
	}
	if (at < m->size && add(m, at, m->size, K_LAZY))
		return -1;
	return 0;
}

/* The coarse map: one character per unit of the slice. */
static int read_coarse(struct map *m, const char *text)
{
	unsigned long unit = 0, cell = 0;
	const char *p = strstr(text, "# one char = ");

	if (!p || sscanf(p, "# one char = %lu bytes", &unit) != 1 || !unit)
		return -1;
	m->coarse = true;
	for (p = strchr(p, '\n'); p && *p; p = strchr(p, '\n')) {
		const char *c;

		p++;
		c = strchr(p, ' ');
		if (!c || strncmp(p, "+0x", 3))
			continue;
		for (c++; *c && *c != '\n'; c++, cell++) {
			enum kind k;

			switch (*c) {
			case '#': k = K_BUSY; break;
			case '.': k = K_FREE; break;
			case 'z': k = K_LAZY; break;
			case '+': k = K_MIXED; break;
			case 'p': k = K_POOL; break;
			default: continue;
			}
			if (add(m, cell * unit, (cell + 1) * unit, k))
				return -1;
		}
	}
	return 0;
}

static void stat_or(const char *stats, const char *name, char *out, size_t len)
{
	if (!stats_lookup(stats, name, out, len))
		snprintf(out, len, "?");
}

static void draw(FILE *f, const struct map *m, const char *stats)
{
	const double total = (double)ROWS * ROW_W;
	int w = LEFT + ROW_W + 30, h = TOP_Y + ROWS * (ROW_H + ROW_GAP) + 20;
	char v[8][64], sz[24], row[24];
	static const char *const figs[] = {
		"policy", "free_bytes", "nr_free", "largest_free", "ext_frag",
		"frag_rss", "nr_busy", "nr_lazy",
	};
	size_t i;
	int k;

	for (i = 0; i < 8; i++)
		stat_or(stats, figs[i], v[i], sizeof(v[i]));
	fmt_size(m->size, sz, sizeof(sz));
	fmt_size(m->size / ROWS, row, sizeof(row));
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"monospace\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n"
		"<text x=\"24\" y=\"26\" font-size=\"16\" font-weight=\"bold\">kvalab slice: %s (%lu bytes), %s per row%s</text>\n",
		w, h, w, h, sz, m->size, row,
		m->coarse ? " - coarse map (addresses hidden)" : "");
	fprintf(f, "<text x=\"24\" y=\"48\" font-size=\"12\">policy ");
	xml_text(f, v[0]);
	fputs(" | free_bytes ", f);
	xml_text(f, v[1]);
	fputs(" | nr_free ", f);
	xml_text(f, v[2]);
	fputs(" | largest_free ", f);
	xml_text(f, v[3]);
	fputs(" | ext_frag ", f);
	xml_text(f, v[4]);
	fputs(" | frag_rss ", f);
	xml_text(f, v[5]);
	fputs(" | nr_busy ", f);
	xml_text(f, v[6]);
	fputs(" | nr_lazy ", f);
	xml_text(f, v[7]);
	fputs("</text>\n<g font-size=\"12\">\n", f);
	for (k = 0; k < NR_KINDS; k++) {
		int x = 24 + (k % 3) * 330, y = 66 + (k / 3) * 24;
		char b[24];

		/*
		 * The fine map has no mixed cells and cannot tell pooled VA;
		 * pooled cells are named only where there are some.
		 */
		if ((k == K_MIXED || k == K_POOL) && !m->coarse)
			continue;
		if (k == K_POOL && !m->count[k])
			continue;
		fmt_size(m->bytes[k], b, sizeof(b));
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"16\" height=\"16\" fill=\"%s\" stroke=\"#000000\" stroke-width=\"0.5\"/>"
			"<text x=\"%d\" y=\"%d\">%s: %lu %s, %s</text>\n",
			x, y, kind_colours[k], x + 22, y + 13, kind_names[k],
			m->count[k], m->coarse ? "cells" : "ranges", b);
	}
	fputs("</g>\n", f);
	for (k = 0; k < ROWS; k++) {
		int y = TOP_Y + k * (ROW_H + ROW_GAP);

		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">+0x%lx</text>"
			"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#000000\" stroke-width=\"0.5\"/>\n",
			LEFT - 6, y + 17, m->size / ROWS * (unsigned long)k, LEFT, y,
			ROW_W, ROW_H);
	}
	/* Each range as pixels of the wrapped strip; at least one pixel wide. */
	for (i = 0; i < m->nr; i++) {
		const struct range *r = &m->r[i];
		double x0 = (double)r->start / (double)m->size * total;
		double x1 = (double)r->end / (double)m->size * total;

		if (x1 - x0 < 1)
			x1 = x0 + 1;
		while (x0 < x1 && x0 < total) {
			int rowi = (int)(x0 / ROW_W);
			double rx0 = x0 - rowi * ROW_W;
			double rx1 = x1 - rowi * ROW_W > ROW_W ? ROW_W : x1 - rowi * ROW_W;

			fprintf(f, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\"><title>%s [+0x%lx, +0x%lx)</title></rect>\n",
				LEFT + rx0, TOP_Y + rowi * (ROW_H + ROW_GAP) + 1,
				rx1 - rx0, ROW_H - 2, kind_colours[r->kind],
				kind_names[r->kind], r->start, r->end);
			x0 = (rowi + 1) * (double)ROW_W;
		}
	}
	fputs("</svg>\n", f);
}

static char *must_read(const char *name)
{
	char *t = debugfs_read(name, NULL);

	if (!t)
		msg_err("map: cannot read %s/%s: %s", debugfs_dir(), name,
			strerror(errno));
	return t;
}

int cmd_map(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "svg", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *stats = NULL, *busy = NULL, *free_areas = NULL, *coarse = NULL;
	const char *svg = NULL;
	struct map m = { 0 };
	unsigned long base = 0;
	char val[64];
	int c, ret = 1;
	FILE *f;

	while ((c = sub_getopt(argc, argv, ":h", opts)) != -1) {
		switch (c) {
		case 's':
			svg = optarg;
			break;
		case 'h':
			return print_help(cmd);
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (!svg)
		return debugfs_cat(cmd->name, "map");
	if (debugfs_require(cmd->name))
		return 1;
	stats = must_read("stats");
	if (!stats)
		goto out;
	if (!stats_lookup(stats, "slice_size", val, sizeof(val)) ||
	    !parse_uint(val, &m.size) || !m.size ||
	    !stats_lookup(stats, "slice_start", val, sizeof(val)) ||
	    sscanf(val, "0x%lx", &base) != 1) {
		msg_err("map: %s/stats has no slice_start or slice_size", debugfs_dir());
		goto out;
	}
	if (base) {
		busy = must_read("vmallocinfo");
		free_areas = must_read("free_areas");
		if (!busy || !free_areas)
			goto out;
		if (read_ranges(&m, busy, base, true) ||
		    read_ranges(&m, free_areas, base, false) || add_lazy(&m)) {
			msg_err("map: vmallocinfo and free_areas do not tile the slice (changed while read?)");
			goto out;
		}
	} else {
		coarse = must_read("map");
		if (!coarse)
			goto out;
		if (read_coarse(&m, coarse)) {
			msg_err("map: %s/map is not a kvalab map", debugfs_dir());
			goto out;
		}
	}
	f = fopen(svg, "w");
	if (!f) {
		msg_err("map: cannot write %s: %s", svg, strerror(errno));
		goto out;
	}
	draw(f, &m, stats);
	if (fclose(f)) {
		msg_err("map: writing %s failed", svg);
		goto out;
	}
	printf("map: %s: %zu ranges (%s)\n", svg, m.nr,
	       m.coarse ? "coarse map cells: addresses hidden" : "exact");
	ret = 0;
out:
	free(m.r);
	free(stats);
	free(busy);
	free(free_areas);
	free(coarse);
	return ret;
}
