// SPDX-License-Identifier: GPL-2.0
/*
 * The address of init_mm: the one non-exported kernel object kvalab needs.
 *
 * apply_to_page_range() picks kernel page-table allocation and locking by
 * comparing its mm argument with &init_mm, so kernel addresses must be
 * mapped with the real init_mm. Modules cannot link to it. Its address comes
 * from the init_mm_addr parameter (the CLI fills it from /proc/kallsyms),
 * or else is found by walking kallsyms symbol by symbol with sprint_symbol()
 * ("name+off/size" gives each symbol's start and the next one's) outward
 * from init_task, an exported object in the same .data section. Either way
 * it is validated before use: sprint_symbol() must name exactly
 * "init_mm+0x0/...". Nothing at that address is ever called; only exported
 * functions are called anywhere: Debian's 6.12 is built with IBT, which
 * seals non-exported functions against indirect calls (docs/design.md).
 */

#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/mm_types.h>
#include <linux/module.h>
#include <linux/sched/task.h>
#include <linux/string.h>

#include "init_mm.h"

static unsigned long init_mm_addr;
module_param(init_mm_addr, ulong, 0400);
MODULE_PARM_DESC(init_mm_addr,
		 "Address of init_mm (from /proc/kallsyms); read there if 0");

/* Symbols to visit on each side of init_task before giving up. */
#define WALK_MAX_STEPS	200000

/* True if @addr is exactly the start of the symbol init_mm. */
static bool is_init_mm(unsigned long addr)
{
	char name[KSYM_SYMBOL_LEN];

	if (!addr)
		return false;
	sprint_symbol(name, addr);
	return !strncmp(name, "init_mm+0x0/", strlen("init_mm+0x0/"));
}

/*
 * Split sprint_symbol()'s "name+0xoff/0xsize" for @addr. Returns false for
 * anything else: no symbol, or a module symbol ("... [mod]"), which means
 * the walk left the kernel image.
 */
static bool symbol_at(unsigned long addr, char *name, unsigned long *off,
		      unsigned long *size)
{
	char *plus, *slash;

	sprint_symbol(name, addr);
	if (strchr(name, ' '))
		return false;
	plus = strrchr(name, '+');
	slash = plus ? strchr(plus, '/') : NULL;
	if (!plus || !slash)
		return false;
	*plus = '\0';
	*slash = '\0';
	if (kstrtoul(plus + 1, 16, off) || kstrtoul(slash + 1, 16, size) ||
	    !*size)
		return false;
	return true;
}

/* Visit symbols from @addr upwards (@up) or downwards looking for init_mm. */
static unsigned long walk(unsigned long addr, bool up, unsigned long *steps)
{
	char name[KSYM_SYMBOL_LEN];
	unsigned long off, size;

	for (*steps = 0; *steps < WALK_MAX_STEPS; (*steps)++) {
		if (!symbol_at(addr, name, &off, &size))
			return 0;
		if (!strcmp(name, "init_mm"))
			return addr - off;
		addr = up ? addr - off + size : addr - off - 1;
	}
	return 0;
}

struct mm_struct *kvalab_find_init_mm(void)
{
	unsigned long addr = init_mm_addr, up = 0, down = 0;

	if (addr) {
		if (is_init_mm(addr))
			return (struct mm_struct *)addr;
		pr_err("init_mm_addr=0x%lx is not init_mm; refusing to use it\n",
		       addr);
		return NULL;
	}
	addr = walk((unsigned long)&init_task, true, &up);
	if (!addr)
		addr = walk((unsigned long)&init_task, false, &down);
	if (is_init_mm(addr)) {
		pr_debug("init_mm found %lu symbols up, %lu down from init_task\n",
			 up, down);
		return (struct mm_struct *)addr;
	}
	pr_err("init_mm not found within %d symbols of init_task; pass init_mm_addr= (from /proc/kallsyms)\n",
	       WALK_MAX_STEPS);
	return NULL;
}
