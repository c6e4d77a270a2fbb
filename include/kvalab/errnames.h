/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The names of errnos, in one table for the module and the CLI: the module
 * names the errno of a failed command in its result line ("error EBUSY
 * ..."), the CLI names the errno of a failed system call in its messages
 * ("... (EKEYREJECTED)"). It holds every errno the module returns and those
 * the kernel itself gives the CLI (finit_module, delete_module, debugfs,
 * tracefs), but for "no such system call", which checkpatch keeps out of
 * kernel sources: the CLI words that one where it meets it (module.c).
 * Each caller says what to print for an errno not in the table.
 */
#ifndef _KVALAB_ERRNAMES_H
#define _KVALAB_ERRNAMES_H

#ifdef __KERNEL__
#include <linux/errno.h>
#else
#include <errno.h>
#endif

/* One more than the highest errno the table holds. */
#define KVALAB_ERRNAMES_END	(EKEYREJECTED + 1)

/*
 * The name of the errno @err ("EBUSY" for EBUSY, positive as errno holds
 * it), or NULL for one the table does not hold.
 */
static inline const char *kvalab_errno_name(int err)
{
	/*
	 * Indexed by the errno, each name its constant's spelling: an errno
	 * from KVALAB_ERRNAMES_END on does not build, an alias (ENOTSUP,
	 * EWOULDBLOCK) overrides its twin's name (-Woverride-init, an error
	 * in the CLI's -Wextra -Werror build).
	 */
#define KVALAB_ERRNAME(e) \
	[e] = #e
	static const char *const names[KVALAB_ERRNAMES_END] = {
		KVALAB_ERRNAME(EPERM),
		KVALAB_ERRNAME(ENOENT),
		KVALAB_ERRNAME(EINTR),
		KVALAB_ERRNAME(EIO),
		KVALAB_ERRNAME(ENXIO),
		KVALAB_ERRNAME(E2BIG),
		KVALAB_ERRNAME(ENOEXEC),
		KVALAB_ERRNAME(EAGAIN),
		KVALAB_ERRNAME(ENOMEM),
		KVALAB_ERRNAME(EACCES),
		KVALAB_ERRNAME(EFAULT),
		KVALAB_ERRNAME(EBUSY),
		KVALAB_ERRNAME(EEXIST),
		KVALAB_ERRNAME(ENODEV),
		KVALAB_ERRNAME(EINVAL),
		KVALAB_ERRNAME(ENOTTY),
		KVALAB_ERRNAME(EFBIG),
		KVALAB_ERRNAME(ENOSPC),
		KVALAB_ERRNAME(ERANGE),
		KVALAB_ERRNAME(ENODATA),
		KVALAB_ERRNAME(EBADMSG),
		KVALAB_ERRNAME(EOVERFLOW),
		KVALAB_ERRNAME(EMSGSIZE),
		KVALAB_ERRNAME(EPROTONOSUPPORT),
		KVALAB_ERRNAME(EOPNOTSUPP),
		KVALAB_ERRNAME(ETIMEDOUT),
		KVALAB_ERRNAME(EALREADY),
		KVALAB_ERRNAME(EUCLEAN),
		KVALAB_ERRNAME(ECANCELED),
		KVALAB_ERRNAME(EKEYREJECTED),
	};
#undef KVALAB_ERRNAME

	if (err <= 0 || err >= KVALAB_ERRNAMES_END)
		return NULL;
	return names[err];
}

#endif /* _KVALAB_ERRNAMES_H */
