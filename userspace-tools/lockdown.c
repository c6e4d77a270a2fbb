// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel lockdown and module signature enforcement, as the CLI explains them.
 *
 * The kernel shows its lockdown mode in securityfs, e.g. "none [integrity]
 * confidentiality" (security/lockdown/lockdown.c, the bracketed word is the
 * active one), and module.sig_enforce in sysfs (Y/N). Both matter to kvalab:
 * - Loading: with sig_enforce=Y an unsigned module, or one signed with a key
 *   the kernel does not trust, is refused with EKEYREJECTED; under lockdown
 *   (integrity or confidentiality) without sig_enforce with EPERM
 *   ("Lockdown: insmod: unsigned module loading is restricted").
 * - debugfs (fs/debugfs/file.c, debugfs_locked_down(), 6.1 and 6.12): under
 *   either lockdown mode, opening a file whose mode has any bit beyond 0444,
 *   opening any file for writing, or a file with ioctl or mmap, fails with
 *   EPERM. kvalab's control file
 *   (0600) cannot be opened at all; its 0400 listings can still be read.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "lockdown.h"

/* The first line of @path into @buf, without its newline; false if unreadable. */
static bool read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

bool lockdown_mode(char *mode, size_t size)
{
	char line[128];
	const char *open, *close;
	size_t len;

	if (size)
		*mode = '\0';
	if (!read_line(LOCKDOWN_FILE, line, sizeof(line)))
		return false;
	open = strchr(line, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!close)
		return false;
	len = (size_t)(close - open - 1);
	if (len + 1 > size)
		return false;
	memcpy(mode, open + 1, len);
	mode[len] = '\0';
	return true;
}

bool locked_down(char *mode, size_t size)
{
	return lockdown_mode(mode, size) && strcmp(mode, "none") != 0;
}

int sig_enforced(void)
{
	char line[8];

	if (!read_line(SIG_ENFORCE_FILE, line, sizeof(line)))
		return -1;
	return line[0] == 'Y' || line[0] == 'y' || line[0] == '1';
}

/*
 * For a refused (EPERM) debugfs open or write: a sentence naming lockdown when
 * the kernel is locked down, else NULL (the EPERM has another cause).
 */
const char *kvalab_lockdown_hint(void)
{
	static char hint[320];
	char mode[32];

	if (!locked_down(mode, sizeof(mode)))
		return NULL;
	snprintf(hint, sizeof(hint),
		 "the kernel is locked down (lockdown: %s): debugfs refuses to open any file for writing or any file whose mode goes beyond 0444, so kvalab's control file (0600) cannot be used; only its read-only listings can be read (see %s)",
		 mode, SECURE_BOOT_DOC);
	return hint;
}
