/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One line of tracefs text (`trace` or `trace_pipe`) with the vmalloc
 * events of Linux 6.2+, parsed and checked (tracefs_event.c). Shared by
 * `kvalab import tracefs` (the trace converter) and `kvalab follow` (the
 * live model), so both read and refuse the same lines the same way.
 *
 * Events (include/trace/events/vmalloc.h, TP_printk formats, the same
 * from 6.2 to 7.3):
 *   alloc_vmap_area: va_start: %lu size=%lu align=%lu vstart=0x%lx
 *                    vend=0x%lx failed=%d
 *   free_vmap_area_noflush: va_start=0x%lx nr_lazy=%lu nr_lazy_max=%lu
 *   purge_vmap_area_lazy: start=0x%lx end=0x%lx num_purged=%u
 * each after the usual "TASK-PID [CPU] FLAGS SECONDS.FRACTION: " prefix;
 * also "tracing_mark_write: TEXT" (a write to trace_marker) and
 * "CPU:N [LOST M EVENTS]" (the ring buffer overwrote or dropped events).
 */
#ifndef KVALAB_TRACEFS_EVENT_H
#define KVALAB_TRACEFS_EVENT_H

#include <stdbool.h>
#include <stddef.h>

/* The kernel's IS_ERR_VALUE(): the top MAX_ERRNO (4095) values. */
#define TFS_IS_ERR(v)	((v) >= (unsigned long)-4095)

/*
 * Where an event came from: the PID of "TASK-PID", the hardirq/softirq
 * character of FLAGS (its third: 'h', 's', 'H', 'z', 'Z' or '.') and, in
 * an interrupt, the CPU. An interrupt's event carries the PID of the task
 * it interrupted (the idle task's is 0 on every CPU), and an interrupt
 * does not migrate; a task may, so its CPU is left out. A context is inside
 * at most one alloc_vmap_area() call at a time. Lines whose prefix does not
 * parse share one context.
 */
struct tfs_ctx {
	unsigned long pid;		/* ULONG_MAX: prefix not understood */
	long cpu;			/* -1 outside interrupts */
	char irq;
};

enum tfs_kind {
	TFS_BLANK,		/* empty or a '#' comment */
	TFS_OTHER,		/* some other event: ignored */
	TFS_LOST,		/* "[LOST N EVENTS]" */
	TFS_MARK,		/* tracing_mark_write */
	TFS_ALLOC,
	TFS_FREE,
	TFS_PURGE,
};

struct tfs_event {
	enum tfs_kind kind;
	struct tfs_ctx ctx;
	long cpu;			/* the [CPU] column; -1 if none */
	bool has_time;
	unsigned long long ns;
	/* alloc: va (an address, vend or an errno when failed) */
	unsigned long va, size, align, vstart, vend;
	bool failed;
	/* free: va; nr_lazy, nr_lazy_max */
	unsigned long nr_lazy, nr_lazy_max;
	/* purge */
	unsigned long start, end, npurged;
	/* LOST: how many (0 if the line does not say) */
	unsigned long lost;
	/* MARK: the text, inside the caller's line */
	const char *mark;
};

/*
 * Parse @line (modified: a marker's text is cut at its end) into @ev.
 * @page is the page size the sizes must be multiples of. Returns 0, or -1
 * with @why for an event line whose fields are not what the kernel
 * prints or could print (the kernel BUG()s on a misaligned or out-of-range
 * start, and returns -EINVAL before tracing for a bad size or align).
 */
int tfs_parse(char *line, unsigned long page, struct tfs_event *ev,
	      char *why, size_t wlen);

/* A failed attempt's va_start for messages: "-ENOMEM", or "vend". */
const char *tfs_fail_str(unsigned long va, char *buf, size_t len);

#endif
