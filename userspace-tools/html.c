// SPDX-License-Identifier: GPL-2.0
/*
 * The self-contained HTML report (kvalab report FILE --html OUT, and run's
 * --html): one file with no network resource, no script and no external
 * font; every chart is inline SVG. Sections, in order: the run (kernel,
 * params, timing), the results table (one row per case and backend), the
 * ns/op bar chart, per-op latency (table and one chart per case), the
 * fragmentation over operations (one chart per case), and the slice as the
 * run left it (map drawn from the map listing, the free areas, and the
 * free tree listing). A section whose data the results file does not carry
 * says so; nothing is drawn from data that is not there.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"
#include "xml.h"

static const char *const css =
	"body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}"
	"table{border-collapse:collapse;margin:8px 0 16px}"
	"td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}"
	"th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}"
	"pre{background:#f7f7f7;border:1px solid #ddd;padding:8px;font-size:12px;"
	"overflow:auto;max-height:400px}"
	".na{color:#a00;font-style:italic}"
	"svg{display:block;margin:8px 0}.wide{overflow-x:auto}";

static void cell(FILE *f, bool num, const char *text)
{
	fputs(num ? "<td class=\"n\">" : "<td>", f);
	xml_text(f, text);
	fputs("</td>", f);
}

static void ncell(FILE *f, bool have, unsigned long long v)
{
	if (have)
		fprintf(f, "<td class=\"n\">%llu</td>", v);
	else
		fputs("<td class=\"n\">-</td>", f);
}

static void not_available(FILE *f, const char *what)
{
	fputs("<p class=\"na\">", f);
	xml_text(f, what);
	fputs(": not available in this results file.</p>\n", f);
}

static void run_section(FILE *f, const struct run_results *r)
{
	unsigned int i;

	fputs("<h1>kvalab report</h1>\n<p>kvalab ", f);
	xml_text(f, r->version);
	fputs(", kernel ", f);
	xml_text(f, r->kernel);
	fputs(", state ", f);
	xml_text(f, r->state);
	if (r->total)
		fprintf(f, " (%u/%u units)", r->done, r->total);
	fputs("</p>\n<table><tr><th>parameter</th><th>value</th></tr>\n", f);
	for (i = 0; i < r->nr_params; i++) {
		fputs("<tr>", f);
		cell(f, false, r->params[i].key);
		cell(f, false, r->params[i].value);
		fputs("</tr>\n", f);
	}
	if (r->has_timing)
		fprintf(f, "<tr><td>per-op timing</td><td>%s, local_clock() %llu ns a read, fragmentation every %llu ops</td></tr>\n",
			r->latency ? "on" : "off", r->clock_ns, r->frag_every);
	fputs("</table>\n", f);
}

static void results_section(FILE *f, const struct run_results *r)
{
	unsigned int i, k;
	char buf[32];

	fputs("<h2 id=\"results\">Results</h2>\n", f);
	if (!r->nr_cases) {
		not_available(f, "Results (no case finished)");
		return;
	}
	fputs("<table><tr><th>case</th><th>backend</th><th>status</th><th>ops</th><th>ns/op</th><th>p99</th><th>enomem</th><th>ratio</th><th>nr_free</th><th>largest_free</th></tr>\n", f);
	for (i = 0; i < r->nr_cases; i++) {
		const struct case_result *c = &r->cases[i];

		for (k = 0; k < r->nr_backends; k++) {
			unsigned int b = r->backends[k];
			const struct backend_result *be = &c->be[b];
			bool num = backend_has_numbers(be);

			if (be->status == ST_NONE)
				continue;
			fputs("<tr>", f);
			cell(f, false, c->name);
			cell(f, false, kvalab_backend_name(b));
			cell(f, false, status_names[be->status]);
			ncell(f, num, be->ops);
			ncell(f, num, be->loop_ns);
			ncell(f, num, be->p99_ns);
			ncell(f, be->status != ST_SKIP, be->enomem);
			if (b == r->baseline)
				snprintf(buf, sizeof(buf), "base");
			else if (c->has_ratios[b])
				snprintf(buf, sizeof(buf), "%.3f", c->ratios[b]);
			else
				snprintf(buf, sizeof(buf), "-");
			cell(f, true, buf);
			ncell(f, be->has_space, be->nr_free);
			ncell(f, be->has_space, be->largest_free);
			fputs("</tr>\n", f);
		}
	}
	fputs("</table>\n<p>ns/op: median over repeats and workers of the measured loop's time per iteration.</p>\n", f);
}

/* The bar chart of svg.c, without its XML declaration. */
static void bars_section(FILE *f, const struct run_results *r)
{
	char *buf = NULL, *body;
	size_t len = 0;
	FILE *m;

	fputs("<h2 id=\"bars\">ns per operation</h2>\n", f);
	if (!r->nr_cases) {
		not_available(f, "ns/op chart");
		return;
	}
	m = open_memstream(&buf, &len);
	if (!m || results_write_svg(m, r) || fclose(m)) {
		not_available(f, "ns/op chart (out of memory)");
		free(buf);
		return;
	}
	body = strstr(buf, "<svg");
	fputs(body ? body : "", f);
	free(buf);
}

static void lat_cells(FILE *f, const struct lat_summary *l)
{
	ncell(f, l->has, l->p50);
	ncell(f, l->has, l->p99);
	ncell(f, l->has, l->p999);
	ncell(f, l->has, l->max);
}

static void latency_section(FILE *f, const struct run_results *r)
{
	unsigned int i, k;

	fputs("<h2 id=\"latency\">Latency per operation</h2>\n", f);
	if (!results_has_latency(r)) {
		not_available(f, "Per-op latency");
		return;
	}
	fputs("<div class=\"wide\"><table><tr><th>case</th><th>backend</th><th>alloc p50</th><th>p99</th><th>p99.9</th><th>max</th><th>free p50</th><th>p99</th><th>p99.9</th><th>max</th><th>purges</th><th>purge p50</th><th>p99</th><th>p99.9</th><th>max</th><th>areas/purge max</th><th>pages/purge max</th></tr>\n", f);
	for (i = 0; i < r->nr_cases; i++) {
		const struct case_result *c = &r->cases[i];

		for (k = 0; k < r->nr_backends; k++) {
			unsigned int b = r->backends[k];
			const struct backend_result *be = &c->be[b];
			const struct lat_summary *p = &be->lat[LAT_PURGE];

			if (!be->lat[LAT_ALLOC].has && !be->lat[LAT_FREE].has &&
			    !p->has)
				continue;
			fputs("<tr>", f);
			cell(f, false, c->name);
			cell(f, false, kvalab_backend_name(b));
			lat_cells(f, &be->lat[LAT_ALLOC]);
			lat_cells(f, &be->lat[LAT_FREE]);
			ncell(f, p->has, p->n);
			lat_cells(f, p);
			ncell(f, p->has, be->purge_areas.max);
			ncell(f, p->has, be->purge_pages.max);
			fputs("</tr>\n", f);
		}
	}
	fputs("</table></div>\n<p>ns; percentiles are the upper bound of the log2 bucket holding that rank, at most max.</p>\n", f);
	for (i = 0; i < r->nr_cases; i++) {
		bool any = false;

		for (k = 0; k < r->nr_backends; k++) {
			const struct backend_result *be =
				&r->cases[i].be[r->backends[k]];

			any |= (be->lat[LAT_ALLOC].has && be->lat[LAT_ALLOC].n) ||
			       (be->lat[LAT_FREE].has && be->lat[LAT_FREE].n) ||
			       (be->lat[LAT_PURGE].has && be->lat[LAT_PURGE].n);
		}
		if (any)
			latency_svg_body(f, r, i);
	}
}

static void frag_section(FILE *f, const struct run_results *r)
{
	unsigned int i, k;

	fputs("<h2 id=\"frag\">Fragmentation over time</h2>\n", f);
	if (!results_has_frag(r)) {
		not_available(f, "Fragmentation samples");
		return;
	}
	for (i = 0; i < r->nr_cases; i++) {
		for (k = 0; k < r->nr_backends; k++)
			if (r->cases[i].be[r->backends[k]].nr_frag)
				break;
		if (k < r->nr_backends)
			frag_svg_body(f, r, i);
	}
}

/* Colours of the map listing's characters (debugfs.md, "map"). */
static const char *map_colour(char ch)
{
	switch (ch) {
	case '#': return "#4e79a7";	/* busy */
	case '.': return "#59a14f";	/* free */
	case 'z': return "#f28e2b";	/* lazy */
	case '+': return "#b07aa1";	/* mixed */
	case 'p': return "#e377c2";	/* pooled (va_pools) */
	case ' ': return "#dddddd";	/* in no tree (in transit) */
	default: return NULL;
	}
}

#define MAP_COLS	64
#define MAP_CELL	12

/*
 * The cells of a map listing into @cells (at least strlen(@text) bytes);
 * their count, or -1 if @text is not a map listing. The module's format:
 * "# one char = N bytes; ..." then rows "+0xOFFSET CHARS"; the older one
 * "unit: N bytes per character, M characters" then rows of CHARS.
 */
static int map_cells(const char *text, char *cells, unsigned long long *unit)
{
	bool rows_have_offset;
	const char *p = strchr(text, '\n');
	unsigned int dummy;
	int n = 0;

	if (sscanf(text, "# one char = %llu bytes", unit) == 1)
		rows_have_offset = true;
	else if (sscanf(text, "unit: %llu bytes per character, %u characters",
			unit, &dummy) == 2)
		rows_have_offset = false;
	else
		return -1;
	while (p && *++p) {
		const char *eol = strchr(p, '\n');
		const char *q = p;

		if (!eol)
			eol = p + strlen(p);
		if (rows_have_offset) {
			if (*q != '+')
				return -1;
			q = memchr(q, ' ', (size_t)(eol - q));
			if (!q)
				return -1;
			q++;
		}
		for (; q < eol; q++) {
			if (!map_colour(*q) || (!rows_have_offset && *q == ' '))
				return -1;
			cells[n++] = *q;
		}
		p = *eol ? eol : NULL;
	}
	return n;
}

static void map_svg(FILE *f, const char *text)
{
	static const char *const legend[] = {
		"#", "busy", ".", "free", "z", "any lazy", "p", "pooled",
		"+", "mixed",
	};
	unsigned long long unit = 0;
	unsigned int rows, i;
	char *cells;
	int n, h;

	cells = malloc(strlen(text) + 1);
	if (!cells)
		return;
	n = map_cells(text, cells, &unit);
	if (n <= 0) {
		not_available(f, "Map picture (the map listing is not in a known format)");
		free(cells);
		return;
	}
	rows = ((unsigned int)n + MAP_COLS - 1) / MAP_COLS;
	h = (int)rows * MAP_CELL + 50;
	fprintf(f, "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		MAP_COLS * MAP_CELL + 20, h, MAP_COLS * MAP_CELL + 20, h);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n", f);
	for (i = 0; i < (unsigned int)n; i++)
		fprintf(f, "<rect x=\"%u\" y=\"%u\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"0.5\"/>\n",
			10 + i % MAP_COLS * MAP_CELL, i / MAP_COLS * MAP_CELL,
			MAP_CELL, MAP_CELL, map_colour(cells[i]));
	for (i = 0; i < sizeof(legend) / sizeof(legend[0]) / 2; i++) {
		fprintf(f, "<rect x=\"%u\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>",
			10 + i * 100, h - 36, map_colour(legend[2 * i][0]));
		fprintf(f, "<text x=\"%u\" y=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%s</text>\n",
			26 + i * 100, h - 26, legend[2 * i + 1]);
	}
	fprintf(f, "<text x=\"10\" y=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%d cells of %llu bytes</text>\n",
		h - 8, n, unit);
	fputs("</svg>\n", f);
	free(cells);
}

static void listing(FILE *f, const char *title, const char *text)
{
	fputs("<h3>", f);
	xml_text(f, title);
	fputs("</h3>\n", f);
	if (!text) {
		not_available(f, title);
		return;
	}
	/* vmallocinfo has no header: an empty slice gives an empty file. */
	if (!*text) {
		fputs("<p class=\"na\">", f);
		xml_text(f, title);
		fputs(": empty.</p>\n", f);
		return;
	}
	fputs("<pre>", f);
	xml_text(f, text);
	fputs("</pre>\n", f);
}

static void state_section(FILE *f, const struct run_results *r)
{
	fputs("<h2 id=\"state\">The slice when the run ended</h2>\n", f);
	fputs("<h3>Map</h3>\n", f);
	if (r->snap[SNAP_MAP])
		map_svg(f, r->snap[SNAP_MAP]);
	else
		not_available(f, "Map");
	listing(f, "Map listing", r->snap[SNAP_MAP]);
	listing(f, "Free areas", r->snap[SNAP_FREE_AREAS]);
	listing(f, "Free tree", r->snap[SNAP_FREE_TREE]);
	listing(f, "Busy areas (vmallocinfo)", r->snap[SNAP_VMALLOCINFO]);
}

int results_write_html(FILE *f, const struct run_results *r)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>kvalab report</title>\n<style>", f);
	fputs(css, f);
	fputs("</style>\n</head>\n<body>\n", f);
	run_section(f, r);
	results_section(f, r);
	bars_section(f, r);
	latency_section(f, r);
	frag_section(f, r);
	state_section(f, r);
	fputs("</body>\n</html>\n", f);
	return ferror(f) ? -EIO : 0;
}
