// SPDX-License-Identifier: GPL-2.0
/*
 * The pictures of `kvalab sim` (simsvg.h):
 *
 * simsvg_frag: a replay_results listing (docs/debugfs.md; the sim writes
 * the module's lines) as two panels over the operations, ext_frag (0..1)
 * and largest_free (0..the largest sample, in K/M/G), one polyline per
 * result in listing order and Tableau 10 colours, as fragsvg.c draws a
 * run's cases. A result's samples are the sample lines after it.
 *
 * simsvg_heatmap: one figure over a grid of runs (policies x settings),
 * each cell labelled with its value, coloured red..yellow..green from the
 * bad end to the good end of the finite values.
 *
 * simsvg_html: a page holding one of them under the text it came from.
 *
 * All geometry follows from the data. The listing is untrusted text: any
 * line that is not a well-formed result or sample line is skipped, and
 * every string of it reaches the output escaped and as valid UTF-8, so the
 * documents stay well-formed XML whatever the input.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "simsvg.h"
#include "xml.h"

/* Tableau 10, in fragsvg.c's order for the first eight. */
static const char *const palette[] = {
	"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
	"#edc948", "#b07aa1", "#9c755f", "#ff9da7", "#bab0ac",
};
#define NR_COLOURS	(sizeof(palette) / sizeof(palette[0]))

static const char *const style =
	"<style>text{font-family:sans-serif;font-size:11px;fill:#222}"
	".axis{stroke:#444;stroke-width:1}.grid{stroke:#ddd;stroke-width:1}"
	".title{font-size:13px;font-weight:bold}.sub{fill:#555}"
	"polyline{fill:none;stroke-width:2;stroke-linejoin:round}"
	".cell{stroke:#fff;stroke-width:1}.v{font-size:12px}</style>\n";

/* ---- output helpers ---------------------------------------------------- */

/* Close the document: 0, or -1 with errno EIO if @f saw a write error. */
static int finish(FILE *f)
{
	if (ferror(f)) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* The smallest 1, 2 or 5 times a power of ten that is >= @raw (> 0). */
static double nice_step(double raw)
{
	double p, m;

	if (!(raw > 0) || !isfinite(raw))
		return 1;
	p = pow(10, floor(log10(raw)));
	m = raw / p;
	/* log10's rounding may leave m a hair above a step: 1e-9 of slack. */
	if (m <= 1 + 1e-9)
		return p;
	if (m <= 2 + 1e-9)
		return 2 * p;
	if (m <= 5 + 1e-9)
		return 5 * p;
	return 10 * p;
}

/* ---- the listing -------------------------------------------------------- */

struct point {
	unsigned long long op, largest_free;
	double ext_frag;		/* 0..1 */
	size_t seq;			/* listing order, to sort stably */
};

struct series {
	const char *policy, *search;	/* in the listing, not terminated */
	size_t plen, slen;
	struct point *pt;
	size_t nr, cap;
	char label[104];
	unsigned int colour;		/* among the drawn series */
};

struct frag {
	struct series *s;
	size_t nr, cap;
	size_t drawn;			/* series with samples */
	unsigned long long max_op, max_lf;
};

/*
 * The value of token @key= in the line [@p, @end): tokens are separated by
 * blanks; the first token with that key counts. NULL if there is none.
 */
static const char *kv_find(const char *p, const char *end, const char *key,
			   size_t *vlen)
{
	size_t klen = strlen(key);

	while (p < end) {
		const char *t;

		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		t = p;
		while (p < end && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if ((size_t)(p - t) > klen && !memcmp(t, key, klen) &&
		    t[klen] == '=') {
			*vlen = (size_t)(p - t) - klen - 1;
			return t + klen + 1;
		}
	}
	return NULL;
}

/* Token @key= of the line as a decimal number; false if absent or bad. */
static bool kv_ull(const char *p, const char *end, const char *key,
		   unsigned long long *out)
{
	unsigned long long v = 0;
	size_t n, i;
	const char *s = kv_find(p, end, key, &n);

	if (!s || !n)
		return false;
	for (i = 0; i < n; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (ULLONG_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static struct series *new_series(struct frag *fr, const char *policy,
				 size_t plen)
{
	struct series *s;

	if (fr->nr == fr->cap) {
		size_t cap = fr->cap ? 2 * fr->cap : 8;

		s = realloc(fr->s, cap * sizeof(*s));
		if (!s)
			return NULL;
		fr->s = s;
		fr->cap = cap;
	}
	s = &fr->s[fr->nr++];
	memset(s, 0, sizeof(*s));
	s->policy = policy;
	s->plen = plen;
	return s;
}

static bool same(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && (!alen || !memcmp(a, b, alen));
}

/*
 * The series a sample of @policy belongs to: the current one (the last
 * result line) when the policy matches or the sample names none, else the
 * last series of that policy, else a new one (samples without their result
 * line, as in a cut listing).
 */
static struct series *sample_series(struct frag *fr, struct series *cur,
				    const char *policy, size_t plen)
{
	size_t i;

	if (cur && (!policy || same(cur->policy, cur->plen, policy, plen)))
		return cur;
	for (i = fr->nr; i-- > 0;)
		if (policy && same(fr->s[i].policy, fr->s[i].plen, policy, plen))
			return &fr->s[i];
	return new_series(fr, policy ? policy : "?", policy ? plen : 1);
}

static int add_point(struct series *s, const struct point *p)
{
	if (s->nr == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct point *pt = realloc(s->pt, cap * sizeof(*pt));

		if (!pt)
			return -1;
		s->pt = pt;
		s->cap = cap;
	}
	s->pt[s->nr++] = *p;
	return 0;
}

static int point_cmp(const void *a, const void *b)
{
	const struct point *x = a, *y = b;

	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void frag_free(struct frag *fr)
{
	size_t i;

	for (i = 0; i < fr->nr; i++)
		free(fr->s[i].pt);
	free(fr->s);
}

/* Is the first token of the line [@p, @end) @word? */
static bool first_token(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return (size_t)(end - p) >= n && !memcmp(p, word, n) &&
	       (p + n == end || p[n] == ' ' || p[n] == '\t' || p[n] == '\r');
}

/* Parse @listing into @fr; 0, or -1 with errno ENOMEM. */
static int frag_parse(struct frag *fr, const char *listing)
{
	const char *p = listing;
	struct series *cur = NULL;
	size_t seq = 0;

	while (*p) {
		const char *end = strchr(p, '\n');
		const char *pol, *srch;
		size_t plen = 0, slen = 0;
		unsigned long long ef;
		struct point pt;

		if (!end)
			end = p + strlen(p);
		pol = kv_find(p, end, "policy", &plen);
		if (first_token(p, end, "result")) {
			/* Its samples follow: a new series, even for a known policy. */
			cur = new_series(fr, pol ? pol : "?", pol ? plen : 1);
			if (!cur)
				goto nomem;
			srch = kv_find(p, end, "search", &slen);
			cur->search = srch;
			cur->slen = srch ? slen : 0;
		} else if (first_token(p, end, "sample") &&
			   kv_ull(p, end, "op", &pt.op) &&
			   kv_ull(p, end, "largest_free", &pt.largest_free) &&
			   kv_ull(p, end, "ext_frag_e4", &ef)) {
			struct series *s = sample_series(fr, cur, pol, plen);

			if (!s)
				goto nomem;
			cur = s;
			/* ext_frag_e4 is ext_frag x 10000: 0..10000. */
			pt.ext_frag = ef >= 10000 ? 1 : ef / 10000.0;
			pt.seq = seq++;
			if (add_point(s, &pt))
				goto nomem;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
nomem:
	errno = ENOMEM;
	return -1;
}

static int bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c ? c : (alen > blen) - (alen < blen);
}

/* By policy, then search, then listing order (the series' places). */
static int series_cmp(const void *a, const void *b)
{
	const struct series *x = *(const struct series *const *)a;
	const struct series *y = *(const struct series *const *)b;
	int c = bytes_cmp(x->policy, x->plen, y->policy, y->plen);

	if (!c)
		c = bytes_cmp(x->search ? x->search : "", x->slen,
			      y->search ? y->search : "", y->slen);
	return c ? c : (x > y) - (x < y);
}

/*
 * Label series @s: the policy; "policy/search" when the listing has @dup
 * > 1 results of that policy; " #@nth" on top when even that pair repeats
 * (@pairs > 1: the same run twice). Capped at 48 bytes of policy and 32 of
 * search: legend room is not the listing's to set.
 */
static void label(struct series *s, size_t dup, size_t pairs, size_t nth)
{
	int plen = (int)(s->plen < 48 ? s->plen : 48);
	int slen = (int)(s->slen < 32 ? s->slen : 32);
	const char *search = s->search ? s->search : "";

	if (dup < 2)
		snprintf(s->label, sizeof(s->label), "%.*s", plen, s->policy);
	else if (pairs < 2)
		snprintf(s->label, sizeof(s->label), "%.*s/%.*s", plen,
			 s->policy, slen, search);
	else
		snprintf(s->label, sizeof(s->label), "%.*s/%.*s #%zu", plen,
			 s->policy, slen, search, nth);
}

/*
 * Labels and colours of the series, their points sorted by op, and the
 * axes' maxima. Equal policies are found by sorting (a listing may hold
 * any number of result lines). 0, or -1 with errno ENOMEM.
 */
static int frag_label(struct frag *fr)
{
	struct series **by;
	size_t i, j, k, l, m;

	by = malloc((fr->nr ? fr->nr : 1) * sizeof(*by));
	if (!by) {
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < fr->nr; i++)
		by[i] = &fr->s[i];
	qsort(by, fr->nr, sizeof(*by), series_cmp);
	/* Runs of one policy [i, j), and in them runs of one search [k, l). */
	for (i = 0; i < fr->nr; i = j) {
		for (j = i + 1; j < fr->nr; j++)
			if (!same(by[i]->policy, by[i]->plen, by[j]->policy,
				  by[j]->plen))
				break;
		for (k = i; k < j; k = l) {
			for (l = k + 1; l < j; l++)
				if (!same(by[k]->search, by[k]->slen,
					  by[l]->search, by[l]->slen))
					break;
			for (m = k; m < l; m++)
				label(by[m], j - i, l - k, m - k + 1);
		}
	}
	free(by);
	/* Colours by listing order among the series that are drawn. */
	for (i = 0; i < fr->nr; i++) {
		struct series *s = &fr->s[i];

		if (!s->nr)
			continue;
		qsort(s->pt, s->nr, sizeof(*s->pt), point_cmp);
		s->colour = (unsigned int)fr->drawn++;
		for (j = 0; j < s->nr; j++) {
			if (s->pt[j].op > fr->max_op)
				fr->max_op = s->pt[j].op;
			if (s->pt[j].largest_free > fr->max_lf)
				fr->max_lf = s->pt[j].largest_free;
		}
	}
	return 0;
}

/* ---- simsvg_frag --------------------------------------------------------- */

#define F_LEFT		80
#define F_PANEL_W	380
#define F_PANEL_H	220
#define F_GAP		90
#define F_RIGHT		40
#define F_TOP		76
#define F_WIDTH		(F_LEFT + 2 * F_PANEL_W + F_GAP + F_RIGHT)
#define F_LEGEND_Y	(F_TOP + F_PANEL_H + 52)
#define F_LEGEND_ROW	18
/* Legend entries: a swatch, the label at about this many px per byte. */
#define F_CHAR_DX	6.5

/* An axis of @n + 1 ticks, 0..@max step @step; labels per @unit. */
struct axis {
	double max, step;
	double unit;			/* bytes per label unit, or 1 */
	const char *suffix;
	int n;
};

static void tick_text(char *buf, size_t len, const struct axis *a, int t)
{
	double v = t * a->step;

	if (*a->suffix && v == 0) {
		snprintf(buf, len, "0");
	} else if (*a->suffix) {
		/* Binary units: one decimal only where the step needs it. */
		snprintf(buf, len, a->step < 1 ? "%.1f%s" : "%.0f%s", v,
			 a->suffix);
	} else if (a->unit == 0) {
		/* ext_frag, a fraction. */
		snprintf(buf, len, "%.1f", v);
	} else if (v >= 10000 && fmod(v, 1000) == 0) {
		snprintf(buf, len, "%.0fk", v / 1000);
	} else {
		snprintf(buf, len, "%.0f", v);
	}
}

/* The op axis: round steps of at least one op, up to max_op or above. */
static void op_axis(struct axis *a, unsigned long long max_op)
{
	double m = max_op ? (double)max_op : 1;

	a->step = nice_step(m / 5);
	if (a->step < 1)
		a->step = 1;
	a->n = (int)ceil(m / a->step - 1e-9);
	if (a->n < 1)
		a->n = 1;
	a->max = a->n * a->step;
	a->unit = 1;
	a->suffix = "";
}

/*
 * The largest_free axis in the largest of B, K, M, G, T not above the
 * maximum, so the labels read "2M", "512K"; round steps in that unit.
 */
static void bytes_axis(struct axis *a, unsigned long long max_lf)
{
	static const char *const units[] = { "B", "K", "M", "G", "T" };
	double m = max_lf ? (double)max_lf : 1;
	unsigned int u = 0;

	a->unit = 1;
	while (m >= 1024 && u < 4) {
		m /= 1024;
		a->unit *= 1024;
		u++;
	}
	a->suffix = units[u];
	a->step = nice_step(m / 5);
	/* Whole bytes at least. */
	if (!u && a->step < 1)
		a->step = 1;
	a->n = (int)ceil(m / a->step - 1e-9);
	if (a->n < 1)
		a->n = 1;
	a->max = a->n * a->step * a->unit;
}

/* One panel: ext_frag when !@largest, largest_free when @largest. */
static void frag_panel(FILE *f, const struct frag *fr, int x0, bool largest,
		       const struct axis *xa, const struct axis *ya)
{
	const int y0 = F_TOP + F_PANEL_H;	/* the x axis */
	char buf[40];
	size_t i, j;
	int t;

	fprintf(f, "<text class=\"title\" x=\"%d\" y=\"%d\">%s</text>\n", x0,
		F_TOP - 12, largest ? "largest free area (bytes)" :
		"ext_frag = 1 - largest_free / free_bytes");
	for (t = 0; t <= ya->n; t++) {
		double y = y0 - (double)t * F_PANEL_H / ya->n;

		tick_text(buf, sizeof(buf), ya, t);
		fprintf(f, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
			x0, y, x0 + F_PANEL_W, y);
		fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
			x0 - 4, y, x0, y);
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
			x0 - 7, y + 4, buf);
	}
	for (t = 0; t <= xa->n; t++) {
		double x = x0 + (double)t * F_PANEL_W / xa->n;

		tick_text(buf, sizeof(buf), xa, t);
		fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n",
			x, y0, x, y0 + 4);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
			x, y0 + 16, buf);
	}
	fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
		x0, y0, x0 + F_PANEL_W, y0);
	fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
		x0, F_TOP, x0, y0);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">operation</text>\n",
		x0 + F_PANEL_W / 2, y0 + 32);

	for (i = 0; i < fr->nr; i++) {
		const struct series *s = &fr->s[i];
		/* Past ten series the colours repeat, dashed. */
		const char *dash = s->colour >= NR_COLOURS ?
			" stroke-dasharray=\"6,3\"" : "";
		const char *colour = palette[s->colour % NR_COLOURS];

		if (!s->nr)
			continue;
		fprintf(f, "<polyline stroke=\"%s\"%s points=\"", colour, dash);
		for (j = 0; j < s->nr; j++) {
			const struct point *p = &s->pt[j];
			double v = largest ? (double)p->largest_free / ya->max :
				p->ext_frag;

			fprintf(f, "%s%.1f,%.1f", j ? " " : "",
				x0 + (double)p->op * F_PANEL_W / xa->max,
				y0 - v * F_PANEL_H);
		}
		fputs("\"><title>", f);
		xml_text(f, s->label);
		fputs("</title></polyline>\n", f);
		/* A single sample is no line: mark it. */
		if (s->nr == 1)
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
				x0 + (double)s->pt[0].op * F_PANEL_W / xa->max,
				y0 - (largest ? (double)s->pt[0].largest_free /
				      ya->max : s->pt[0].ext_frag) * F_PANEL_H,
				colour);
	}
}

/* The legend's rows: entries left to right, wrapped at the picture's edge. */
static int frag_legend(FILE *f, const struct frag *fr, bool draw)
{
	double x = F_LEFT;
	int row = 0;
	size_t i;

	for (i = 0; i < fr->nr; i++) {
		const struct series *s = &fr->s[i];
		double w = 16 + strlen(s->label) * F_CHAR_DX + 18, lx;
		const char *colour;
		int y;

		if (!s->nr)
			continue;
		if (x > F_LEFT && x + w > F_WIDTH - F_RIGHT) {
			x = F_LEFT;
			row++;
		}
		y = F_LEGEND_Y + row * F_LEGEND_ROW;
		lx = x;
		x += w;
		if (!draw)
			continue;
		colour = palette[s->colour % NR_COLOURS];
		if (s->colour >= NR_COLOURS)
			/* A repeated colour: its swatch is dashed like its line. */
			fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\" stroke-dasharray=\"4,2\"/>\n",
				lx, y - 4, lx + 12, y - 4, colour);
		else
			fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
				lx, y - 10, colour);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\">", lx + 16, y);
		xml_text(f, s->label);
		fputs("</text>\n", f);
	}
	return row + 1;
}

int simsvg_frag(FILE *f, const char *listing, const char *title)
{
	struct frag fr = { 0 };
	struct axis xa, ya, ea = { .max = 1, .step = 0.2, .unit = 0,
				   .suffix = "", .n = 5 };
	size_t i, samples = 0;
	int height;

	if (!f || !listing) {
		errno = EINVAL;
		return -1;
	}
	if (frag_parse(&fr, listing) || frag_label(&fr)) {
		int err = errno;

		frag_free(&fr);
		errno = err;
		return -1;
	}
	/* Nothing to plot: a clear error, not an empty picture. */
	if (!fr.drawn) {
		frag_free(&fr);
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < fr.nr; i++)
		samples += fr.s[i].nr;
	op_axis(&xa, fr.max_op);
	bytes_axis(&ya, fr.max_lf);
	height = F_LEGEND_Y + frag_legend(NULL, &fr, false) * F_LEGEND_ROW + 8;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg class=\"simfrag\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		F_WIDTH, height, F_WIDTH, height);
	fputs(style, f);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n", f);
	fputs("<text class=\"title\" x=\"10\" y=\"20\">", f);
	if (title)
		xml_text(f, title);
	else
		fputs("kvalab sim: fragmentation over operations", f);
	fputs("</text>\n", f);
	fprintf(f, "<text class=\"sub\" x=\"10\" y=\"38\">%zu series, %zu samples: one line per result with samples, in listing order</text>\n",
		fr.drawn, samples);
	frag_panel(f, &fr, F_LEFT, false, &xa, &ea);
	frag_panel(f, &fr, F_LEFT + F_PANEL_W + F_GAP, true, &xa, &ya);
	frag_legend(f, &fr, true);
	fputs("</svg>\n", f);
	frag_free(&fr);
	return finish(f);
}

/* ---- simsvg_heatmap ------------------------------------------------------ */

#define H_TOP		84	/* the first row of cells */
#define H_CELL_H	30
#define H_CELL_MIN	76
#define H_CHAR_DX	7.0
#define H_LABEL_MAX	60	/* bytes of a label that count for layout */
#define H_SCALE_STEPS	20
#define H_SCALE_W	10

/* The red (bad), yellow and green (good) ends of the scale: Tableau 10. */
static const unsigned char scale_rgb[3][3] = {
	{ 0xe1, 0x57, 0x59 }, { 0xed, 0xc9, 0x48 }, { 0x59, 0xa1, 0x4f },
};

/* The colour of goodness @g, 0 (bad) to 1 (good). */
static void scale_colour(char *buf, size_t len, double g)
{
	const unsigned char *a, *b;
	unsigned char c[3];
	unsigned int k;

	if (!(g > 0))
		g = 0;
	if (g > 1)
		g = 1;
	if (g <= 0.5) {
		a = scale_rgb[0];
		b = scale_rgb[1];
		g *= 2;
	} else {
		a = scale_rgb[1];
		b = scale_rgb[2];
		g = (g - 0.5) * 2;
	}
	for (k = 0; k < 3; k++)
		c[k] = (unsigned char)lround(a[k] + (b[k] - a[k]) * g);
	snprintf(buf, len, "#%02x%02x%02x", c[0], c[1], c[2]);
}

static size_t label_len(const char *const *labels, int i)
{
	size_t n = labels && labels[i] ? strlen(labels[i]) : 0;

	return n < H_LABEL_MAX ? n : H_LABEL_MAX;
}

/* Label @i of @labels, or its index when there is none. */
static void label_text(FILE *f, const char *const *labels, int i)
{
	if (labels && labels[i])
		xml_text(f, labels[i]);
	else
		fprintf(f, "%d", i);
}

int simsvg_heatmap(FILE *f, const char *title, const char *figure,
		   int rows, const char *const *row_labels,
		   int cols, const char *const *col_labels,
		   const double *v, bool lower_is_better)
{
	double min = INFINITY, max = -INFINITY;
	long left, cw, width, height, scale_y;
	size_t lmax = 1, cmax = 4;
	char colour[8], buf[40];
	size_t k, n;
	bool any = false;
	int r, c;

	if (!f || !v || rows < 1 || cols < 1) {
		errno = EINVAL;
		return -1;
	}
	for (r = 0; r < rows; r++)
		if (label_len(row_labels, r) > lmax)
			lmax = label_len(row_labels, r);
	for (c = 0; c < cols; c++)
		if (label_len(col_labels, c) > cmax)
			cmax = label_len(col_labels, c);
	n = (size_t)rows * (size_t)cols;
	for (k = 0; k < n; k++) {
		if (!isfinite(v[k]))
			continue;
		any = true;
		if (v[k] < min)
			min = v[k];
		if (v[k] > max)
			max = v[k];
	}
	/*
	 * Room for the row labels at the left, the widest column label (or
	 * value: %.4g is at most 10 characters) in a cell.
	 */
	left = 16 + (long)(lmax * H_CHAR_DX) + 10;
	cw = (long)((cmax > 10 ? cmax : 10) * H_CHAR_DX) + 12;
	if (cw < H_CELL_MIN)
		cw = H_CELL_MIN;
	width = left + cols * cw + 20;
	scale_y = H_TOP + (long)rows * H_CELL_H + 24;
	height = scale_y + 40;
	/* The title and the scale (20 steps and their labels) must fit. */
	if (width < 440)
		width = 440;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg class=\"simheat\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%ld\" height=\"%ld\" viewBox=\"0 0 %ld %ld\">\n",
		width, height, width, height);
	fputs(style, f);
	/*
	 * No value: grey with dark hatching. Every heatmap defines this id
	 * with the same content, so a page inlining several stays consistent.
	 */
	fputs("<defs><pattern id=\"simsvg-nan\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	      "<rect width=\"6\" height=\"6\" fill=\"#e4e4e4\"/>"
	      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#aaa\" stroke-width=\"2\"/>"
	      "</pattern></defs>\n", f);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n", f);
	fputs("<text class=\"title\" x=\"10\" y=\"20\">", f);
	xml_text(f, title);
	fputs("</text>\n<text class=\"sub\" x=\"10\" y=\"38\">", f);
	xml_text(f, figure);
	fprintf(f, " (%s is better; hatched: no value)</text>\n",
		lower_is_better ? "lower" : "higher");

	for (c = 0; c < cols; c++) {
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
			left + c * cw + cw / 2.0, H_TOP - 8);
		label_text(f, col_labels, c);
		fputs("</text>\n", f);
	}
	for (r = 0; r < rows; r++) {
		long y = H_TOP + (long)r * H_CELL_H;

		fprintf(f, "<text x=\"%ld\" y=\"%ld\" text-anchor=\"end\">",
			left - 8, y + H_CELL_H / 2 + 4);
		label_text(f, row_labels, r);
		fputs("</text>\n", f);
		for (c = 0; c < cols; c++) {
			double x = v[(size_t)r * (size_t)cols + (size_t)c];
			long cx = left + c * cw;

			if (isfinite(x)) {
				double t = max > min ? (x - min) / (max - min) : 0.5;

				/* Equal values are neither end: yellow. */
				scale_colour(colour, sizeof(colour),
					     max > min && lower_is_better ? 1 - t : t);
				snprintf(buf, sizeof(buf), "%.4g", x);
				fprintf(f, "<rect class=\"cell\" x=\"%ld\" y=\"%ld\" width=\"%ld\" height=\"%d\" fill=\"%s\"><title>",
					cx, y, cw, H_CELL_H, colour);
			} else {
				snprintf(buf, sizeof(buf), "%s", isnan(x) ? "-" :
					 x > 0 ? "inf" : "-inf");
				fprintf(f, "<rect class=\"cell none\" x=\"%ld\" y=\"%ld\" width=\"%ld\" height=\"%d\" fill=\"url(#simsvg-nan)\"><title>",
					cx, y, cw, H_CELL_H);
			}
			label_text(f, row_labels, r);
			fputs(", ", f);
			label_text(f, col_labels, c);
			fprintf(f, ": %s</title></rect>\n", isnan(x) ? "no value" : buf);
			fprintf(f, "<text class=\"v\" x=\"%.1f\" y=\"%ld\" text-anchor=\"middle\">%s</text>\n",
				cx + cw / 2.0, y + H_CELL_H / 2 + 4, buf);
		}
	}

	/* The scale, min at the left: its colours run the way the cells do. */
	if (any) {
		fprintf(f, "<text x=\"74\" y=\"%ld\" text-anchor=\"end\">%.4g</text>\n",
			scale_y + 12, min);
		for (r = 0; r < H_SCALE_STEPS; r++) {
			double t = (r + 0.5) / H_SCALE_STEPS;

			scale_colour(colour, sizeof(colour),
				     max > min ? (lower_is_better ? 1 - t : t) : 0.5);
			fprintf(f, "<rect x=\"%d\" y=\"%ld\" width=\"%d\" height=\"14\" fill=\"%s\"/>\n",
				80 + r * H_SCALE_W, scale_y, H_SCALE_W, colour);
		}
		fprintf(f, "<text x=\"%d\" y=\"%ld\">%.4g</text>\n",
			80 + H_SCALE_STEPS * H_SCALE_W + 8, scale_y + 12, max);
		fprintf(f, "<text class=\"sub\" x=\"%d\" y=\"%ld\">min .. max of the values; green: better</text>\n",
			80, scale_y + 30);
	} else {
		fprintf(f, "<text class=\"sub\" x=\"10\" y=\"%ld\">no cell has a value</text>\n",
			scale_y + 12);
	}
	fputs("</svg>\n", f);
	return finish(f);
}

/* ---- simsvg_html --------------------------------------------------------- */

static const char *const css =
	"body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}"
	"pre{background:#f7f7f7;border:1px solid #ddd;padding:8px;font-size:12px;"
	"overflow:auto;max-height:400px}"
	"svg{display:block;margin:8px 0}.wide{overflow-x:auto}";

/* The <svg element of @s: "<svg" then a blank or '>', or NULL. */
static const char *svg_start(const char *s)
{
	for (s = strstr(s, "<svg"); s; s = strstr(s + 4, "<svg"))
		if (s[4] == ' ' || s[4] == '\t' || s[4] == '\n' ||
		    s[4] == '\r' || s[4] == '>')
			return s;
	return NULL;
}

int simsvg_html(FILE *f, const char *title, const char *pre_text,
		const char *svg_text)
{
	const char *svg = svg_text ? svg_start(svg_text) : NULL;

	if (!f || (!pre_text && !svg_text) || (svg_text && !svg)) {
		errno = EINVAL;
		return -1;
	}
	if (!title)
		title = "kvalab sim";
	/* Void elements self-closed: the page is also well-formed XML. */
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>", f);
	xml_text(f, title);
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", css);
	xml_text(f, title);
	fputs("</h1>\n", f);
	if (pre_text) {
		fputs("<pre>", f);
		xml_text_n(f, pre_text, strlen(pre_text), true);
		fputs("</pre>\n", f);
	}
	if (svg) {
		fputs("<div class=\"wide\">\n", f);
		fputs(svg, f);
		if (!*svg || svg[strlen(svg) - 1] != '\n')
			fputc('\n', f);
		fputs("</div>\n", f);
	}
	fputs("</body>\n</html>\n", f);
	return finish(f);
}
