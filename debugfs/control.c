// SPDX-License-Identifier: GPL-2.0
/*
 * The control file: each write is one command line, parsed by parse.c and
 * run here. The result line ("ok ..." or "error ...", see
 * docs/debugfs.md) is kept per open file, so a script that writes and then
 * reads the same descriptor gets its own result whatever other writers do;
 * a descriptor that has written nothing reads the latest result of anyone.
 * Rejections are also logged, naming the problem.
 */

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <kvalab/cmd.h>
#include <kvalab/errnames.h>
#include "../module/kvalab.h"
#include "../module/workloads/workloads.h"
#include "../module/record.h"
#include "../module/replay.h"
#include "../module/explain.h"
#include "../module/tlbcheck.h"
#include "debugfs.h"

#define RESULT_MAX	256
#define RESULT_ALLOC \
	"ok alloc id=%u addr=0x%pK size=%lu vm_size=%lu pages=%u align=%lu fit=%s%s\n"

struct control_fd {
	struct mutex lock;		/* result, has_result, fresh */
	bool has_result;
	/*
	 * A result not read yet: the next read starts at its beginning. (The
	 * write cannot rewind the file position itself: the VFS keeps the
	 * position of a write that fails.)
	 */
	bool fresh;
	char result[RESULT_MAX];
};

static DEFINE_SPINLOCK(last_lock);
static char last_result[RESULT_MAX];

/* Enough for a fuzzer's burst to be visible, not enough to flood the log. */
static DEFINE_RATELIMIT_STATE(reject_rs, 5 * HZ, 200);

/* A command's errno (negative) by name, for result lines. */
static const char *errno_name(int err)
{
	const char *name = kvalab_errno_name(-err);

	return name ? name : "E?";
}

static struct kvalab_area *get_target(struct kvalab *kv,
				      const struct kvalab_target *t,
				      char *why, size_t len)
{
	if (t->is_addr)
		return kvalab_get_by_addr(kv, t->value, why, len);
	return kvalab_get_by_id(kv, (u32)t->value, why, len);
}

static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos);

static int exec_alloc(struct kvalab *kv, const struct kvalab_cmd *cmd,
		      char *res, size_t len)
{
	unsigned long flags = cmd->noguard ? KVALAB_NOGUARD : 0;
	unsigned long align = max(cmd->align, PAGE_SIZE);
	struct kvalab_area *a;
	int err;

	/*
	 * The caller /proc/vmallocinfo-style listings print: control_write
	 * itself, not an address inside whatever the compiler inlined or
	 * cloned this into.
	 */
	a = kvalab_alloc(kv, cmd->size, align, flags, (const void *)control_write);
	if (!IS_ERR(a)) {
		char note[40] = "";

		/* An alignment below a page was raised: say so, not silently. */
		if (cmd->align && cmd->align < align)
			snprintf(note, sizeof(note), " align_raised_from=%lu",
				 cmd->align);
		snprintf(res, len, RESULT_ALLOC,
			 a->id, (void *)a->va->va_start,
			 (unsigned long)a->nr_pages << PAGE_SHIFT,
			 kva_size(a->va), a->nr_pages, align,
			 kva_fit_names[a->fit], note);
		kvalab_put(kv, a);
		return 0;
	}
	err = PTR_ERR(a);
	switch (err) {
	case -E2BIG:
		kvalab_too_big_reason(kv, cmd->size, flags, res, len);
		break;
	case -ENOMEM:
		snprintf(res, len,
			 "no room for %lu bytes aligned to %lu (largest free %lu) or no pages",
			 cmd->size, align, kvalab_largest_free(kv));
		break;
	case -EOVERFLOW:
		snprintf(res, len, "size %lu plus alignment %lu overflows",
			 cmd->size, align);
		break;
	default:
		snprintf(res, len, "allocation of %lu bytes failed", cmd->size);
	}
	return err;
}

/* Write @byte over every mapped page of @a. */
static void fill_area(struct kvalab_area *a, u8 byte)
{
	unsigned long addr = a->va->va_start;
	unsigned int i;

	for (i = 0; i < a->nr_pages; i++) {
		memset((void *)(addr + ((unsigned long)i << PAGE_SHIFT)), byte,
		       PAGE_SIZE);
		cond_resched();
	}
}

/*
 * Check every page of @a: the kernel's own page-table walk
 * (vmalloc_to_page) must find the page kvalab mapped there, every byte must
 * be @byte, and the guard page must be unmapped.
 */
static int verify_area(struct kvalab_area *a, u8 byte, char *why, size_t len)
{
	unsigned long addr = a->va->va_start;
	unsigned int i;

	for (i = 0; i < a->nr_pages; i++) {
		void *p = (void *)(addr + ((unsigned long)i << PAGE_SHIFT));
		u8 *bad;

		if (vmalloc_to_page(p) != a->pages[i]) {
			snprintf(why, len, "id %u page %u: vmalloc_to_page() finds another page",
				 a->id, i);
			return -EFAULT;
		}
		bad = memchr_inv(p, byte, PAGE_SIZE);
		if (bad) {
			snprintf(why, len, "id %u: byte at offset %lu is 0x%02x, expected 0x%02x",
				 a->id, (unsigned long)(bad - (u8 *)addr), *bad,
				 byte);
			return -EIO;
		}
		cond_resched();
	}
	if (!(a->flags & KVALAB_NOGUARD) &&
	    vmalloc_to_page((void *)(addr + ((unsigned long)i << PAGE_SHIFT)))) {
		snprintf(why, len, "id %u: guard page is mapped", a->id);
		return -EFAULT;
	}
	return 0;
}

static int exec_target(struct kvalab *kv, const struct kvalab_cmd *cmd,
		       char *res, size_t len)
{
	struct kvalab_area *a;
	unsigned long irqflags;
	int err = 0;
	u32 id;

	a = get_target(kv, &cmd->target, res, len);
	if (IS_ERR(a))
		return PTR_ERR(a);
	id = a->id;
	switch (cmd->op) {
	case KVALAB_OP_FREE:
		err = kvalab_free(kv, a);
		if (err)
			snprintf(res, len, "area id %u was freed by someone else first",
				 id);
		else
			snprintf(res, len, "ok free id=%u\n", id);
		return err;
	case KVALAB_OP_FREE_ATOMIC:
		/* Really atomic: a sleeping call in this path would splat. */
		local_irq_save(irqflags);
		kvalab_free_atomic(kv, a);
		local_irq_restore(irqflags);
		snprintf(res, len, "ok free_atomic id=%u deferred\n", id);
		return 0;
	case KVALAB_OP_FILL:
		fill_area(a, cmd->byte);
		snprintf(res, len, "ok fill id=%u byte=0x%02x bytes=%lu\n", id,
			 cmd->byte, (unsigned long)a->nr_pages << PAGE_SHIFT);
		break;
	case KVALAB_OP_VERIFY:
		err = verify_area(a, cmd->byte, res, len);
		if (!err)
			snprintf(res, len, "ok verify id=%u byte=0x%02x bytes=%lu\n",
				 id, cmd->byte,
				 (unsigned long)a->nr_pages << PAGE_SHIFT);
		break;
	default:
		err = -EINVAL;
		snprintf(res, len, "not a target command");
	}
	kvalab_put(kv, a);
	return err;
}

/*
 * policy NAME: the switch claims the slice, so it is refused while a run
 * (which measures one policy throughout, switching itself between its
 * backends) or a replay (which switches itself between its policies) holds
 * it. The result names the old and the new policy.
 */
static int exec_policy(struct kvalab *kv, const struct kvalab_cmd *cmd,
		       char *res, size_t len)
{
	int old;

	old = kvalab_claim(kv, KVALAB_HOLD_POLICY, res, len);
	if (old)
		return old;
	old = kvalab_switch_policy(kv, cmd->policy);
	kvalab_release(kv, KVALAB_HOLD_POLICY);
	if (old < 0) {
		snprintf(res, len, "cannot switch to policy %s",
			 kva_policy_names[cmd->policy]);
		return old;
	}
	snprintf(res, len, "ok policy %s->%s\n", kva_policy_names[old],
		 kva_policy_names[cmd->policy]);
	return 0;
}

/*
 * reset: every busy area the user made is freed, then everything lazy is
 * purged. It claims the slice: a run's areas are its own, and a replay
 * needs the slice it was given.
 */
static int exec_reset(struct kvalab *kv, char *res, size_t len)
{
	unsigned long nr, pages;
	int err;

	err = kvalab_claim(kv, KVALAB_HOLD_RESET, res, len);
	if (err)
		return err;
	flush_work(&kv->deferred_work);
	nr = kvalab_reset(kv, false);
	kvalab_purge(kv, &pages);
	kvalab_release(kv, KVALAB_HOLD_RESET);
	kvalab_record_purge(kv);
	snprintf(res, len, "ok reset freed=%lu purged_pages=%lu\n", nr, pages);
	return 0;
}

/*
 * Run @cmd. On success @res holds the "ok ..." line; on failure the reason
 * (without prefix) and the negative errno is returned.
 */
static int exec(struct kvalab *kv, const struct kvalab_cmd *cmd, char *res,
		size_t len)
{
	char names[KVALAB_RUN_MAX_BACKENDS * KVALAB_BE_NAME_MAX];
	unsigned long nr, pages;
	int err;

	switch (cmd->op) {
	case KVALAB_OP_ALLOC:
		return exec_alloc(kv, cmd, res, len);
	case KVALAB_OP_FREE:
	case KVALAB_OP_FREE_ATOMIC:
	case KVALAB_OP_FILL:
	case KVALAB_OP_VERIFY:
		return exec_target(kv, cmd, res, len);
	case KVALAB_OP_PURGE:
		if (cmd->purge_vmalloc) {
			/*
			 * The kernel's lazily freed vmalloc areas, through the
			 * one exported call that purges them all (with the
			 * fragmented vmap blocks): comparisons with the
			 * kernel's vmalloc, test_vmalloc.ko's included, can
			 * start each run from an empty lazy list.
			 */
			vm_unmap_aliases();
			snprintf(res, len, "ok purge vmalloc\n");
			return 0;
		}
		nr = kvalab_purge(kv, &pages);
		kvalab_record_purge(kv);
		snprintf(res, len, "ok purge areas=%lu pages=%lu\n", nr, pages);
		return 0;
	case KVALAB_OP_RESET:
		return exec_reset(kv, res, len);
	case KVALAB_OP_CHECK:
		if (cmd->check_tlb)
			return kvalab_tlb_check(res, len);
		err = kvalab_check(kv, res, len);
		if (!err)
			snprintf(res, len, "ok check busy=%lu free=%lu lazy=%lu\n",
				 READ_ONCE(kv->space.nr_busy),
				 READ_ONCE(kv->space.nr_free),
				 READ_ONCE(kv->space.nr_lazy));
		return err;
	case KVALAB_OP_RUN:
		/* It claims the slice for as long as it runs. */
		err = kvalab_workloads_start(kv, &cmd->run, res, len);
		if (!err) {
			kvalab_run_backends_str(&cmd->run, names,
						sizeof(names));
			if (cmd->run.mask)
				snprintf(res, len, "ok run mask=0x%x backends=%s baseline=%s\n",
					 cmd->run.mask, names,
					 kvalab_backend_name(cmd->run.baseline));
			else
				snprintf(res, len, "ok run mask=default backends=%s baseline=%s\n",
					 names,
					 kvalab_backend_name(cmd->run.baseline));
		}
		return err;
	case KVALAB_OP_STOP:
		/* Idempotent: a run that just ended is not an error. */
		kvalab_workloads_stop(kv);
		snprintf(res, len, "ok stop\n");
		return 0;
	case KVALAB_OP_POLICY:
		return exec_policy(kv, cmd, res, len);
	case KVALAB_OP_RECORD:
		return kvalab_record_set(kv, cmd->record_on, res, len);
	case KVALAB_OP_REPLAY:
		return kvalab_replay_cmd(kv, &cmd->replay, res, len);
	case KVALAB_OP_EXPLAIN:
		/* The steps go to the explain listing (module/explain.c). */
		return kvalab_explain(kv, cmd->size, cmd->align,
				      cmd->noguard ? KVALAB_NOGUARD : 0, res,
				      len);
	}
	snprintf(res, len, "unknown operation");
	return -EINVAL;
}

static void set_result(struct control_fd *fd, const char *line)
{
	mutex_lock(&fd->lock);
	strscpy(fd->result, line, sizeof(fd->result));
	fd->has_result = true;
	fd->fresh = true;
	mutex_unlock(&fd->lock);
	spin_lock(&last_lock);
	strscpy(last_result, line, sizeof(last_result));
	spin_unlock(&last_lock);
}

static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct kvalab *kv = file_inode(file)->i_private;
	struct control_fd *fd = file->private_data;
	char line[KVALAB_CMD_MAX + 1];
	char why[KVALAB_ERR_MAX];
	char res[RESULT_MAX];
	struct kvalab_cmd cmd;
	const char *op;
	int err;

	/*
	 * The result names the command whenever its word was recognised, also
	 * when its arguments were refused; "parse" only for a line without one.
	 */
	memset(&cmd, 0, sizeof(cmd));
	why[0] = '\0';
	if (count > KVALAB_CMD_MAX) {
		err = -EMSGSIZE;
		snprintf(why, sizeof(why), "line of %zu bytes is longer than %d",
			 count, KVALAB_CMD_MAX);
	} else if (copy_from_user(line, ubuf, count)) {
		err = -EFAULT;
		snprintf(why, sizeof(why), "bad user buffer");
	} else {
		err = kvalab_parse(line, count, &cmd, why, sizeof(why));
	}
	if (!err)
		err = exec(kv, &cmd, why, sizeof(why));
	op = cmd.op ? kvalab_op_name(cmd.op) : "parse";
	if (err) {
		snprintf(res, sizeof(res), "error %s %d %s: %s\n", op, err,
			 errno_name(err), why);
		if (__ratelimit(&reject_rs))
			pr_notice("control: %s rejected (%d %s): %s\n", op, err,
				  errno_name(err), why);
	} else {
		strscpy(res, why, sizeof(res));
	}
	set_result(fd, res);
	return err ? err : count;
}

static ssize_t control_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct control_fd *fd = file->private_data;
	char res[RESULT_MAX];

	mutex_lock(&fd->lock);
	strscpy(res, fd->result, sizeof(res));
	if (fd->fresh) {
		*ppos = 0;
		fd->fresh = false;
	}
	mutex_unlock(&fd->lock);
	if (!fd->has_result) {
		spin_lock(&last_lock);
		strscpy(res, last_result, sizeof(res));
		spin_unlock(&last_lock);
	}
	return simple_read_from_buffer(ubuf, count, ppos, res, strlen(res));
}

static int control_open(struct inode *inode, struct file *file)
{
	struct control_fd *fd = kzalloc(sizeof(*fd), GFP_KERNEL);

	if (!fd)
		return -ENOMEM;
	mutex_init(&fd->lock);
	file->private_data = fd;
	return 0;
}

static int control_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static const struct file_operations control_fops = {
	.owner = THIS_MODULE,
	.open = control_open,
	.release = control_release,
	.read = control_read,
	.write = control_write,
	.llseek = default_llseek,
};

void kvalab_control_create(struct kvalab *kv, struct dentry *dir)
{
	debugfs_create_file("control", 0600, dir, kv, &control_fops);
}
