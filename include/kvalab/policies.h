/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The placement policies kvalab can run, by name: one list shared by the
 * module (policy table, `policy NAME`, policy= parameter, stats), the
 * command parser and the CLI (--policies, compare). Add a policy here and
 * in module/policy.c's table; its code goes in module/policy_<name>.c.
 *
 * Order is the order `--policies all` runs them and tables print them.
 */
#ifndef _KVALAB_POLICIES_H
#define _KVALAB_POLICIES_H

/* X(ENUM_SUFFIX, "name", "one-line summary") */
#define KVA_POLICY_LIST(X)						\
	X(LOWEST, "lowest", "5.2+ augmented-tree lowest match")		\
	X(VMLIST, "vmlist", "2.6 vmlist: linear walk of occupied areas")	\
	X(CACHED_HOLE, "cached-hole", "2.6.39-5.1 free_vmap_cache")	\
	X(NEXT_FIT, "next-fit", "vmem VM_NEXTFIT rotor")		\
	X(BEST_FIT, "best-fit", "smallest free area that fits")	\
	X(INSTANT_FIT, "instant-fit", "vmem VM_INSTANTFIT power-of-two lists")

#define KVA_POLICY_ENUM(e, n, d)	KVA_POLICY_##e,
enum kva_policy_id {
	KVA_POLICY_LIST(KVA_POLICY_ENUM)
	KVA_NR_POLICIES
};
#undef KVA_POLICY_ENUM

#define KVA_POLICY_NAME(e, n, d)	n,
static const char *const kva_policy_names[KVA_NR_POLICIES] = {
	KVA_POLICY_LIST(KVA_POLICY_NAME)
};
#undef KVA_POLICY_NAME

#define KVA_POLICY_DESC(e, n, d)	d,
static const char *const kva_policy_descs[KVA_NR_POLICIES] = {
	KVA_POLICY_LIST(KVA_POLICY_DESC)
};
#undef KVA_POLICY_DESC

/* "lowest, vmlist, ..." as one literal, for messages naming the choices. */
#define KVA_POLICY_JOIN(e, n, d)	n " "
#define KVA_POLICY_NAMES_STR	KVA_POLICY_LIST(KVA_POLICY_JOIN)

/* The policy id named @name (exact match), or -1. */
static inline int kva_policy_by_name(const char *name, unsigned long len)
{
	int i;

	for (i = 0; i < KVA_NR_POLICIES; i++) {
		const char *p = kva_policy_names[i];
		unsigned long j = 0;

		while (j < len && p[j] && p[j] == name[j])
			j++;
		if (j == len && !p[j])
			return i;
	}
	return -1;
}

#endif /* _KVALAB_POLICIES_H */
