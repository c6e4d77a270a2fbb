/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the trace importers (import*.c, capture.c) share: an in-memory
 * trace of operations and its writer (trace_write.c), which checks every
 * line with the module's own parser (debugfs/trace_parse.c) before writing
 * it. Format: docs/traces.md, include/kvalab/trace.h.
 */
#ifndef KVALAB_TRACE_WRITE_H
#define KVALAB_TRACE_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../include/kvalab/trace.h"

struct tw_op {
	char kind;			/* 'a', 'f', 'p' */
	bool has_time;
	unsigned long long time_ns;
	unsigned int id;
	unsigned long size;
	unsigned long align;		/* 0: the default */
	unsigned int flags;		/* KVA_TRACE_F_* */
};

struct trace_buf {
	struct tw_op *ops;
	size_t nr, cap;
	unsigned int nr_ids;		/* ids handed out: 0..nr_ids-1 */
	char **comments;		/* written after the header */
	size_t nr_comments;
};

/* Append operations; tb_alloc returns the new area's id. Exit on ENOMEM. */
unsigned int tb_alloc(struct trace_buf *tb, unsigned long size,
		      unsigned long align, unsigned int flags, bool has_time,
		      unsigned long long ns);
void tb_free(struct trace_buf *tb, unsigned int id, bool has_time,
	     unsigned long long ns);
void tb_purge(struct trace_buf *tb, bool has_time, unsigned long long ns);
void tb_comment(struct trace_buf *tb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void tb_release(struct trace_buf *tb);

/*
 * Write @tb to @path ("-": stdout) with the header for @slice_size and
 * @source. Returns 0, or 1 after a message (cannot write, or a line the
 * parser refuses: an importer bug, reported as such).
 */
int tb_write(const struct trace_buf *tb, const char *path,
	     unsigned long slice_size, const char *source);

/* The system's page size (the trace's page_size). */
unsigned long tw_page_size(void);

/* A size argument: NUMBER[K|M|G] (decimal or 0x hex). */
bool tw_parse_size(const char *s, unsigned long *v);

/* "64M"-style size for messages: exact K/M/G multiples, else bytes. */
const char *tw_size_str(unsigned long v, char *buf, size_t len);

/* Importers: 0 on success, 1 on refused input (message printed). */
struct vmi_opts {
	const char *in, *out;
	bool ignore_addresses;
	double scale;			/* 0: none */
	bool scale_fit;
	unsigned long slice_size;	/* 0: derived */
	unsigned long max_gap;		/* gaps wider are shrunk to it */
	bool keep_gaps;			/* --max-gap none */
};
int import_vmallocinfo(const struct vmi_opts *o);

struct tfs_opts {
	const char *in, *out;
	unsigned long slice_size;	/* 0: derived */
	const char *source;		/* header source= */
};
int import_tracefs_text(const char *text, size_t len,
			const struct tfs_opts *o);

#endif /* KVALAB_TRACE_WRITE_H */
