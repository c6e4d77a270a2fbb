// SPDX-License-Identifier: GPL-2.0
/*
 * Charts of one case, as SVG elements the HTML report inlines and
 * --frag-svg stacks into a standalone file:
 *
 * frag_svg_body: two panels over the case's operations (x: op index of
 * worker 0, counted over the repeats), ext_frag (0..1) and largest_free
 * (bytes, 0..the largest sample), one polyline per kvalab backend with
 * samples, in the run's backend order and colours.
 *
 * latency_svg_body: one row per backend and operation (alloc, free,
 * purge) on a log2 ns axis: a bar from p50 to max with marks at p50,
 * p99, p99.9 and max.
 *
 * All geometry follows from the data; an empty chart is never drawn (the
 * callers check there is something to draw).
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "results.h"
#include "xml.h"

#define F_WIDTH		900
#define F_PANEL_W	380
#define F_PANEL_H	200
#define F_LEFT		70
#define F_TOP		60
#define F_GAP		70
#define F_HEIGHT	(F_TOP + F_PANEL_H + 90)

/* By position in the run's backend list, as svg.c (Tableau 10). */
static const char *const palette[NR_BACKENDS] = {
	"#4e79a7", "#f28e2b", "#59a14f", "#e15759",
	"#76b7b2", "#edc948", "#b07aa1", "#9c755f",
};

static const char *const style =
	"<style>text{font-family:sans-serif;font-size:11px;fill:#222}"
	".axis{stroke:#444;stroke-width:1}.grid{stroke:#ddd;stroke-width:1}"
	".title{font-size:13px;font-weight:bold}"
	"polyline{fill:none;stroke-width:1.5}</style>\n";

/* @v bytes as B, K, M or G with at most one decimal. */
static void bytes_text(char *buf, size_t len, double v)
{
	static const char *const units[] = { "B", "K", "M", "G", "T" };
	unsigned int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, v < 10 && u ? "%.1f%s" : "%.0f%s", v, units[u]);
}

static void frag_panel(FILE *f, const struct run_results *r,
		       const struct case_result *c, int x0, bool largest,
		       unsigned long long max_op, unsigned long long max_lf)
{
	unsigned int k, i, t;
	char buf[32];

	fprintf(f, "<text class=\"title\" x=\"%d\" y=\"%d\">%s</text>\n", x0,
		F_TOP - 12, largest ? "largest free area (bytes)" :
		"ext_frag = 1 - largest_free / free_bytes");
	for (t = 0; t <= 4; t++) {
		double y = F_TOP + F_PANEL_H - t * F_PANEL_H / 4.0;

		if (largest)
			bytes_text(buf, sizeof(buf), (double)max_lf * t / 4);
		else
			snprintf(buf, sizeof(buf), "%.2f", t / 4.0);
		fprintf(f, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
			x0, y, x0 + F_PANEL_W, y);
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
			x0 - 6, y + 4, buf);
	}
	fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
		x0, F_TOP + F_PANEL_H, x0 + F_PANEL_W, F_TOP + F_PANEL_H);
	fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
		x0, F_TOP, x0, F_TOP + F_PANEL_H);
	fprintf(f, "<text x=\"%d\" y=\"%d\">0</text>\n", x0, F_TOP + F_PANEL_H + 16);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%llu</text>\n",
		x0 + F_PANEL_W, F_TOP + F_PANEL_H + 16, max_op);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">operation</text>\n",
		x0 + F_PANEL_W / 2, F_TOP + F_PANEL_H + 30);

	for (k = 0; k < r->nr_backends; k++) {
		const struct backend_result *b = &c->be[r->backends[k]];

		if (!b->nr_frag)
			continue;
		fprintf(f, "<polyline stroke=\"%s\" points=\"", palette[k]);
		for (i = 0; i < b->nr_frag; i++) {
			const struct frag_point *p = &b->frag[i];
			double x = x0 + (double)p->op * F_PANEL_W / (double)max_op;
			double v = largest ? (max_lf ? (double)p->largest_free /
						       (double)max_lf : 0) :
				p->ext_frag_e4 / 10000.0;

			fprintf(f, "%s%.1f,%.1f", i ? " " : "", x,
				F_TOP + F_PANEL_H - v * F_PANEL_H);
		}
		fputs("\"/>\n", f);
	}
}

void frag_svg_body(FILE *f, const struct run_results *r, unsigned int ci)
{
	const struct case_result *c = &r->cases[ci];
	unsigned long long max_op = 1, max_lf = 0;
	unsigned int k, i, n = 0;
	int lx;

	for (k = 0; k < r->nr_backends; k++) {
		const struct backend_result *b = &c->be[r->backends[k]];

		for (i = 0; i < b->nr_frag; i++) {
			if (b->frag[i].op > max_op)
				max_op = b->frag[i].op;
			if (b->frag[i].largest_free > max_lf)
				max_lf = b->frag[i].largest_free;
		}
	}
	fprintf(f, "<svg class=\"frag\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		F_WIDTH, F_HEIGHT, F_WIDTH, F_HEIGHT);
	fputs(style, f);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n", f);
	fputs("<text class=\"title\" x=\"10\" y=\"16\">", f);
	xml_text(f, c->name);
	fputs(": fragmentation over operations</text>\n", f);
	frag_panel(f, r, c, F_LEFT, false, max_op, max_lf);
	frag_panel(f, r, c, F_LEFT + F_PANEL_W + F_GAP, true, max_op, max_lf);
	lx = F_LEFT;
	for (k = 0; k < r->nr_backends; k++) {
		const char *name = kvalab_backend_name(r->backends[k]);

		if (!c->be[r->backends[k]].nr_frag)
			continue;
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
			lx, F_HEIGHT - 26, palette[k]);
		fprintf(f, "<text x=\"%d\" y=\"%d\">", lx + 16, F_HEIGHT - 16);
		xml_text(f, name);
		fputs("</text>\n", f);
		lx += 30 + 7 * (int)strlen(name);
		n++;
	}
	(void)n;
	fputs("</svg>\n", f);
}

int results_write_frag_svg(FILE *f, const struct run_results *r)
{
	unsigned int i, n = 0, y = 0;

	for (i = 0; i < r->nr_cases; i++) {
		unsigned int k;

		for (k = 0; k < r->nr_backends; k++)
			if (r->cases[i].be[r->backends[k]].nr_frag)
				break;
		n += k < r->nr_backends;
	}
	/* Nothing to plot: a clear error, not an empty picture. */
	if (!n)
		return -ENODATA;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%u\" viewBox=\"0 0 %d %u\">\n",
		F_WIDTH, n * F_HEIGHT, F_WIDTH, n * F_HEIGHT);
	for (i = 0; i < r->nr_cases; i++) {
		unsigned int k;

		for (k = 0; k < r->nr_backends; k++)
			if (r->cases[i].be[r->backends[k]].nr_frag)
				break;
		if (k == r->nr_backends)
			continue;
		fprintf(f, "<g transform=\"translate(0,%u)\">\n", y);
		frag_svg_body(f, r, i);
		fputs("</g>\n", f);
		y += F_HEIGHT;
	}
	fputs("</svg>\n", f);
	return ferror(f) ? -EIO : 0;
}

/* ---------------------------------------------------------------------- */

#define L_LEFT		190
#define L_WIDTH		560
#define L_ROW		18
#define L_TOP		44

static double lat_x(unsigned long long v, unsigned int max_log)
{
	double l = v ? log2((double)v) : 0;

	return L_LEFT + l * L_WIDTH / max_log;
}

void latency_svg_body(FILE *f, const struct run_results *r, unsigned int ci)
{
	static const char *const marks[] = { "p50", "p99", "p99.9", "max" };
	const struct case_result *c = &r->cases[ci];
	unsigned long long max = 1;
	unsigned int k, op, rows = 0, max_log, e, row = 0;
	int height;

	for (k = 0; k < r->nr_backends; k++) {
		for (op = 0; op < NR_LAT_OPS; op++) {
			const struct lat_summary *l =
				&c->be[r->backends[k]].lat[op];

			if (!l->has || !l->n)
				continue;
			rows++;
			if (l->max > max)
				max = l->max;
		}
	}
	max_log = (unsigned int)ceil(log2((double)max + 1));
	if (max_log < 4)
		max_log = 4;
	height = L_TOP + (int)rows * L_ROW + 50;
	fprintf(f, "<svg class=\"latency\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		L_LEFT + L_WIDTH + 40, height, L_LEFT + L_WIDTH + 40, height);
	fputs(style, f);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n", f);
	fputs("<text class=\"title\" x=\"10\" y=\"16\">", f);
	xml_text(f, c->name);
	fputs(": latency per operation (ns, log scale; bar p50..max, marks p50 p99 p99.9 max)</text>\n", f);
	for (e = 0; e <= max_log; e += max_log > 20 ? 4 : 2) {
		double x = lat_x(1ULL << e, max_log);
		char buf[32];

		if (e >= 30)
			snprintf(buf, sizeof(buf), "%llus", (1ULL << e) / 1000000000ULL);
		else if (e >= 20)
			snprintf(buf, sizeof(buf), "%llums", (1ULL << e) / 1000000ULL);
		else if (e >= 10)
			snprintf(buf, sizeof(buf), "%lluus", (1ULL << e) / 1000ULL);
		else
			snprintf(buf, sizeof(buf), "%lluns", 1ULL << e);
		fprintf(f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n",
			x, L_TOP - 6, x, L_TOP + (int)rows * L_ROW);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
			x, L_TOP + (int)rows * L_ROW + 14, buf);
	}
	for (k = 0; k < r->nr_backends; k++) {
		for (op = 0; op < NR_LAT_OPS; op++) {
			const struct lat_summary *l =
				&c->be[r->backends[k]].lat[op];
			unsigned long long v[4];
			double y = L_TOP + row * L_ROW + L_ROW / 2.0;
			unsigned int m;

			if (!l->has || !l->n)
				continue;
			v[0] = l->p50;
			v[1] = l->p99;
			v[2] = l->p999;
			v[3] = l->max;
			fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", L_LEFT - 8, y + 4);
			xml_text(f, kvalab_backend_name(r->backends[k]));
			fprintf(f, " %s</text>\n", lat_op_names[op]);
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"8\" fill=\"%s\" opacity=\"0.35\"/>\n",
				lat_x(v[0], max_log), y - 4,
				lat_x(v[3], max_log) - lat_x(v[0], max_log) + 1,
				palette[k]);
			for (m = 0; m < 4; m++)
				fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"3\" height=\"%d\" fill=\"%s\"><title>%s %llu ns</title></rect>\n",
					lat_x(v[m], max_log) - 1.5, y - 4 - m,
					8 + 2 * (int)m, palette[k], marks[m], v[m]);
			row++;
		}
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\">taller marks: p50 &lt; p99 &lt; p99.9 &lt; max</text>\n",
		L_LEFT, height - 10);
	fputs("</svg>\n", f);
}
