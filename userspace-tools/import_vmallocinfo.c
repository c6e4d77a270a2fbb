// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab import vmallocinfo: a /proc/vmallocinfo snapshot in, a trace out
 * whose setup phase recreates that layout on a fresh slice.
 *
 * Lines understood (mm/vmalloc.c s_show and show_purge_info, 6.1 to 6.12):
 *   0xS-0xE SIZE [CALLER [\[MODULE\]]] [pages=N] [phys=0xP] [ioremap]
 *                [vmalloc] [vmap] [user] [dma-coherent] [vpages] [N<n>=<c>...]
 *   0xS-0xE SIZE vm_map_ram
 *   0xS-0xE SIZE unpurged vm_area
 * SIZE is decimal and, for vm_struct lines, includes the guard page.
 *
 * The layout is rebuilt in address order: the gap before each area becomes
 * a filler allocation (flags=filler,noguard), the area follows; once every
 * area is placed the fillers are freed and one purge returns the gaps to
 * the free tree; the unpurged areas are freed last, without a purge, so
 * they are still lazy when the replay proper starts. Because the trace
 * allocates from an empty slice in ascending order, every policy places
 * the areas where they were (the first fit of an empty slice is its start).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trace_write.h"

enum vmi_kind { VMI_AREA, VMI_VM_MAP_RAM, VMI_UNPURGED };

struct vmi_entry {
	unsigned long start, end, size;
	unsigned long line;
	enum vmi_kind kind;
	unsigned int flags;		/* KVA_TRACE_F_* kinds */
};

static const struct {
	const char *word;
	unsigned int flag;
} vmi_words[] = {
	{ "ioremap", KVA_TRACE_F_IOREMAP },
	{ "vmalloc", KVA_TRACE_F_VMALLOC },
	{ "vmap", KVA_TRACE_F_VMAP },
	{ "user", KVA_TRACE_F_USER },
	{ "dma-coherent", KVA_TRACE_F_DMA_COHERENT },
	{ "vpages", KVA_TRACE_F_VPAGES },
};

/* 0x followed by 1 to 16 hex digits, the whole token. */
static bool parse_hex(const char *s, const char *end, unsigned long *v)
{
	char *e;

	if (end - s < 3 || s[0] != '0' || s[1] != 'x' || end - s > 18)
		return false;
	if (!strchr("0123456789abcdefABCDEF", s[2]) || !s[2])
		return false;
	errno = 0;
	*v = strtoul(s + 2, &e, 16);
	return !errno && e == end;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool parse_dec(const char *s, unsigned long *v)
{
	char *e;

	if (!all_digits(s))
		return false;
	errno = 0;
	*v = strtoul(s, &e, 10);
	return !errno && !*e;
}

/* N<node>=<count>, both decimal. */
static bool is_node_count(const char *tok)
{
	const char *eq = strchr(tok, '=');
	char node[16];

	if (tok[0] != 'N' || !eq || eq - tok < 2 || eq - tok > 12)
		return false;
	memcpy(node, tok + 1, eq - tok - 1);
	node[eq - tok - 1] = '\0';
	return all_digits(node) && all_digits(eq + 1);
}

/* Parse one line (NUL-terminated, no newline) into @e; 0 or -1 + @why. */
static int parse_vmi_line(char *line, struct vmi_entry *e, char *why,
			  size_t wlen)
{
	char *dash, *tok, *save = NULL, *range;
	bool have_caller = false, after_caller = false, have_pages = false;
	bool have_phys = false;
	unsigned long v;
	size_t i;

	range = strtok_r(line, " \t", &save);
	dash = range ? strchr(range, '-') : NULL;
	if (!dash || !parse_hex(range, dash, &e->start) ||
	    !parse_hex(dash + 1, dash + strlen(dash), &e->end)) {
		snprintf(why, wlen,
			 "expected '0xSTART-0xEND SIZE ...', not '%.60s'",
			 range ? range : "");
		return -1;
	}
	tok = strtok_r(NULL, " \t", &save);
	if (!tok || !parse_dec(tok, &e->size)) {
		snprintf(why, wlen, "expected a decimal SIZE after the range, not '%.40s'",
			 tok ? tok : "end of line");
		return -1;
	}
	if (!e->size) {
		snprintf(why, wlen, "size 0");
		return -1;
	}
	e->kind = VMI_AREA;
	while ((tok = strtok_r(NULL, " \t", &save))) {
		bool was_after_caller = after_caller;

		after_caller = false;
		if (!have_caller && !have_pages && !have_phys && !e->flags &&
		    !strcmp(tok, "vm_map_ram")) {
			e->kind = VMI_VM_MAP_RAM;
			e->flags = KVA_TRACE_F_VM_MAP_RAM | KVA_TRACE_F_NOGUARD;
			tok = strtok_r(NULL, " \t", &save);
			if (tok)
				goto extra;
			return 0;
		}
		if (!have_caller && !have_pages && !have_phys && !e->flags &&
		    !strcmp(tok, "unpurged")) {
			tok = strtok_r(NULL, " \t", &save);
			if (!tok || strcmp(tok, "vm_area")) {
				snprintf(why, wlen,
					 "expected 'unpurged vm_area'");
				return -1;
			}
			e->kind = VMI_UNPURGED;
			e->flags = KVA_TRACE_F_UNPURGED | KVA_TRACE_F_NOGUARD;
			tok = strtok_r(NULL, " \t", &save);
			if (tok)
				goto extra;
			return 0;
		}
		if (!strncmp(tok, "pages=", 6)) {
			if (have_pages || !parse_dec(tok + 6, &v))
				goto bad;
			have_pages = true;
			continue;
		}
		if (!strncmp(tok, "phys=", 5)) {
			if (have_phys ||
			    !parse_hex(tok + 5, tok + strlen(tok), &v))
				goto bad;
			have_phys = true;
			continue;
		}
		for (i = 0; i < sizeof(vmi_words) / sizeof(vmi_words[0]); i++)
			if (!strcmp(tok, vmi_words[i].word))
				break;
		if (i < sizeof(vmi_words) / sizeof(vmi_words[0])) {
			if (e->flags & vmi_words[i].flag)
				goto bad;
			e->flags |= vmi_words[i].flag;
			continue;
		}
		if (is_node_count(tok))
			continue;
		/* %pS of a module symbol: "func+0x1/0x2 [module]". */
		if (was_after_caller && tok[0] == '[' &&
		    tok[strlen(tok) - 1] == ']' && strlen(tok) > 2)
			continue;
		if (!have_caller && !have_pages && !have_phys && !e->flags) {
			have_caller = true;
			after_caller = true;
			continue;
		}
		goto bad;
	}
	return 0;
bad:
	snprintf(why, wlen, "unexpected field '%.40s'", tok);
	return -1;
extra:
	snprintf(why, wlen, "unexpected field '%.40s' after '%s'", tok,
		 e->kind == VMI_VM_MAP_RAM ? "vm_map_ram" : "unpurged vm_area");
	return -1;
}

/* Real addresses, as root sees them with kptr_restrict=1. */
static bool plausible(const struct vmi_entry *e, unsigned long page)
{
	return !(e->start & (page - 1)) && !(e->end & (page - 1)) &&
	       e->end > e->start && e->end - e->start == e->size &&
	       (e->start >> 63);
}

static int cmp_start(const void *a, const void *b)
{
	const struct vmi_entry *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static unsigned long scale_up(unsigned long v, double f, unsigned long page,
			      bool at_least_a_page)
{
	double d = f > 0 ? (double)v * f : (double)v;
	unsigned long r = (unsigned long)(d / (double)page + 0.5) * page;

	if (at_least_a_page && r < page)
		r = page;
	return r;
}

int import_vmallocinfo(const struct vmi_opts *o)
{
	unsigned long page = tw_page_size(), span = 0, collapsed = 0;
	unsigned long nr_real = 0, nr_zero = 0, first_bad = 0, lineno = 0;
	unsigned long slice, prev_end = 0, *fillers = NULL;
	unsigned int *unpurged = NULL;
	size_t nr = 0, cap = 0, i, nr_fill = 0, nr_unp = 0;
	struct vmi_entry *ents = NULL;
	struct trace_buf tb = { 0 };
	double factor = o->scale;
	char *text, *line, *next;
	char why[160], b1[32], b2[32];
	size_t len;
	int ret = 1;

	text = read_file(o->in, &len);
	if (!text) {
		msg_err("import: cannot read %s: %s", o->in, strerror(errno));
		return 1;
	}
	if (memchr(text, '\0', len)) {
		msg_err("import: %s: not a text file (NUL byte)", o->in);
		goto out;
	}
	for (line = text; line && *line; line = next) {
		struct vmi_entry e = { 0 };

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (!line[strspn(line, " \t")])
			continue;
		e.line = lineno;
		if (parse_vmi_line(line, &e, why, sizeof(why))) {
			msg_err("import: %s: line %lu: %s", o->in, lineno, why);
			goto out;
		}
		if (nr == cap) {
			struct vmi_entry *n;

			cap = cap ? 2 * cap : 256;
			n = realloc(ents, cap * sizeof(*ents));
			if (!n) {
				msg_err("out of memory");
				goto out;
			}
			ents = n;
		}
		ents[nr++] = e;
		if (plausible(&e, page))
			nr_real++;
		else if (!first_bad)
			first_bad = nr;
		if (!e.start && !e.end)
			nr_zero++;
	}
	if (!nr) {
		msg_err("import: %s: no areas (an empty vmallocinfo?)", o->in);
		goto out;
	}

	if (!o->ignore_addresses) {
		if (nr_zero == nr) {
			msg_err("import: %s: every address is zero: the snapshot was taken with kptr_restrict=2 (or without CAP_SYSLOG); take it again as root after 'echo 1 > /proc/sys/kernel/kptr_restrict', or import sizes and order only with --ignore-addresses",
				o->in);
			goto out;
		}
		if (!nr_real) {
			const struct vmi_entry *e = &ents[0];

			msg_err("import: %s: the addresses are hashed (line %lu: 0x%016lx-0x%016lx for %lu bytes is no page-aligned kernel range of that size): /proc/vmallocinfo prints %%pK values, hashed unless kptr_restrict=1 and the reader has CAP_SYSLOG; take the snapshot again as root after 'echo 1 > /proc/sys/kernel/kptr_restrict', or import sizes and order only with --ignore-addresses",
				o->in, e->line, e->start, e->end, e->size);
			goto out;
		}
		if (first_bad) {
			const struct vmi_entry *e = &ents[first_bad - 1];

			msg_err("import: %s: line %lu: 0x%016lx-0x%016lx is not a page-aligned kernel range of %lu bytes, unlike the other lines",
				o->in, e->line, e->start, e->end, e->size);
			goto out;
		}
		qsort(ents, nr, sizeof(*ents), cmp_start);
		for (i = 1; i < nr; i++) {
			if (ents[i].start < ents[i - 1].end) {
				msg_err("import: %s: line %lu overlaps line %lu (0x%lx-0x%lx and 0x%lx-0x%lx)",
					o->in, ents[i].line, ents[i - 1].line,
					ents[i].start, ents[i].end,
					ents[i - 1].start, ents[i - 1].end);
				goto out;
			}
		}
	}

	/* The layout's span before scaling, gaps shrunk to max_gap. */
	for (i = 0; i < nr; i++) {
		if (!o->ignore_addresses && i) {
			unsigned long gap = ents[i].start - ents[i - 1].end;

			if (!o->keep_gaps && gap > o->max_gap) {
				gap = o->max_gap;
				collapsed++;
			}
			span += gap;
		}
		span += ents[i].size;
	}
	if (o->scale_fit) {
		if (!o->slice_size) {
			msg_err("import: --scale fit needs --slice-size");
			ret = EXIT_USAGE;
			goto out;
		}
		factor = span > o->slice_size ?
			 (double)o->slice_size / (double)span : 0;
	}

	fillers = calloc(nr, sizeof(*fillers));
	unpurged = calloc(nr, sizeof(*unpurged));
	if (!fillers || !unpurged) {
		msg_err("out of memory");
		goto out;
	}
	/*
	 * Scaled sizes are rounded to pages, so the scaled span is only known
	 * after placing; a fit factor that rounds up past the slice is
	 * lowered until it fits.
	 */
	for (;;) {
		span = 0;
		prev_end = 0;
		for (i = 0; i < nr; i++) {
			if (!o->ignore_addresses && i) {
				unsigned long gap = ents[i].start - prev_end;

				if (!o->keep_gaps && gap > o->max_gap)
					gap = o->max_gap;
				span += scale_up(gap, factor, page, false);
			}
			prev_end = ents[i].end;
			span += scale_up(ents[i].size, factor, page, true);
		}
		if (!o->scale_fit || span <= o->slice_size || factor <= 0)
			break;
		factor *= 0.99;
	}
	slice = o->slice_size;
	if (!slice)
		slice = (span + (1UL << 20) - 1) & ~((1UL << 20) - 1);
	if (span > slice) {
		msg_err("import: %s: the layout spans %s%s; the slice is %s: pass --scale F (F < 1, e.g. --scale %.3g), --scale fit, a larger --slice-size%s",
			o->in, tw_size_str(span, b1, sizeof(b1)),
			factor > 0 ? " after scaling" : "",
			tw_size_str(slice, b2, sizeof(b2)),
			(double)slice / (double)span,
			o->ignore_addresses || o->keep_gaps ? "" :
			" or a smaller --max-gap");
		goto out;
	}

	tb_comment(&tb, "imported by kvalab import vmallocinfo from %s", o->in);
	tb_comment(&tb, "%zu areas; %s", nr,
		   o->ignore_addresses ?
		   "--ignore-addresses: sizes and file order only, no gaps" :
		   "address order, gaps kept as filler areas freed and purged after the layout");
	if (collapsed)
		tb_comment(&tb, "%lu gaps wider than %s shrunk to it (--max-gap)",
			   collapsed, tw_size_str(o->max_gap, b1, sizeof(b1)));
	if (factor > 0)
		tb_comment(&tb, "sizes and gaps scaled by %.6g, rounded to pages",
			   factor);

	prev_end = 0;
	for (i = 0; i < nr; i++) {
		const struct vmi_entry *e = &ents[i];
		unsigned long size = scale_up(e->size, factor, page, true);
		unsigned int flags = e->flags;
		unsigned int id;

		if (!o->ignore_addresses && i) {
			unsigned long gap = e->start - prev_end;

			if (!o->keep_gaps && gap > o->max_gap)
				gap = o->max_gap;
			gap = scale_up(gap, factor, page, false);
			if (gap)
				fillers[nr_fill++] = tb_alloc(&tb, gap, 0,
					KVA_TRACE_F_FILLER | KVA_TRACE_F_NOGUARD,
					false, 0);
		}
		prev_end = e->end;
		/* A vm_struct's size includes its guard page: the replay adds it. */
		if (e->kind == VMI_AREA) {
			if (size >= 2 * page)
				size -= page;
			else
				flags |= KVA_TRACE_F_NOGUARD;
		}
		id = tb_alloc(&tb, size, 0, flags, false, 0);
		if (e->kind == VMI_UNPURGED)
			unpurged[nr_unp++] = id;
	}
	for (i = 0; i < nr_fill; i++)
		tb_free(&tb, fillers[i], false, 0);
	if (nr_fill)
		tb_purge(&tb, false, 0);
	for (i = 0; i < nr_unp; i++)
		tb_free(&tb, unpurged[i], false, 0);

	ret = tb_write(&tb, o->out, slice, "vmallocinfo");
	if (!ret)
		fprintf(stderr,
			"kvalab: import: %zu areas, %zu gap fillers, %zu unpurged, span %s, slice %s -> %s\n",
			nr, nr_fill, nr_unp, tw_size_str(span, b1, sizeof(b1)),
			tw_size_str(slice, b2, sizeof(b2)), o->out);
out:
	tb_release(&tb);
	free(fillers);
	free(unpurged);
	free(ents);
	free(text);
	return ret;
}
