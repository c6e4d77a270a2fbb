// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab record FILE [--seconds N] [-- COMMAND [ARGS...]]: switch the
 * module's recording on (control `record on`), run COMMAND (or wait N
 * seconds, or until Ctrl-C), switch it off and save the debugfs `trace`
 * file to FILE after checking every line with the trace parser. The
 * recording itself is the module's (module/record.c, docs/traces.md).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "trace_write.h"

static volatile sig_atomic_t record_stop;

static void on_signal(int sig)
{
	(void)sig;
	record_stop = 1;
}

/* Check the whole text with the parser; 0, or 1 after a message. */
static int check_trace(const char *text, size_t len, const char *what)
{
	struct kva_trace_parser p;
	char why[KVA_TRACE_ERR_MAX], msg[KVA_TRACE_MSG_MAX];
	struct kva_trace_op op;
	size_t off = 0;

	kva_trace_parser_init(&p, tw_page_size(), NULL, NULL);
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = (nl ? (size_t)(nl - text) + 1 : len) - off;

		if (kva_trace_parse_line(&p, text + off, n, &op, why,
					 sizeof(why))) {
			msg_err("record: %s: %s", what,
				kva_trace_format_error(&p, why, msg, sizeof(msg)));
			return 1;
		}
		off += n;
	}
	if (!p.have_header) {
		msg_err("record: %s is empty", what);
		return 1;
	}
	return 0;
}

static int run_command(char **argv)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_term;
	int status;
	pid_t pid;

	/* The command gets Ctrl-C; we wait for it to end and then stop. */
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGTERM, &ign, &old_term);
	pid = fork();
	if (pid < 0) {
		msg_err("record: fork: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		execvp(argv[0], argv);
		fprintf(stderr, "kvalab: record: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int cmd_record(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long seconds = 0;
	struct ctl_result res;
	const char *out;
	char **command = NULL;
	int c, rc = 0, status = 0;
	struct timespec left;
	size_t len;
	char *text;
	FILE *f;

	/* '+': options end at the first operand, so COMMAND keeps its own. */
	while ((c = sub_getopt(argc, argv, "+:h", opts)) != -1) {
		switch (c) {
		case 'h':
			return print_help(cmd);
		case 'n':
			if (!parse_uint(optarg, &seconds) || !seconds ||
			    seconds > 86400)
				return usage_error(cmd, "--seconds '%s' is not 1..86400",
						   optarg);
			break;
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (optind >= argc)
		return usage_error(cmd, "missing FILE");
	out = argv[optind++];
	if (optind < argc) {
		if (strcmp(argv[optind], "--"))
			return usage_error(cmd, "unexpected argument '%s' (a command goes after --)",
					   argv[optind]);
		if (++optind >= argc)
			return usage_error(cmd, "missing COMMAND after --");
		command = argv + optind;
		if (seconds)
			return usage_error(cmd, "--seconds and a COMMAND exclude each other");
	}
	if (debugfs_require("record"))
		return 1;

	if (control_run("record on", &res)) {
		msg_err("record: %s", res.reason);
		return 1;
	}
	if (command) {
		status = run_command(command);
		if (status < 0)
			status = 127;
	} else {
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		if (seconds) {
			fprintf(stderr, "kvalab: record: recording for %lu s (Ctrl-C stops early)\n",
				seconds);
			left.tv_sec = (time_t)seconds;
			left.tv_nsec = 0;
			while (!record_stop && nanosleep(&left, &left) &&
			       errno == EINTR)
				;
		} else {
			fprintf(stderr, "kvalab: record: recording until Ctrl-C\n");
			while (!record_stop)
				pause();
		}
	}
	if (control_run("record off", &res)) {
		msg_err("record: %s", res.reason);
		return 1;
	}
	fprintf(stderr, "kvalab: record: %s\n", res.line);
	text = debugfs_read("trace", &len);
	if (!text) {
		msg_err("record: cannot read %s/trace: %s", debugfs_dir(),
			strerror(errno));
		return 1;
	}
	if (check_trace(text, len, "the module's trace")) {
		free(text);
		return 1;
	}
	if (strstr(text, "\n# OVERFLOW:"))
		msg_err("record: the buffer overflowed: the trace is the prefix that fit (raise the record_ops module parameter)");
	f = strcmp(out, "-") ? fopen(out, "w") : stdout;
	if (!f || fwrite(text, 1, len, f) != len || (f != stdout && fclose(f))) {
		msg_err("record: cannot write %s: %s", out, strerror(errno));
		rc = 1;
	}
	free(text);
	if (!rc && status) {
		msg_err("record: the command exited with status %d (trace written)",
			status);
		rc = 1;
	}
	return rc;
}
