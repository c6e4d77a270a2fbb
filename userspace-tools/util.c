// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab: what every subcommand uses, main.c's dispatcher included:
 * messages, option parsing, number and word checks, errno names, the
 * kernel release. It calls no subcommand and nothing of main.c.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <kvalab/errnames.h>
#include <kvalab/lex.h>	/* KVALAB_SIZE_FORMS */

#include "cli.h"

/* --json, the global option or a subcommand's (simple_opts). */
bool opt_json;

void msg_err(const char *fmt, ...)
{
	va_list ap;

	fputs("kvalab: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kvalab%s%s: ", cmd ? " " : "", cmd ? cmd->name : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd)
		fprintf(stderr, "Usage: kvalab %s\nTry 'kvalab %s --help'.\n",
			cmd->synopsis, cmd->name);
	else
		fputs("Try 'kvalab --help'.\n", stderr);
	return EXIT_USAGE;
}

int print_help(const struct command *cmd)
{
	printf("Usage: kvalab %s\n\n%s", cmd->synopsis, cmd->help);
	printf("  -h, --help       show this help\n");
	return 0;
}

/*
 * getopt_long with our own messages: a leading ':' in @optstring makes a
 * missing argument return ':' instead of '?'. Callers reset nothing:
 * optind = 0 asks glibc to start over on the subcommand's argv.
 */
int sub_getopt(int argc, char **argv, const char *optstring,
	       const struct option *longopts)
{
	opterr = 0;
	return getopt_long(argc, argv, optstring, longopts, NULL);
}

/*
 * The argv token getopt stopped at for a bad short option @optopt: while
 * the rest of a cluster ("-4K": '4', then 'K') is unread, glibc has not
 * moved optind past it yet, so it is argv[optind], else argv[optind - 1].
 */
static const char *short_token(int argc, char **argv)
{
	if (optind < argc && argv[optind][0] == '-' && argv[optind][1] != '-' &&
	    strchr(argv[optind] + 1, optopt))
		return argv[optind];
	return argv[optind - 1];
}

int bad_option(const struct command *cmd, int c, char **argv)
{
	int argc = 0;
	const char *opt, *tok;
	char shortopt[3] = { '-', (char)optopt, '\0' };

	while (argv[argc])
		argc++;
	opt = argv[optind - 1];
	tok = optopt && optopt != '-' ? short_token(argc, argv) : opt;
	/*
	 * "-4K" is no option but a signed number: say so, naming the whole
	 * token (for alloc and explain, a size; sizes have no sign).
	 */
	if (c != ':' && tok[0] == '-' && isdigit((unsigned char)tok[1])) {
		if (!strcmp(cmd->name, "alloc") || !strcmp(cmd->name, "explain"))
			return usage_error(cmd, "bad size '%s': sizes have no sign; they are %s",
					   tok, KVALAB_SIZE_FORMS);
		return usage_error(cmd, "bad number '%s': numbers have no sign",
				   tok);
	}
	/* For a short option in a cluster, the token is the cluster. */
	if (optopt && tok[0] == '-' && tok[1] != '-')
		opt = shortopt;
	if (c == ':')
		return usage_error(cmd, "option '%s' requires an argument", opt);
	return usage_error(cmd, "unknown option '%s'", opt);
}

/*
 * The options of a subcommand that has only --help and, when @json_ok,
 * --json, and at most @max_operands operands. Returns 0 to go on (optind at
 * the first operand), -1 after printing the help (the caller exits 0), or
 * the exit status of a refusal.
 */
int simple_opts(const struct command *cmd, int argc, char **argv,
		bool json_ok, int max_operands)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = sub_getopt(argc, argv, ":h", opts)) != -1) {
		if (c == 'h') {
			print_help(cmd);
			return -1;
		}
		if (c == 'j' && !json_ok)
			return usage_error(cmd, "--json is not supported here");
		if (c == 'j') {
			opt_json = true;
			continue;
		}
		return bad_option(cmd, c, argv);
	}
	if (argc - optind > max_operands)
		return usage_error(cmd, "unexpected argument '%s'",
				   argv[optind + max_operands]);
	return 0;
}

/* Decimal or 0x hex, no sign, nothing after it. */
bool parse_uint(const char *s, unsigned long *out)
{
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	*out = strtoul(s, &end, 0);
	return !errno && *end == '\0';
}

/* One token of a control line: non-empty, printable, no blanks. */
bool is_word(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isgraph((unsigned char)*s))
			return false;
	return true;
}

/* @err (positive, as errno holds it) by name: "EBUSY", or "errno". */
const char *errno_name(int err)
{
	const char *name = kvalab_errno_name(err);

	return name ? name : "errno";
}

/* uname -r: the kernel modules are built for and results are measured on. */
const char *kernel_release(void)
{
	static struct utsname uts;

	if (!uts.release[0] && uname(&uts))
		return "unknown";
	return uts.release;
}
