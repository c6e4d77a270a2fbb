// SPDX-License-Identifier: GPL-2.0
/*
 * run and compare: start a workload run with one control write, follow the
 * results file until the module says done, stopped or failed, then print
 * the table and write the files asked for. compare is a run whose backends
 * are the chosen policies (kvalab:<policy>, plus vmalloc as the baseline)
 * printed as the compare table (one row per case and backend, with ENOMEM
 * failures and the slice's free areas).
 *
 * The results file is re-read every POLL_MS. A first SIGINT/SIGTERM (or the
 * --timeout) writes "stop" and keeps polling until the module confirms, so
 * the cases that finished are still printed; a second signal stops waiting.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <kvalab/backends.h>
#include <kvalab/policies.h>

#include "cli.h"
#include "results.h"

#define POLL_MS		200
/* KVALAB_CMD_MAX in include/kvalab/cmd.h: the longest control line. */
#define RUN_LINE_MAX	256
/* How long the module gets to confirm a stop. */
#define STOP_WAIT_SEC	30
/* A run that still reads "idle" this long after starting never started. */
#define IDLE_GRACE_SEC	2

static volatile sig_atomic_t signals_seen;
/* The subcommand's name in messages: run or compare. */
static const char *who = "run";

static void on_signal(int sig)
{
	(void)sig;
	signals_seen++;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: wake the sleep */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool finished(const char *state)
{
	return !strcmp(state, "done") || !strcmp(state, "stopped") ||
	       !strcmp(state, "failed");
}

enum progress_mode { PROGRESS_NONE, PROGRESS_LINES, PROGRESS_BAR };

struct progress {
	enum progress_mode mode;
	unsigned int last_done;
	double last_print;
	bool drawn;
};

static void progress_show(struct progress *p, const struct run_results *r,
			  double elapsed)
{
	if (p->mode == PROGRESS_BAR) {
		unsigned int i, filled = r->total ? 30 * r->done / r->total : 0;

		fputs("\r[", stderr);
		for (i = 0; i < 30; i++)
			fputc(i < filled ? '#' : '.', stderr);
		fprintf(stderr, "] %u/%u  %s  %um%02us", r->done, r->total,
			r->state, (unsigned int)elapsed / 60,
			(unsigned int)elapsed % 60);
		p->drawn = true;
	} else if (p->mode == PROGRESS_LINES && r->done != p->last_done &&
		   elapsed - p->last_print >= 1.0) {
		fprintf(stderr, "kvalab: %s: %u/%u done after %.0f s\n",
			who, r->done, r->total, elapsed);
		p->last_done = r->done;
		p->last_print = elapsed;
	}
}

static void progress_end(struct progress *p)
{
	if (p->drawn)
		fputs("\r\033[K", stderr);
	p->drawn = false;
}

static void send_stop(struct progress *p, const char *why)
{
	struct ctl_result res;

	progress_end(p);
	fprintf(stderr, "kvalab: %s: %s, stopping (Ctrl-C again to stop waiting)\n",
		who, why);
	if (control_run("stop", &res))
		msg_err("%s: stop: %s", who, res.reason);
}

static int append(char *line, size_t len, const char *fmt, const char *val)
{
	size_t used = strlen(line);
	int n = snprintf(line + used, len - used, fmt, val);

	return n < 0 || (size_t)n >= len - used ? -1 : 0;
}

/*
 * Follow the results file until the run ends. Returns 0, or 1 after an
 * error already reported; *stopped_by says what ended it early.
 */
static int follow(struct run_results *r, struct progress *p, unsigned long timeout,
		  const char **stopped_by)
{
	double start = now(), stop_deadline = 0;
	char err[256];

	for (;;) {
		char *text = debugfs_read("results", NULL);
		double elapsed = now() - start;
		const struct timespec pause = { 0, POLL_MS * 1000000L };

		if (!text) {
			progress_end(p);
			msg_err("%s: cannot read %s/results: %s", who, debugfs_dir(),
				strerror(errno));
			return 1;
		}
		if (results_parse(text, r, err, sizeof(err))) {
			free(text);
			progress_end(p);
			msg_err("%s: %s/results: %s", who, debugfs_dir(), err);
			return 1;
		}
		free(text);
		if (finished(r->state))
			break;
		if (!strcmp(r->state, "idle") && elapsed > IDLE_GRACE_SEC) {
			progress_end(p);
			msg_err("%s: the module reports no run in progress (state: idle)",
				who);
			return 1;
		}
		progress_show(p, r, elapsed);

		if (!*stopped_by && signals_seen)
			*stopped_by = "interrupted";
		else if (!*stopped_by && timeout && elapsed >= (double)timeout)
			*stopped_by = "timed out";
		if (*stopped_by && !stop_deadline) {
			send_stop(p, *stopped_by);
			stop_deadline = elapsed + STOP_WAIT_SEC;
		}
		if (signals_seen > 1 || (stop_deadline && elapsed > stop_deadline)) {
			progress_end(p);
			msg_err("%s: not waiting for the module to stop; showing the cases that finished",
				who);
			break;
		}
		nanosleep(&pause, NULL);
	}
	progress_end(p);
	return 0;
}

/*
 * The slice's listings as the run left it, for the JSON and HTML report:
 * each debugfs file that exists (free_tree only in newer modules), cut at
 * a line end to SNAP_MAX bytes. A listing that cannot be read is left out.
 */
void results_snapshot(struct run_results *r)
{
	unsigned int i;

	for (i = 0; i < NR_SNAPS; i++) {
		size_t len = 0;
		char *text = debugfs_read(snap_names[i], &len);

		if (!text)
			continue;
		if (len > SNAP_MAX) {
			char *nl;

			text[SNAP_MAX] = '\0';
			nl = strrchr(text, '\n');
			if (nl)
				nl[1] = '\0';
		}
		free(r->snap[i]);
		r->snap[i] = text;
	}
}

/*
 * --policies LIST: "all" or policy names separated by commas, appended to
 * @line's backend list as kvalab:<policy>. Returns 0, or -1 after a usage
 * error was reported.
 */
static int add_policies(const struct command *cmd, const char *list,
			char *backends, size_t len)
{
	const char *p = list;
	unsigned int i;

	if (!strcmp(list, "all")) {
		for (i = 0; i < KVA_NR_POLICIES; i++)
			if (append(backends, len, *backends ? ",%s" : "%s",
				   kvalab_backend_name(KVALAB_BE_POLICY(i))))
				return -1;
		return 0;
	}
	for (;;) {
		size_t n = strcspn(p, ",");
		int id = kva_policy_by_name(p, n);

		if (id < 0) {
			char names[256] = "";

			for (i = 0; i < KVA_NR_POLICIES; i++)
				append(names, sizeof(names), i ? ", %s" : "%s",
				       kva_policy_names[i]);
			usage_error(cmd, "unknown policy '%.*s' in --policies (all, or some of: %s)",
				    (int)n, p, names);
			return -1;
		}
		if (append(backends, len, *backends ? ",%s" : "%s",
			   kvalab_backend_name(KVALAB_BE_POLICY(id))))
			return -1;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

#define BREAKDOWN_PARAM	"/sys/module/kvalab/parameters/breakdown"

/*
 * Set the module's breakdown parameter to @val ("Y" or "N"); if @old is not
 * NULL it gets the value before. 0, or -1 after printing why.
 */
static int set_breakdown(const char *val, char *old)
{
	FILE *f;

	if (old) {
		f = fopen(BREAKDOWN_PARAM, "r");
		if (!f || fscanf(f, "%1s", old) != 1) {
			msg_err("%s: cannot read %s: %s", who, BREAKDOWN_PARAM,
				f ? "no value" : strerror(errno));
			if (f)
				fclose(f);
			return -1;
		}
		fclose(f);
	}
	f = fopen(BREAKDOWN_PARAM, "w");
	if (!f || fputs(val, f) < 0 || fclose(f)) {
		msg_err("%s: cannot write %s: %s", who, BREAKDOWN_PARAM,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* run and compare: the same options, different backends and table. */
static int run_or_compare(const struct command *cmd, int argc, char **argv,
			  bool compare)
{
	static const struct option opts[] = {
		{ "mask", required_argument, NULL, 'm' },
		{ "threads", required_argument, NULL, 't' },
		{ "loops", required_argument, NULL, 'l' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "pages", required_argument, NULL, 'p' },
		{ "sequential", no_argument, NULL, 's' },
		{ "backend", required_argument, NULL, 'b' },
		{ "policies", required_argument, NULL, 'P' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "no-vmalloc", no_argument, NULL, 'V' },
		{ "json", required_argument, NULL, 'J' },
		{ "csv", required_argument, NULL, 'C' },
		{ "svg", required_argument, NULL, 'S' },
		{ "frag-svg", required_argument, NULL, 'G' },
		{ "html", required_argument, NULL, 'H' },
		{ "latency", no_argument, NULL, 'L' },
		{ "no-progress", no_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "breakdown", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* Options that go into the control line as KEY=VALUE, in this order. */
	const char *keys[] = { "mask", "threads", "loops", "repeat", "pages",
			       "backend", "baseline" };
	const char *vals[7] = { NULL };
	struct outputs o = { NULL };
	const char *stopped_by = NULL;
	const char *backend = NULL, *policies = NULL;
	struct progress progress = { PROGRESS_LINES, 0, -1.0, false };
	unsigned long timeout = 0;
	bool sequential = false, no_progress = false, no_vmalloc = false;
	bool latency = false, breakdown = false;
	char old_breakdown[2] = "N";
	char line[RUN_LINE_MAX + 64] = "run";
	char backends[RUN_LINE_MAX] = "";
	struct run_results *r;
	struct ctl_result res;
	int c, i, ret;

	who = cmd->name;
	while ((c = sub_getopt(argc, argv, ":h", opts)) != -1) {
		switch (c) {
		case 'm': vals[0] = optarg; break;
		case 't': vals[1] = optarg; break;
		case 'l': vals[2] = optarg; break;
		case 'r': vals[3] = optarg; break;
		case 'p': vals[4] = optarg; break;
		case 'b':
			if (compare)
				return usage_error(cmd, "--backend is run's option; compare takes --policies and --no-vmalloc");
			backend = optarg;
			break;
		case 'P': policies = optarg; break;
		case 'B': vals[6] = optarg; break;
		case 'V':
			if (!compare)
				return usage_error(cmd, "--no-vmalloc is compare's option; run takes --backend");
			no_vmalloc = true;
			break;
		case 's': sequential = true; break;
		case 'J': o.json = optarg; break;
		case 'C': o.csv = optarg; break;
		case 'S': o.svg = optarg; break;
		case 'G': o.frag_svg = optarg; break;
		case 'H': o.html = optarg; break;
		case 'L': latency = true; break;
		case 'D':
			if (compare)
				return usage_error(cmd, "--breakdown is run's option");
			breakdown = true;
			break;
		case 'n': no_progress = true; break;
		case 'T':
			if (!parse_uint(optarg, &timeout) || !timeout)
				return usage_error(cmd, "--timeout wants a number of seconds > 0, got '%s'",
						   optarg);
			break;
		case 'h':
			return print_help(cmd);
		default:
			return bad_option(cmd, c, argv);
		}
	}
	for (i = optind; i < argc; i++) {
		if (!is_word(argv[i]) || strchr(argv[i], '='))
			return usage_error(cmd, "invalid test name '%s'", argv[i]);
		if (append(line, sizeof(line), " %s", argv[i]))
			break;
	}

	/*
	 * The backend list: run's --backend, then --policies; compare's
	 * vmalloc (unless --no-vmalloc), then --policies (default all).
	 */
	if (backend) {
		if (!is_word(backend))
			return usage_error(cmd, "invalid --backend value '%s'",
					   backend);
		append(backends, sizeof(backends), "%s", backend);
	}
	if (compare && !no_vmalloc)
		append(backends, sizeof(backends), "%s",
		       kvalab_backend_name(KVALAB_BE_VMALLOC));
	if (compare && !policies)
		policies = "all";
	if (policies && add_policies(cmd, policies, backends, sizeof(backends)))
		return EXIT_USAGE;
	if (*backends)
		vals[5] = backends;

	for (i = 0; i < 7; i++) {
		char fmt[32];

		if (!vals[i])
			continue;
		if (!is_word(vals[i]))
			return usage_error(cmd, "invalid --%s value '%s'", keys[i],
					   vals[i]);
		snprintf(fmt, sizeof(fmt), " %s=%%s", keys[i]);
		if (append(line, sizeof(line), fmt, vals[i]))
			break;
	}
	if (sequential)
		append(line, sizeof(line), "%s", " sequential=1");
	if (strlen(line) + 1 > RUN_LINE_MAX)
		return usage_error(cmd, "the run command is longer than %d bytes",
				   RUN_LINE_MAX);

	if (debugfs_require(cmd->name))
		return 1;
	if (!no_progress && isatty(STDERR_FILENO))
		progress.mode = PROGRESS_BAR;
	else if (no_progress)
		progress.mode = PROGRESS_NONE;
	r = malloc(sizeof(*r));
	if (!r) {
		msg_err("%s: out of memory", cmd->name);
		return 1;
	}
	if (breakdown && set_breakdown("Y", old_breakdown)) {
		free(r);
		return 1;
	}
	catch_signals();
	if (control_run(line, &res)) {
		msg_err("%s: %s", cmd->name, res.reason);
		if (breakdown)
			set_breakdown(old_breakdown, NULL);
		free(r);
		return 1;
	}
	ret = follow(r, &progress, timeout, &stopped_by);
	/* The parameter as it was, whatever the run did. */
	if (breakdown && set_breakdown(old_breakdown, NULL))
		ret = 1;
	if (ret) {
		free(r);
		return 1;
	}
	snprintf(r->version, sizeof(r->version), "%s", KVALAB_VERSION);
	snprintf(r->kernel, sizeof(r->kernel), "%s", kernel_release());
	if (compare)
		compare_print(stdout, r);
	else
		table_print(stdout, r);
	if (latency)
		latency_print(stdout, r);
	if (breakdown)
		breakdown_print(stdout, r);
	fflush(stdout);
	if (o.json || o.html)
		results_snapshot(r);
	ret = write_outputs(cmd->name, &o, r);
	results_release(r);

	if (stopped_by && signals_seen) {
		ret = EXIT_INTERRUPTED;
	} else if (stopped_by) {
		msg_err("%s: timed out after %lu s", cmd->name, timeout);
		ret = 1;
	} else if (!strcmp(r->state, "failed")) {
		msg_err("%s: the module reports the run failed (see dmesg)",
			cmd->name);
		ret = 1;
	} else if (results_failed(r)) {
		msg_err("%s: a case failed or an expected failure passed",
			cmd->name);
		ret = 1;
	}
	free(r);
	return ret;
}

int cmd_run(const struct command *cmd, int argc, char **argv)
{
	return run_or_compare(cmd, argc, argv, false);
}

int cmd_compare(const struct command *cmd, int argc, char **argv)
{
	return run_or_compare(cmd, argc, argv, true);
}
