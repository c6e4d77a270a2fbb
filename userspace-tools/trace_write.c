// SPDX-License-Identifier: GPL-2.0
/*
 * The trace writer shared by the importers: operations are collected in
 * memory (an importer must know every id and the slice size before the
 * header can be written), then written line by line. Every line is first
 * parsed by the module's parser (trace_parse_cli.c) with the ids' liveness
 * tracked, so a trace the CLI writes is one the module accepts.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "trace_write.h"
#include <kvalab/lex.h>

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		msg_err("out of memory");
		exit(1);
	}
	return p;
}

static struct tw_op *tb_push(struct trace_buf *tb, char kind, bool has_time,
			     unsigned long long ns)
{
	struct tw_op *op;

	if (tb->nr == tb->cap) {
		tb->cap = tb->cap ? 2 * tb->cap : 256;
		tb->ops = xrealloc(tb->ops, tb->cap * sizeof(*tb->ops));
	}
	op = &tb->ops[tb->nr++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->has_time = has_time;
	op->time_ns = ns;
	return op;
}

unsigned int tb_alloc(struct trace_buf *tb, unsigned long size,
		      unsigned long align, unsigned int flags, bool has_time,
		      unsigned long long ns)
{
	struct tw_op *op = tb_push(tb, 'a', has_time, ns);

	op->id = tb->nr_ids++;
	op->size = size;
	op->align = align;
	op->flags = flags;
	return op->id;
}

void tb_free(struct trace_buf *tb, unsigned int id, bool has_time,
	     unsigned long long ns)
{
	tb_push(tb, 'f', has_time, ns)->id = id;
}

void tb_purge(struct trace_buf *tb, bool has_time, unsigned long long ns)
{
	tb_push(tb, 'p', has_time, ns);
}

void tb_comment(struct trace_buf *tb, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		msg_err("out of memory");
		exit(1);
	}
	va_end(ap);
	/* A comment line must fit KVA_TRACE_LINE_MAX with its "# ". */
	if (strlen(s) > 200)
		strcpy(s + 197, "...");
	tb->comments = xrealloc(tb->comments,
				(tb->nr_comments + 1) * sizeof(*tb->comments));
	tb->comments[tb->nr_comments++] = s;
}

void tb_release(struct trace_buf *tb)
{
	size_t i;

	for (i = 0; i < tb->nr_comments; i++)
		free(tb->comments[i]);
	free(tb->comments);
	free(tb->ops);
	memset(tb, 0, sizeof(*tb));
}

unsigned long tw_page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? (unsigned long)ps : 4096;
}

const char *tw_size_str(unsigned long v, char *buf, size_t len)
{
	static const char units[] = "GMK";
	int i;

	for (i = 0; i < 3; i++) {
		unsigned long m = 1UL << (10 * (3 - i));

		if (v && !(v % m)) {
			snprintf(buf, len, "%lu%c", v / m, units[i]);
			return buf;
		}
	}
	snprintf(buf, len, "%lu", v);
	return buf;
}

/*
 * A size in the forms every kvalab size takes (lex.h: decimal or 0x hex,
 * K, M, G, KiB, MiB or GiB), parsed by the module's own size parser.
 */
bool tw_parse_size(const char *s, unsigned long *v)
{
	struct kvalab_lex lx = { 0 };

	return !kvalab_lex_size(&lx, "size", s, v);
}

static void format_op(const struct tw_op *op, char *buf, size_t len)
{
	const char *sep = " flags=";
	size_t o = 0;
	unsigned int i;

	if (op->has_time)
		o += snprintf(buf + o, len - o, "@%llu ", op->time_ns);
	switch (op->kind) {
	case 'a':
		o += snprintf(buf + o, len - o, "a %u %lu", op->id, op->size);
		if (op->align)
			o += snprintf(buf + o, len - o, " align=%lu", op->align);
		for (i = 0; i < KVA_TRACE_NR_FLAGS; i++) {
			if (!(op->flags & (1U << i)))
				continue;
			o += snprintf(buf + o, len - o, "%s%s", sep,
				      kva_trace_flag_name(1U << i));
			sep = ",";
		}
		break;
	case 'f':
		o += snprintf(buf + o, len - o, "f %u", op->id);
		break;
	default:
		o += snprintf(buf + o, len - o, "p");
		break;
	}
	snprintf(buf + o, len - o, "\n");
}

static bool live_hook(void *ctx, unsigned int id)
{
	const bool *live = ctx;

	return live[id];
}

/* Parse @line as the reader will; an importer bug if it is refused. */
static int check_line(struct kva_trace_parser *p, bool *live,
		      const char *line)
{
	char err[KVA_TRACE_ERR_MAX];
	struct kva_trace_op op;

	if (kva_trace_parse_line(p, line, strlen(line), &op, err,
				 sizeof(err))) {
		char msg[KVA_TRACE_MSG_MAX];

		msg_err("import: internal error: the trace parser refuses the output, %s",
			kva_trace_format_error(p, err, msg, sizeof(msg)));
		return 1;
	}
	if (op.kind == KVA_TRACE_ALLOC)
		live[op.id] = true;
	else if (op.kind == KVA_TRACE_FREE)
		live[op.id] = false;
	return 0;
}

int tb_write(const struct trace_buf *tb, const char *path,
	     unsigned long slice_size, const char *source)
{
	char line[KVA_TRACE_LINE_MAX + 64], sz[32];
	struct kva_trace_parser p;
	bool to_stdout = !strcmp(path, "-");
	bool *live;
	size_t i;
	FILE *f;
	int ret = 0;

	live = calloc(tb->nr_ids ? tb->nr_ids : 1, sizeof(*live));
	if (!live) {
		msg_err("out of memory");
		return 1;
	}
	f = to_stdout ? stdout : fopen(path, "w");
	if (!f) {
		msg_err("import: cannot write %s: %s", path, strerror(errno));
		free(live);
		return 1;
	}
	kva_trace_parser_init(&p, tw_page_size(), live_hook, live);
	snprintf(line, sizeof(line), "%s %d slice_size=%s page_size=%lu",
		 KVA_TRACE_MAGIC, KVA_TRACE_VERSION,
		 tw_size_str(slice_size, sz, sizeof(sz)), tw_page_size());
	if (tb->nr_ids)
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
			 " ids=%u", tb->nr_ids);
	snprintf(line + strlen(line), sizeof(line) - strlen(line),
		 " source=%s\n", source);
	ret = check_line(&p, live, line);
	if (!ret)
		fputs(line, f);
	for (i = 0; !ret && i < tb->nr_comments; i++) {
		snprintf(line, sizeof(line), "# %s\n", tb->comments[i]);
		ret = check_line(&p, live, line);
		if (!ret)
			fputs(line, f);
	}
	for (i = 0; !ret && i < tb->nr; i++) {
		format_op(&tb->ops[i], line, sizeof(line));
		ret = check_line(&p, live, line);
		if (!ret)
			fputs(line, f);
	}
	if (fflush(f) || ferror(f)) {
		msg_err("import: cannot write %s: %s", path, strerror(errno));
		ret = 1;
	}
	if (!to_stdout && fclose(f) && !ret) {
		msg_err("import: cannot write %s: %s", path, strerror(errno));
		ret = 1;
	}
	free(live);
	return ret;
}
