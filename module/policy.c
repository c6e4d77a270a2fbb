// SPDX-License-Identifier: GPL-2.0
/*
 * The table of placement policies, by enum kva_policy_id. Names and
 * one-line summaries are in <kvalab/policies.h>, shared with the CLI; each
 * policy's code is in its own policy_<name>.c (docs/policies.md).
 */
#include <kvalab/policy.h>

const struct kva_policy *const kva_policies[KVA_NR_POLICIES] = {
	[KVA_POLICY_LOWEST]		= &kva_policy_lowest,
	[KVA_POLICY_VMLIST]		= &kva_policy_vmlist,
	[KVA_POLICY_CACHED_HOLE]	= &kva_policy_cached_hole,
	[KVA_POLICY_NEXT_FIT]		= &kva_policy_next_fit,
	[KVA_POLICY_BEST_FIT]		= &kva_policy_best_fit,
	[KVA_POLICY_INSTANT_FIT]	= &kva_policy_instant_fit,
};
