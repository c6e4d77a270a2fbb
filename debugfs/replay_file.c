// SPDX-License-Identifier: GPL-2.0
/*
 * The `replay` file: write-only, it loads a trace for the in-kernel replay
 * (module/replay.c, docs/traces.md "Replaying"). Opening it begins a load,
 * which drops the previous trace and its results (-EBUSY while a replay
 * runs or another load is open); each write is cut into lines (a partial
 * last line waits for the next write or the close) and every line goes
 * through the trace parser at once, its operation to the module, so a
 * malformed trace is refused by the write that carries the bad line, with
 * its line number, and every later write fails with the same errno. The
 * close ends the load: what was loaded without a refusal is the trace.
 *
 * The parser and the partial line are this open file's; its lock keeps
 * two writes to one file from interleaving. The module's side keeps the
 * states, the operations and the liveness the parser asks about.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <kvalab/trace.h>
#include "../module/kvalab.h"
#include "../module/replay.h"
#include "debugfs.h"

#define REPLAY_CHUNK	PAGE_SIZE	/* bytes copied from user at once */

struct replay_loader {
	struct kvalab *kv;
	struct mutex lock;		/* one write at a time */
	struct kva_trace_parser parser;
	char partial[KVA_TRACE_LINE_MAX + 1];
	size_t partial_len;
	int err;			/* the refusal, once refused */
};

static bool loader_is_live(void *ctx, unsigned int id)
{
	struct replay_loader *ld = ctx;

	return kvalab_replay_load_is_live(ld->kv, id);
}

/*
 * Refuse the load: the reason with "line N: " once a line was read (an
 * empty load has none) goes to replay_results, @err to this and every
 * later write.
 */
static int load_fail(struct replay_loader *ld, int err, const char *reason)
{
	char msg[KVA_TRACE_MSG_MAX];

	if (ld->parser.line_nr)
		kva_trace_format_error(&ld->parser, reason, msg, sizeof(msg));
	else
		strscpy(msg, reason, sizeof(msg));
	ld->err = err;
	kvalab_replay_load_abort(ld->kv, ld, err, msg);
	return err;
}

/* One complete line (with or without its '\n'). */
static int feed_line(struct replay_loader *ld, const char *line, size_t len)
{
	char why[KVA_TRACE_ERR_MAX];
	struct kva_trace_op op;
	int err;

	err = kva_trace_parse_line(&ld->parser, line, len, &op, why,
				   sizeof(why));
	if (err)
		return load_fail(ld, err, why);
	switch (op.kind) {
	case KVA_TRACE_SKIP:
		return 0;
	case KVA_TRACE_HEADER:
		kvalab_replay_load_header(ld->kv, ld, &ld->parser.hdr);
		return 0;
	default:
		err = kvalab_replay_load_op(ld->kv, ld, &op,
					    ld->parser.line_nr, why,
					    sizeof(why));
		return err ? load_fail(ld, err, why) : 0;
	}
}

/* Bytes of one write: complete lines go to the parser at once. */
static int feed_bytes(struct replay_loader *ld, const char *p, size_t n)
{
	const char *end = p + n;
	int err;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t seg = (nl ? nl + 1 : end) - p;

		if (ld->partial_len + seg > KVA_TRACE_LINE_MAX) {
			/* Too long: let the parser say so, with the line. */
			memcpy(ld->partial + ld->partial_len, p,
			       KVA_TRACE_LINE_MAX + 1 - ld->partial_len);
			return feed_line(ld, ld->partial,
					 KVA_TRACE_LINE_MAX + 1);
		}
		memcpy(ld->partial + ld->partial_len, p, seg);
		ld->partial_len += seg;
		p += seg;
		if (nl) {
			err = feed_line(ld, ld->partial, ld->partial_len);
			ld->partial_len = 0;
			if (err)
				return err;
		}
	}
	return 0;
}

static int replay_open(struct inode *inode, struct file *file)
{
	struct replay_loader *ld;
	int err;

	if ((file->f_flags & O_ACCMODE) != O_WRONLY)
		return -EINVAL;
	ld = kzalloc(sizeof(*ld), GFP_KERNEL);
	if (!ld)
		return -ENOMEM;
	ld->kv = inode->i_private;
	mutex_init(&ld->lock);
	kva_trace_parser_init(&ld->parser, PAGE_SIZE, loader_is_live, ld);
	err = kvalab_replay_load_begin(ld->kv, ld);
	if (err) {
		kfree(ld);
		return err;
	}
	file->private_data = ld;
	return 0;
}

static ssize_t replay_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct replay_loader *ld = file->private_data;
	char why[KVA_TRACE_ERR_MAX];
	size_t done = 0;
	char *buf;
	int err;

	buf = kmalloc(REPLAY_CHUNK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&ld->lock);
	/* Refused earlier: every later write fails the same way. */
	err = ld->err;
	if (err)
		goto out;
	err = kvalab_replay_load_text(ld->kv, ld, count, why, sizeof(why));
	if (err) {
		load_fail(ld, err, why);
		goto out;
	}
	while (done < count) {
		size_t n = min_t(size_t, count - done, REPLAY_CHUNK);

		if (copy_from_user(buf, ubuf + done, n)) {
			err = load_fail(ld, -EFAULT, "bad user buffer");
			goto out;
		}
		err = feed_bytes(ld, buf, n);
		if (err)
			goto out;
		done += n;
		cond_resched();
	}
	*ppos += count;
out:
	mutex_unlock(&ld->lock);
	kfree(buf);
	return err ? err : count;
}

static int replay_release(struct inode *inode, struct file *file)
{
	struct replay_loader *ld = file->private_data;
	int err = ld->err;

	if (!err && ld->partial_len)
		err = feed_line(ld, ld->partial, ld->partial_len);
	if (!err && !ld->parser.have_header)
		load_fail(ld, -ENODATA, "empty trace: no header line");
	kvalab_replay_load_end(ld->kv, ld);
	mutex_destroy(&ld->lock);
	kfree(ld);
	return 0;
}

static const struct file_operations replay_fops = {
	.owner = THIS_MODULE,
	.open = replay_open,
	.write = replay_write,
	.release = replay_release,
	.llseek = noop_llseek,
};

void kvalab_replay_file_create(struct kvalab *kv, struct dentry *dir)
{
	debugfs_create_file("replay", 0200, dir, kv, &replay_fops);
}
