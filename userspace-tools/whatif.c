// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab whatif SNAPSHOT (SIZE | --dmesg LOG) [--align N]
 *     [--range START-END] [--policy LIST|all] [--search LIST|all]
 *     [--json OUT]
 *
 * A kernel said "vmap allocation for size N failed" and a /proc/vmallocinfo
 * of that machine was kept: would another placement policy, or the other
 * search mode, have placed the request? The snapshot's layout is rebuilt
 * in the sim (sim_whatif(), sim_whatif.c) once per policy and search mode,
 * and the request is tried on it as it is and after its "unpurged vm_area"
 * ranges are purged, which is what the kernel does before it gives up.
 *
 * N in the kernel's message is the span searched: alloc_vmap_area() is
 * given the size with the guard page (mm/vmalloc.c __get_vm_area_node()),
 * and so is SIZE here. Only the span matters to the search: no pages, no
 * page tables.
 *
 * The range searched is the vmalloc space unless --range says otherwise.
 * It is inferred from the snapshot on x86-64 (Documentation/arch/x86/
 * x86_64/mm.rst): VMALLOC_START is 1 GiB aligned (also under KASLR) and
 * the first areas of a boot are placed at it, so the lowest area rounded
 * down to 1 GiB is the start; the space is 32 TiB with 4-level paging
 * (vmalloc at 0xffffc90000000000 or, under KASLR, above the direct map,
 * always in the top 128 TiB) and 12800 TiB with 5-level. Areas from
 * 0xffffffff80000000 up are the kernel image map's, where the modules
 * area and BPF's program packs are: module_alloc() searches there, never
 * vmalloc(), so they are left out of an inferred range, and said to be.
 * Any other area beyond the inferred end means the guess is wrong: the
 * user is asked for --range.
 *
 * With --range, areas wholly outside it are left out (the kernel's search
 * of [start, end) never looks at them; counted in the output); an area
 * cut by a bound cannot be, as the kernel never places one across the
 * bounds of the space it searched, so that is a wrong --range.
 *
 * Exit status: 0 when the requests were tried (whether or not they fit),
 * 1 on refused input (snapshot, log, a layout outside the range), 2 on a
 * bad command line.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sim.h"
#include "trace_write.h"
#include "vmallocinfo.h"
#include <kvalab/lex.h>	/* KVALAB_SIZE_FORMS */

#define GIB			(1UL << 30)
#define TIB			(1UL << 40)
/* x86-64: the kernel half of 4-level paging; 5-level's starts lower. */
#define X86_4LEVEL_KERNEL	0xffff800000000000UL
#define X86_VMALLOC_4LEVEL	(32UL * TIB)
#define X86_VMALLOC_5LEVEL	(12800UL * TIB)
/* __START_KERNEL_map: the kernel image, then the modules area. */
#define X86_KERNEL_MAP		0xffffffff80000000UL

static const char vmap_failed[] = "vmap allocation for size ";

/* One failed request: its span, and where it comes from. */
struct request {
	unsigned long size;
	unsigned long line;		/* in the log; 0: the command line */
};

/* The layout tried: the snapshot's areas inside [start, end). */
struct layout {
	unsigned long start, end;
	bool inferred;
	char how[200];			/* how [start, end) was obtained */
	struct sim_range *ranges;
	size_t nr, nr_lazy, nr_out;
	unsigned long lazy_bytes;
	const char *out_why;		/* why nr_out areas were left out */
};

/* One policy × search row of a request. */
struct row {
	int policy, search;
	struct sim_fit now, purged;
};

/* "0xHEX" or "HEX", at most 16 digits, the whole of [s, end). */
static bool parse_hex_word(const char *s, const char *end, unsigned long *v)
{
	char digits[17];
	size_t n;

	if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	n = end - s;
	if (!n || n > 16)
		return false;
	memcpy(digits, s, n);
	digits[n] = '\0';
	if (strspn(digits, "0123456789abcdefABCDEF") != n)
		return false;
	*v = strtoul(digits, NULL, 16);
	return true;
}

/* --range START-END: hex, page aligned, START < END; false: refused. */
static bool parse_range(const char *s, unsigned long *start,
			unsigned long *end)
{
	unsigned long page = tw_page_size();
	const char *dash = strchr(s, '-');

	return dash && parse_hex_word(s, dash, start) &&
	       parse_hex_word(dash + 1, dash + strlen(dash), end) &&
	       *start < *end && !(*start % page) && !(*end % page);
}

/* Page-multiple, non-zero sizes: what alloc_vmap_area() is given. */
static bool parse_span(const char *s, unsigned long *v)
{
	return tw_parse_size(s, v) && *v && !(*v % tw_page_size());
}

/*
 * The N of one "vmap allocation for size N failed" in @line, if the line
 * has the message: 1 found, 0 none, -1 malformed (@why says how).
 */
static int parse_failure(const char *line, unsigned long *size, char *why,
			 size_t wlen)
{
	const char *p = strstr(line, vmap_failed), *q;
	size_t n, tok;

	if (!p)
		return 0;
	q = p + strlen(vmap_failed);
	n = strspn(q, "0123456789");
	tok = strcspn(q, " \t");
	if (!n || n != tok) {
		snprintf(why, wlen,
			 "'%.*s' is not a size in decimal bytes (expected 'vmap allocation for size N failed')",
			 (int)(tok < 40 ? tok : 40), q);
		return -1;
	}
	if (strncmp(q + n, " failed", 7)) {
		snprintf(why, wlen,
			 "no ' failed' after '%s%.*s' (a cut line?)",
			 vmap_failed, (int)n, q);
		return -1;
	}
	errno = 0;
	*size = strtoul(q, NULL, 10);
	if (errno) {
		snprintf(why, wlen, "size %.*s is out of range",
			 (int)(n < 40 ? n : 40), q);
		return -1;
	}
	if (!*size || *size % tw_page_size()) {
		snprintf(why, wlen,
			 "size %lu is not a non-zero multiple of the page size (%lu): not a vmap span",
			 *size, tw_page_size());
		return -1;
	}
	return 1;
}

/* Every failure line of @log as a request; 0, or 1 after a message. */
static int read_dmesg(const char *log, struct request **reqs, size_t *nr)
{
	char *text, *line, *next, why[160];
	unsigned long lineno = 0, size;
	size_t len, cap = 0;
	int ret = 1, r;

	text = read_file(log, &len);
	if (!text) {
		msg_err("whatif: cannot read %s: %s", log, strerror(errno));
		return 1;
	}
	if (memchr(text, '\0', len)) {
		msg_err("whatif: %s: not a text file (NUL byte)", log);
		goto out;
	}
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		r = parse_failure(line, &size, why, sizeof(why));
		if (r < 0) {
			msg_err("whatif: %s:%lu: %s", log, lineno, why);
			goto out;
		}
		if (!r)
			continue;
		if (*nr == cap) {
			struct request *n;

			cap = cap ? 2 * cap : 16;
			n = realloc(*reqs, cap * sizeof(**reqs));
			if (!n) {
				msg_err("out of memory");
				goto out;
			}
			*reqs = n;
		}
		(*reqs)[*nr].size = size;
		(*reqs)[(*nr)++].line = lineno;
	}
	if (!*nr) {
		msg_err("whatif: %s: no '%sN failed' line: nothing to try (dmesg of the machine that failed, with the kernel's messages)",
			log, vmap_failed);
		goto out;
	}
	ret = 0;
out:
	free(text);
	return ret;
}

/*
 * The range when --range was not given (the header comment says why this
 * is the vmalloc space). 0, or 1 after a message.
 */
static int infer_range(const char *snap, const struct vmi_entry *ents,
		       size_t nr, struct layout *l)
{
	unsigned long low, span;
	bool four = false;
	size_t i;

	for (i = 0; i < nr && ents[i].start >= X86_KERNEL_MAP; i++)
		;
	if (i == nr) {
		msg_err("whatif: %s: every area is at 0x%lx or above (the kernel image and modules map): no vmalloc space to infer; pass --range START-END",
			snap, X86_KERNEL_MAP);
		return 1;
	}
	/* Sorted by start: the first one below the kernel map is the lowest. */
	low = ents[i].start;
	l->start = low & ~(GIB - 1);
	four = l->start >= X86_4LEVEL_KERNEL;
	span = four ? X86_VMALLOC_4LEVEL : X86_VMALLOC_5LEVEL;
	if (l->start > ULONG_MAX - span || l->start + span > X86_KERNEL_MAP) {
		msg_err("whatif: %s: the lowest area, 0x%lx, is no x86-64 vmalloc start (%s paging's %lu TiB from it would reach the kernel map at 0x%lx); pass --range START-END",
			snap, low, four ? "4-level" : "5-level", span / TIB,
			X86_KERNEL_MAP);
		return 1;
	}
	l->end = l->start + span;
	l->inferred = true;
	snprintf(l->how, sizeof(l->how),
		 "inferred: the lowest area 0x%lx rounded down to 1 GiB, plus %lu TiB: x86-64's vmalloc space with %s paging",
		 low, span / TIB, four ? "4-level" : "5-level");
	for (i = 0; i < nr; i++) {
		if (ents[i].start < X86_KERNEL_MAP && ents[i].end > l->end) {
			msg_err("whatif: %s: line %lu: 0x%lx-0x%lx ends beyond the inferred range 0x%lx-0x%lx (%s): pass --range START-END",
				snap, ents[i].line, ents[i].start, ents[i].end,
				l->start, l->end, l->how);
			return 1;
		}
	}
	l->out_why = "in the kernel image and modules map (0xffffffff80000000 and up), which vmalloc() never searches";
	return 0;
}

/* The snapshot's areas inside [l->start, l->end); 0, or 1 after a message. */
static int build_layout(const char *snap, const struct vmi_entry *ents,
			size_t nr, struct layout *l)
{
	size_t i;

	if (!l->inferred)
		l->out_why = "wholly outside the range, which the search never looks at";
	l->ranges = calloc(nr, sizeof(*l->ranges));
	if (!l->ranges) {
		msg_err("out of memory");
		return 1;
	}
	for (i = 0; i < nr; i++) {
		const struct vmi_entry *e = &ents[i];
		struct sim_range *r;

		if (e->end <= l->start || e->start >= l->end) {
			l->nr_out++;
			continue;
		}
		if (e->start < l->start || e->end > l->end) {
			msg_err("whatif: %s: line %lu: 0x%lx-0x%lx crosses the %s of the range 0x%lx-0x%lx: the kernel never places an area across the bounds of the space it searches; fix --range",
				snap, e->line, e->start, e->end,
				e->start < l->start ? "start" : "end",
				l->start, l->end);
			return 1;
		}
		r = &l->ranges[l->nr++];
		r->start = e->start;
		r->end = e->end;
		r->lazy = e->kind == VMI_UNPURGED;
		if (r->lazy) {
			l->nr_lazy++;
			l->lazy_bytes += e->end - e->start;
		}
	}
	if (!l->nr) {
		msg_err("whatif: %s: none of its %zu areas lies inside the range 0x%lx-0x%lx; fix --range",
			snap, nr, l->start, l->end);
		return 1;
	}
	return 0;
}

static const char *source_of(const struct request *r, const char *log,
			     char *buf, size_t len)
{
	if (!r->line)
		return "command line";
	snprintf(buf, len, "%s:%lu", log, r->line);
	return buf;
}

static const char *addr_str(const struct sim_fit *f, char *buf, size_t len)
{
	if (!f->fits)
		return "-";
	snprintf(buf, len, "0x%lx", f->addr);
	return buf;
}

static unsigned long short_by(const struct sim_fit *f, unsigned long size)
{
	return !f->fits && size > f->largest_free ? size - f->largest_free : 0;
}

static void print_request(const struct request *r, size_t idx, size_t nr_req,
			  unsigned long align, const char *log,
			  const struct layout *l, const struct row *rows,
			  size_t nr_rows)
{
	char src[600], b1[32], b2[32];
	size_t i, ok_now = 0, ok_purged = 0;
	bool missed[2] = { false, false };	/* by search mode, exact/padded */

	printf("%srequest %zu of %zu: size %lu (%s) align %lu, from %s\n",
	       idx ? "\n" : "", idx + 1, nr_req, r->size,
	       tw_size_str(r->size, b1, sizeof(b1)), align,
	       source_of(r, log, src, sizeof(src)));
	printf("range: 0x%lx-0x%lx (%s)\n", l->start, l->end, l->how);
	printf("layout: %zu areas, %zu unpurged (%lu bytes)", l->nr, l->nr_lazy,
	       l->lazy_bytes);
	if (l->nr_out)
		printf("; %zu left out, %s", l->nr_out, l->out_why);
	printf("\n%-12s %-7s %-4s %-18s %17s %17s %-7s %-18s %17s\n", "policy",
	       "search", "fits", "where", "largest_free", "short_by",
	       "purged", "where_purged", "largest_purged");
	for (i = 0; i < nr_rows; i++) {
		const struct row *w = &rows[i];

		printf("%-12s %-7s %-4s %-18s %17lu %17lu %-7s %-18s %17lu\n",
		       sim_policy_name(w->policy), sim_search_name(w->search),
		       w->now.fits ? "yes" : "no",
		       addr_str(&w->now, b1, sizeof(b1)), w->now.largest_free,
		       short_by(&w->now, r->size), w->purged.fits ? "yes" : "no",
		       addr_str(&w->purged, b2, sizeof(b2)),
		       w->purged.largest_free);
		ok_now += w->now.fits;
		ok_purged += w->purged.fits;
		/* A 'no' although the largest free area is large enough. */
		if ((!w->now.fits && w->now.largest_free >= r->size) ||
		    (!w->purged.fits && w->purged.largest_free >= r->size))
			missed[w->search == sim_search_by_name("padded")] = true;
	}
	printf("fits now under %zu of %zu policy x search, after the purge under %zu of %zu\n",
	       ok_now, nr_rows, ok_purged, nr_rows);
	if (missed[0])
		printf("note: a 'no' whose largest free area is at least the size: no start aligned to %lu leaves room in the areas that large\n",
		       align);
	if (missed[1])
		printf("note: a padded 'no' whose largest free area is at least the size: the search of v5.2 until 2021 enters a subtree only for size + align - 1 (%lu) bytes, so it can miss an area the request fits only exactly or only at an aligned start inside it\n",
		       r->size + align - 1);
}

static void json_fit(FILE *f, const char *prefix, const struct sim_fit *fit)
{
	fprintf(f, ", \"%sfits\": %s, \"%saddr\": ", prefix,
		fit->fits ? "true" : "false", prefix);
	if (fit->fits)
		fprintf(f, "\"0x%lx\"", fit->addr);
	else
		fputs("null", f);
	fprintf(f, ", \"%slargest_free\": %lu, \"%sfree_bytes\": %lu, \"%snr_free\": %lu",
		prefix, fit->largest_free, prefix, fit->free_bytes, prefix,
		fit->nr_free);
}

static int write_json(const char *out, const char *snap, const char *log,
		      const struct layout *l, const struct request *reqs,
		      size_t nr_req, unsigned long align,
		      const struct row *rows, size_t per_req)
{
	FILE *f = strcmp(out, "-") ? fopen(out, "w") : stdout;
	char src[600];
	size_t i, j;

	if (!f) {
		msg_err("whatif: cannot write %s: %s", out, strerror(errno));
		return 1;
	}
	fputs("{\"snapshot\": ", f);
	json_string(f, snap);
	fprintf(f, ", \"range\": {\"start\": \"0x%lx\", \"end\": \"0x%lx\", \"inferred\": %s, \"how\": ",
		l->start, l->end, l->inferred ? "true" : "false");
	json_string(f, l->how);
	fprintf(f, "}, \"layout\": {\"areas\": %zu, \"unpurged\": %zu, \"unpurged_bytes\": %lu, \"left_out\": %zu},\n \"records\": [",
		l->nr, l->nr_lazy, l->lazy_bytes, l->nr_out);
	for (i = 0; i < nr_req; i++) {
		for (j = 0; j < per_req; j++) {
			const struct row *w = &rows[i * per_req + j];

			fprintf(f, "%s\n  {\"request\": %zu, \"size\": %lu, \"align\": %lu, \"source\": ",
				i || j ? "," : "", i + 1, reqs[i].size, align);
			json_string(f, source_of(&reqs[i], log, src, sizeof(src)));
			fputs(", \"policy\": ", f);
			json_string(f, sim_policy_name(w->policy));
			fputs(", \"search\": ", f);
			json_string(f, sim_search_name(w->search));
			json_fit(f, "", &w->now);
			fprintf(f, ", \"short_by\": %lu",
				short_by(&w->now, reqs[i].size));
			json_fit(f, "purged_", &w->purged);
			fputc('}', f);
		}
	}
	fputs("\n]}\n", f);
	if (f == stdout ? fflush(f) : fclose(f)) {
		msg_err("whatif: cannot write %s: %s", out, strerror(errno));
		return 1;
	}
	return 0;
}

int cmd_whatif(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "align", required_argument, NULL, 'a' },
		{ "dmesg", required_argument, NULL, 'd' },
		{ "range", required_argument, NULL, 'r' },
		{ "policy", required_argument, NULL, 'p' },
		{ "search", required_argument, NULL, 'e' },
		{ "json", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *log = NULL, *json_out = NULL, *snap;
	unsigned long align = tw_page_size(), page = tw_page_size();
	unsigned int policies = 0, searches = 0;
	struct request *reqs = NULL, one = { 0 };
	struct layout l = { 0 };
	struct vmi_entry *ents = NULL;
	struct row *rows = NULL;
	size_t nr_ents = 0, nr_req = 0, per_req = 0, i, k;
	char err[512];
	int c, pol, se, rc = 1;

	while ((c = sub_getopt(argc, argv, ":h", opts)) != -1) {
		switch (c) {
		case 'h':
			return print_help(cmd);
		case 'a':
			if (!tw_parse_size(optarg, &align) || !align ||
			    (align & (align - 1)))
				return usage_error(cmd, "--align '%s' is not a power of two (sizes are " KVALAB_SIZE_FORMS ")",
						   optarg);
			/* Free areas are page aligned: below a page, a page. */
			if (align < page)
				align = page;
			break;
		case 'd':
			log = optarg;
			break;
		case 'r':
			if (!parse_range(optarg, &l.start, &l.end))
				return usage_error(cmd, "--range '%s' is not START-END: hex addresses, page aligned, START below END",
						   optarg);
			snprintf(l.how, sizeof(l.how), "--range");
			break;
		case 'p':
			if (sim_policy_opt(cmd, optarg, &policies))
				return EXIT_USAGE;
			break;
		case 'e':
			if (sim_search_opt(cmd, optarg, &searches))
				return EXIT_USAGE;
			break;
		case 'j':
			json_out = optarg;
			break;
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (optind >= argc)
		return usage_error(cmd, "missing SNAPSHOT (a /proc/vmallocinfo)");
	snap = argv[optind++];
	if (log && optind < argc)
		return usage_error(cmd, "give SIZE or --dmesg LOG, not both");
	if (!log && optind >= argc)
		return usage_error(cmd, "missing SIZE (or --dmesg LOG)");
	if (optind + (log ? 0 : 1) < argc)
		return usage_error(cmd, "unexpected argument '%s'",
				   argv[optind + (log ? 0 : 1)]);
	if (!log) {
		if (!parse_span(argv[optind], &one.size))
			return usage_error(cmd, "SIZE '%s' is not a non-zero multiple of the page size (%lu; sizes are " KVALAB_SIZE_FORMS ")",
					   argv[optind], page);
	}
	if (!policies)
		policies = (1U << sim_nr_policies()) - 1;
	if (!searches)
		searches = (1U << sim_nr_search()) - 1;

	if (vmi_load(snap, "whatif", false, &ents, &nr_ents))
		return 1;
	if (log) {
		if (read_dmesg(log, &reqs, &nr_req))
			goto out;
	} else {
		reqs = malloc(sizeof(*reqs));
		if (!reqs) {
			msg_err("out of memory");
			goto out;
		}
		reqs[0] = one;
		nr_req = 1;
	}
	if (!l.end && infer_range(snap, ents, nr_ents, &l))
		goto out;
	if (build_layout(snap, ents, nr_ents, &l))
		goto out;

	for (pol = 0; pol < sim_nr_policies(); pol++)
		for (se = 0; se < sim_nr_search(); se++)
			per_req += (policies >> pol & 1) && (searches >> se & 1);
	rows = calloc(nr_req * per_req, sizeof(*rows));
	if (!rows) {
		msg_err("out of memory");
		goto out;
	}
	for (i = 0, k = 0; i < nr_req; i++) {
		for (pol = 0; pol < sim_nr_policies(); pol++) {
			for (se = 0; se < sim_nr_search(); se++) {
				struct row *w = &rows[k];

				if (!(policies >> pol & 1) || !(searches >> se & 1))
					continue;
				w->policy = pol;
				w->search = se;
				if (sim_whatif(l.start, l.end, l.ranges, l.nr, pol,
					       se, reqs[i].size, align, &w->now,
					       &w->purged, err, sizeof(err))) {
					msg_err("whatif: %s: %s", snap, err);
					goto out;
				}
				k++;
			}
		}
	}
	/* --json -: the JSON is the output, instead of the tables. */
	if (!json_out || strcmp(json_out, "-"))
		for (i = 0; i < nr_req; i++)
			print_request(&reqs[i], i, nr_req, align, log, &l,
				      &rows[i * per_req], per_req);
	rc = 0;
	if (json_out)
		rc = write_json(json_out, snap, log, &l, reqs, nr_req, align,
				rows, per_req);
out:
	free(rows);
	free(l.ranges);
	free(reqs);
	free(ents);
	return rc;
}
