// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the control-command parser (debugfs/parse.c, built
 * unchanged against the userspace shim). Build with
 *   clang -fsanitize=fuzzer,address,undefined
 * Every input is parsed and the result is checked against properties that
 * hold for every line, accepted or not; a violation aborts with the input.
 *
 *   - the return is 0 or one of the errnos cmd.h documents, and -EMSGSIZE
 *     exactly when the input is longer than KVALAB_CMD_MAX;
 *   - the reason is NUL-terminated within KVALAB_ERR_MAX, nothing is
 *     written past it, it is empty on success and not on failure;
 *   - an accepted command satisfies the grammar's constraints for its op
 *     and leaves the fields of other ops zero;
 *   - parsing is deterministic: the same bytes give the same result;
 *   - with a shorter reason buffer the reason is a prefix of the full one;
 *   - the numbers of an accepted command agree with libc's strtoul() on
 *     the same tokens (a second, independent number parser);
 *   - an accepted command, printed back in canonical form and parsed
 *     again, gives the same command (so no field is silently lost);
 *   - an accepted line without a trailing newline means the same with one.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <ctype.h>

#include <kvalab/cmd.h>
#include <kvalab/workloads.h>

#define CANARY		0x5a
#define CANARY_LEN	32

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_parse: %s:%d: %s: ", __FILE__,	\
			__LINE__, #cond);				\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

struct result {
	int rc;
	struct kvalab_cmd cmd;
	char err[KVALAB_ERR_MAX + CANARY_LEN];
};

static void parse_errlen(const uint8_t *data, size_t size, struct result *r,
			 uint8_t poison, size_t errlen)
{
	size_t i;

	memset(&r->cmd, poison, sizeof(r->cmd));
	memset(r->err, CANARY, sizeof(r->err));
	r->rc = kvalab_parse((const char *)data, size, &r->cmd, r->err,
			     errlen);
	CHECK(memchr(r->err, '\0', errlen),
	      "reason not NUL-terminated within %zu bytes", errlen);
	for (i = errlen; i < sizeof(r->err); i++)
		CHECK(r->err[i] == CANARY, "reason overrun at byte %zu", i);
}

static void parse(const uint8_t *data, size_t size, struct result *r,
		  uint8_t poison)
{
	parse_errlen(data, size, r, poison, KVALAB_ERR_MAX);
}

/*
 * Split an accepted line like the grammar does (blanks, one trailing
 * newline) into @tok; returns the count. @buf receives the copy.
 */
static int split(const uint8_t *data, size_t size, char *buf, char **tok,
		 int max)
{
	int n = 0;
	char *p;

	memcpy(buf, data, size);
	buf[size] = '\0';
	for (p = strtok(buf, " \t\n"); p && n < max; p = strtok(NULL, " \t\n"))
		tok[n++] = p;
	return n;
}

/* libc's reading of an accepted NUMBER[K|M|G] token. */
static unsigned long libc_number(const char *tok)
{
	unsigned long v;
	char *end;

	CHECK(isdigit((unsigned char)tok[0]), "token '%s'", tok);
	errno = 0;
	v = strtoul(tok, &end, 0);
	CHECK(errno == 0, "accepted '%s' that strtoul finds out of range",
	      tok);
	switch (*end) {
	case 'K': case 'k':
		return v << 10;
	case 'M': case 'm':
		return v << 20;
	case 'G': case 'g':
		return v << 30;
	}
	CHECK(*end == '\0', "accepted malformed '%s'", tok);
	return v;
}

/* The numbers in the accepted command are the ones libc reads. */
static void check_numbers(const uint8_t *data, size_t size,
			  const struct kvalab_cmd *c)
{
	char buf[KVALAB_CMD_MAX + 1];
	char *tok[KVALAB_CMD_MAX];
	int n = split(data, size, buf, tok, KVALAB_CMD_MAX);
	unsigned long v;
	int i;

	switch (c->op) {
	case KVALAB_OP_ALLOC:
	case KVALAB_OP_EXPLAIN:
		CHECK(n >= 2 && libc_number(tok[1]) == c->size,
		      "size %#lx from '%s'", c->size, n >= 2 ? tok[1] : "");
		for (i = 2; i < n; i++)
			if (!strncmp(tok[i], "align=", 6))
				CHECK(libc_number(tok[i] + 6) == c->align,
				      "align %#lx from '%s'", c->align, tok[i]);
		break;
	case KVALAB_OP_FILL:
	case KVALAB_OP_VERIFY:
		CHECK(n == 3, "%d tokens", n);
		v = libc_number(tok[2]);
		CHECK(v <= 255 && v == c->byte, "byte %#x from '%s'", c->byte,
		      tok[2]);
		/* fall through */
	case KVALAB_OP_FREE:
	case KVALAB_OP_FREE_ATOMIC:
		CHECK(n >= 2 && libc_number(tok[1]) == c->target.value,
		      "target %#lx from '%s'", c->target.value,
		      n >= 2 ? tok[1] : "");
		break;
	case KVALAB_OP_POLICY:
		CHECK(n == 2 && !strcmp(tok[1], kva_policy_names[c->policy]),
		      "policy %d from %d tokens", c->policy, n);
		break;
	case KVALAB_OP_RUN:
		for (i = 1; i < n; i++) {
			if (!strncmp(tok[i], "threads=", 8))
				CHECK(libc_number(tok[i] + 8) ==
				      c->run.nr_threads, "'%s'", tok[i]);
			else if (!strncmp(tok[i], "loops=", 6))
				CHECK(libc_number(tok[i] + 6) == c->run.loops,
				      "'%s'", tok[i]);
		}
		break;
	case KVALAB_OP_RECORD:
		CHECK(n == 2 && !strcmp(tok[1], c->record_on ? "on" : "off"),
		      "record %d from %d tokens", c->record_on, n);
		break;
	case KVALAB_OP_REPLAY:
		for (i = 2; i < n; i++)
			if (!strncmp(tok[i], "samples=", 8))
				CHECK(libc_number(tok[i] + 8) ==
				      c->replay.samples, "'%s'", tok[i]);
		CHECK(n >= 2 && (c->replay.action == KVALAB_REPLAY_START ||
				 n == 2), "replay: %d tokens", n);
		break;
	default:
		CHECK(n == 1, "%d tokens for %s", n, kvalab_op_name(c->op));
	}
}

static bool is_pow2(unsigned long n)
{
	return n && !(n & (n - 1));
}

/*
 * cmd.h's overflow rule, computed independently of parse.c in 128 bits:
 * pages(size) + guard + (max(align, PAGE_SIZE) - 1) fits an unsigned long.
 */
static bool span_fits(const struct kvalab_cmd *c)
{
	unsigned __int128 page = PAGE_SIZE;
	unsigned __int128 align = c->align > PAGE_SIZE ? c->align : PAGE_SIZE;
	unsigned __int128 span = (c->size + page - 1) / page * page;

	span += c->noguard ? 0 : page;
	span += align - 1;
	return span <= ULONG_MAX;
}

static void check_run(const struct kvalab_run_params *run)
{
	CHECK(!(run->mask & ~KVALAB_WORKLOAD_ALL), "mask %#x", run->mask);
	CHECK(run->nr_threads <= KVALAB_RUN_MAX_THREADS, "threads %u",
	      run->nr_threads);
	unsigned int i, j;
	bool baseline = false;

	CHECK(run->nr_backends >= 1 &&
	      run->nr_backends <= KVALAB_RUN_MAX_BACKENDS,
	      "nr_backends %u", run->nr_backends);
	for (i = 0; i < run->nr_backends; i++) {
		CHECK(run->backends[i] < KVALAB_NR_BACKENDS, "backend %u",
		      run->backends[i]);
		for (j = 0; j < i; j++)
			CHECK(run->backends[i] != run->backends[j],
			      "backend %u twice", run->backends[i]);
		baseline |= run->backends[i] == run->baseline;
	}
	for (; i < KVALAB_RUN_MAX_BACKENDS; i++)
		CHECK(!run->backends[i], "unused backend slot %u set", i);
	CHECK(baseline, "baseline %u not among the backends", run->baseline);
}

/* The baseline the parser picks when baseline= is absent. */
static unsigned int default_baseline(const struct kvalab_run_params *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_backends; i++)
		if (r->backends[i] == KVALAB_BE_VMALLOC)
			return KVALAB_BE_VMALLOC;
	return r->backends[0];
}

/* Grammar constraints of an accepted command; other ops' fields zero. */
static void check_accepted(const struct kvalab_cmd *c)
{
	bool alloc = c->op == KVALAB_OP_ALLOC || c->op == KVALAB_OP_EXPLAIN;
	bool target = c->op == KVALAB_OP_FREE ||
		      c->op == KVALAB_OP_FREE_ATOMIC ||
		      c->op == KVALAB_OP_FILL || c->op == KVALAB_OP_VERIFY;
	bool byte = c->op == KVALAB_OP_FILL || c->op == KVALAB_OP_VERIFY;
	static const struct kvalab_run_params no_run;
	static const struct kvalab_target no_target;

	CHECK(c->op >= KVALAB_OP_ALLOC && c->op <= KVALAB_OP_EXPLAIN,
	      "op %d", c->op);
	CHECK(strcmp(kvalab_op_name(c->op), "unknown"), "op %d unnamed",
	      c->op);
	if (alloc) {
		CHECK(c->size, "zero size");
		CHECK(!c->align || is_pow2(c->align), "align %#lx", c->align);
		CHECK(span_fits(c), "size %#lx align %#lx noguard %d overflow",
		      c->size, c->align, c->noguard);
	} else {
		CHECK(!c->size && !c->align && !c->noguard, "alloc fields set");
	}
	if (target)
		CHECK(c->target.is_addr || c->target.value <= UINT32_MAX,
		      "id %#lx", c->target.value);
	else
		CHECK(!memcmp(&c->target, &no_target, sizeof(no_target)),
		      "target set");
	if (!byte)
		CHECK(!c->byte, "byte set");
	if (c->op == KVALAB_OP_RUN)
		check_run(&c->run);
	else
		CHECK(!memcmp(&c->run, &no_run, sizeof(no_run)), "run set");
	if (c->op == KVALAB_OP_POLICY)
		CHECK((unsigned int)c->policy < KVA_NR_POLICIES, "policy %d",
		      c->policy);
	else
		CHECK(!c->policy, "policy set");
	if (c->op != KVALAB_OP_RECORD)
		CHECK(!c->record_on, "record_on set");
	if (c->op == KVALAB_OP_REPLAY) {
		CHECK(c->replay.action >= KVALAB_REPLAY_START &&
		      c->replay.action <= KVALAB_REPLAY_CLEAR, "action %d",
		      c->replay.action);
		CHECK(!(c->replay.policies >> KVA_NR_POLICIES), "policies %#x",
		      c->replay.policies);
		CHECK(c->replay.samples <= KVALAB_REPLAY_MAX_SAMPLES,
		      "samples %u", c->replay.samples);
		if (c->replay.action != KVALAB_REPLAY_START)
			CHECK(!c->replay.policies && !c->replay.va_only &&
			      !c->replay.samples, "start options set");
	} else {
		CHECK(!c->replay.action && !c->replay.policies &&
		      !c->replay.va_only && !c->replay.samples, "replay set");
	}
}

/* The canonical line for an accepted command; it always fits. */
static int format_cmd(const struct kvalab_cmd *c, char *buf, size_t len)
{
	const struct kvalab_run_params *r = &c->run;
	const char *name = kvalab_op_name(c->op);
	int n;

	switch (c->op) {
	case KVALAB_OP_ALLOC:
	case KVALAB_OP_EXPLAIN:
		n = snprintf(buf, len, "%s %lu", name, c->size);
		if (c->align)
			n += snprintf(buf + n, len - n, " align=%#lx", c->align);
		if (c->noguard)
			n += snprintf(buf + n, len - n, " noguard");
		return n;
	case KVALAB_OP_FREE:
	case KVALAB_OP_FREE_ATOMIC:
	case KVALAB_OP_FILL:
	case KVALAB_OP_VERIFY:
		n = snprintf(buf, len, c->target.is_addr ? "%s 0x%lx" : "%s %lu",
			     name, c->target.value);
		if (c->op == KVALAB_OP_FILL || c->op == KVALAB_OP_VERIFY)
			n += snprintf(buf + n, len - n, " %#x", c->byte);
		return n;
	case KVALAB_OP_RUN:
		n = snprintf(buf, len, "run threads=%u sequential=%d",
			     r->nr_threads, r->sequential);
		if (r->mask)
			n += snprintf(buf + n, len - n, " mask=%#x", r->mask);
		if (r->loops)
			n += snprintf(buf + n, len - n, " loops=%u", r->loops);
		if (r->repeat)
			n += snprintf(buf + n, len - n, " repeat=%u", r->repeat);
		if (r->nr_pages)
			n += snprintf(buf + n, len - n, " pages=%u", r->nr_pages);
		n += snprintf(buf + n, len - n, " backend=");
		kvalab_run_backends_str(r, buf + n, len - n);
		n += strlen(buf + n);
		/* Only when it is not the default: the line must still fit. */
		if (r->baseline != default_baseline(r))
			n += snprintf(buf + n, len - n, " baseline=%s",
				      kvalab_backend_name(r->baseline));
		return n;
	case KVALAB_OP_POLICY:
		return snprintf(buf, len, "policy %s",
				kva_policy_names[c->policy]);
	case KVALAB_OP_RECORD:
		return snprintf(buf, len, "record %s",
				c->record_on ? "on" : "off");
	case KVALAB_OP_REPLAY:
		if (c->replay.action == KVALAB_REPLAY_STOP)
			return snprintf(buf, len, "replay stop");
		if (c->replay.action == KVALAB_REPLAY_CLEAR)
			return snprintf(buf, len, "replay clear");
		n = snprintf(buf, len, "replay start%s",
			     c->replay.va_only ? " va_only" : "");
		if (c->replay.samples)
			n += snprintf(buf + n, len - n, " samples=%u",
				      c->replay.samples);
		if (c->replay.policies) {
			const char *sep = " policy=";
			int i;

			for (i = 0; i < KVA_NR_POLICIES; i++) {
				if (!(c->replay.policies & (1U << i)))
					continue;
				n += snprintf(buf + n, len - n, "%s%s", sep,
					      kva_policy_names[i]);
				sep = ",";
			}
		}
		return n;
	default:
		return snprintf(buf, len, "%s", name);
	}
}

static void check_same(const struct result *a, const struct result *b,
		       const char *what)
{
	CHECK(a->rc == b->rc, "%s: rc %d vs %d", what, a->rc, b->rc);
	CHECK(!strcmp(a->err, b->err), "%s: reason '%s' vs '%s'", what,
	      a->err, b->err);
	/* The parser clears the whole struct first, padding included. */
	CHECK(!memcmp(&a->cmd, &b->cmd, sizeof(a->cmd)), "%s: cmd differs",
	      what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct result first, again, other;
	uint8_t line[KVALAB_CMD_MAX + 1];
	int n;

	parse(data, size, &first, 0xa5);
	CHECK(first.rc == 0 || first.rc == -EINVAL || first.rc == -ERANGE ||
	      first.rc == -EOVERFLOW || first.rc == -EMSGSIZE,
	      "rc %d", first.rc);
	CHECK((first.rc == -EMSGSIZE) == (size > KVALAB_CMD_MAX),
	      "rc %d for %zu bytes", first.rc, size);
	CHECK(!first.rc == !first.err[0], "rc %d with reason '%s'", first.rc,
	      first.err);

	parse(data, size, &again, 0x3c);
	check_same(&first, &again, "second parse");

	/* Any shorter buffer: same result, the reason cut at its end. */
	parse_errlen(data, size, &other, 0x3c, 1 + size % KVALAB_ERR_MAX);
	CHECK(other.rc == first.rc, "rc %d vs %d", other.rc, first.rc);
	CHECK(!strncmp(other.err, first.err, strlen(other.err)) &&
	      strlen(other.err) == (strlen(first.err) < size % KVALAB_ERR_MAX ?
				    strlen(first.err) : size % KVALAB_ERR_MAX),
	      "reason '%s' truncated to '%s'", first.err, other.err);

	if (first.rc)
		return 0;
	check_accepted(&first.cmd);
	check_numbers(data, size, &first.cmd);

	n = format_cmd(&first.cmd, (char *)line, sizeof(line));
	CHECK(n > 0 && (size_t)n < sizeof(line), "canonical line of %d", n);
	parse(line, n, &other, 0);
	CHECK(!other.rc, "canonical '%s' refused: %s", line, other.err);
	check_same(&first, &other, "canonical form");

	if (size < KVALAB_CMD_MAX && (!size || data[size - 1] != '\n')) {
		memcpy(line, data, size);
		line[size] = '\n';
		parse(line, size + 1, &other, 0);
		check_same(&first, &other, "with a trailing newline");
	}
	return 0;
}
