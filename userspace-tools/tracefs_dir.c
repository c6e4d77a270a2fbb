// SPDX-License-Identifier: GPL-2.0
/*
 * tracefs_dir.h: where tracefs is, and writing its control files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tracefs_dir.h"

int tracefs_write(const char *dir, const char *name, const char *s,
		  bool trunc)
{
	char path[4096];
	ssize_t n;
	int fd, saved;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC | (trunc ? O_TRUNC : 0));
	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	saved = errno;
	close(fd);
	if (n < 0)
		return -saved;
	return 0;
}

bool tracefs_exists(const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !access(path, F_OK);
}

const char *tracefs_find(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	const char *env = getenv("KVALAB_TRACEFS");
	size_t i;

	if (env && *env)
		return env;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (tracefs_exists(dirs[i], "trace"))
			return dirs[i];
	return NULL;
}
