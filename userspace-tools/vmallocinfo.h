/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a /proc/vmallocinfo snapshot (vmallocinfo.c), shared by the
 * importer (import_vmallocinfo.c: a layout trace) and whatif (whatif.c: a
 * failed request tried against the layout).
 */
#ifndef KVALAB_VMALLOCINFO_H
#define KVALAB_VMALLOCINFO_H

#include <stdbool.h>
#include <stddef.h>

enum vmi_kind { VMI_AREA, VMI_VM_MAP_RAM, VMI_UNPURGED };

/*
 * One line. [start, end) is the whole range the kernel holds, guard page
 * included; size is the line's SIZE field (end - start on real snapshots).
 */
struct vmi_entry {
	unsigned long start, end, size;
	unsigned long line;		/* 1-based line number in the file */
	enum vmi_kind kind;
	unsigned int flags;		/* KVA_TRACE_F_* kinds */
};

/*
 * Read the snapshot @path into *@ents (*@nr entries, never 0; the caller
 * frees *@ents). Every line must parse. Unless @ignore_addresses, the
 * addresses must be real (root with kptr_restrict=1: no hashed values, not
 * all zero, page aligned, end - start == SIZE, kernel half) and disjoint;
 * the entries are then sorted by start. With @ignore_addresses they stay
 * in file order, unchecked. Returns 0, or 1 after a message via msg_err
 * whose prefix is @who ("import", "whatif"); only the importer, which has
 * --ignore-addresses, is told to use it.
 */
int vmi_load(const char *path, const char *who, bool ignore_addresses,
	     struct vmi_entry **ents, size_t *nr);

#endif /* KVALAB_VMALLOCINFO_H */
