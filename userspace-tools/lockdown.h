/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvalab CLI: kernel lockdown and module signature enforcement, read from
 * securityfs and sysfs (lockdown.c). kvalab_lockdown_hint() is declared in
 * cli.h for the debugfs code; module.c also needs the details below.
 */
#ifndef KVALAB_LOCKDOWN_H
#define KVALAB_LOCKDOWN_H

#include <stdbool.h>
#include <stddef.h>

/* Where the kernel shows them; the docs for signing a module. */
#define LOCKDOWN_FILE		"/sys/kernel/security/lockdown"
#define SIG_ENFORCE_FILE	"/sys/module/module/parameters/sig_enforce"
#define SECURE_BOOT_DOC		"docs/secure-boot.md"

/*
 * The active lockdown mode ("none", "integrity", "confidentiality"): the
 * bracketed word of LOCKDOWN_FILE. False, with @mode empty, when the file
 * cannot be read (no lockdown LSM, or securityfs not mounted).
 */
bool lockdown_mode(char *mode, size_t size);

/* Locked down at all: the mode is known and is not "none". */
bool locked_down(char *mode, size_t size);

/* 1 if SIG_ENFORCE_FILE says Y, 0 if N, -1 if it cannot be read. */
int sig_enforced(void);

#endif /* KVALAB_LOCKDOWN_H */
