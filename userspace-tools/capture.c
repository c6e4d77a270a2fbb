// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab capture: record the kernel's own vmalloc tracepoints (Linux 6.2+)
 * for a while and convert them with the tracefs importer.
 *
 * Steps: find tracefs (tracefs_dir.c), check events/vmalloc/ exists,
 * clear the ring buffer, enable events/vmalloc/, wait --seconds (Ctrl-C ends the wait
 * early), disable them, read `trace` and convert it. The events are
 * disabled again on every path after they were enabled.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "trace_write.h"
#include "tracefs_dir.h"
#include <kvalab/lex.h>	/* KVALAB_SIZE_FORMS */

static volatile sig_atomic_t capture_stop;

static void on_signal(int sig)
{
	(void)sig;
	capture_stop = 1;
}

int cmd_capture(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "slice-size", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tfs_opts to = { .source = "capture" };
	unsigned long seconds = 10;
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec left;
	const char *dir;
	char inbuf[4200];
	size_t len;
	char *text;
	int c, err, rc;

	while ((c = sub_getopt(argc, argv, ":ho:", opts)) != -1) {
		switch (c) {
		case 'h':
			return print_help(cmd);
		case 'n':
			if (!parse_uint(optarg, &seconds) || !seconds ||
			    seconds > 86400)
				return usage_error(cmd,
						   "--seconds '%s' is not 1..86400",
						   optarg);
			break;
		case 'o':
			to.out = optarg;
			break;
		case 'S':
			if (!tw_parse_size(optarg, &to.slice_size) ||
			    !to.slice_size || to.slice_size % tw_page_size())
				return usage_error(cmd,
						   "--slice-size '%s' is not a non-zero multiple of the page size (sizes are " KVALAB_SIZE_FORMS ")",
						   optarg);
			break;
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (!to.out)
		return usage_error(cmd, "missing -o TRACE");

	dir = tracefs_find();
	if (!dir || !tracefs_exists(dir, "trace")) {
		msg_err("capture: no tracefs (looked in %s): mount it with 'mount -t tracefs nodev /sys/kernel/tracing' and run as root",
			dir ? dir : "/sys/kernel/tracing and /sys/kernel/debug/tracing");
		return 1;
	}
	if (!tracefs_exists(dir, "events/vmalloc/enable")) {
		msg_err("capture: %s has no events/vmalloc/: the vmalloc trace events (alloc_vmap_area, free_vmap_area_noflush, purge_vmap_area_lazy) exist only from Linux 6.2, and this kernel is %s; import a /proc/vmallocinfo snapshot instead (kvalab import vmallocinfo)",
			dir, kernel_release());
		return 1;
	}
	snprintf(inbuf, sizeof(inbuf), "%s/trace", dir);
	to.in = inbuf;

	err = tracefs_write(dir, "events/vmalloc/enable", "0", false);
	if (!err)
		err = tracefs_write(dir, "trace", "", true);
	if (err) {
		msg_err("capture: cannot reset %s: %s%s", dir, strerror(-err),
			err == -EACCES || err == -EPERM ? " (run as root)" : "");
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	err = tracefs_write(dir, "events/vmalloc/enable", "1", false);
	if (err) {
		msg_err("capture: cannot enable %s/events/vmalloc: %s", dir,
			strerror(-err));
		return 1;
	}
	fprintf(stderr, "kvalab: capture: recording vmalloc events for %lu s (Ctrl-C stops early)\n",
		seconds);
	left.tv_sec = (time_t)seconds;
	left.tv_nsec = 0;
	while (!capture_stop && nanosleep(&left, &left) && errno == EINTR)
		;
	err = tracefs_write(dir, "events/vmalloc/enable", "0", false);
	if (err) {
		msg_err("capture: cannot disable %s/events/vmalloc: %s", dir,
			strerror(-err));
		return 1;
	}
	text = read_file(inbuf, &len);
	if (!text) {
		msg_err("capture: cannot read %s: %s", inbuf, strerror(errno));
		return 1;
	}
	rc = import_tracefs_text(text, len, &to);
	free(text);
	return rc;
}
