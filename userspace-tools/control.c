// SPDX-License-Identifier: GPL-2.0
/*
 * Thin wrappers over the control file: alloc, free, free-atomic, fill,
 * verify, purge, reset, check. Each builds one command line of the grammar
 * in include/kvalab/cmd.h and prints the result line in the one style every
 * one of them shares: the KEY=VALUE words after "ok OP" (a flag such as
 * free-atomic's "deferred" as a bare word), or with --json one object.
 * Arguments are checked only for count and shape (one word each); numbers,
 * ids and addresses are the module parser's business, and its reason is
 * what the user sees.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The control-file op name: the CLI's "free-atomic" is "free_atomic". */
static void op_name(const struct command *cmd, char *buf, size_t len)
{
	char *p;

	snprintf(buf, len, "%s", cmd->name);
	for (p = buf; *p; p++)
		if (*p == '-')
			*p = '_';
}

/*
 * The "ok OP k=v k=v flag" result as a JSON object: {"op":"OP","k":v,
 * "flag":true}. Decimal values become numbers, the rest strings.
 */
static void print_result_json(const char *op, const char *line)
{
	char buf[512], *tok, *save = NULL;
	int i = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	printf("{\"op\":");
	json_string(stdout, op);
	for (tok = strtok_r(buf, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save), i++) {
		char *eq = strchr(tok, '=');

		if (i < 2)	/* "ok" and the op name */
			continue;
		putchar(',');
		if (eq) {
			*eq = '\0';
			json_string(stdout, tok);
			putchar(':');
			json_auto_value(stdout, eq + 1);
		} else {
			json_string(stdout, tok);
			printf(":true");
		}
	}
	printf("}\n");
}

/*
 * The notes a result line carries, said on stderr so that stdout stays
 * KEY=VALUE: an alignment below a page that the module raised.
 */
static void print_notes(const char *op, const char *line)
{
	const char *p = strstr(line, " align_raised_from=");
	unsigned long from, to;
	const char *a = strstr(line, " align=");

	if (p && a && sscanf(p, " align_raised_from=%lu", &from) == 1 &&
	    sscanf(a, " align=%lu", &to) == 1)
		msg_err("%s: note: alignment %lu is below the page size; raised to %lu",
			op, from, to);
}

/* After a successful write: print the result as text or JSON. */
static int print_result(const char *op, const struct ctl_result *res)
{
	const char *rest = res->line;
	size_t n = strlen(op);

	if (!res->have_line) {
		msg_err("%s: no result line read back from %s/control",
			op, debugfs_dir());
		return 1;
	}
	print_notes(op, res->line);
	if (opt_json) {
		print_result_json(op, res->line);
		return 0;
	}
	/* "ok OP " goes: the KEY=VALUE words remain (alloc's can be eval'ed). */
	if (!strncmp(rest, "ok ", 3) && !strncmp(rest + 3, op, n) &&
	    (rest[3 + n] == ' ' || !rest[3 + n]))
		rest += 3 + n + (rest[3 + n] == ' ');
	printf("%s\n", rest);
	return 0;
}

static int control_do(const char *op, const char *line)
{
	struct ctl_result res;

	if (debugfs_require(op))
		return 1;
	if (control_run(line, &res)) {
		msg_err("%s: %s", op, res.reason);
		return 1;
	}
	return print_result(op, &res);
}

static int check_words(const struct command *cmd, int n, char **args)
{
	int i;

	for (i = 0; i < n; i++)
		if (!is_word(args[i]))
			return usage_error(cmd, "invalid argument '%s'", args[i]);
	return 0;
}

int cmd_alloc(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "align", required_argument, NULL, 'a' },
		{ "noguard", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *align = NULL;
	bool noguard = false;
	char line[600];
	int c;

	while ((c = sub_getopt(argc, argv, ":h", opts)) != -1) {
		switch (c) {
		case 'a':
			align = optarg;
			break;
		case 'n':
			noguard = true;
			break;
		case 'j':
			opt_json = true;
			break;
		case 'h':
			return print_help(cmd);
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (argc - optind < 1)
		return usage_error(cmd, "missing SIZE");
	if (argc - optind > 1)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
	if (check_words(cmd, 1, argv + optind))
		return EXIT_USAGE;
	if (align && !is_word(align))
		return usage_error(cmd, "invalid alignment '%s'", align);
	snprintf(line, sizeof(line), "alloc %s%s%s%s", argv[optind],
		 align ? " align=" : "", align ? align : "",
		 noguard ? " noguard" : "");
	return control_do("alloc", line);
}

/* free, free-atomic (ID|ADDR) and fill, verify (ID|ADDR BYTE). */
int cmd_target(const struct command *cmd, int argc, char **argv)
{
	int want = strstr(cmd->synopsis, "BYTE") ? 2 : 1;
	int n = simple_opts(cmd, argc, argv, true, want);
	char op[32], line[600];

	if (n)
		return n < 0 ? 0 : n;
	n = argc - optind;
	if (n < 1)
		return usage_error(cmd, "missing ID or ADDR");
	if (n < want)
		return usage_error(cmd, "missing BYTE");
	if (check_words(cmd, n, argv + optind))
		return EXIT_USAGE;
	op_name(cmd, op, sizeof(op));
	snprintf(line, sizeof(line), "%s %s%s%s", op, argv[optind],
		 want == 2 ? " " : "", want == 2 ? argv[optind + 1] : "");
	return control_do(op, line);
}

/* purge [vmalloc]: kvalab's lazy areas, or the kernel's own. */
/*
 * CMD [WORD]: the command alone, or with the one word it takes ("purge
 * vmalloc", "check tlb"); anything else is a usage error.
 */
static int cmd_with_word(const struct command *cmd, int argc, char **argv,
			 const char *word)
{
	char line[64];
	int ret = simple_opts(cmd, argc, argv, true, 1);

	if (ret)
		return ret < 0 ? 0 : ret;
	if (optind == argc)
		return control_do(cmd->name, cmd->name);
	if (strcmp(argv[optind], word))
		return usage_error(cmd, "'%s' is not %s", argv[optind], word);
	snprintf(line, sizeof(line), "%s %s", cmd->name, word);
	return control_do(cmd->name, line);
}

int cmd_purge(const struct command *cmd, int argc, char **argv)
{
	return cmd_with_word(cmd, argc, argv, "vmalloc");
}

int cmd_check(const struct command *cmd, int argc, char **argv)
{
	return cmd_with_word(cmd, argc, argv, "tlb");
}

/* reset: no arguments. */
int cmd_simple(const struct command *cmd, int argc, char **argv)
{
	int ret = simple_opts(cmd, argc, argv, true, 0);

	if (ret)
		return ret < 0 ? 0 : ret;
	return control_do(cmd->name, cmd->name);
}
