/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The placement policies kvalab can run, by name: one list shared by the
 * module (policy table, `policy NAME`, policy= parameter, stats), the
 * command parser and the CLI (--policies, compare). Add a policy here (id,
 * name, summary, NAMES_STR) and in module/policy.c's table; its code goes
 * in module/policy_<name>.c.
 *
 * Order is the order `--policies all` runs them and tables print them.
 */
#ifndef _KVALAB_POLICIES_H
#define _KVALAB_POLICIES_H

#include <kvalab/names.h>

enum kva_policy_id {
	KVA_POLICY_LOWEST,
	KVA_POLICY_VMLIST,
	KVA_POLICY_CACHED_HOLE,
	KVA_POLICY_NEXT_FIT,
	KVA_POLICY_BEST_FIT,
	KVA_POLICY_INSTANT_FIT,
	KVA_NR_POLICIES
};

/* Designated, so that a name can never pair with the wrong id. */
static const char *const kva_policy_names[KVA_NR_POLICIES] = {
	[KVA_POLICY_LOWEST]		= "lowest",
	[KVA_POLICY_VMLIST]		= "vmlist",
	[KVA_POLICY_CACHED_HOLE]	= "cached-hole",
	[KVA_POLICY_NEXT_FIT]		= "next-fit",
	[KVA_POLICY_BEST_FIT]		= "best-fit",
	[KVA_POLICY_INSTANT_FIT]	= "instant-fit",
};

static const char *const kva_policy_descs[KVA_NR_POLICIES] = {
	[KVA_POLICY_LOWEST]		= "5.2+ augmented-tree lowest match",
	[KVA_POLICY_VMLIST]		= "2.6 vmlist: linear walk of occupied areas",
	[KVA_POLICY_CACHED_HOLE]	= "2.6.39-5.1 free_vmap_cache",
	[KVA_POLICY_NEXT_FIT]		= "vmem VM_NEXTFIT rotor",
	[KVA_POLICY_BEST_FIT]		= "smallest free area that fits",
	[KVA_POLICY_INSTANT_FIT]	= "vmem VM_INSTANTFIT power-of-two lists",
};

/*
 * The names in table order, for messages listing the choices; test_policies
 * checks that it matches kva_policy_names.
 */
#define KVA_POLICY_NAMES_STR \
	"lowest, vmlist, cached-hole, next-fit, best-fit, instant-fit"

/* The policy id named by the @len bytes at @name (exact match), or -1. */
static inline int kva_policy_by_name(const char *name, unsigned long len)
{
	return kvalab_name_index(kva_policy_names, KVA_NR_POLICIES, name, len);
}

#endif /* _KVALAB_POLICIES_H */
