// SPDX-License-Identifier: GPL-2.0
/*
 * A standalone SVG grouped bar chart: per case one bar per backend (median
 * ns/op, with a p99 whisker), the ratio above each group, a y axis with
 * round ticks, a legend, and a title naming the kernel and the run params.
 * All geometry is derived from the struct; nothing is fixed per case.
 */
#include <errno.h>
#include <string.h>

#include "results.h"

#define PLOT_TOP	96
#define PLOT_HEIGHT	300
#define MARGIN_LEFT	90	/* at least; more if the first label needs it */
#define MARGIN_RIGHT	40
#define MARGIN_BOTTOM	180
/* Horizontal extent per character of a label rotated by 35 degrees. */
#define LABEL_CHAR_DX	5.8
#define GROUP_WIDTH	84
#define BAR_WIDTH	26
#define BAR_GAP		4
#define MIN_WIDTH	560

static const char *const colours[NR_BACKENDS] = { "#4e79a7", "#f28e2b" };

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			/* Control bytes are not allowed in XML 1.0. */
			if ((unsigned char)*s >= 0x20)
				fputc(*s, f);
		}
	}
}

/* The smallest 1, 2 or 5 times a power of ten that is >= @raw. */
static unsigned long long nice_step(unsigned long long raw)
{
	unsigned long long p = 1;

	for (;;) {
		if (raw <= p)
			return p;
		if (raw <= 2 * p)
			return 2 * p;
		if (raw <= 5 * p)
			return 5 * p;
		if (p > ~0ULL / 100)
			return p * 10;
		p *= 10;
	}
}

static unsigned long long max_value(const struct run_results *r)
{
	unsigned long long max = 0;
	unsigned int i, b;

	for (i = 0; i < r->nr_cases; i++) {
		for (b = 0; b < NR_BACKENDS; b++) {
			const struct backend_result *be = &r->cases[i].be[b];

			if (!backend_has_numbers(be))
				continue;
			if (be->median_ns > max)
				max = be->median_ns;
			if (be->p99_ns > max)
				max = be->p99_ns;
		}
	}
	return max;
}

static double y_of(unsigned long long v, unsigned long long ymax)
{
	return PLOT_TOP + PLOT_HEIGHT - (double)v * PLOT_HEIGHT / (double)ymax;
}

static void draw_axis(FILE *f, int left, int width, unsigned long long ymax,
		      unsigned long long step)
{
	unsigned long long v;

	for (v = 0; v <= ymax; v += step) {
		double y = y_of(v, ymax);

		fprintf(f, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
			left, y, width - MARGIN_RIGHT, y);
		fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
			left - 5, y, left, y);
		fprintf(f, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%llu</text>\n",
			left - 8, y + 4, v);
	}
	fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
		left, PLOT_TOP, left, PLOT_TOP + PLOT_HEIGHT);
	fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
		left, PLOT_TOP + PLOT_HEIGHT, width - MARGIN_RIGHT,
		PLOT_TOP + PLOT_HEIGHT);
	fprintf(f, "<text class=\"label\" transform=\"translate(22,%d) rotate(-90)\" text-anchor=\"middle\">ns per operation (median; whisker: p99)</text>\n",
		PLOT_TOP + PLOT_HEIGHT / 2);
}

/* One bar and its whisker; returns the topmost y it drew at. */
static double draw_bar(FILE *f, const struct case_result *c, unsigned int b,
		       double x, unsigned long long ymax)
{
	const struct backend_result *be = &c->be[b];
	double base = PLOT_TOP + PLOT_HEIGHT, top, whisker;

	if (!backend_has_numbers(be)) {
		/* No timing: say why at the foot of the empty slot. */
		fprintf(f, "<text class=\"none\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
			x + BAR_WIDTH / 2.0, base - 4,
			be->status == ST_NONE ? "-" : status_names[be->status]);
		return base - 14;
	}
	top = y_of(be->median_ns, ymax);
	whisker = y_of(be->p99_ns, ymax);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>",
		x, top, BAR_WIDTH, base - top, colours[b]);
	xml_text(f, c->name);
	fprintf(f, " on %s: %s, median %llu ns/op, p99 %llu, min %llu, max %llu, %llu ops</title></rect>\n",
		backend_names[b], status_names[be->status], be->median_ns,
		be->p99_ns, be->min_ns, be->max_ns, be->ops);
	if (be->p99_ns > be->median_ns) {
		double mid = x + BAR_WIDTH / 2.0;

		fprintf(f, "<line class=\"whisker\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
			mid, top, mid, whisker);
		fprintf(f, "<line class=\"whisker\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
			mid - 5, whisker, mid + 5, whisker);
		return whisker;
	}
	return top;
}

static void draw_title(FILE *f, const struct run_results *r, int left,
		       int width)
{
	unsigned int i, b;

	fprintf(f, "<text class=\"title\" x=\"%d\" y=\"28\">kvalab vs vmalloc: ns per operation</text>\n",
		left);
	fprintf(f, "<text class=\"sub\" x=\"%d\" y=\"48\">kernel ", left);
	xml_text(f, r->kernel);
	fputs(", kvalab ", f);
	xml_text(f, r->version);
	fputs(", state ", f);
	xml_text(f, r->state);
	fputs("</text>\n", f);
	fprintf(f, "<text class=\"sub\" x=\"%d\" y=\"66\">", left);
	for (i = 0; i < r->nr_params; i++) {
		fputs(i ? " " : "", f);
		xml_text(f, r->params[i].key);
		fputc('=', f);
		xml_text(f, r->params[i].value);
	}
	fputs("</text>\n", f);
	for (b = 0; b < NR_BACKENDS; b++) {
		int x = width - MARGIN_RIGHT - 170 + (int)b * 85;

		fprintf(f, "<rect x=\"%d\" y=\"72\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
			x, colours[b]);
		fprintf(f, "<text class=\"legend\" x=\"%d\" y=\"82\">%s</text>\n",
			x + 16, backend_names[b]);
	}
}

int results_write_svg(FILE *f, const struct run_results *r)
{
	int plot_width = (int)(r->nr_cases ? r->nr_cases : 1) * GROUP_WIDTH;
	/* The first case's rotated label must not leave the picture. */
	int label = r->nr_cases ? (int)(strlen(r->cases[0].name) * LABEL_CHAR_DX) -
				  GROUP_WIDTH / 2 + 10 : 0;
	int left = label > MARGIN_LEFT ? label : MARGIN_LEFT;
	int width = left + plot_width + MARGIN_RIGHT;
	int height = PLOT_TOP + PLOT_HEIGHT + MARGIN_BOTTOM;
	unsigned long long max = max_value(r), step, ymax;
	unsigned int i, b;

	if (width < MIN_WIDTH)
		width = MIN_WIDTH;
	step = nice_step(max ? (max + 4) / 5 : 1);
	ymax = ((max + step - 1) / step) * step;
	if (!ymax)
		ymax = step;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		width, height, width, height);
	fputs("<style>\n"
	      "text { font-family: sans-serif; font-size: 12px; fill: #222; }\n"
	      ".title { font-size: 16px; font-weight: bold; }\n"
	      ".sub, .tick, .none { font-size: 11px; fill: #555; }\n"
	      ".ratio { font-size: 11px; font-weight: bold; }\n"
	      ".grid { stroke: #ddd; stroke-width: 1; }\n"
	      ".axis { stroke: #222; stroke-width: 1; }\n"
	      ".whisker { stroke: #222; stroke-width: 1.5; }\n"
	      "</style>\n", f);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n",
		width, height);
	draw_title(f, r, left, width);
	draw_axis(f, left, width, ymax, step);

	for (i = 0; i < r->nr_cases; i++) {
		const struct case_result *c = &r->cases[i];
		double group_x = left + (double)i * GROUP_WIDTH;
		double bars_x = group_x + (GROUP_WIDTH - NR_BACKENDS * BAR_WIDTH -
					   (NR_BACKENDS - 1) * BAR_GAP) / 2.0;
		double centre = group_x + GROUP_WIDTH / 2.0;
		double top = PLOT_TOP + PLOT_HEIGHT;

		fputs("<g class=\"case\">\n", f);
		for (b = 0; b < NR_BACKENDS; b++) {
			double t = draw_bar(f, c, b,
					    bars_x + b * (BAR_WIDTH + BAR_GAP), ymax);

			if (t < top)
				top = t;
		}
		fprintf(f, "<text class=\"ratio\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
			centre, top - 6);
		if (c->has_ratio)
			fprintf(f, "%.3f", c->ratio);
		else
			fputs("n/a", f);
		fputs("</text>\n", f);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-35 %.1f %d)\">",
			centre, PLOT_TOP + PLOT_HEIGHT + 16, centre,
			PLOT_TOP + PLOT_HEIGHT + 16);
		xml_text(f, c->name);
		fputs("</text>\n</g>\n", f);
	}
	fprintf(f, "<text class=\"sub\" x=\"%d\" y=\"%d\">ratio above each group: kvalab median / vmalloc median</text>\n",
		left, height - 12);
	fputs("</svg>\n", f);
	return ferror(f) ? -EIO : 0;
}
