// SPDX-License-Identifier: GPL-2.0
/*
 * Reading back the JSON that run writes (schema in json.c). A small
 * recursive-descent parser builds a tree of nodes (RFC 8259 values, nesting
 * limited to JSON_MAX_DEPTH); the schema walk then copies what it knows into
 * a struct run_results and names the first thing that does not fit.
 * Unknown keys are ignored so newer writers stay readable.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"

#define JSON_MAX_DEPTH 32

enum jtype { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };

struct jnode {
	enum jtype type;
	char *key;		/* member name inside an object */
	char *text;		/* string value, or the number as written */
	bool boolean;
	struct jnode *child;	/* first element or member */
	struct jnode *next;	/* next sibling */
};

struct jparser {
	const char *start, *p;
	char *err;
	size_t errlen;
	bool failed;
};

static void jfail(struct jparser *jp, const char *what)
{
	const char *s;
	unsigned int line = 1, col = 1;

	if (jp->failed)
		return;
	for (s = jp->start; s < jp->p; s++) {
		if (*s == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	snprintf(jp->err, jp->errlen, "line %u, column %u: %s", line, col, what);
	jp->failed = true;
}

static void jfree(struct jnode *n)
{
	while (n) {
		struct jnode *next = n->next;

		jfree(n->child);
		free(n->key);
		free(n->text);
		free(n);
		n = next;
	}
}

static void skip_ws(struct jparser *jp)
{
	jp->p += strspn(jp->p, " \t\r\n");
}

static void put_utf8(char *out, size_t *n, unsigned int cp)
{
	if (cp < 0x80) {
		out[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*n)++] = (char)(0xc0 | (cp >> 6));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*n)++] = (char)(0xe0 | (cp >> 12));
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	}
}

/* A string at jp->p (on the opening quote); malloc'd, unescaped. */
static char *parse_string(struct jparser *jp)
{
	const char *s = jp->p + 1;
	size_t n = 0;
	/* Unescaping never makes the text longer (\uXXXX: 6 bytes -> <= 3). */
	char *out = malloc(strcspn(s, "") + 1);

	if (!out) {
		jfail(jp, "out of memory");
		return NULL;
	}
	for (;;) {
		unsigned char c = (unsigned char)*s;

		if (c == '"')
			break;
		if (c < 0x20) {
			jp->p = s;
			jfail(jp, c ? "control character in string" :
				  "unterminated string");
			free(out);
			return NULL;
		}
		if (c != '\\') {
			out[n++] = (char)c;
			s++;
			continue;
		}
		s++;
		switch (*s) {
		case '"': case '\\': case '/': out[n++] = *s; break;
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case 'u': {
			char hex[5] = { 0 };
			char *end;
			unsigned long cp;

			memcpy(hex, s + 1, strnlen(s + 1, 4));
			cp = strtoul(hex, &end, 16);
			if (strspn(hex, "0123456789abcdefABCDEF") != 4 ||
			    (cp >= 0xd800 && cp <= 0xdfff) || !cp) {
				jp->p = s;
				jfail(jp, "unsupported \\u escape");
				free(out);
				return NULL;
			}
			put_utf8(out, &n, (unsigned int)cp);
			s += 4;
			break;
		}
		default:
			jp->p = s;
			jfail(jp, "bad escape in string");
			free(out);
			return NULL;
		}
		s++;
	}
	out[n] = '\0';
	jp->p = s + 1;
	return out;
}

static struct jnode *parse_value(struct jparser *jp, int depth);

static size_t digits(const char *s)
{
	return strspn(s, "0123456789");
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; 0 if @s is not one. */
static size_t number_length(const char *s)
{
	const char *p = s + (*s == '-');
	size_t n = digits(p);

	if (!n || (*p == '0' && n > 1))
		return 0;
	p += n;
	if (*p == '.') {
		n = digits(p + 1);
		if (!n)
			return 0;
		p += 1 + n;
	}
	if (*p == 'e' || *p == 'E') {
		p += 1 + (p[1] == '+' || p[1] == '-');
		n = digits(p);
		if (!n)
			return 0;
		p += n;
	}
	return (size_t)(p - s);
}

/* Elements of an array or members of an object, up to @close. */
static struct jnode *parse_members(struct jparser *jp, struct jnode *n,
				   char close, int depth)
{
	struct jnode **tail = &n->child;

	jp->p++;
	skip_ws(jp);
	if (*jp->p == close) {
		jp->p++;
		return n;
	}
	for (;;) {
		char *key = NULL;
		struct jnode *v;

		skip_ws(jp);
		if (close == '}') {
			if (*jp->p != '"') {
				jfail(jp, "expected a member name");
				goto fail;
			}
			key = parse_string(jp);
			if (!key)
				goto fail;
			skip_ws(jp);
			if (*jp->p != ':') {
				free(key);
				jfail(jp, "expected ':'");
				goto fail;
			}
			jp->p++;
		}
		v = parse_value(jp, depth + 1);
		if (!v) {
			free(key);
			goto fail;
		}
		v->key = key;
		*tail = v;
		tail = &v->next;
		skip_ws(jp);
		if (*jp->p == ',') {
			jp->p++;
			continue;
		}
		if (*jp->p == close) {
			jp->p++;
			return n;
		}
		jfail(jp, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
		goto fail;
	}
fail:
	jfree(n);
	return NULL;
}

static struct jnode *parse_value(struct jparser *jp, int depth)
{
	struct jnode *n;

	skip_ws(jp);
	if (depth > JSON_MAX_DEPTH) {
		jfail(jp, "nested too deeply");
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		jfail(jp, "out of memory");
		return NULL;
	}
	switch (*jp->p) {
	case '{':
		n->type = J_OBJECT;
		return parse_members(jp, n, '}', depth);
	case '[':
		n->type = J_ARRAY;
		return parse_members(jp, n, ']', depth);
	case '"':
		n->type = J_STRING;
		n->text = parse_string(jp);
		if (n->text)
			return n;
		break;
	default:
		if (!strncmp(jp->p, "true", 4) || !strncmp(jp->p, "false", 5)) {
			n->type = J_BOOL;
			n->boolean = *jp->p == 't';
			jp->p += n->boolean ? 4 : 5;
			return n;
		}
		if (!strncmp(jp->p, "null", 4)) {
			n->type = J_NULL;
			jp->p += 4;
			return n;
		}
		if (*jp->p == '-' || (*jp->p >= '0' && *jp->p <= '9')) {
			size_t len = number_length(jp->p);

			if (!len) {
				jfail(jp, "malformed number");
				break;
			}
			n->type = J_NUMBER;
			n->text = strndup(jp->p, len);
			jp->p += len;
			if (n->text)
				return n;
			jfail(jp, "out of memory");
			break;
		}
		jfail(jp, *jp->p ? "unexpected character" : "unexpected end of input");
		break;
	}
	jfree(n);
	return NULL;
}

static const struct jnode *jget(const struct jnode *obj, const char *key)
{
	const struct jnode *n;

	for (n = obj ? obj->child : NULL; n; n = n->next)
		if (n->key && !strcmp(n->key, key))
			return n;
	return NULL;
}

/* The schema walk: copy a string or unsigned number member, or complain. */
static int get_string(const struct jnode *obj, const char *key, char *out,
		      size_t len, const char *where, char *err, size_t errlen)
{
	const struct jnode *n = jget(obj, key);

	if (!n || n->type != J_STRING || strlen(n->text) >= len) {
		snprintf(err, errlen, "%s: \"%s\" must be a string%s", where, key,
			 n && n->type == J_STRING ? " (too long)" : "");
		return -1;
	}
	snprintf(out, len, "%s", n->text);
	return 0;
}

static int get_ull(const struct jnode *obj, const char *key,
		   unsigned long long *out, const char *where,
		   char *err, size_t errlen)
{
	const struct jnode *n = jget(obj, key);
	char *end;

	if (n && n->type == J_NUMBER && n->text[0] != '-') {
		errno = 0;
		*out = strtoull(n->text, &end, 10);
		if (!errno && !*end)
			return 0;
	}
	snprintf(err, errlen, "%s: \"%s\" must be an unsigned integer", where, key);
	return -1;
}

static int read_latency(const struct jnode *o, struct backend_result *b,
			const char *where, char *err, size_t errlen);
static int read_frag(const struct jnode *o, struct backend_result *b,
		     const char *where, char *err, size_t errlen);

/* "breakdown": {"ops": N, PHASE: {"ns": N, "calls": N}...}, every phase. */
static int read_breakdown(const struct jnode *o, struct backend_result *b,
			  const char *where, char *err, size_t errlen)
{
	char w[160];
	int ph;

	snprintf(w, sizeof(w), "%s.breakdown", where);
	if (o->type != J_OBJECT) {
		snprintf(err, errlen, "%s: must be an object", w);
		return -1;
	}
	if (get_ull(o, "ops", &b->ph_ops, w, err, errlen))
		return -1;
	for (ph = 0; ph < KVALAB_NR_PHASES; ph++) {
		const struct jnode *n = jget(o, kvalab_phase_names[ph]);

		if (!n || n->type != J_OBJECT) {
			snprintf(err, errlen, "%s: \"%s\" must be an object", w,
				 kvalab_phase_names[ph]);
			return -1;
		}
		if (get_ull(n, "ns", &b->ph_ns[ph], w, err, errlen) ||
		    get_ull(n, "calls", &b->ph_calls[ph], w, err, errlen))
			return -1;
	}
	b->has_phases = true;
	return 0;
}

static int read_backend(const struct jnode *o, struct backend_result *b,
			const char *where, char *err, size_t errlen)
{
	char status[16];
	const struct jnode *reason = jget(o, "reason");
	int st;

	if (o->type != J_OBJECT) {
		snprintf(err, errlen, "%s: must be an object", where);
		return -1;
	}
	if (get_string(o, "status", status, sizeof(status), where, err, errlen))
		return -1;
	st = status_from_name(status);
	if (st < 0) {
		snprintf(err, errlen, "%s: unknown status '%s'", where, status);
		return -1;
	}
	b->status = (enum case_status)st;
	/* Files written before loop_ns had its figure as median_ns. */
	if (get_ull(o, "ops", &b->ops, where, err, errlen) ||
	    get_ull(o, jget(o, "loop_ns") ? "loop_ns" : "median_ns",
		    &b->loop_ns, where, err, errlen) ||
	    get_ull(o, "p99_ns", &b->p99_ns, where, err, errlen) ||
	    get_ull(o, "min_ns", &b->min_ns, where, err, errlen) ||
	    get_ull(o, "max_ns", &b->max_ns, where, err, errlen))
		return -1;
	if (reason && get_string(o, "reason", b->reason, sizeof(b->reason),
				 where, err, errlen))
		return -1;
	/* Not in the two-backend schema (nor avg_us in older files): optional. */
	if (jget(o, "avg_us") &&
	    get_ull(o, "avg_us", &b->avg_us, where, err, errlen))
		return -1;
	if (jget(o, "enomem") &&
	    get_ull(o, "enomem", &b->enomem, where, err, errlen))
		return -1;
	if (jget(o, "nr_free") || jget(o, "largest_free")) {
		if (get_ull(o, "nr_free", &b->nr_free, where, err, errlen) ||
		    get_ull(o, "largest_free", &b->largest_free, where, err,
			    errlen))
			return -1;
		b->has_space = true;
	}
	if (jget(o, "latency") &&
	    read_latency(jget(o, "latency"), b, where, err, errlen))
		return -1;
	if (jget(o, "frag") && read_frag(jget(o, "frag"), b, where, err, errlen))
		return -1;
	if (jget(o, "breakdown") &&
	    read_breakdown(jget(o, "breakdown"), b, where, err, errlen))
		return -1;
	return 0;
}

static int read_lat(const struct jnode *o, const char *unit,
		    struct lat_summary *l, const char *where,
		    char *err, size_t errlen)
{
	char k[4][16];

	snprintf(k[0], sizeof(k[0]), "p50%s", unit);
	snprintf(k[1], sizeof(k[1]), "p99%s", unit);
	snprintf(k[2], sizeof(k[2]), "p999%s", unit);
	snprintf(k[3], sizeof(k[3]), "max%s", unit);
	if (o->type != J_OBJECT) {
		snprintf(err, errlen, "%s: must be an object", where);
		return -1;
	}
	if (get_ull(o, "n", &l->n, where, err, errlen) ||
	    get_ull(o, k[0], &l->p50, where, err, errlen) ||
	    get_ull(o, k[1], &l->p99, where, err, errlen) ||
	    get_ull(o, k[2], &l->p999, where, err, errlen) ||
	    get_ull(o, k[3], &l->max, where, err, errlen))
		return -1;
	if (l->p50 > l->p99 || l->p99 > l->p999 || l->p999 > l->max) {
		snprintf(err, errlen, "%s: %s..%s not in increasing order", where,
			 k[0], k[3]);
		return -1;
	}
	l->has = true;
	return 0;
}

static int read_latency(const struct jnode *o, struct backend_result *b,
			const char *where, char *err, size_t errlen)
{
	const struct jnode *n;
	char w[192];
	unsigned int op;

	if (o->type != J_OBJECT) {
		snprintf(err, errlen, "%s.latency: must be an object", where);
		return -1;
	}
	for (op = 0; op < NR_LAT_OPS; op++) {
		n = jget(o, lat_op_names[op]);
		snprintf(w, sizeof(w), "%s.latency.%s", where, lat_op_names[op]);
		if (n && read_lat(n, "_ns", &b->lat[op], w, err, errlen))
			return -1;
	}
	n = jget(o, "purge_areas");
	snprintf(w, sizeof(w), "%s.latency.purge_areas", where);
	if (n && read_lat(n, "", &b->purge_areas, w, err, errlen))
		return -1;
	n = jget(o, "purge_pages");
	snprintf(w, sizeof(w), "%s.latency.purge_pages", where);
	if (n && read_lat(n, "", &b->purge_pages, w, err, errlen))
		return -1;
	return 0;
}

/* A fraction in [0, 1] with at most 4 decimals, as x 10000. */
static int get_e4(const struct jnode *o, const char *key, unsigned int *out,
		  const char *where, char *err, size_t errlen)
{
	const struct jnode *n = jget(o, key);

	if (n && n->type == J_NUMBER) {
		double v = strtod(n->text, NULL);

		if (v >= 0 && v <= 1) {
			*out = (unsigned int)(v * 10000 + 0.5);
			return 0;
		}
	}
	snprintf(err, errlen, "%s: \"%s\" must be a number in [0, 1]", where,
		 key);
	return -1;
}

static int read_frag(const struct jnode *o, struct backend_result *b,
		     const char *where, char *err, size_t errlen)
{
	const struct jnode *n;
	char w[192];

	if (o->type != J_ARRAY) {
		snprintf(err, errlen, "%s.frag: must be an array", where);
		return -1;
	}
	for (n = o->child; n; n = n->next) {
		struct frag_point p;

		snprintf(w, sizeof(w), "%s.frag[%u]", where, b->nr_frag);
		if (b->nr_frag == FRAG_MAX_SAMPLES) {
			snprintf(err, errlen, "%s: more than %d samples", w,
				 FRAG_MAX_SAMPLES);
			return -1;
		}
		if (get_ull(n, "op", &p.op, w, err, errlen) ||
		    get_e4(n, "ext_frag", &p.ext_frag_e4, w, err, errlen) ||
		    get_e4(n, "frag_rss", &p.frag_rss_e4, w, err, errlen) ||
		    get_ull(n, "largest_free", &p.largest_free, w, err, errlen) ||
		    get_ull(n, "nr_free", &p.nr_free, w, err, errlen) ||
		    get_ull(n, "free_bytes", &p.free_bytes, w, err, errlen))
			return -1;
		if (b->nr_frag && p.op <= b->frag[b->nr_frag - 1].op) {
			snprintf(err, errlen, "%s: \"op\" not after the previous sample's",
				 w);
			return -1;
		}
		b->frag[b->nr_frag++] = p;
	}
	return 0;
}

/* "ratios": {NAME: R|null, ...}, each backend's median over the baseline's. */
static int read_ratios(const struct jnode *o, struct case_result *c,
		       unsigned int index, char *err, size_t errlen)
{
	const struct jnode *m;

	if (o->type != J_OBJECT) {
		snprintf(err, errlen, "cases[%u]: \"ratios\" must be an object",
			 index);
		return -1;
	}
	for (m = o->child; m; m = m->next) {
		int b = kvalab_backend_by_name(m->key, strlen(m->key));

		if (b < 0) {
			snprintf(err, errlen, "cases[%u].ratios: unknown backend '%s'",
				 index, m->key);
			return -1;
		}
		if (m->type == J_NULL)
			continue;
		if (m->type != J_NUMBER) {
			snprintf(err, errlen, "cases[%u].ratios.%s must be a number or null",
				 index, m->key);
			return -1;
		}
		c->has_ratios[b] = true;
		c->ratios[b] = strtod(m->text, NULL);
	}
	return 0;
}

/* "list": {"length": N, "test_vmalloc": M}, optional. */
static int read_list(const struct jnode *o, struct case_result *c,
		     const char *where, char *err, size_t errlen)
{
	if (!o)
		return 0;
	if (o->type != J_OBJECT) {
		snprintf(err, errlen, "%s: \"list\" must be an object", where);
		return -1;
	}
	if (get_ull(o, "length", &c->list_len, where, err, errlen) ||
	    get_ull(o, "test_vmalloc", &c->list_tv, where, err, errlen))
		return -1;
	c->has_list = true;
	return 0;
}

static int read_case(const struct jnode *o, struct run_results *r,
		     unsigned int index, char *err, size_t errlen)
{
	const struct jnode *backends, *ratio, *ratios, *m;
	struct case_result *c;
	unsigned long long bit;
	char name[64], where[128];

	snprintf(where, sizeof(where), "cases[%u]", index);
	if (o->type != J_OBJECT) {
		snprintf(err, errlen, "%s: must be an object", where);
		return -1;
	}
	if (get_string(o, "name", name, sizeof(name), where, err, errlen) ||
	    get_ull(o, "bit", &bit, where, err, errlen))
		return -1;
	c = results_case(r, name, err, errlen);
	if (!c)
		return -1;
	c->bit = (unsigned int)bit;
	if (read_list(jget(o, "list"), c, where, err, errlen))
		return -1;
	backends = jget(o, "backends");
	if (!backends || backends->type != J_OBJECT) {
		snprintf(err, errlen, "%s: \"backends\" must be an object", where);
		return -1;
	}
	for (m = backends->child; m; m = m->next) {
		int b = kvalab_backend_by_name(m->key, strlen(m->key));

		if (b < 0) {
			snprintf(err, errlen, "%s: unknown backend '%s'", where, m->key);
			return -1;
		}
		results_note_backend(r, (unsigned int)b);
		snprintf(where, sizeof(where), "cases[%u].backends.%s", index, m->key);
		if (read_backend(m, &c->be[b], where, err, errlen))
			return -1;
	}
	ratio = jget(o, "ratio");
	if (ratio && ratio->type != J_NUMBER && ratio->type != J_NULL) {
		snprintf(err, errlen, "cases[%u]: \"ratio\" must be a number or null",
			 index);
		return -1;
	}
	ratios = jget(o, "ratios");
	if (ratios)
		return read_ratios(ratios, c, index, err, errlen);
	/*
	 * The two-backend schema: "ratio" was kvalab over vmalloc. With
	 * "ratios" it is derived again (results_finish()), so not read.
	 */
	if (ratio && ratio->type == J_NUMBER) {
		c->has_kv_vm = true;
		c->kv_vm = strtod(ratio->text, NULL);
	}
	return 0;
}

static int read_root(const struct jnode *root, struct run_results *r,
		     char *err, size_t errlen)
{
	const struct jnode *tool = jget(root, "tool");
	const struct jnode *params, *cases, *progress, *n;
	unsigned long long v;
	unsigned int i = 0;

	if (root->type != J_OBJECT || !tool || tool->type != J_STRING ||
	    strcmp(tool->text, "kvalab")) {
		snprintf(err, errlen, "not a kvalab results file (no \"tool\": \"kvalab\")");
		return -1;
	}
	if (get_string(root, "version", r->version, sizeof(r->version), "top level", err, errlen) ||
	    get_string(root, "kernel", r->kernel, sizeof(r->kernel), "top level", err, errlen))
		return -1;
	if (jget(root, "state") &&
	    get_string(root, "state", r->state, sizeof(r->state), "top level", err, errlen))
		return -1;
	if (!r->state[0])
		snprintf(r->state, sizeof(r->state), "done");
	progress = jget(root, "progress");
	if (progress && !get_ull(progress, "done", &v, "progress", err, errlen)) {
		r->done = (unsigned int)v;
		if (!get_ull(progress, "total", &v, "progress", err, errlen))
			r->total = (unsigned int)v;
	}
	params = jget(root, "params");
	for (n = params && params->type == J_OBJECT ? params->child : NULL; n; n = n->next) {
		struct run_param *p;

		if (r->nr_params == RESULTS_MAX_PARAMS)
			break;
		if (n->type != J_NUMBER && n->type != J_STRING) {
			snprintf(err, errlen, "params.%s must be a number or string", n->key);
			return -1;
		}
		p = &r->params[r->nr_params++];
		snprintf(p->key, sizeof(p->key), "%s", n->key);
		snprintf(p->value, sizeof(p->value), "%s", n->text);
	}
	n = jget(root, "timing");
	if (n) {
		if (get_ull(n, "latency", &v, "timing", err, errlen) ||
		    get_ull(n, "clock_ns", &r->clock_ns, "timing", err, errlen) ||
		    get_ull(n, "frag_every", &r->frag_every, "timing", err, errlen) ||
		    get_ull(n, "frag_samples", &r->frag_samples, "timing", err,
			    errlen))
			return -1;
		r->latency = v != 0;
		r->has_timing = true;
	}
	n = jget(root, "snapshot");
	for (i = 0; n && i < NR_SNAPS; i++) {
		const struct jnode *t = jget(n, snap_names[i]);

		if (!t)
			continue;
		if (t->type != J_STRING) {
			snprintf(err, errlen, "snapshot.%s must be a string",
				 snap_names[i]);
			return -1;
		}
		r->snap[i] = strdup(t->text);
		if (!r->snap[i]) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	i = 0;
	cases = jget(root, "cases");
	if (!cases || cases->type != J_ARRAY) {
		snprintf(err, errlen, "\"cases\" must be an array");
		return -1;
	}
	for (n = cases->child; n; n = n->next, i++)
		if (read_case(n, r, i, err, errlen))
			return -1;
	return results_finish(r, err, errlen);
}

int results_read_json(const char *text, struct run_results *r,
		      char *err, size_t errlen)
{
	struct jparser jp = { text, text, err, errlen, false };
	struct jnode *root;
	int ret;

	memset(r, 0, sizeof(*r));
	root = parse_value(&jp, 0);
	if (!root)
		return -1;
	skip_ws(&jp);
	if (*jp.p) {
		jfail(&jp, "trailing data after the JSON value");
		jfree(root);
		return -1;
	}
	ret = read_root(root, r, err, errlen);
	jfree(root);
	if (ret)
		results_release(r);
	return ret;
}
