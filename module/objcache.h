/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The area objects (struct kvalab_area, struct kva_area) and where they come
 * from: the two slab caches, or, with the obj_cache parameter on (a lever of
 * docs/performance.md), a small per-CPU magazine of each in front of them.
 * Every allocation and free of either object goes through here.
 */
#ifndef _KVALAB_OBJCACHE_H
#define _KVALAB_OBJCACHE_H

#include <linux/types.h>

struct kvalab;
struct kvalab_area;
struct kva_area;

int kvalab_objcache_init(struct kvalab *kv);
/* Every magazine back to its slab cache; at unload, nothing running. */
void kvalab_objcache_exit(struct kvalab *kv);

/* Zeroed objects, or NULL. Process context: they may sleep. */
struct kvalab_area *kvalab_rec_alloc(struct kvalab *kv);
struct kva_area *kvalab_va_alloc(struct kvalab *kv);
void kvalab_rec_free(struct kvalab *kv, struct kvalab_area *a);
void kvalab_va_free(struct kvalab *kv, struct kva_area *va);

#endif /* _KVALAB_OBJCACHE_H */
