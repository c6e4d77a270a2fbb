// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the trace parser (debugfs/trace_parse.c, built
 * unchanged in userspace). The input is a trace: split at '\n', each line
 * is parsed in turn with an exact id table behind is_live(), as every
 * consumer does. When the first byte is '!' a valid header is fed instead
 * of it, so that mutated inputs keep reaching the operation grammar. Properties checked on
 * every line, accepted or not:
 *
 *   - the return is 0 or one of the errnos trace.h documents, and
 *     -EMSGSIZE exactly when the line is longer than KVA_TRACE_LINE_MAX;
 *   - the reason is NUL-terminated within the buffer, nothing is written
 *     past it, it is empty on success and not on failure; op is zeroed on
 *     failure;
 *   - a refused line leaves the parser as it was, but for the line count;
 *   - parsing is deterministic (same state and bytes, same result), and a
 *     shorter reason buffer gets a prefix of the full reason;
 *   - an accepted op satisfies the grammar: header only on line 1; alloc
 *     size > 0, align 0 or a power of two, known flags, the id not live
 *     and below ids=; free of a live id; timestamps non-decreasing;
 *   - an accepted op printed back in canonical form and parsed again from
 *     the same state gives the same op.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include <kvalab/trace.h>

#define CANARY		0x5a
#define MAX_LIVE	4096
#define HDR		"kvalab-trace 1 slice_size=1G page_size=4096 ids=100000\n"

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_trace: %s:%d: %s: ", __FILE__,	\
			__LINE__, #cond);				\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

struct live_set {
	unsigned int n;
	unsigned int ids[MAX_LIVE];
};

static int live_find(const struct live_set *s, unsigned int id)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (s->ids[i] == id)
			return (int)i;
	return -1;
}

static bool is_live(void *ctx, unsigned int id)
{
	return live_find(ctx, id) >= 0;
}

struct result {
	int rc;
	struct kva_trace_op op;
	char err[KVA_TRACE_ERR_MAX + 32];
};

static void parse_one(struct kva_trace_parser *p, const char *line,
		      size_t len, struct result *r, size_t errlen)
{
	size_t i;

	memset(&r->op, 0xa5, sizeof(r->op));
	memset(r->err, CANARY, sizeof(r->err));
	r->rc = kva_trace_parse_line(p, line, len, &r->op, r->err, errlen);
	CHECK(memchr(r->err, '\0', errlen), "reason not NUL-terminated");
	for (i = errlen; i < sizeof(r->err); i++)
		CHECK(r->err[i] == CANARY, "reason overrun at %zu", i);
}

static bool known_rc(int rc)
{
	switch (rc) {
	case 0: case -EINVAL: case -ERANGE: case -EOVERFLOW:
	case -EPROTONOSUPPORT: case -EEXIST: case -ENOENT: case -EMSGSIZE:
		return true;
	}
	return false;
}

/* The op in the grammar's canonical form, without a newline. */
static void canonical(const struct kva_trace_op *op, char *buf, size_t len)
{
	const char *sep = " flags=";
	size_t o = 0;
	unsigned int i;

	if (op->has_time)
		o += snprintf(buf + o, len - o, "@%llu ", op->time_ns);
	switch (op->kind) {
	case KVA_TRACE_ALLOC:
		o += snprintf(buf + o, len - o, "a %u %lu", op->id, op->size);
		if (op->align)
			o += snprintf(buf + o, len - o, " align=%lu", op->align);
		for (i = 0; i < KVA_TRACE_NR_FLAGS; i++)
			if (op->flags & (1U << i)) {
				o += snprintf(buf + o, len - o, "%s%s", sep,
					      kva_trace_flag_name(1U << i));
				sep = ",";
			}
		break;
	case KVA_TRACE_FREE:
		snprintf(buf + o, len - o, "f %u", op->id);
		break;
	default:
		snprintf(buf + o, len - o, "p");
		break;
	}
}

static bool op_eq(const struct kva_trace_op *a, const struct kva_trace_op *b)
{
	return a->kind == b->kind && a->has_time == b->has_time &&
	       a->time_ns == b->time_ns && a->id == b->id &&
	       a->size == b->size && a->align == b->align &&
	       a->flags == b->flags;
}

static void check_line(struct kva_trace_parser *p, struct live_set *live,
		       const char *line, size_t len)
{
	struct kva_trace_parser before = *p, again;
	struct result r, r2;
	static const struct kva_trace_op zero;
	bool was_live;

	parse_one(p, line, len, &r, KVA_TRACE_ERR_MAX);
	CHECK(known_rc(r.rc), "unknown return %d", r.rc);
	CHECK((r.rc == -EMSGSIZE) == (len > KVA_TRACE_LINE_MAX),
	      "rc %d for a %zu-byte line", r.rc, len);
	CHECK(p->line_nr == before.line_nr + 1, "line count");
	CHECK(!r.rc == !r.err[0], "rc %d with reason '%s'", r.rc, r.err);

	/* Deterministic, and a short buffer gets a prefix. */
	again = before;
	parse_one(&again, line, len, &r2, 24);
	CHECK(r2.rc == r.rc, "rc %d then %d", r.rc, r2.rc);
	CHECK(!strncmp(r2.err, r.err, strlen(r2.err)) && strlen(r2.err) <= 23,
	      "short reason '%s' is not a prefix of '%s'", r2.err, r.err);
	CHECK(op_eq(&r.op, &r2.op), "op differs between runs");

	if (r.rc) {
		CHECK(op_eq(&r.op, &zero), "op not zeroed on error");
		CHECK(p->have_header == before.have_header &&
		      p->have_time == before.have_time &&
		      p->last_time_ns == before.last_time_ns &&
		      p->hdr.version == before.hdr.version &&
		      p->hdr.slice_size == before.hdr.slice_size &&
		      p->hdr.page_size == before.hdr.page_size &&
		      p->hdr.nr_ids == before.hdr.nr_ids &&
		      !strcmp(p->hdr.source, before.hdr.source),
		      "refused line changed the parser");
		return;
	}

	switch (r.op.kind) {
	case KVA_TRACE_SKIP:
		return;
	case KVA_TRACE_HEADER:
		CHECK(p->line_nr == 1, "header on line %lu", p->line_nr);
		CHECK(p->have_header && p->hdr.page_size == 4096 &&
		      p->hdr.slice_size && !(p->hdr.slice_size & 4095),
		      "bad header accepted");
		return;
	case KVA_TRACE_ALLOC:
		CHECK(r.op.size, "size 0");
		CHECK(!r.op.align || !(r.op.align & (r.op.align - 1)),
		      "align %lu", r.op.align);
		CHECK(!(r.op.flags >> KVA_TRACE_NR_FLAGS), "flags %x",
		      r.op.flags);
		CHECK(!p->hdr.nr_ids || r.op.id < p->hdr.nr_ids, "id %u",
		      r.op.id);
		break;
	case KVA_TRACE_FREE:
	case KVA_TRACE_PURGE:
		break;
	default:
		CHECK(0, "kind %d", r.op.kind);
	}
	CHECK(before.have_header, "op before the header");
	if (r.op.has_time && before.have_time)
		CHECK(r.op.time_ns >= before.last_time_ns, "time backwards");

	/* Canonical form round trip from the same state. */
	{
		char buf[KVA_TRACE_LINE_MAX * 2];

		canonical(&r.op, buf, sizeof(buf));
		again = before;
		parse_one(&again, buf, strlen(buf), &r2, KVA_TRACE_ERR_MAX);
		CHECK(!r2.rc && op_eq(&r.op, &r2.op),
		      "canonical '%s' gives rc %d (%s)", buf, r2.rc, r2.err);
	}

	was_live = is_live(live, r.op.id);
	if (r.op.kind == KVA_TRACE_ALLOC) {
		CHECK(!was_live, "alloc of live id %u accepted", r.op.id);
		if (live->n < MAX_LIVE)
			live->ids[live->n++] = r.op.id;
	} else if (r.op.kind == KVA_TRACE_FREE) {
		int i = live_find(live, r.op.id);

		CHECK(was_live, "free of non-live id %u accepted", r.op.id);
		live->ids[i] = live->ids[--live->n];
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct live_set live;
	struct kva_trace_parser p;
	const char *s = (const char *)data, *end = s + size;

	live.n = 0;
	/* More live ids than the table holds would make is_live() inexact. */
	if (size > MAX_LIVE)
		return 0;
	kva_trace_parser_init(&p, 4096, is_live, &live);
	if (size && data[0] == '!') {
		check_line(&p, &live, HDR, strlen(HDR));
		s++;
	}
	while (s < end) {
		const char *nl = memchr(s, '\n', end - s);
		size_t len = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);

		check_line(&p, &live, s, len);
		s += len;
	}
	return 0;
}
