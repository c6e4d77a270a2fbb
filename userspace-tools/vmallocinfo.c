// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a /proc/vmallocinfo snapshot (vmallocinfo.h): the parser and the
 * checks that the addresses are real, for kvalab import vmallocinfo and
 * kvalab whatif.
 *
 * Lines understood (mm/vmalloc.c s_show and show_purge_info, 6.1 to 6.12):
 *   0xS-0xE SIZE [CALLER [\[MODULE\]]] [pages=N] [phys=0xP] [ioremap]
 *                [vmalloc] [vmap] [user] [dma-coherent] [vpages] [N<n>=<c>...]
 *   0xS-0xE SIZE vm_map_ram
 *   0xS-0xE SIZE unpurged vm_area
 * SIZE is decimal and, for vm_struct lines, includes the guard page.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trace_write.h"	/* KVA_TRACE_F_*, tw_page_size() */
#include "vmallocinfo.h"

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

/*
 * What to do about a snapshot without real addresses: take it again and,
 * for the importer only (the one command that has the option), import
 * sizes and order alone.
 */
static const char *retake_advice(const char *who)
{
	return strcmp(who, "import") ? "" :
	       ", or import sizes and order only with --ignore-addresses";
}

/* The lines of @text (NUL-terminated, modified) into *@ents; 0 or 1. */
static int parse_lines(const char *path, const char *who, char *text,
		       struct vmi_entry **ents, size_t *nr)
{
	unsigned long lineno = 0;
	char *line, *next, why[160];
	size_t cap = 0;

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
			msg_err("%s: %s: line %lu: %s", who, path, lineno, why);
			return 1;
		}
		if (*nr == cap) {
			struct vmi_entry *n;

			cap = cap ? 2 * cap : 256;
			n = realloc(*ents, cap * sizeof(**ents));
			if (!n) {
				msg_err("out of memory");
				return 1;
			}
			*ents = n;
		}
		(*ents)[(*nr)++] = e;
	}
	return 0;
}

/* Real, disjoint addresses; sorts @ents by start. 0, or 1 after a message. */
static int check_addresses(const char *path, const char *who,
			   struct vmi_entry *ents, size_t nr)
{
	unsigned long page = tw_page_size();
	size_t i, nr_real = 0, nr_zero = 0, first_bad = 0;

	for (i = 0; i < nr; i++) {
		if (plausible(&ents[i], page))
			nr_real++;
		else if (!first_bad)
			first_bad = i + 1;
		if (!ents[i].start && !ents[i].end)
			nr_zero++;
	}
	if (nr_zero == nr) {
		msg_err("%s: %s: every address is zero: the snapshot was taken with kptr_restrict=2 (or without CAP_SYSLOG); take it again as root after 'echo 1 > /proc/sys/kernel/kptr_restrict'%s",
			who, path, retake_advice(who));
		return 1;
	}
	if (!nr_real) {
		const struct vmi_entry *e = &ents[0];

		msg_err("%s: %s: the addresses are hashed (line %lu: 0x%016lx-0x%016lx for %lu bytes is no page-aligned kernel range of that size): /proc/vmallocinfo prints %%pK values, hashed unless kptr_restrict=1 and the reader has CAP_SYSLOG; take the snapshot again as root after 'echo 1 > /proc/sys/kernel/kptr_restrict'%s",
			who, path, e->line, e->start, e->end, e->size,
			retake_advice(who));
		return 1;
	}
	if (first_bad) {
		const struct vmi_entry *e = &ents[first_bad - 1];

		msg_err("%s: %s: line %lu: 0x%016lx-0x%016lx is not a page-aligned kernel range of %lu bytes, unlike the other lines",
			who, path, e->line, e->start, e->end, e->size);
		return 1;
	}
	qsort(ents, nr, sizeof(*ents), cmp_start);
	for (i = 1; i < nr; i++) {
		if (ents[i].start < ents[i - 1].end) {
			msg_err("%s: %s: line %lu overlaps line %lu (0x%lx-0x%lx and 0x%lx-0x%lx)",
				who, path, ents[i].line, ents[i - 1].line,
				ents[i].start, ents[i].end,
				ents[i - 1].start, ents[i - 1].end);
			return 1;
		}
	}
	return 0;
}

int vmi_load(const char *path, const char *who, bool ignore_addresses,
	     struct vmi_entry **ents, size_t *nr)
{
	char *text;
	size_t len;
	int ret = 1;

	*ents = NULL;
	*nr = 0;
	text = read_file(path, &len);
	if (!text) {
		msg_err("%s: cannot read %s: %s", who, path, strerror(errno));
		return 1;
	}
	if (memchr(text, '\0', len)) {
		msg_err("%s: %s: not a text file (NUL byte)", who, path);
		goto out;
	}
	if (parse_lines(path, who, text, ents, nr))
		goto out;
	if (!*nr) {
		msg_err("%s: %s: no areas (an empty vmallocinfo?)", who, path);
		goto out;
	}
	if (!ignore_addresses && check_addresses(path, who, *ents, *nr))
		goto out;
	ret = 0;
out:
	if (ret) {
		free(*ents);
		*ents = NULL;
		*nr = 0;
	}
	free(text);
	return ret;
}
