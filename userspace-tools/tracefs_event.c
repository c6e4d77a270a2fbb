// SPDX-License-Identifier: GPL-2.0
/*
 * tracefs_event.h's parser: one line of tracefs text into a checked event.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tracefs_event.h"

const char *tfs_fail_str(unsigned long va, char *buf, size_t len)
{
	const char *name = TFS_IS_ERR(va) ? errno_name((int)-va) : NULL;

	if (!name)
		snprintf(buf, len, "vend");
	else if (strcmp(name, "errno"))
		snprintf(buf, len, "-%s", name);
	else
		snprintf(buf, len, "-%lu", -va);
	return buf;
}

/* "key=0x<hex>" or "key=<dec>" at *@p, advancing past it and one blank. */
static bool field(char **p, const char *key, bool hex, unsigned long *v)
{
	size_t n = strlen(key);
	char *s = *p, *e;

	if (strncmp(s, key, n))
		return false;
	s += n;
	if (hex) {
		if (s[0] != '0' || s[1] != 'x')
			return false;
		s += 2;
	}
	if (!((*s >= '0' && *s <= '9') ||
	      (hex && strchr("abcdefABCDEF", *s) && *s)))
		return false;
	errno = 0;
	*v = strtoul(s, &e, hex ? 16 : 10);
	if (errno || (*e && *e != ' '))
		return false;
	*p = *e ? e + 1 : e;
	return true;
}

/* "SECONDS[.FRACTION]" (up to 9 fraction digits) -> ns. */
static bool parse_ts(const char *s, size_t n, unsigned long long *ns)
{
	unsigned long long sec = 0, frac = 0;
	size_t i = 0, digits = 0;

	if (!n || s[0] < '0' || s[0] > '9')
		return false;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (sec > 18446744073ULL)
			return false;
		sec = sec * 10 + (s[i] - '0');
	}
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
			if (digits == 9)
				return false;
			frac = frac * 10 + (s[i] - '0');
		}
		if (!digits)
			return false;
	}
	if (i != n)
		return false;
	for (; digits < 9; digits++)
		frac *= 10;
	if (sec > 18446744072ULL)
		return false;
	*ns = sec * 1000000000ULL + frac;
	return true;
}

/*
 * The context of the line whose event starts at @end: "TASK-PID [CPU]",
 * with an optional "(TGID)" after the PID and an optional FLAGS after the
 * CPU (the irq-info option), then the timestamp. *@col gets the CPU
 * column whatever the context.
 */
static struct tfs_ctx parse_ctx(const char *line, const char *end,
				long *col)
{
	struct tfs_ctx c = { ULONG_MAX, -1, '?' };
	const char *cpu, *close = NULL, *s, *e;

	/* The CPU: the first " [DIGITS]". */
	for (cpu = line; cpu < end; cpu++) {
		if (*cpu != '[' || cpu == line || cpu[-1] != ' ')
			continue;
		for (close = cpu + 1; close < end && *close >= '0' &&
		     *close <= '9'; close++)
			;
		if (close > cpu + 1 && close < end && *close == ']')
			break;
	}
	if (cpu >= end)
		return c;
	*col = strtol(cpu + 1, NULL, 10);
	s = cpu;
	while (s > line && s[-1] == ' ')
		s--;
	if (s > line && s[-1] == ')') {
		while (s > line && s[-1] != '(')
			s--;
		if (s == line)
			return c;
		for (s--; s > line && s[-1] == ' '; s--)
			;
	}
	for (e = s; s > line && s[-1] >= '0' && s[-1] <= '9'; s--)
		;
	if (s == e || e - s > 10 || s == line || s[-1] != '-')
		return c;
	c.pid = strtoul(s, NULL, 10);
	c.irq = '.';
	for (s = close + 1; s < end && *s == ' '; s++)
		;
	for (e = s; e < end && *e != ' ' && *e != '\t'; e++)
		;
	/* No FLAGS: the token is the timestamp, which ends in ':'. */
	if (e - s >= 3 && e[-1] != ':' && s[2] != '.') {
		c.irq = s[2];
		c.cpu = strtol(cpu + 1, NULL, 10);
	}
	return c;
}


static const char *const events[] = {
	[TFS_ALLOC] = "alloc_vmap_area",
	[TFS_FREE] = "free_vmap_area_noflush",
	[TFS_PURGE] = "purge_vmap_area_lazy",
	[TFS_MARK] = "tracing_mark_write",
};

static int parse_alloc(struct tfs_event *ev, char *args, unsigned long page,
		       char *why, size_t wlen)
{
	unsigned long failed;

	if (!field(&args, "va_start: ", false, &ev->va) ||
	    !field(&args, "size=", false, &ev->size) ||
	    !field(&args, "align=", false, &ev->align) ||
	    !field(&args, "vstart=", true, &ev->vstart) ||
	    !field(&args, "vend=", true, &ev->vend) ||
	    !field(&args, "failed=", false, &failed) || *args ||
	    failed > 1) {
		snprintf(why, wlen,
			 "alloc_vmap_area: expected 'va_start: N size=N align=N vstart=0xH vend=0xH failed=0|1'");
		return -1;
	}
	ev->failed = failed;
	/* alloc_vmap_area() returns -EINVAL for these before tracing. */
	if (!ev->size || ev->size % page || (ev->align & (ev->align - 1)) ||
	    !ev->align) {
		snprintf(why, wlen,
			 "alloc_vmap_area: size %lu or align %lu is not what the kernel allocates (page multiple, power of two)",
			 ev->size, ev->align);
		return -1;
	}
	if (failed && ev->va != ev->vend && !TFS_IS_ERR(ev->va)) {
		snprintf(why, wlen,
			 "alloc_vmap_area: failed=1 with va_start %lu, which is neither vend (Linux 6.2 to 6.15) nor an errno (6.16 on)",
			 ev->va);
		return -1;
	}
	if (!failed && TFS_IS_ERR(ev->va)) {
		char err[24];

		snprintf(why, wlen,
			 "alloc_vmap_area: va_start %lu is an errno (%s), not an address, but failed=0",
			 ev->va, tfs_fail_str(ev->va, err, sizeof(err)));
		return -1;
	}
	/* The kernel BUG()s unless vstart <= va, va + size <= vend, aligned. */
	if (!failed && (!ev->va || ev->va % page || ev->va % ev->align ||
			ev->va < ev->vstart || ev->vend < ev->size ||
			ev->va > ev->vend - ev->size)) {
		snprintf(why, wlen,
			 "alloc_vmap_area: va_start 0x%lx cannot start %lu bytes aligned to %lu between vstart and vend",
			 ev->va, ev->size, ev->align);
		return -1;
	}
	return 0;
}

static int parse_free(struct tfs_event *ev, char *args, char *why,
		      size_t wlen)
{
	if (!field(&args, "va_start=", true, &ev->va) ||
	    !field(&args, "nr_lazy=", false, &ev->nr_lazy) ||
	    !field(&args, "nr_lazy_max=", false, &ev->nr_lazy_max) || *args) {
		snprintf(why, wlen,
			 "free_vmap_area_noflush: expected 'va_start=0xH nr_lazy=N nr_lazy_max=N'");
		return -1;
	}
	return 0;
}

static int parse_purge(struct tfs_event *ev, char *args, char *why,
		       size_t wlen)
{
	if (!field(&args, "start=", true, &ev->start) ||
	    !field(&args, "end=", true, &ev->end) ||
	    !(field(&args, "num_purged=", false, &ev->npurged) ||
	      field(&args, "npurged=", false, &ev->npurged)) || *args) {
		snprintf(why, wlen,
			 "purge_vmap_area_lazy: expected 'start=0xH end=0xH num_purged=N'");
		return -1;
	}
	return 0;
}

int tfs_parse(char *line, unsigned long page, struct tfs_event *ev,
	      char *why, size_t wlen)
{
	char *at = NULL, *args, *ts_end, *lost;
	size_t i, n = 0;

	memset(ev, 0, sizeof(*ev));
	ev->cpu = -1;
	if (line[0] == '#' || !line[strspn(line, " \t")])
		return 0;
	lost = strstr(line, "[LOST ");
	if (lost && strstr(lost, " EVENTS]")) {
		ev->kind = TFS_LOST;
		ev->lost = strtoul(lost + 6, NULL, 10);
		if (!strncmp(line, "CPU:", 4))
			ev->cpu = strtol(line + 4, NULL, 10);
		return 0;
	}
	if (strstr(line, "LOST") && strstr(line, "EVENTS")) {
		ev->kind = TFS_LOST;
		return 0;
	}
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		char pat[64];

		if (!events[i])
			continue;
		snprintf(pat, sizeof(pat), " %s: ", events[i]);
		at = strstr(line, pat);
		if (at) {
			n = strlen(pat);
			break;
		}
	}
	if (!at) {
		ev->kind = TFS_OTHER;
		return 0;
	}
	ev->kind = i;
	args = at + n;
	ev->ctx = parse_ctx(line, at, &ev->cpu);
	/* The timestamp is the token before the event, ending in ':'. */
	ts_end = at;
	while (ts_end > line && ts_end[-1] == ' ')
		ts_end--;
	if (ts_end > line && ts_end[-1] == ':') {
		char *ts = ts_end - 1;

		while (ts > line && ts[-1] != ' ' && ts[-1] != '\t')
			ts--;
		ev->has_time = parse_ts(ts, ts_end - 1 - ts, &ev->ns);
	}
	switch (ev->kind) {
	case TFS_ALLOC:
		return parse_alloc(ev, args, page, why, wlen);
	case TFS_FREE:
		return parse_free(ev, args, why, wlen);
	case TFS_PURGE:
		return parse_purge(ev, args, why, wlen);
	default:
		ev->mark = args;
		args[strcspn(args, "\r\n")] = '\0';
		return 0;
	}
}
