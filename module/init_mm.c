// SPDX-License-Identifier: GPL-2.0
/*
 * The address of init_mm: the one non-exported kernel object kvalab needs.
 *
 * apply_to_page_range() picks kernel page-table allocation and locking by
 * comparing its mm argument with &init_mm, so kernel addresses must be
 * mapped with the real init_mm. Modules cannot link to it. Its address is
 * taken from the init_mm_addr parameter (the CLI fills it from
 * /proc/kallsyms) or read from /proc/kallsyms here, with the credentials of
 * the task loading the module. Either way it is validated before use:
 * sprint_symbol() must name exactly "init_mm+0x0/...". Nothing at that
 * address is ever called; only exported functions are called anywhere.
 */
#include <linux/fs.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/mm_types.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "init_mm.h"

static unsigned long init_mm_addr;
module_param(init_mm_addr, ulong, 0400);
MODULE_PARM_DESC(init_mm_addr,
		 "Address of init_mm (from /proc/kallsyms); read there if 0");

#define KALLSYMS_CHUNK	(64 * 1024)

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
 * Scan one complete kallsyms line ("ffffffff82a1b2c0 D init_mm") and return
 * the address if it names init_mm, else 0.
 */
static unsigned long parse_line(char *line)
{
	char *sp1 = strchr(line, ' ');
	char *sp2;
	unsigned long addr;

	if (!sp1 || !sp1[1] || sp1[2] != ' ')
		return 0;
	sp2 = sp1 + 2;
	if (strcmp(sp2 + 1, "init_mm"))
		return 0;
	*sp1 = '\0';
	if (kstrtoul(line, 16, &addr))
		return 0;
	return addr;
}

static unsigned long read_kallsyms(void)
{
	struct file *f;
	char *buf;
	size_t have = 0;
	loff_t pos = 0;
	unsigned long found = 0;

	f = filp_open("/proc/kallsyms", O_RDONLY, 0);
	if (IS_ERR(f))
		return 0;
	buf = kmalloc(KALLSYMS_CHUNK + 1, GFP_KERNEL);
	if (!buf)
		goto out_close;

	/* Invariant: buf[0..have) holds the start of an incomplete line. */
	while (!found) {
		ssize_t n = kernel_read(f, buf + have, KALLSYMS_CHUNK - have,
					&pos);
		char *line = buf, *nl;

		if (n <= 0)
			break;
		have += n;
		buf[have] = '\0';
		while (!found && (nl = memchr(line, '\n',
					      buf + have - line))) {
			*nl = '\0';
			found = parse_line(line);
			line = nl + 1;
		}
		have = buf + have - line;
		memmove(buf, line, have);
		if (have == KALLSYMS_CHUNK)
			break;	/* a line this long is not kallsyms */
	}
	kfree(buf);
out_close:
	filp_close(f, NULL);
	return found;
}

struct mm_struct *kvalab_find_init_mm(void)
{
	unsigned long addr = init_mm_addr;

	if (addr) {
		if (is_init_mm(addr))
			return (struct mm_struct *)addr;
		pr_err("init_mm_addr=0x%lx is not init_mm; refusing to use it\n",
		       addr);
		return NULL;
	}
	addr = read_kallsyms();
	if (is_init_mm(addr))
		return (struct mm_struct *)addr;
	if (!addr)
		pr_err("init_mm not found in /proc/kallsyms (kptr_restrict=2 or lockdown?); pass init_mm_addr=\n");
	else
		pr_err("/proc/kallsyms gave 0x%lx for init_mm, which does not validate; refusing it\n",
		       addr);
	return NULL;
}
