/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvalab tracepoints: enable with
 *   echo 'kvalab:*' > /sys/kernel/tracing/set_event
 * Addresses are printed as offsets into the slice, which are meaningful to a
 * reader and reveal no kernel address.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kvalab

#if !defined(_KVALAB_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KVALAB_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(kvalab_alloc,
	TP_PROTO(u32 id, unsigned long offset, unsigned long size,
		 unsigned long align, int fit),
	TP_ARGS(id, offset, size, align, fit),
	TP_STRUCT__entry(
		__field(u32, id)
		__field(unsigned long, offset)
		__field(unsigned long, size)
		__field(unsigned long, align)
		__field(int, fit)
	),
	TP_fast_assign(
		__entry->id = id;
		__entry->offset = offset;
		__entry->size = size;
		__entry->align = align;
		__entry->fit = fit;
	),
	TP_printk("id=%u offset=0x%lx size=%lu align=%lu fit=%s",
		  __entry->id, __entry->offset, __entry->size, __entry->align,
		  __print_symbolic(__entry->fit, { 1, "FL" }, { 2, "LE" },
				   { 3, "RE" }, { 4, "NE" }, { 5, "pool" }))
);

TRACE_EVENT(kvalab_split,
	TP_PROTO(unsigned long offset, unsigned long size, int fit),
	TP_ARGS(offset, size, fit),
	TP_STRUCT__entry(
		__field(unsigned long, offset)
		__field(unsigned long, size)
		__field(int, fit)
	),
	TP_fast_assign(
		__entry->offset = offset;
		__entry->size = size;
		__entry->fit = fit;
	),
	TP_printk("offset=0x%lx size=%lu case=%s",
		  __entry->offset, __entry->size,
		  __print_symbolic(__entry->fit, { 1, "FL" }, { 2, "LE" },
				   { 3, "RE" }, { 4, "NE" }))
);

TRACE_EVENT(kvalab_free,
	TP_PROTO(u32 id, unsigned long offset, unsigned long size),
	TP_ARGS(id, offset, size),
	TP_STRUCT__entry(
		__field(u32, id)
		__field(unsigned long, offset)
		__field(unsigned long, size)
	),
	TP_fast_assign(
		__entry->id = id;
		__entry->offset = offset;
		__entry->size = size;
	),
	TP_printk("id=%u offset=0x%lx size=%lu",
		  __entry->id, __entry->offset, __entry->size)
);

/* kind: 0 inserted without merge, 1 prev, 2 next, 3 both */
TRACE_EVENT(kvalab_merge,
	TP_PROTO(unsigned long offset, unsigned long size, int kind),
	TP_ARGS(offset, size, kind),
	TP_STRUCT__entry(
		__field(unsigned long, offset)
		__field(unsigned long, size)
		__field(int, kind)
	),
	TP_fast_assign(
		__entry->offset = offset;
		__entry->size = size;
		__entry->kind = kind;
	),
	TP_printk("offset=0x%lx size=%lu case=%s",
		  __entry->offset, __entry->size,
		  __print_symbolic(__entry->kind, { 0, "none" }, { 1, "prev" },
				   { 2, "next" }, { 3, "both" }))
);

TRACE_EVENT(kvalab_purge,
	TP_PROTO(unsigned long nr, unsigned long pages, unsigned long start,
		 unsigned long end),
	TP_ARGS(nr, pages, start, end),
	TP_STRUCT__entry(
		__field(unsigned long, nr)
		__field(unsigned long, pages)
		__field(unsigned long, start)
		__field(unsigned long, end)
	),
	TP_fast_assign(
		__entry->nr = nr;
		__entry->pages = pages;
		__entry->start = start;
		__entry->end = end;
	),
	TP_printk("areas=%lu pages=%lu range=0x%lx-0x%lx",
		  __entry->nr, __entry->pages, __entry->start, __entry->end)
);

#endif /* _KVALAB_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE kvalab_trace
#include <trace/define_trace.h>
