// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab replay FILE [--policy P,...|all] [--va-only] [--scale F]
 *                    [--samples N] [--json OUT] [--csv OUT]
 *
 * Load the trace into the module's `replay` file (scaled first when asked:
 * every size times F, rounded up to pages, and the header's slice_size
 * too), start `replay start`, wait for the replay_results listing to say
 * done, and print one row per policy. The replay itself runs in the kernel
 * (module/replay.c; docs/traces.md, "Replaying").
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "trace_write.h"

static volatile sig_atomic_t replay_interrupted;

static void on_signal(int sig)
{
	(void)sig;
	replay_interrupted = 1;
}

struct growbuf {
	char *p;
	size_t len, cap;
};

static void gb_add(struct growbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 65536;
		char *np;

		while (cap < b->len + n + 1)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np) {
			msg_err("replay: out of memory");
			exit(1);
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static unsigned long scale_size(unsigned long v, double f, unsigned long page)
{
	double s = (double)v * f / (double)page;
	unsigned long pages = (unsigned long)s;

	if ((double)pages < s)
		pages++;	/* rounded up to a page */
	return pages ? pages * page : page;
}

/*
 * The trace text scaled by @f: every line parsed, allocs and the header
 * rewritten, others copied. 0, or 1 after a message (a refused line).
 */
static int scale_trace(const char *path, const char *text, size_t len,
		       double f, struct growbuf *out)
{
	unsigned long page = tw_page_size();
	char why[KVA_TRACE_ERR_MAX], msg[KVA_TRACE_MSG_MAX], line[512];
	struct kva_trace_parser p;
	struct kva_trace_op op;
	size_t off = 0;

	kva_trace_parser_init(&p, page, NULL, NULL);
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = (nl ? (size_t)(nl - text) + 1 : len) - off;
		unsigned int bit;
		const char *sep;
		int m = 0;

		if (kva_trace_parse_line(&p, text + off, n, &op, why,
					 sizeof(why))) {
			msg_err("replay: %s: %s", path,
				kva_trace_format_error(&p, why, msg, sizeof(msg)));
			return 1;
		}
		switch (op.kind) {
		case KVA_TRACE_HEADER:
			m = snprintf(line, sizeof(line),
				     "%s %d slice_size=%lu page_size=%lu",
				     KVA_TRACE_MAGIC, KVA_TRACE_VERSION,
				     scale_size(p.hdr.slice_size, f, page),
				     p.hdr.page_size);
			if (p.hdr.nr_ids)
				m += snprintf(line + m, sizeof(line) - m,
					      " ids=%lu", p.hdr.nr_ids);
			if (p.hdr.source[0])
				m += snprintf(line + m, sizeof(line) - m,
					      " source=%s", p.hdr.source);
			m += snprintf(line + m, sizeof(line) - m,
				      "\n# sizes scaled by %g by kvalab replay --scale\n",
				      f);
			gb_add(out, line, (size_t)m);
			break;
		case KVA_TRACE_ALLOC:
			if (op.has_time)
				m = snprintf(line, sizeof(line), "@%llu ",
					     op.time_ns);
			m += snprintf(line + m, sizeof(line) - m, "a %u %lu",
				      op.id, scale_size(op.size, f, page));
			if (op.align)
				m += snprintf(line + m, sizeof(line) - m,
					      " align=%lu", op.align);
			sep = " flags=";
			for (bit = 0; bit < KVA_TRACE_NR_FLAGS; bit++) {
				if (!(op.flags & (1U << bit)))
					continue;
				m += snprintf(line + m, sizeof(line) - m, "%s%s",
					      sep, kva_trace_flag_name(1U << bit));
				sep = ",";
			}
			m += snprintf(line + m, sizeof(line) - m, "\n");
			gb_add(out, line, (size_t)m);
			break;
		default:
			gb_add(out, text + off, n);
			if (!nl)
				gb_add(out, "\n", 1);
		}
		off += n;
	}
	return 0;
}

/* Value of "key=" in a line of key=value tokens, into @buf; false if none. */
bool replay_field(const char *line, const char *key, char *buf, size_t len)
{
	size_t kl = strlen(key);
	const char *p = line;

	while ((p = strstr(p, key))) {
		if ((p == line || p[-1] == ' ') && p[kl] == '=') {
			size_t n = strcspn(p + kl + 1, " \n");

			if (n >= len)
				n = len - 1;
			memcpy(buf, p + kl + 1, n);
			buf[n] = '\0';
			return true;
		}
		p += kl;
	}
	return false;
}

unsigned long replay_ufield(const char *line, const char *key)
{
	char buf[64];

	return replay_field(line, key, buf, sizeof(buf)) ? strtoul(buf, NULL, 10) : 0;
}

/* The "state: X" of the listing. */
static void listing_state(const char *text, char *buf, size_t len)
{
	const char *p = strstr(text, "state: ");
	size_t n;

	buf[0] = '\0';
	if (!p)
		return;
	p += 7;
	n = strcspn(p, "\n");
	if (n >= len)
		n = len - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
}

int replay_load(const char *path, const char *text, size_t len)
{
	char file[4096], st[32];
	size_t off = 0;
	char *listing;
	int fd, err = 0;

	snprintf(file, sizeof(file), "%s/replay", debugfs_dir());
	fd = open(file, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		msg_err("replay: cannot open %s: %s%s", file, strerror(errno),
			errno == EACCES ? " (run as root)" :
			errno == EBUSY ? " (a replay runs or another load is open)" : "");
		return 1;
	}
	while (off < len) {
		size_t n = len - off > 65536 ? 65536 : len - off;
		ssize_t w = write(fd, text + off, n);

		if (w < 0) {
			err = errno;
			break;
		}
		off += (size_t)w;
	}
	close(fd);
	listing = debugfs_read("replay_results", &len);
	if (!listing) {
		msg_err("replay: cannot read %s/replay_results: %s",
			debugfs_dir(), strerror(errno));
		return 1;
	}
	listing_state(listing, st, sizeof(st));
	if (strcmp(st, "loaded")) {
		const char *e = strstr(listing, "load_error: ");

		if (e)
			msg_err("replay: %s refused: %.*s", path,
				(int)strcspn(e + 12, "\n"), e + 12);
		else
			msg_err("replay: %s: loading failed: %s (state %s)",
				path, err ? strerror(err) : "?", st);
		free(listing);
		return 1;
	}
	free(listing);
	return 0;
}

bool replay_parse_samples(const char *s, unsigned long *n)
{
	return parse_uint(s, n) && *n && *n <= 1000;
}

bool replay_parse_scale(const char *s, double *f)
{
	char *end;

	errno = 0;
	*f = strtod(s, &end);
	return !errno && !*end && *f > 0 && *f <= 1e6;
}

char *replay_scaled(const char *path, const char *text, size_t len,
		    double f, size_t *outlen)
{
	struct growbuf b = { 0 };

	if (scale_trace(path, text, len, f, &b)) {
		free(b.p);
		return NULL;
	}
	*outlen = b.len;
	return b.p;
}

char *replay_wait_done(void)
{
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct ctl_result res;
	bool stopping = false;
	char st[32];
	size_t len;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (;;) {
		char *text = debugfs_read("replay_results", &len);

		if (!text) {
			msg_err("replay: cannot read %s/replay_results: %s",
				debugfs_dir(), strerror(errno));
			return NULL;
		}
		listing_state(text, st, sizeof(st));
		if (strcmp(st, "running"))
			return text;
		free(text);
		if (replay_interrupted && !stopping) {
			stopping = true;
			if (control_run("replay stop", &res))
				msg_err("replay: stop: %s", res.reason);
		}
		nanosleep(&ts, NULL);
	}
}

static const char *const cols[] = {
	"policy", "search", "ops", "ns_per_op", "enomem", "errors", "first_fail_line",
	"largest_free_then", "peak_used", "ext_frag_e4", "frag_rss_e4",
	"nr_free", "largest_free", "check",
};
#define NR_COLS (sizeof(cols) / sizeof(cols[0]))

int replay_print_results(FILE *out, const char *text, const char *json_out,
			 const char *csv_out)
{
	FILE *jf = NULL, *cf = NULL;
	const char *p = text;
	int rc = 0, rows = 0;
	char v[128];
	size_t i;

	if (json_out && !(jf = strcmp(json_out, "-") ? fopen(json_out, "w") : stdout)) {
		msg_err("replay: cannot write %s: %s", json_out, strerror(errno));
		return 1;
	}
	if (csv_out && !(cf = strcmp(csv_out, "-") ? fopen(csv_out, "w") : stdout)) {
		msg_err("replay: cannot write %s: %s", csv_out, strerror(errno));
		if (jf && jf != stdout)
			fclose(jf);
		return 1;
	}
	fprintf(out, "%-18s %9s %9s %7s %10s %12s %12s %8s %8s %8s %12s %6s\n",
	       "policy", "ops", "ns/op", "ENOMEM", "first_fail", "largest_then",
	       "peak_used", "ext_frag", "frag_rss", "nr_free", "largest_free",
	       "check");
	if (jf)
		fputs("{\"results\": [", jf);
	if (cf) {
		for (i = 0; i < NR_COLS; i++)
			fprintf(cf, "%s%s", i ? "," : "", cols[i]);
		fputc('\n', cf);
	}
	while ((p = strstr(p, "\nresult "))) {
		char line[2048];
		size_t n = strcspn(++p, "\n");
		char pol[64], check[16];
		unsigned long ext, rss;

		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		p += n;
		replay_field(line, "policy", pol, sizeof(pol));
		replay_field(line, "check", check, sizeof(check));
		/* A padded-search run says so in its row (the JSON has search). */
		if (replay_field(line, "search", v, sizeof(v)) && strcmp(v, "exact") &&
		    strlen(pol) + strlen(v) + 2 <= sizeof(pol))
			strcat(strcat(pol, "/"), v);
		ext = replay_ufield(line, "ext_frag_e4");
		rss = replay_ufield(line, "frag_rss_e4");
		if (strcmp(check, "ok") || replay_ufield(line, "stopped"))
			rc = 1;
		fprintf(out, "%-18s %9lu %9lu %7lu %10lu %12lu %12lu %8.4f %8.4f %8lu %12lu %6s\n",
		       pol, replay_ufield(line, "ops"), replay_ufield(line, "ns_per_op"),
		       replay_ufield(line, "enomem"), replay_ufield(line, "first_fail_line"),
		       replay_ufield(line, "largest_free_then"),
		       replay_ufield(line, "peak_used"), ext / 10000.0, rss / 10000.0,
		       replay_ufield(line, "nr_free"), replay_ufield(line, "largest_free"),
		       replay_ufield(line, "stopped") ? "stopped" : check);
		if (jf) {
			fprintf(jf, "%s\n  {", rows ? "," : "");
			for (i = 0; i < NR_COLS; i++) {
				replay_field(line, cols[i], v, sizeof(v));
				fprintf(jf, "%s", i ? ", " : "");
				json_string(jf, cols[i]);
				fputs(": ", jf);
				if (i <= 1 || i == NR_COLS - 1)
					json_string(jf, v);
				else
					json_auto_value(jf, v);
			}
			fputc('}', jf);
		}
		if (cf) {
			for (i = 0; i < NR_COLS; i++) {
				replay_field(line, cols[i], v, sizeof(v));
				fprintf(cf, "%s%s", i ? "," : "", v);
			}
			fputc('\n', cf);
		}
		rows++;
	}
	if (jf) {
		fputs("\n]}\n", jf);
		if (jf != stdout)
			fclose(jf);
	}
	if (cf && cf != stdout)
		fclose(cf);
	if (!rows) {
		msg_err("replay: the listing has no results");
		return 1;
	}
	p = strstr(text, "\nnote: ");
	if (p)
		msg_err("replay: %.*s", (int)strcspn(p + 7, "\n"), p + 7);
	return rc;
}

int cmd_replay(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "va-only", no_argument, NULL, 'v' },
		{ "scale", required_argument, NULL, 's' },
		{ "samples", required_argument, NULL, 'n' },
		{ "json", required_argument, NULL, 'j' },
		{ "csv", required_argument, NULL, 'c' },
		{ "search", required_argument, NULL, 'e' },
		{ "lazy-max", required_argument, NULL, 'm' },
		{ "log", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy = NULL, *json_out = NULL, *csv_out = NULL, *path;
	const char *search = NULL, *log_out = NULL;
	unsigned long lazy_max = 0;
	struct growbuf scaled = { 0 };
	unsigned long samples = 0;
	struct ctl_result res;
	char line[600];
	bool va_only = false;
	double scale = 0;
	char *text, *listing;
	size_t len;
	int c, rc, m;

	while ((c = sub_getopt(argc, argv, ":h", opts)) != -1) {
		switch (c) {
		case 'h':
			return print_help(cmd);
		case 'p':
			if (!*optarg || strspn(optarg, "abcdefghijklmnopqrstuvwxyz-,") != strlen(optarg))
				return usage_error(cmd, "--policy '%s' is not a list of policy names or 'all'",
						   optarg);
			policy = optarg;
			break;
		case 'v':
			va_only = true;
			break;
		case 's':
			if (!replay_parse_scale(optarg, &scale))
				return usage_error(cmd, "--scale '%s' is not a positive number",
						   optarg);
			break;
		case 'n':
			if (!replay_parse_samples(optarg, &samples))
				return usage_error(cmd, "--samples '%s' is not 1..1000",
						   optarg);
			break;
		case 'j':
			json_out = optarg;
			break;
		case 'c':
			csv_out = optarg;
			break;
		case 'e':
			if (strcmp(optarg, "exact") && strcmp(optarg, "padded"))
				return usage_error(cmd, "--search '%s' is not exact or padded",
						   optarg);
			search = optarg;
			break;
		case 'm':
			if (!parse_uint(optarg, &lazy_max) || !lazy_max)
				return usage_error(cmd, "--lazy-max '%s' is not a page count",
						   optarg);
			break;
		case 'l':
			log_out = optarg;
			break;
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (optind >= argc)
		return usage_error(cmd, "missing FILE");
	path = argv[optind++];
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	text = read_file(path, &len);
	if (!text) {
		msg_err("replay: cannot read %s: %s", path, strerror(errno));
		return 1;
	}
	if (scale) {
		rc = scale_trace(path, text, len, scale, &scaled);
		free(text);
		if (rc) {
			free(scaled.p);
			return 1;
		}
		text = scaled.p;
		len = scaled.len;
	}
	if (debugfs_require("replay")) {
		free(text);
		return 1;
	}
	rc = replay_load(path, text, len);
	free(text);
	if (rc)
		return 1;
	m = snprintf(line, sizeof(line), "replay start");
	if (policy)
		m += snprintf(line + m, sizeof(line) - m, " policy=%s", policy);
	if (va_only)
		m += snprintf(line + m, sizeof(line) - m, " va_only");
	if (samples)
		m += snprintf(line + m, sizeof(line) - m, " samples=%lu", samples);
	if (search)
		m += snprintf(line + m, sizeof(line) - m, " search=%s", search);
	if (lazy_max)
		m += snprintf(line + m, sizeof(line) - m, " lazy_max_pages=%lu",
			      lazy_max);
	if (log_out)
		snprintf(line + m, sizeof(line) - m, " log");
	if (control_run(line, &res)) {
		msg_err("replay: %s", res.reason);
		return 1;
	}
	fprintf(stderr, "kvalab: replay: %s\n", res.line);
	listing = replay_wait_done();
	if (!listing)
		return 1;
	rc = replay_print_results(stdout, listing, json_out, csv_out);
	free(listing);
	if (log_out) {
		char *log = debugfs_read("replay_placements", &len);
		FILE *f = strcmp(log_out, "-") ? fopen(log_out, "w") : stdout;

		if (!log || !f || fputs(log, f) < 0 || (f != stdout && fclose(f))) {
			msg_err("replay: cannot write the placements to %s: %s",
				log_out, strerror(errno));
			rc = 1;
		}
		free(log);
	}
	if (replay_interrupted)
		return EXIT_INTERRUPTED;
	return rc;
}
