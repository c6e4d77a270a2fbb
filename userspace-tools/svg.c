// SPDX-License-Identifier: GPL-2.0
/*
 * A standalone SVG grouped bar chart: per case one bar per backend of the
 * run, in its order (median ns/op, with a p99 whisker), the ratios over the
 * baseline (above the group when there is one ratio, above each bar when
 * there are more), a y axis with round ticks, a legend, and a title naming
 * the kernel and the run params. All geometry is derived from the struct;
 * nothing is fixed per case or per backend count.
 */
#include <errno.h>
#include <string.h>

#include "results.h"
#include "xml.h"

#define PLOT_TOP	96
#define PLOT_HEIGHT	300
#define MARGIN_LEFT	90	/* at least; more if the first label needs it */
#define MARGIN_RIGHT	40
#define MARGIN_BOTTOM	180
/* Horizontal extent per character of a label rotated by 35 degrees. */
#define LABEL_CHAR_DX	5.8
#define GROUP_MIN	84	/* a group's width, or its bars' plus padding */
#define GROUP_PAD	24
#define BAR_WIDTH	26
#define BAR_GAP		4
#define MIN_WIDTH	560
/* Legend entries: a swatch, the name at about this many px per character. */
#define LEGEND_CHAR_DX	6.5

/* By position in the run's backend list (Tableau 10). */
static const char *const colours[NR_BACKENDS] = {
	"#4e79a7", "#f28e2b", "#59a14f", "#e15759",
	"#76b7b2", "#edc948", "#b07aa1", "#9c755f",
};

static int group_width(const struct run_results *r)
{
	int bars = (int)r->nr_backends * (BAR_WIDTH + BAR_GAP) - BAR_GAP;

	return bars + GROUP_PAD > GROUP_MIN ? bars + GROUP_PAD : GROUP_MIN;
}

static unsigned int nr_ratios(const struct run_results *r)
{
	unsigned int k, n = 0;

	for (k = 0; k < r->nr_backends; k++)
		n += r->backends[k] != r->baseline;
	return n;
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
		for (b = 0; b < r->nr_backends; b++) {
			const struct backend_result *be =
				&r->cases[i].be[r->backends[b]];

			if (!backend_has_numbers(be))
				continue;
			if (be->loop_ns > max)
				max = be->loop_ns;
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

/*
 * One bar of backend @b (colour @k, its place in the run) and its whisker;
 * returns the topmost y it drew at.
 */
static double draw_bar(FILE *f, const struct case_result *c, unsigned int b,
		       unsigned int k, double x, unsigned long long ymax)
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
	top = y_of(be->loop_ns, ymax);
	whisker = y_of(be->p99_ns, ymax);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>",
		x, top, BAR_WIDTH, base - top, colours[k]);
	xml_text(f, c->name);
	fprintf(f, " on %s: %s, median %llu ns/op, p99 %llu, min %llu, max %llu, %llu ops</title></rect>\n",
		kvalab_backend_name(b), status_names[be->status], be->loop_ns,
		be->p99_ns, be->min_ns, be->max_ns, be->ops);
	if (be->p99_ns > be->loop_ns) {
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

	double x = left;

	fprintf(f, "<text class=\"title\" x=\"%d\" y=\"28\">kvalab: ns per operation by backend</text>\n",
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
	(void)width;
	for (b = 0; b < r->nr_backends; b++) {
		const char *name = kvalab_backend_name(r->backends[b]);

		fprintf(f, "<rect x=\"%.1f\" y=\"74\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
			x, colours[b]);
		fprintf(f, "<text class=\"legend\" x=\"%.1f\" y=\"84\">%s</text>\n",
			x + 16, name);
		x += 16 + strlen(name) * LEGEND_CHAR_DX + 14;
	}
}

int results_write_svg(FILE *f, const struct run_results *r)
{
	int gw = group_width(r);
	int plot_width = (int)(r->nr_cases ? r->nr_cases : 1) * gw;
	/* The first case's rotated label must not leave the picture. */
	int label = r->nr_cases ? (int)(strlen(r->cases[0].name) * LABEL_CHAR_DX) -
				  gw / 2 + 10 : 0;
	int left = label > MARGIN_LEFT ? label : MARGIN_LEFT;
	int width = left + plot_width + MARGIN_RIGHT;
	int height = PLOT_TOP + PLOT_HEIGHT + MARGIN_BOTTOM;
	unsigned long long max = max_value(r), step, ymax;
	unsigned int i, k, b, legend = 0, n = r->nr_backends;
	bool one = nr_ratios(r) == 1;
	const char *floor_note = results_has_kv_floor(r) ?
		"; kvalab/floor: kvalab median / floor median" : "";

	/* The legend is one line from the left edge of the plot. */
	for (k = 0; k < n; k++)
		legend += 30 + (unsigned int)(strlen(kvalab_backend_name(r->backends[k])) *
					      LEGEND_CHAR_DX);
	if (width < left + (int)legend + MARGIN_RIGHT)
		width = left + (int)legend + MARGIN_RIGHT;
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
	      ".bar { font-size: 9px; }\n"
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
		double group_x = left + (double)i * gw;
		double bars_x = group_x + (gw - (double)n * BAR_WIDTH -
					   (n ? n - 1 : 0) * BAR_GAP) / 2.0;
		double centre = group_x + gw / 2.0;
		double top = PLOT_TOP + PLOT_HEIGHT;

		fputs("<g class=\"case\">\n", f);
		for (k = 0; k < n; k++) {
			double x = bars_x + k * (BAR_WIDTH + BAR_GAP);
			double t;

			b = r->backends[k];
			t = draw_bar(f, c, b, k, x, ymax);
			if (t < top)
				top = t;
			if (one || b == r->baseline || !c->has_ratios[b])
				continue;
			/* Several ratios: each above its own bar. */
			fprintf(f, "<text class=\"ratio bar\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.3f</text>\n",
				x + BAR_WIDTH / 2.0, t - 4, c->ratios[b]);
		}
		if (one) {
			fprintf(f, "<text class=\"ratio\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
				centre, top - 6);
			for (k = 0; k < n; k++)
				if (r->backends[k] != r->baseline)
					break;
			if (c->has_ratios[r->backends[k]])
				fprintf(f, "%.3f", c->ratios[r->backends[k]]);
			else
				fputs("n/a", f);
			fputs("</text>\n", f);
		}
		/* kvalab over floor above everything else of the group. */
		if (results_has_kv_floor(r) && c->has_kv_floor)
			fprintf(f, "<text class=\"ratio floor\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">kvalab/floor %.3f</text>\n",
				centre, top - (one ? 20 : 16), c->kv_floor);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-35 %.1f %d)\">",
			centre, PLOT_TOP + PLOT_HEIGHT + 16, centre,
			PLOT_TOP + PLOT_HEIGHT + 16);
		xml_text(f, c->name);
		fputs("</text>\n</g>\n", f);
	}
	if (one) {
		for (k = 0; k < n; k++)
			if (r->backends[k] != r->baseline)
				break;
		fprintf(f, "<text class=\"sub\" x=\"%d\" y=\"%d\">ratio above each group: %s median / %s median%s</text>\n",
			left, height - 12, kvalab_backend_name(r->backends[k]),
			kvalab_backend_name(r->baseline), floor_note);
	} else if (n > 1) {
		fprintf(f, "<text class=\"sub\" x=\"%d\" y=\"%d\">ratio above each bar: its median / %s median%s</text>\n",
			left, height - 12, kvalab_backend_name(r->baseline),
			floor_note);
	}
	fputs("</svg>\n", f);
	return ferror(f) ? -EIO : 0;
}
