// SPDX-License-Identifier: GPL-2.0
/*
 * The `breakdown` listing: one line per phase of <kvalab/phases.h>,
 * "PHASE calls=N ns=N avg_ns=N", summed over CPUs since load. Counting runs
 * only while the breakdown parameter is Y; readers take differences.
 */
#include <linux/debugfs.h>
#include <linux/math64.h>
#include <linux/seq_file.h>

#include "../module/kvalab.h"
#include "../module/breakdown.h"
#include "debugfs.h"

static int breakdown_show(struct seq_file *m, void *v)
{
	struct kvalab_phase_stats st;
	int ph;

	kvalab_breakdown_read(&st);
	seq_printf(m, "counting: %s\n",
		   static_key_enabled(&kvalab_breakdown_on) ? "on" : "off");
	for (ph = 0; ph < KVALAB_NR_PHASES; ph++)
		seq_printf(m, "%s calls=%llu ns=%llu avg_ns=%llu\n",
			   kvalab_phase_names[ph], st.calls[ph], st.ns[ph],
			   st.calls[ph] ? div64_u64(st.ns[ph], st.calls[ph]) : 0);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(breakdown);

void kvalab_breakdown_create(struct kvalab *kv, struct dentry *dir)
{
	debugfs_create_file("breakdown", 0400, dir, kv, &breakdown_fops);
}
