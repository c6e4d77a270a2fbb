// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/kvalab/: root-only files. Removing the directory at
 * unload waits for every operation in progress on its files, so no command
 * runs once kvalab_debugfs_exit() returns.
 */
#include <linux/debugfs.h>
#include <linux/err.h>

#include "../module/kvalab.h"
#include "debugfs.h"

int kvalab_debugfs_init(struct kvalab *kv)
{
	struct dentry *dir = debugfs_create_dir("kvalab", NULL);

	if (IS_ERR(dir))
		return PTR_ERR(dir);
	kv->debugfs_dir = dir;
	kvalab_control_create(kv, dir);
	kvalab_listings_create(kv, dir);
	kvalab_breakdown_create(kv, dir);
	kvalab_trace_file_create(kv, dir);
	kvalab_replay_file_create(kv, dir);
	kvalab_replay_results_create(kv, dir);
	return 0;
}

void kvalab_debugfs_exit(struct kvalab *kv)
{
	debugfs_remove_recursive(kv->debugfs_dir);
	kv->debugfs_dir = NULL;
}
