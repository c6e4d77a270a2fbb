// SPDX-License-Identifier: GPL-2.0
/*
 * The breakdown counters' storage and switch (module/breakdown.h). The
 * counters are module-wide per-CPU variables, not per instance: there is one
 * instance, and a static key cannot be per instance anyway.
 */
#include <linux/cpumask.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "breakdown.h"

DEFINE_STATIC_KEY_FALSE(kvalab_breakdown_on);
DEFINE_PER_CPU(struct kvalab_phase_stats, kvalab_phase_stats);

static int breakdown_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int err = kstrtobool(val, &on);

	if (err)
		return err;
	if (on)
		static_branch_enable(&kvalab_breakdown_on);
	else
		static_branch_disable(&kvalab_breakdown_on);
	return 0;
}

static int breakdown_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n",
			  static_key_enabled(&kvalab_breakdown_on) ? 'Y' : 'N');
}

static const struct kernel_param_ops breakdown_ops = {
	.set = breakdown_set,
	.get = breakdown_get,
};
module_param_cb(breakdown, &breakdown_ops, NULL, 0644);
MODULE_PARM_DESC(breakdown,
		 "Time each allocation and free phase per CPU (the breakdown file; default N)");

void kvalab_breakdown_read(struct kvalab_phase_stats *out)
{
	int cpu, ph;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu) {
		const struct kvalab_phase_stats *s =
			per_cpu_ptr(&kvalab_phase_stats, cpu);

		for (ph = 0; ph < KVALAB_NR_PHASES; ph++) {
			out->ns[ph] += READ_ONCE(s->ns[ph]);
			out->calls[ph] += READ_ONCE(s->calls[ph]);
		}
	}
}

void kvalab_breakdown_read_local(struct kvalab_phase_stats *out)
{
	const struct kvalab_phase_stats *s = get_cpu_ptr(&kvalab_phase_stats);
	int ph;

	for (ph = 0; ph < KVALAB_NR_PHASES; ph++) {
		out->ns[ph] = READ_ONCE(s->ns[ph]);
		out->calls[ph] = READ_ONCE(s->calls[ph]);
	}
	put_cpu_ptr(&kvalab_phase_stats);
}
