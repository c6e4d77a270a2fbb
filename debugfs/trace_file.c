// SPDX-License-Identifier: GPL-2.0
/*
 * The `trace` file: the last recording (module/record.c) in the trace
 * format of include/kvalab/trace.h, from a view taken at open, so one read
 * is one consistent prefix even while the recording goes on. -ENODATA at
 * open if nothing was ever recorded.
 */
#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>

#include <kvalab/trace.h>
#include "../module/kvalab.h"
#include "../module/record.h"
#include "debugfs.h"

/* Positions: 0 the header and comments, 1..n the operations. */
static void *trace_start(struct seq_file *m, loff_t *pos)
{
	struct kvalab_record_view *v = m->private;

	return *pos <= v->n ? (void *)(uintptr_t)(*pos + 1) : NULL;
}

static void *trace_next(struct seq_file *m, void *p, loff_t *pos)
{
	++*pos;
	return trace_start(m, pos);
}

static void trace_stop(struct seq_file *m, void *p)
{
}

static void trace_flags(struct seq_file *m, unsigned int flags)
{
	const char *sep = " flags=";
	unsigned int bit;

	for (bit = 0; bit < KVA_TRACE_NR_FLAGS; bit++) {
		if (!(flags & (1U << bit)))
			continue;
		seq_printf(m, "%s%s", sep, kva_trace_flag_name(1U << bit));
		sep = ",";
	}
}

static void trace_header(struct seq_file *m,
			 const struct kvalab_record_view *v)
{
	seq_printf(m, "%s %d slice_size=%lu page_size=%lu ids=%u source=record\n",
		   KVA_TRACE_MAGIC, KVA_TRACE_VERSION, v->slice_size,
		   PAGE_SIZE, v->ids);
	seq_printf(m, "# recorded by kvalab: %lu operations%s\n", v->n,
		   v->on ? " so far (recording still on)" : "");
	if (v->dropped)
		seq_printf(m, "# OVERFLOW: %lu operations dropped after the buffer of %lu filled (record_ops); this is the prefix\n",
			   v->dropped, v->cap);
	if (v->old_frees)
		seq_printf(m, "# %lu frees of areas allocated before the recording are not in the trace\n",
			   v->old_frees);
}

static int trace_show(struct seq_file *m, void *p)
{
	const struct kvalab_record_view *v = m->private;
	unsigned long i = (uintptr_t)p - 1;
	struct kva_trace_op op;

	if (!i) {
		trace_header(m, v);
		return 0;
	}
	kvalab_record_view_op(v, i - 1, &op);
	seq_printf(m, "@%llu ", op.time_ns);
	switch (op.kind) {
	case KVA_TRACE_ALLOC:
		seq_printf(m, "a %u %lu", op.id, op.size);
		if (op.align)
			seq_printf(m, " align=%lu", op.align);
		trace_flags(m, op.flags);
		break;
	case KVA_TRACE_FREE:
		seq_printf(m, "f %u", op.id);
		break;
	default:
		seq_puts(m, "p");
	}
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations trace_seq_ops = {
	.start = trace_start,
	.next = trace_next,
	.stop = trace_stop,
	.show = trace_show,
};

static int trace_open(struct inode *inode, struct file *file)
{
	struct kvalab_record_view *v;
	int err;

	v = __seq_open_private(file, &trace_seq_ops, sizeof(*v));
	if (!v)
		return -ENOMEM;
	err = kvalab_record_view_get(v);
	if (err)
		seq_release_private(inode, file);
	return err;
}

static int trace_release(struct inode *inode, struct file *file)
{
	struct kvalab_record_view *v =
		((struct seq_file *)file->private_data)->private;

	kvalab_record_view_put(v);
	return seq_release_private(inode, file);
}

static const struct file_operations trace_fops = {
	.owner = THIS_MODULE,
	.open = trace_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = trace_release,
};

void kvalab_trace_file_create(struct kvalab *kv, struct dentry *dir)
{
	debugfs_create_file("trace", 0400, dir, kv, &trace_fops);
}
