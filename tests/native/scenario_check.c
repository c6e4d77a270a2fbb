// SPDX-License-Identifier: GPL-2.0
/*
 * Replay a kvalab trace on the userspace build of the allocator core, the
 * way module/replay.c does (VA only): for tests/native/cli/scenario.bats,
 * which checks that the scenario traces have the properties
 * docs/scenarios.md claims, and for aligned-search at every possible
 * misalignment of the slice start (--offset).
 *
 *   scenario_check TRACE [--policy NAME] [--search exact|padded]
 *                        [--offset PAGES] [--lazy-max PAGES]
 *
 * Semantics as in the module: SIZE rounded up to pages plus a guard page
 * unless noguard; `f` is a lazy free (busy -> lazy tree); a purge moves the
 * lazy areas to the free tree in address order; it happens at `p`, when
 * the lazy pages exceed --lazy-max (default: never), and once before a
 * failed allocation is retried. Prints one line of key=value results; exit
 * 1 on a malformed trace or a failed kva_check().
 */
#include "../../module/core.c"

#include <kvalab/trace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A slice base aligned to 1 TiB, as in test_core. */
#define BASE	0xffffc90000000000UL

static struct kva_space s;
static struct kva_area *preload;
static struct kva_area **map;
static unsigned long lazy_max, purges, purge_pages_max, purge_areas_max;

static struct kva_area *new_area(void)
{
	struct kva_area *va = calloc(1, sizeof(*va));

	if (!va)
		abort();
	return va;
}

static void release(struct list_head *unused)
{
	struct kva_area *va, *n;

	list_for_each_entry_safe(va, n, unused, list) {
		list_del(&va->list);
		free(va);
	}
}

static void purge(void)
{
	LIST_HEAD(list);
	LIST_HEAD(unused);
	unsigned long start, end, nr, pages = 0;
	struct kva_area *va, *n;

	nr = kva_lazy_take(&s, &list, &start, &end);
	if (!nr)
		return;
	list_for_each_entry_safe(va, n, &list, list) {
		list_del(&va->list);
		pages += kva_size(va) / PAGE_SIZE;
		kva_free_insert(&s, va, &unused);
	}
	release(&unused);
	purges++;
	if (pages > purge_pages_max)
		purge_pages_max = pages;
	if (nr > purge_areas_max)
		purge_areas_max = nr;
}

static int try_alloc(struct kva_area *va, unsigned long size,
		     unsigned long align)
{
	LIST_HEAD(unused);
	int err;

	if (!preload)
		preload = new_area();
	err = kva_alloc(&s, va, size, align, &preload, &unused, NULL);
	release(&unused);
	return err;
}

static bool is_live(void *ctx, unsigned int id)
{
	(void)ctx;
	return map && map[id];
}

int main(int argc, char **argv)
{
	unsigned long offset = 0, allocs_ok = 0, enomem = 0, fail_line = 0;
	unsigned long fail_size = 0, largest_then = 0, free_then = 0;
	enum kva_policy_id policy = KVA_POLICY_LOWEST;
	char line[512], why[KVA_TRACE_ERR_MAX], msg[KVA_TRACE_MSG_MAX];
	struct kva_trace_parser p;
	struct kva_trace_op op;
	int i, search = KVA_SEARCH_EXACT;
	FILE *f;

	if (argc < 2)
		goto usage;
	for (i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--policy"))
			policy = kva_policy_by_name(argv[i + 1], strlen(argv[i + 1]));
		else if (!strcmp(argv[i], "--search"))
			search = kvalab_name_index(kva_search_names, KVA_NR_SEARCH,
						   argv[i + 1], strlen(argv[i + 1]));
		else if (!strcmp(argv[i], "--offset"))
			offset = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--lazy-max"))
			lazy_max = strtoul(argv[i + 1], NULL, 0);
		else
			goto usage;
	}
	if (i != argc || (int)policy < 0 || search < 0)
		goto usage;
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	kva_trace_parser_init(&p, PAGE_SIZE, is_live, NULL);
	while (fgets(line, sizeof(line), f)) {
		struct kva_area *va;
		unsigned long size;

		if (kva_trace_parse_line(&p, line, strlen(line), &op, why,
					 sizeof(why))) {
			fprintf(stderr, "%s: %s\n", argv[1],
				kva_trace_format_error(&p, why, msg, sizeof(msg)));
			return 1;
		}
		switch (op.kind) {
		case KVA_TRACE_HEADER:
			map = calloc(p.hdr.nr_ids ? p.hdr.nr_ids : 1 << 20,
				     sizeof(*map));
			if (!map || kva_space_init(&s, BASE + offset * PAGE_SIZE,
						   BASE + offset * PAGE_SIZE +
						   p.hdr.slice_size, new_area()))
				return 1;
			if (kva_set_policy(&s, policy))
				return 1;
			s.search = search;
			break;
		case KVA_TRACE_ALLOC:
			size = ALIGN(op.size, PAGE_SIZE) +
			       ((op.flags & KVA_TRACE_F_NOGUARD) ? 0 : PAGE_SIZE);
			va = new_area();
			if (try_alloc(va, size, op.align ? op.align : PAGE_SIZE)) {
				purge();
				if (try_alloc(va, size, op.align ? op.align :
					      PAGE_SIZE)) {
					free(va);
					enomem++;
					if (!fail_line) {
						fail_line = p.line_nr;
						fail_size = size;
						largest_then = kva_largest_free(&s);
						free_then = s.free_bytes;
					}
					/* As the module: the id is live, its free skipped. */
					map[op.id] = (struct kva_area *)1;
					break;
				}
			}
			kva_busy_insert(&s, va);
			map[op.id] = va;
			allocs_ok++;
			break;
		case KVA_TRACE_FREE:
			va = map[op.id];
			map[op.id] = NULL;
			if (va == (struct kva_area *)1)
				break;
			kva_busy_unlink(&s, va);
			kva_lazy_insert(&s, va);
			if (lazy_max && s.lazy_bytes / PAGE_SIZE > lazy_max)
				purge();
			break;
		case KVA_TRACE_PURGE:
			purge();
			break;
		default:
			break;
		}
	}
	fclose(f);
	if (!map) {
		fprintf(stderr, "%s: no header\n", argv[1]);
		return 1;
	}
	purge();
	printf("allocs_ok=%lu enomem=%lu first_fail_line=%lu first_fail_size=%lu largest_then=%lu free_then=%lu purges=%lu purge_areas_max=%lu purge_pages_max=%lu",
	       allocs_ok, enomem, fail_line, fail_size, largest_then, free_then,
	       purges, purge_areas_max, purge_pages_max);
	if (kva_check(&s, msg, sizeof(msg))) {
		printf(" check=failed: %s\n", msg);
		return 1;
	}
	printf(" check=ok\n");
	return 0;
usage:
	fprintf(stderr, "usage: scenario_check TRACE [--policy NAME] [--search exact|padded] [--offset PAGES] [--lazy-max PAGES]\n");
	return 2;
}
