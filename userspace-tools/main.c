// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab: command dispatch and global options: the command table, the
 * summary usage, main(). What the subcommands share is util.c's.
 *
 * Usage errors exit with EXIT_USAGE (2) and a "Try 'kvalab CMD --help'"
 * hint; failed operations exit 1 with "kvalab: CMD: reason" on stderr.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static const struct command commands[] = {
	{ "load", cmd_load,
	  "load [--slice SIZE] [--module PATH] [PARAM=VALUE...]",
	  "Insert the kvalab module with libkmod. The module file is, in this\n"
	  "order: --module PATH, $KVALAB_KO, the installed module for the\n"
	  "running kernel, ./build/$(uname -r)/kvalab.ko.\n\n"
	  "  --slice SIZE     reserve SIZE bytes of kernel VA (slice_size=SIZE;\n"
	  "                   at least 1M; decimal or 0x hex, K, M, G, KiB, MiB,\n"
	  "                   GiB suffixes; checked before the module loads)\n"
	  "  --module PATH    the kvalab.ko to insert\n"
	  "  PARAM=VALUE      further module parameters, passed unchanged\n" },
	{ "unload", cmd_unload, "unload",
	  "Remove the kvalab module, freeing every live area and stopping a\n"
	  "workload run. Fails while a debugfs file is held open.\n" },
	{ "status", cmd_status, "status",
	  "Say whether kvalab is loaded and, if it is, show the slice size and\n"
	  "the busy/free counts. Exits 0 when loaded, 1 when not.\n\n"
	  "  --json           print a JSON object\n" },
	{ "alloc", cmd_alloc, "alloc SIZE [--align N] [--noguard]",
	  "Allocate an area of SIZE bytes from the slice, map pages into it and\n"
	  "print its id, address and size as KEY=VALUE. SIZE and N are decimal\n"
	  "or 0x hex bytes, optionally with K, M, G, KiB, MiB or GiB.\n\n"
	  "  --align N        align the area's start to N (a power of two; below\n"
	  "                   a page, raised to a page with a note on stderr)\n"
	  "  --noguard        no guard page after the area\n"
	  "  --json           print a JSON object\n" },
	{ "free", cmd_target, "free ID|ADDR",
	  "Unmap and free an area, given by id or start address (0x...).\n"
	  "The address range waits for the next lazy purge.\n\n"
	  "  --json           print a JSON object\n" },
	{ "free-atomic", cmd_target, "free-atomic ID|ADDR",
	  "Free an area the way an atomic context must: the unmap and free are\n"
	  "deferred to a worker.\n\n"
	  "  --json           print a JSON object\n" },
	{ "fill", cmd_target, "fill ID|ADDR BYTE",
	  "Write BYTE (0..255, decimal or 0x hex) to every byte of an area.\n\n"
	  "  --json           print a JSON object\n" },
	{ "verify", cmd_target, "verify ID|ADDR BYTE",
	  "Check that every byte of an area holds BYTE; fails on the first\n"
	  "byte that does not.\n\n"
	  "  --json           print a JSON object\n" },
	{ "purge", cmd_purge, "purge [vmalloc]",
	  "Purge lazily freed areas now: one TLB flush, then their ranges\n"
	  "return to the free tree. With vmalloc: the kernel's own lazily\n"
	  "freed vmalloc areas instead (vm_unmap_aliases()), so that a\n"
	  "comparison with the kernel's vmalloc starts from an empty lazy list.\n\n"
	  "  --json           print a JSON object\n" },
	{ "reset", cmd_simple, "reset",
	  "Free every area the CLI allocated and purge.\n\n"
	  "  --json           print a JSON object\n" },
	{ "check", cmd_check, "check [tlb]",
	  "Walk the busy, free and lazy trees and check their invariants\n"
	  "(order, no overlap, augmented subtree sizes, full coverage).\n"
	  "With tlb: prove the TLB flush is real: a translation every CPU\n"
	  "cached is stale after a PTE change and gone after the flush.\n\n"
	  "  --json           print a JSON object\n" },
	{ "list", cmd_show, "list",
	  "Print the busy areas (debugfs vmallocinfo: /proc/vmallocinfo's\n"
	  "format, no header, each line ending in id=N, or 'workload' for a\n"
	  "running workload's areas), then the lazy ones as 'unpurged vm_area'\n"
	  "lines. An empty slice prints nothing.\n" },
	{ "free-areas", cmd_show, "free-areas",
	  "Print a header line and the free areas: start-end, size, subtree\n"
	  "maximum size.\n" },
	{ "lazy-areas", cmd_show, "lazy-areas",
	  "Print a header line (nr_lazy, lazy_pages) and the lazy areas, freed\n"
	  "and waiting for the purge: start-end, size, [+start, +end) offsets.\n" },
	{ "map", cmd_map, "map [--svg OUT]",
	  "Draw the slice: '#' busy, '.' free, 'z' any lazy byte (wins over the\n"
	  "others), 'p' pooled (va_pools=Y), '+' mixed.\n\n"
	  "  --svg OUT        draw it as SVG instead: exact busy, guard, free and\n"
	  "                   lazy ranges, a legend, the fragmentation figures\n" },
	{ "tree", cmd_tree, "tree [--depth N] [--svg OUT] [--dot OUT]",
	  "Print the augmented free tree (debugfs free_tree), indented: each\n"
	  "node's range, colour, size and subtree_max_size.\n\n"
	  "  --depth N        draw nodes down to depth N - 1 (default 6)\n"
	  "  --svg OUT        also draw it as SVG (no Graphviz needed)\n"
	  "  --dot OUT        also write it as Graphviz DOT\n" },
	{ "explain", cmd_explain,
	  "explain SIZE [--align N] [--noguard] [--svg OUT] [--depth N] | --saved",
	  "Dry-run the active policy's search for an alloc of SIZE (nothing\n"
	  "changes) and print every step and the decision taken there, then the\n"
	  "area, start and split case the alloc would take.\n\n"
	  "  --align N        alignment, as for alloc\n"
	  "  --noguard        no guard page, as for alloc\n"
	  "  --svg OUT        draw the free tree with the path marked\n"
	  "  --depth N        depth bound of the drawing (default 16)\n"
	  "  --saved          show the latest explain instead of running one\n" },
	{ "stats", cmd_stats, "stats [NAME]",
	  "Print the allocator counters, or the value of one of them.\n\n"
	  "  --json           print a JSON object (decimal values as numbers)\n" },
	{ "results", cmd_show, "results",
	  "Print the raw results file of the last workload run.\n" },
	{ "run", cmd_run,
	  "run [TEST...|--mask N] [--threads N] [--loops N] [--repeat N]\n"
	  "           [--pages N] [--sequential] [--backend LIST] [--policies LIST]\n"
	  "           [--baseline NAME] [--json FILE] [--csv FILE] [--svg FILE]\n"
	  "           [--latency] [--frag-svg FILE] [--html FILE] [--no-progress]\n"
	  "           [--timeout SEC] [--breakdown]",
	  "Run the test_vmalloc workloads on several backends side by side, wait\n"
	  "for them and print a table of ns per operation and ratios over the\n"
	  "baseline. TEST is a case name (fix_size_alloc_test, ...); none and no\n"
	  "--mask means every case. Backends: vmalloc, kvalab (the active policy),\n"
	  "floor (the same pages, mappings and flushes with no VA management) and\n"
	  "kvalab:POLICY; with kvalab and floor the table adds kvalab/floor.\n"
	  "Ctrl-C stops the run and prints the cases that\n"
	  "finished. Exits 1 if a case failed or unexpectedly passed.\n\n"
	  "  --mask N         run the cases of run_test_mask N\n"
	  "  --threads N      worker threads (default: one per online CPU)\n"
	  "  --loops N        operations per repeat\n"
	  "  --repeat N       repeats per case (median and p99 are over these)\n"
	  "  --pages N        pages per allocation where the case uses nr_pages\n"
	  "  --sequential     run the cases in table order, not shuffled\n"
	  "  --backend LIST   backends in order, e.g. vmalloc,kvalab:lowest\n"
	  "                   (default kvalab,vmalloc)\n"
	  "  --policies LIST  also kvalab:P for each policy P of LIST, or all\n"
	  "  --baseline NAME  the backend ratios divide by (default vmalloc if\n"
	  "                   it runs, else the first)\n"
	  "  --json FILE      also write the results as JSON\n"
	  "  --csv FILE       also write one CSV row per case and backend\n"
	  "  --svg FILE       also draw a bar chart\n"
	  "  --latency        also print p50/p99/p99.9/max of allocs, frees, purges\n"
	  "  --frag-svg FILE  also plot ext_frag and largest_free over operations\n"
	  "  --html FILE      also write the self-contained HTML report\n"
	  "  --no-progress    no progress output\n"
	  "  --timeout SEC    stop the run after SEC seconds\n"
	  "  --breakdown      turn the module's breakdown parameter on for the run\n"
	  "                   and print ns/op per phase per case and backend\n" },
	{ "compare", cmd_compare,
	  "compare [TEST...|--mask N] [--policies LIST] [--no-vmalloc]\n"
	  "           [--baseline NAME] [--threads N] [--loops N] [--repeat N]\n"
	  "           [--pages N] [--sequential] [--json FILE] [--csv FILE]\n"
	  "           [--svg FILE] [--latency] [--frag-svg FILE] [--html FILE]\n"
	  "           [--no-progress] [--timeout SEC]",
	  "Run the cases under every chosen placement policy (kvalab:POLICY),\n"
	  "with vmalloc as the baseline, and print one row per case and backend:\n"
	  "ns/op, p99, ENOMEM failures, ratio, status, and the slice's free-area\n"
	  "count and largest free area after the case. Exits as run does.\n\n"
	  "  --policies LIST  policies to compare (default all)\n"
	  "  --no-vmalloc     leave vmalloc out (the first policy is the baseline)\n"
	  "  --baseline NAME  the backend ratios divide by\n"
	  "  other options    as for run\n" },
	{ "report", cmd_report,
	  "report FILE [--svg OUT] [--csv OUT] [--json OUT] [--frag-svg OUT]\n"
	  "           [--html OUT] [--latency] [--breakdown] [--from-results]",
	  "Read the JSON written by 'kvalab run --json' and print the same table;\n"
	  "optionally convert it.\n\n"
	  "  --svg OUT        draw a bar chart\n"
	  "  --csv OUT        write one CSV row per case and backend\n"
	  "  --json OUT       write JSON again\n"
	  "  --frag-svg OUT   plot ext_frag and largest_free over operations\n"
	  "  --html OUT       one self-contained HTML file: tables, charts, the\n"
	  "                   slice's map and listings when the run ended\n"
	  "  --latency        also print the latency table\n"
	  "  --breakdown      also print ns/op per phase (runs with breakdown=Y)\n"
	  "  --from-results   FILE is a saved debugfs results file, not JSON\n" },
	{ "import", cmd_import,
	  "import vmallocinfo|tracefs FILE -o TRACE [--slice-size N]\n"
	  "           [--scale F|fit] [--max-gap N|none] [--ignore-addresses]",
	  "Convert a kernel's vmalloc activity into a kvalab trace (docs/traces.md).\n"
	  "vmallocinfo: a /proc/vmallocinfo snapshot (real addresses: root with\n"
	  "kptr_restrict=1) becomes a setup that recreates its layout, gaps kept\n"
	  "as filler areas freed after it. tracefs: the text of tracefs 'trace'\n"
	  "with the vmalloc events of Linux 6.2+. Exits 1 on refused input.\n\n"
	  "  -o, --output TRACE   write the trace here ('-': stdout)\n"
	  "  --slice-size N       the trace's slice size (K, M, G, KiB, MiB, GiB)\n"
	  "  --scale F|fit        vmallocinfo: scale sizes and gaps by F, or to\n"
	  "                       fit --slice-size\n"
	  "  --max-gap N|none     vmallocinfo: shrink wider gaps to N (default 64M)\n"
	  "  --ignore-addresses   vmallocinfo: sizes and order only, no gaps (for\n"
	  "                       hashed addresses)\n" },
	{ "capture", cmd_capture,
	  "capture [--seconds N] [--slice-size N] -o TRACE",
	  "Enable the vmalloc trace events (Linux 6.2+) in tracefs, wait N\n"
	  "seconds (default 10; Ctrl-C stops early), disable them and convert\n"
	  "the trace as 'import tracefs' does. Needs root. $KVALAB_TRACEFS\n"
	  "overrides the tracefs directory.\n\n"
	  "  --seconds N          how long to record\n"
	  "  --slice-size N       the trace's slice size (K, M, G, KiB, MiB, GiB)\n"
	  "  -o, --output TRACE   write the trace here ('-': stdout)\n" },
	{ "record", cmd_record,
	  "record FILE [--seconds N] [-- COMMAND [ARGS...]]",
	  "Record every allocation and free on the slice (control commands and\n"
	  "workloads) while COMMAND runs, for N seconds, or until Ctrl-C, and\n"
	  "write the trace to FILE ('-': stdout). Exits 1 if COMMAND failed\n"
	  "(the trace is still written).\n\n"
	  "  --seconds N      record for N seconds (without COMMAND)\n" },
	{ "replay", cmd_replay,
	  "replay FILE [--policy P,...|all] [--va-only] [--scale F] [--samples N]\n"
	  "           [--search exact|padded] [--lazy-max PAGES] [--log OUT]\n"
	  "           [--json OUT] [--csv OUT]",
	  "Replay a trace in the module on the otherwise empty slice, once per\n"
	  "policy, and print per policy: ns/op, ENOMEM failures and the first\n"
	  "failing line, the largest free area then, peak used bytes and the\n"
	  "final fragmentation. Exits 1 if a check failed.\n\n"
	  "  --policy LIST    policies to run (default: the current one)\n"
	  "  --va-only        VA decisions only: no pages, no page tables\n"
	  "  --scale F        multiply every size (and the slice) by F first\n"
	  "  --samples N      fragmentation samples per policy (default 100)\n"
	  "  --search MODE    the lowest-match length rule (default exact)\n"
	  "  --lazy-max PAGES the purge threshold during the replay\n"
	  "  --log OUT        every allocation's placement (as kvalab sim --log)\n"
	  "  --json OUT       also write the results as JSON\n"
	  "  --csv OUT        also write one CSV row per policy\n" },
	{ "sim", cmd_sim,
	  "sim TRACE|--scenario NAME [--policy LIST|all] [--search LIST|all]\n"
	  "           [--lazy-max PAGES] [--slice-size N] [--base-align N] [--va-pools]\n"
	  "           [--scale F] [--samples N] [--log OUT] [--listing OUT]\n"
	  "           [--json OUT] [--csv OUT] [--svg OUT] [--html OUT]\n"
	  "       sim TRACE --sweep AXIS=V,... [AXIS=V,...] [--jobs N]\n"
	  "           [--figure ops|ext_frag|enomem] [--json OUT] [--csv OUT]\n"
	  "           [--svg OUT] [--html OUT]\n"
	  "       sim --from-listing FILE [--title T] [--json/--csv/--svg/--html OUT]",
	  "Replay a trace as 'kvalab replay --va-only' does, without the module:\n"
	  "on the allocator core and policies compiled into this program. No\n"
	  "root, no debugfs; the same table, the same placements (docs/sim.md).\n"
	  "Exits 1 on a refused trace (FILE:LINE: reason) or a failed check.\n\n"
	  "  --scenario NAME   a scenario's trace (kvalab scenario --list)\n"
	  "  --policy LIST     policies to run (default lowest)\n"
	  "  --search LIST     exact, padded or all (default exact)\n"
	  "  --lazy-max PAGES  purge threshold (default as the module's)\n"
	  "  --slice-size N    the slice (default the trace's; scenarios 16M)\n"
	  "  --base-align N    the slice start's alignment (default 2M)\n"
	  "  --va-pools        the module's va_pools=Y lever\n"
	  "  --scale F         multiply every size (and the slice) by F first\n"
	  "  --samples N       fragmentation samples per run (default 100)\n"
	  "  --log OUT         every allocation's placement ('-': stdout only)\n"
	  "  --listing OUT     the replay_results listing the module would show\n"
	  "  --json/--csv OUT  the table as JSON or CSV\n"
	  "  --svg/--html OUT  fragmentation over the ops (a sweep: a heatmap)\n"
	  "  --sweep AXIS=V,.. a grid over policy=, search=, lazy_max=, slice=\n"
	  "  --jobs N          sweep cells run at once (default 1)\n"
	  "  --figure F        the heatmap's figure (default ext_frag)\n"
	  "  --from-listing F  draw a saved listing (--listing, or the module's\n"
	  "                    replay_results) instead of running\n"
	  "  --title T         the pictures' title (default the trace's name)\n" },
	{ "whatif", cmd_whatif,
	  "whatif SNAPSHOT SIZE|--dmesg LOG [--align N] [--range START-END]\n"
	  "           [--policy LIST|all] [--search LIST|all] [--json OUT]",
	  "For a 'vmap allocation for size N failed' in dmesg and a\n"
	  "/proc/vmallocinfo of that machine (real addresses: root with\n"
	  "kptr_restrict=1): rebuild the layout on the sim and try the request\n"
	  "under each policy and search mode, as it is and after the snapshot's\n"
	  "'unpurged vm_area' ranges are purged (what the kernel does before it\n"
	  "gives up). Per row: fits or not, where, the largest free area, how\n"
	  "much the request is short of it (docs/sim.md). SIZE is N of the\n"
	  "message: the span searched, guard page included. Exits 0 when the\n"
	  "requests were tried, 1 on refused input.\n\n"
	  "  --dmesg LOG       every failure line of LOG, instead of SIZE\n"
	  "  --align N         the requests' alignment (default a page; the\n"
	  "                    message does not say it)\n"
	  "  --range S-E       the space searched, hex (default the vmalloc\n"
	  "                    space, inferred from the lowest area; areas\n"
	  "                    wholly outside are left out)\n"
	  "  --policy LIST     policies to try (default all)\n"
	  "  --search LIST     exact, padded or all (default all)\n"
	  "  --json OUT        also one record per request, policy and search\n"
	  "                    ('-': the JSON instead of the tables)\n" },
	{ "follow", cmd_follow,
	  "follow [--seconds N] [--interval S] [--policy LIST|all] [--svg OUT]\n"
	  "           [--map OUT] [--json OUT] [--save-trace F --save-layout F]\n"
	  "           [--range S-E]\n"
	  "       follow --from TRACE --layout VMALLOCINFO [--release R]\n"
	  "           [--nodes N] [--pools on|off] [...]",
	  "Follow the running kernel's vmalloc (Linux 6.2+ tracepoints, root):\n"
	  "start from its /proc/vmallocinfo, model its whole vmalloc range on the\n"
	  "sim, and for each allocation it makes say where kvalab's lowest (with\n"
	  "6.9+'s per-node pools) would have put it from the same state, then\n"
	  "take the kernel's address. Prints every interval the agreement and a\n"
	  "line per policy (each runs the same requests on its own space): live\n"
	  "areas, used, pooled, lazy, largest free, ext_frag; at the end the\n"
	  "agreement, the misses by cause and the first misses (docs/follow.md).\n"
	  "Never writes to the kernel's allocator; needs no module. Its own\n"
	  "tracefs instance is removed on exit, Ctrl-C included.\n\n"
	  "  --seconds N       follow for N s (default 0: until Ctrl-C)\n"
	  "  --interval S      a line every S s (default 1; trace time offline)\n"
	  "  --policy LIST     policies whose lines are printed (default all)\n"
	  "  --json OUT        the figures, misses by cause and first misses\n"
	  "  --svg OUT         ext_frag and largest free over the events\n"
	  "  --map OUT         each space's busy, pooled and lazy ranges at the end\n"
	  "  --save-trace F    the events as read (to judge later with --from)\n"
	  "  --save-layout F   the vmallocinfo snapshot taken at the start\n"
	  "  --from TRACE      judge saved tracefs text instead of following\n"
	  "  --layout FILE     its starting /proc/vmallocinfo (real addresses)\n"
	  "  --nodes N         vmap nodes (default the possible CPUs, or the\n"
	  "                    trace's header or #P:)\n"
	  "  --release R       the kernel's release: pools from 6.9, their decay\n"
	  "                    as 6.16 changed it (default the trace's header)\n"
	  "  --pools on|off    6.9+'s per-node pools (default by the release)\n"
	  "  --range S-E       the vmalloc range, hex (default the events')\n"
	  "  -q, --quiet       no interval lines\n" },
	{ "scenario", cmd_scenario,
	  "scenario NAME|--list [--ops N] [--seed N] [--json OUT] [--sim]\n"
	  "           [-o TRACE [--slice-size N]] [--lazy-max PAGES]\n"
	  "           [--small PAGES] [--large PAGES]",
	  "Reproduce a reported vmalloc problem (docs/scenarios.md): generate\n"
	  "the scenario's trace for the loaded slice, replay it in the module\n"
	  "(VA only) once per configuration compared, print the comparison.\n"
	  "modules-area: every policy on a 16M modules area (needs slice_size\n"
	  ">= 16M; a larger slice is kept busy beyond 16M): which lasts longest\n"
	  "before ENOMEM, and the fragmentation then. aligned-search: the v5.2\n"
	  "padded search against the exact one (lowest). lazy-purge: purge\n"
	  "latency and size under a small and a large lazy_max_pages. Exits 1\n"
	  "if a check failed (or aligned-search did not reproduce).\n\n"
	  "  --list           the scenarios and their sources\n"
	  "  --sim            replay on the sim (kvalab sim), as when kvalab is\n"
	  "                   not loaded; --slice-size then sets the slice (16M)\n"
	  "  --ops N          trace length (modules-area 6000, lazy-purge 40000)\n"
	  "  --seed N         generator seed (default 1)\n"
	  "  --lazy-max PAGES modules-area's purge threshold (default 512)\n"
	  "  --small PAGES    lazy-purge's small threshold (default 32)\n"
	  "  --large PAGES    its large one (default a quarter of the slice)\n"
	  "  --json OUT       also write the comparison as JSON ('-': stdout)\n"
	  "  -o TRACE         write the trace to TRACE and stop (no replay)\n"
	  "  --slice-size N   with -o: the slice to generate for (no module)\n" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage_summary(FILE *f)
{
	size_t i;

	fputs("Usage: kvalab [--debugfs DIR] [--json] COMMAND [ARGS...]\n"
	      "       kvalab --help | --version\n\nCommands:\n", f);
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %s\n", commands[i].synopsis);
	fputs("\nGlobal options:\n"
	      "  --debugfs DIR    kvalab's debugfs directory (default $KVALAB_DEBUGFS,\n"
	      "                   else " KVALAB_DEBUGFS_DEFAULT ")\n"
	      "  --json           JSON output where a command supports it\n"
	      "  -h, --help       this help; 'kvalab COMMAND --help' for a command\n"
	      "  -V, --version    print the version\n", f);
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "debugfs", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *cmd;
	int c;

	/* '+': stop at the subcommand, its options are its own. */
	while ((c = sub_getopt(argc, argv, "+:hV", opts)) != -1) {
		switch (c) {
		case 'd':
			debugfs_set_dir(optarg);
			break;
		case 'j':
			opt_json = true;
			break;
		case 'h':
			usage_summary(stdout);
			return 0;
		case 'V':
			printf("kvalab %s\n", KVALAB_VERSION);
			return 0;
		case ':':
			return usage_error(NULL, "option '%s' requires an argument",
					   argv[optind - 1]);
		default:
			return usage_error(NULL, "unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		fputs("kvalab: no command given\n", stderr);
		usage_summary(stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argv[optind]);
	if (!cmd) {
		fprintf(stderr, "kvalab: unknown command '%s'\n", argv[optind]);
		usage_summary(stderr);
		return EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	optind = 0;
	return cmd->fn(cmd, argc, argv);
}
