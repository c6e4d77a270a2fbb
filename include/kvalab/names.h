/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Looking a name up in one of the shared name tables (<kvalab/policies.h>,
 * <kvalab/backends.h>), for the module, the parsers and the CLI alike.
 */
#ifndef _KVALAB_NAMES_H
#define _KVALAB_NAMES_H

/*
 * The index in @names (@nr entries) of the one equal to the @len bytes at
 * @name (which need not be NUL-terminated), or -1.
 */
static inline int kvalab_name_index(const char *const *names, int nr,
				    const char *name, unsigned long len)
{
	int i;

	for (i = 0; i < nr; i++) {
		const char *p = names[i];
		unsigned long j = 0;

		while (j < len && p[j] && p[j] == name[j])
			j++;
		if (j == len && !p[j])
			return i;
	}
	return -1;
}

#endif /* _KVALAB_NAMES_H */
