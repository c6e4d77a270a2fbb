/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The backends a workload run measures, by id and name: one table shared by
 * the command parser (backend=, baseline=), the module (which allocator a
 * unit calls, the results file) and the CLI (--backend, --policies, the
 * tables). Ids are dense and stable within a build:
 *
 *   0              vmalloc           the kernel's vmalloc/vm_map_ram
 *   1              kvalab            kvalab under the policy active when the
 *                                    run starts (whatever `policy NAME` set)
 *   2              floor             the same pages, mappings and flushes
 *                                    with no VA management (wl_floor.c):
 *                                    the limit kvalab is measured against
 *   3 + p          kvalab:<policy p> kvalab switched to policy p of
 *                                    <kvalab/policies.h> for its units
 *
 * A run names each backend at most once, so KVALAB_NR_BACKENDS also bounds
 * the backends of one run.
 */
#ifndef _KVALAB_BACKENDS_H
#define _KVALAB_BACKENDS_H

#ifndef __KERNEL__
#include <stdbool.h>
#endif
#include <kvalab/names.h>
#include <kvalab/policies.h>

#define KVALAB_BE_VMALLOC	0
#define KVALAB_BE_KVALAB	1
#define KVALAB_BE_FLOOR		2
#define KVALAB_BE_POLICY0	3
#define KVALAB_BE_POLICY(p)	(KVALAB_BE_POLICY0 + (p))
#define KVALAB_NR_BACKENDS	(KVALAB_BE_POLICY0 + KVA_NR_POLICIES)
/* Most backends one run may name: each once. */
#define KVALAB_RUN_MAX_BACKENDS	KVALAB_NR_BACKENDS

/* The prefix of a policy backend's name. */
#define KVALAB_BE_POLICY_PREFIX	"kvalab:"

/*
 * Designated, so a name cannot pair with the wrong id; each policy entry is
 * KVALAB_BE_POLICY_PREFIX + kva_policy_names[p] (tests/native/test_parse.c
 * checks that, so a policy added there without a backend name fails).
 */
static const char *const kvalab_backend_names[KVALAB_NR_BACKENDS] = {
	[KVALAB_BE_VMALLOC] = "vmalloc",
	[KVALAB_BE_KVALAB] = "kvalab",
	[KVALAB_BE_FLOOR] = "floor",
	[KVALAB_BE_POLICY(KVA_POLICY_LOWEST)] = "kvalab:lowest",
	[KVALAB_BE_POLICY(KVA_POLICY_VMLIST)] = "kvalab:vmlist",
	[KVALAB_BE_POLICY(KVA_POLICY_CACHED_HOLE)] = "kvalab:cached-hole",
	[KVALAB_BE_POLICY(KVA_POLICY_NEXT_FIT)] = "kvalab:next-fit",
	[KVALAB_BE_POLICY(KVA_POLICY_BEST_FIT)] = "kvalab:best-fit",
	[KVALAB_BE_POLICY(KVA_POLICY_INSTANT_FIT)] = "kvalab:instant-fit",
};

/* Longest backend name plus its NUL ("kvalab:instant-fit" and room). */
#define KVALAB_BE_NAME_MAX	32

/* The name of backend @id ("?" when out of range: never for valid ids). */
static inline const char *kvalab_backend_name(unsigned int id)
{
	return id < KVALAB_NR_BACKENDS ? kvalab_backend_names[id] : "?";
}

/* The backend id named by the @len bytes at @name (exact match), or -1. */
static inline int kvalab_backend_by_name(const char *name, unsigned long len)
{
	return kvalab_name_index(kvalab_backend_names, KVALAB_NR_BACKENDS,
				 name, len);
}

/* True for the backends that allocate from the kvalab slice. */
static inline bool kvalab_backend_is_kvalab(unsigned int id)
{
	return id == KVALAB_BE_KVALAB ||
		(id >= KVALAB_BE_POLICY0 && id < KVALAB_NR_BACKENDS);
}

/* The policy a backend switches the slice to, or -1 (vmalloc, kvalab, floor). */
static inline int kvalab_backend_policy(unsigned int id)
{
	return id >= KVALAB_BE_POLICY0 && id < KVALAB_NR_BACKENDS ?
		(int)(id - KVALAB_BE_POLICY0) : -1;
}

#endif /* _KVALAB_BACKENDS_H */
