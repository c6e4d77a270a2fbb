/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvalab CLI: what the source files share. The CLI is a thin client of the
 * debugfs contract in docs/debugfs.md: it writes command lines, reads
 * result lines and files back, and formats them. It never re-implements the
 * module's parser or allocator.
 */
#ifndef KVALAB_CLI_H
#define KVALAB_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifndef KVALAB_VERSION
#define KVALAB_VERSION "0.1.0"
#endif

/* Exit status: 0 success, 1 the operation (or a measured case) failed. */
#define EXIT_USAGE	2	/* bad command line */
#define EXIT_INTERRUPTED 130	/* run stopped by SIGINT/SIGTERM */

/* Global options (util.c; main.c and simple_opts() set them). */
extern bool opt_json;

/* One subcommand: its name, entry point and --help text. */
struct command {
	const char *name;
	int (*fn)(const struct command *cmd, int argc, char **argv);
	const char *synopsis;	/* "alloc SIZE [--align N] [--noguard]" */
	const char *help;	/* description and options */
};

/*
 * util.c: messages, option parsing and checks shared by every subcommand
 * and main.c's dispatcher.
 */
void msg_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_error(const struct command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int print_help(const struct command *cmd);
int sub_getopt(int argc, char **argv, const char *optstring,
	       const struct option *longopts);
int bad_option(const struct command *cmd, int c, char **argv);
int simple_opts(const struct command *cmd, int argc, char **argv,
		bool json_ok, int max_operands);
/* @err (positive) by name, <kvalab/errnames.h>'s, or "errno". */
const char *errno_name(int err);
bool parse_uint(const char *s, unsigned long *out);
bool is_word(const char *s);
const char *kernel_release(void);

/* debugfs.c: the files under $KVALAB_DEBUGFS (default below). */
#define KVALAB_DEBUGFS_DEFAULT "/sys/kernel/debug/kvalab"
void debugfs_set_dir(const char *dir);
const char *debugfs_dir(void);
int debugfs_require(const char *what);
char *debugfs_read(const char *name, size_t *len);
char *read_file(const char *path, size_t *len);
int debugfs_cat(const char *what, const char *name);

/* A control command's outcome, from the write and the read-back line. */
struct ctl_result {
	int err;		/* 0, or the errno of the failed write */
	bool have_line;		/* line holds an "ok ..." or "error ..." */
	char line[512];		/* result line without the newline */
	char reason[1280];	/* error reason, or strerror(err) */
};
int control_run(const char *line, struct ctl_result *res);

/* control.c, show.c, module.c, run.c (run, compare), report.c: subcommands. */
int cmd_alloc(const struct command *cmd, int argc, char **argv);
int cmd_target(const struct command *cmd, int argc, char **argv);
int cmd_simple(const struct command *cmd, int argc, char **argv);
int cmd_purge(const struct command *cmd, int argc, char **argv);
int cmd_check(const struct command *cmd, int argc, char **argv);
int cmd_show(const struct command *cmd, int argc, char **argv);
int cmd_stats(const struct command *cmd, int argc, char **argv);
int cmd_load(const struct command *cmd, int argc, char **argv);
int cmd_unload(const struct command *cmd, int argc, char **argv);
int cmd_status(const struct command *cmd, int argc, char **argv);
int cmd_run(const struct command *cmd, int argc, char **argv);
int cmd_compare(const struct command *cmd, int argc, char **argv);
int cmd_report(const struct command *cmd, int argc, char **argv);
int cmd_import(const struct command *cmd, int argc, char **argv);
int cmd_capture(const struct command *cmd, int argc, char **argv);
int cmd_record(const struct command *cmd, int argc, char **argv);
int cmd_replay(const struct command *cmd, int argc, char **argv);
int cmd_map(const struct command *cmd, int argc, char **argv);
int cmd_tree(const struct command *cmd, int argc, char **argv);
int cmd_explain(const struct command *cmd, int argc, char **argv);
int cmd_scenario(const struct command *cmd, int argc, char **argv);
int cmd_sim(const struct command *cmd, int argc, char **argv);
int cmd_whatif(const struct command *cmd, int argc, char **argv);
int cmd_follow(const struct command *cmd, int argc, char **argv);

/* scenario.c: the scenario's trace for a slice of @slice bytes, into @path. */
int scenario_write_trace(const char *name, unsigned long slice,
			 const char *path);

/*
 * replay.c, shared with scenario.c: load trace text into the module (0, or
 * 1 after a message), wait for the replay to end (the replay_results text,
 * or NULL after a message), read key=value fields of a result line.
 */
int replay_load(const char *path, const char *text, size_t len);
char *replay_wait_done(void);
/* A --samples count: 1..1000 (the module's KVALAB_REPLAY_MAX_SAMPLES). */
bool replay_parse_samples(const char *s, unsigned long *n);
/* A --scale factor: a number above 0, at most 10^6. */
bool replay_parse_scale(const char *s, double *f);
/* The trace text with every size (and the slice) times @f; NULL after a message. */
char *replay_scaled(const char *path, const char *text, size_t len,
		    double f, size_t *outlen);
/* The replay table of a replay_results listing (@out), JSON and CSV files. */
int replay_print_results(FILE *out, const char *text, const char *json_out,
			 const char *csv_out);
bool replay_field(const char *line, const char *key, char *buf, size_t len);
unsigned long replay_ufield(const char *line, const char *key);

/* lockdown.c: for an EPERM from debugfs, a reason naming lockdown, or NULL. */
const char *kvalab_lockdown_hint(void);

/* stats lookup shared by stats and status (show.c). */
bool stats_lookup(const char *text, const char *name, char *val, size_t len);

/* json.c: writer helpers. */
void json_string(FILE *f, const char *s);
void json_auto_value(FILE *f, const char *s);

#endif /* KVALAB_CLI_H */
