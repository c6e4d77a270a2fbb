// SPDX-License-Identifier: GPL-2.0
/*
 * Access to kvalab's debugfs files. The directory is --debugfs DIR, else
 * $KVALAB_DEBUGFS, else /sys/kernel/debug/kvalab; tests point it at a
 * directory of fixture files.
 *
 * control is written and read on one descriptor: the module keeps each
 * descriptor's last result (docs/debugfs.md), also after a failed write,
 * so the reason for an -errno comes back on the same fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char *dir_override;

void debugfs_set_dir(const char *dir)
{
	dir_override = dir;
}

const char *debugfs_dir(void)
{
	const char *env = getenv("KVALAB_DEBUGFS");

	if (dir_override)
		return dir_override;
	return env && *env ? env : KVALAB_DEBUGFS_DEFAULT;
}

static void path_of(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", debugfs_dir(), name);
}

/* The first thing any debugfs command does: a clear word if it cannot work. */
int debugfs_require(const char *what)
{
	struct stat st;
	const char *dir = debugfs_dir();

	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (errno == EACCES)
		msg_err("%s: %s: %s (run as root)", what, dir, strerror(errno));
	else if (errno == ENOENT)
		msg_err("%s: %s does not exist (is the module loaded? is debugfs mounted?)",
			what, dir);
	else
		msg_err("%s: %s: %s (is the module loaded?)", what, dir,
			errno ? strerror(errno) : "not a directory");
	return -1;
}

static char *read_fd(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	ssize_t r;

	if (!buf)
		return NULL;
	for (;;) {
		if (n + 1 >= cap) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger)
				goto fail;
			buf = bigger;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
fail:
	free(buf);
	return NULL;
}

/* A whole debugfs file, NUL-terminated; NULL with errno set on failure. */
char *debugfs_read(const char *name, size_t *len)
{
	char path[4096];

	path_of(name, path, sizeof(path));
	return read_file(path, len);
}

/* Any whole file, as debugfs_read(). */
char *read_file(const char *path, size_t *len)
{
	char *buf;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = read_fd(fd, len);
	saved = errno;
	close(fd);
	errno = saved;
	return buf;
}

/* Print one file to stdout: list, free-areas, map, results. */
int debugfs_cat(const char *what, const char *name)
{
	size_t len;
	char *buf;

	if (debugfs_require(what))
		return 1;
	buf = debugfs_read(name, &len);
	if (!buf) {
		const char *hint = errno == EPERM ? kvalab_lockdown_hint() : NULL;

		msg_err("%s: cannot read %s/%s: %s%s%s%s", what, debugfs_dir(), name,
			strerror(errno), errno == EACCES ? " (run as root)" : "",
			hint ? "; " : "", hint ? hint : "");
		return 1;
	}
	fwrite(buf, 1, len, stdout);
	free(buf);
	return 0;
}

/*
 * The reason of an "error <op> -N NAME: reason" line (the text after the
 * first ": "); a line of another shape is kept whole.
 */
static void result_reason(const char *line, char *reason, size_t len)
{
	const char *colon = strstr(line, ": ");

	snprintf(reason, len, "%s", colon ? colon + 2 : line);
}

/*
 * Write @line (no newline) to control and read the result back from the same
 * descriptor. pread at 0 does not depend on where the write left the file
 * position; a stream-like file (ESPIPE) is read from where it stands.
 * Returns 0 when the write succeeded, else -errno; @res says the rest.
 */
int control_run(const char *line, struct ctl_result *res)
{
	char path[1024], cmd[600];
	ssize_t n;
	size_t len;
	int fd;

	memset(res, 0, sizeof(*res));
	path_of("control", path, sizeof(path));
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		res->err = errno;
		/*
		 * Under lockdown, debugfs refuses every open of the control
		 * file (0600: writable), root or not: say so.
		 */
		const char *hint = errno == EPERM ? kvalab_lockdown_hint() : NULL;

		snprintf(res->reason, sizeof(res->reason), "cannot open %s: %s%s%s%s",
			 path, strerror(errno),
			 errno == EACCES ? " (run as root)" : "",
			 hint ? "; " : "", hint ? hint : "");
		return -res->err;
	}
	len = (size_t)snprintf(cmd, sizeof(cmd), "%s\n", line);
	n = write(fd, cmd, len);
	if (n < 0)
		res->err = errno;
	else if ((size_t)n != len)
		res->err = EIO;

	n = pread(fd, res->line, sizeof(res->line) - 1, 0);
	if (n < 0 && errno == ESPIPE)
		n = read(fd, res->line, sizeof(res->line) - 1);
	close(fd);
	if (n < 0)
		n = 0;
	res->line[n] = '\0';
	res->line[strcspn(res->line, "\n")] = '\0';
	res->have_line = !strncmp(res->line, "ok ", 3) ||
			 !strncmp(res->line, "error ", 6);

	if (res->err && res->have_line && !strncmp(res->line, "error ", 6))
		result_reason(res->line, res->reason, sizeof(res->reason));
	else if (res->err)
		snprintf(res->reason, sizeof(res->reason), "%s (%s)",
			 strerror(res->err), errno_name(res->err));
	return -res->err;
}
