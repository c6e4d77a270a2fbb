// SPDX-License-Identifier: GPL-2.0
/*
 * load, unload, status through libkmod. libkmod returns -errno; each errno
 * the kernel gives for a known reason is turned into that reason in words
 * (observed on 6.1: bad parameter value -EINVAL, second insert -EEXIST,
 * remove with an open debugfs file -EAGAIN, remove when absent -ENOENT;
 * on 6.1 and 6.12: an unsigned module under module.sig_enforce=1
 * -EKEYREJECTED, under lockdown=integrity -EPERM, see lockdown.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <libkmod.h>

#include <kvalab/lex.h>
#include <kvalab/slice.h>

#include "cli.h"
#include "lockdown.h"

#define MODULE_NAME "kvalab"

/* @with_config: the installed modules are looked up (modules.dep). */
static struct kmod_ctx *kmod_open(const char *what, bool with_config)
{
	const char *null_config = NULL;
	struct kmod_ctx *ctx = kmod_new(NULL, with_config ? NULL : &null_config);

	if (!ctx) {
		msg_err("%s: cannot create a libkmod context", what);
		return NULL;
	}
	/*
	 * libkmod's own error lines would repeat our messages in other words;
	 * its KMOD_LOG variable (e.g. KMOD_LOG=debug) brings them back.
	 */
	if (!getenv("KMOD_LOG"))
		kmod_set_log_priority(ctx, LOG_EMERG);
	return ctx;
}

/* The loaded module's initstate (KMOD_MODULE_*), or -ENOENT if absent. */
static int module_state(struct kmod_ctx *ctx, struct kmod_module **modp)
{
	int err = kmod_module_new_from_name(ctx, MODULE_NAME, modp);

	if (err < 0)
		return err;
	return kmod_module_get_initstate(*modp);
}

/* The installed module for the running kernel, found by name (modules.dep). */
static struct kmod_module *lookup_installed(struct kmod_ctx *ctx)
{
	struct kmod_list *list = NULL, *l;
	struct kmod_module *found = NULL;

	if (kmod_module_new_from_lookup(ctx, MODULE_NAME, &list) < 0 || !list)
		return NULL;
	kmod_list_foreach(l, list) {
		struct kmod_module *mod = kmod_module_get_module(l);

		if (!found && kmod_module_get_path(mod))
			found = kmod_module_ref(mod);
		kmod_module_unref(mod);
	}
	kmod_module_unref_list(list);
	return found;
}

/*
 * "unsigned" or "signed by 'SIGNER'": the module file's signature as libkmod
 * reads it (the appended PKCS#7 block; same as modinfo -F signer).
 */
static void describe_signature(struct kmod_module *mod, char *out, size_t size)
{
	struct kmod_list *info = NULL, *l;
	const char *signer = NULL;

	snprintf(out, size, "unsigned");
	if (!mod || kmod_module_get_info(mod, &info) < 0)
		return;
	kmod_list_foreach(l, info) {
		if (!strcmp(kmod_module_info_get_key(l), "signer"))
			signer = kmod_module_info_get_value(l);
	}
	if (signer)
		snprintf(out, size, "signed by '%s', a key this kernel does not trust",
			 signer);
	kmod_module_info_free_list(info);
}

/*
 * The module was refused for its signature (EKEYREJECTED under sig_enforce,
 * EPERM under lockdown; kernel/module/signing.c, module_sig_check()). Returns
 * false if neither state explains @err.
 */
static bool signature_error(int err, struct kmod_module *mod, const char *path)
{
	char mode[32], sig[256];
	int enforce = sig_enforced();
	bool locked = locked_down(mode, sizeof(mode));

	describe_signature(mod, sig, sizeof(sig));
	if (err == EKEYREJECTED && enforce == 1) {
		msg_err("load: the kernel enforces module signatures (module.sig_enforce=1): it loads only modules signed with a key it trusts, and %s is %s. Sign it (DKMS signs with /var/lib/dkms/mok.key) and enrol the key with mokutil --import, or boot without module.sig_enforce=1: see %s (EKEYREJECTED)",
			path, sig, SECURE_BOOT_DOC);
		return true;
	}
	if (err == EPERM && locked) {
		msg_err("load: the kernel is locked down (lockdown: %s): it loads only modules signed with a key it trusts, and %s is %s. Sign it (DKMS signs with /var/lib/dkms/mok.key) and enrol the key with mokutil --import: see %s (EPERM)",
			mode, path, sig, SECURE_BOOT_DOC);
		return true;
	}
	if (err == EKEYREJECTED || err == EBADMSG) {
		msg_err("load: the kernel rejected the signature of %s (%s): re-sign it with a key the kernel trusts, see %s (%s)",
			path, sig, SECURE_BOOT_DOC,
			err == EBADMSG ? "EBADMSG" : "EKEYREJECTED");
		return true;
	}
	return false;
}

/* EPERM as root, not explained by lockdown: say what else we can see. */
static void eperm_as_root(const char *path)
{
	char line[8] = "";
	FILE *f = fopen("/proc/sys/kernel/modules_disabled", "r");

	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	if (line[0] == '1') {
		msg_err("load: module loading is disabled until reboot (kernel.modules_disabled=1) (EPERM)");
		return;
	}
	msg_err("load: the kernel refused %s although we run as root (EPERM); %s (see dmesg and %s)",
		path,
		access(LOCKDOWN_FILE, R_OK) ?
		"its lockdown state is unknown: " LOCKDOWN_FILE " is not readable (is securityfs mounted?)" :
		"it is not locked down and does not enforce signatures, so a security module (LSM) policy may forbid it",
		SECURE_BOOT_DOC);
}

static int insert_error(int err, struct kmod_module *mod, const char *path,
			const char *params)
{
	if (signature_error(err, mod, path))
		return 1;
	switch (err) {
	case ENOENT:
		msg_err("load: module file not found: %s (ENOENT)", path);
		break;
	case EEXIST:
		msg_err("load: kvalab is already loaded (EEXIST)");
		break;
	case EINVAL:
		if (*params)
			msg_err("load: the kernel refused a parameter (see dmesg): %s (EINVAL)",
				params);
		else
			msg_err("load: the kernel refused the module (see dmesg) (EINVAL)");
		break;
	case EPERM:
	case EACCES:
		if (err == EPERM && geteuid() == 0)
			eperm_as_root(path);
		else
			msg_err("load: permission denied (run as root) (%s)",
				errno_name(err));
		break;
	case ENOEXEC:
		msg_err("load: %s is not a module for kernel %s (see dmesg) (ENOEXEC)",
			path, kernel_release());
		break;
	case ENOSYS:
		msg_err("load: this kernel cannot load modules (ENOSYS)");
		break;
	default:
		msg_err("load: insert failed: %s (%s)", strerror(err),
			errno_name(err));
		break;
	}
	return 1;
}

/*
 * The parameters handed to the kernel: the user's @params, plus init_mm_addr=
 * from /proc/kallsyms. The module finds init_mm itself, but kallsyms is the
 * faster and surer source when root can read it (the module still validates
 * the address). Not added when the user gave one, or when kallsyms hides
 * addresses (kptr_restrict=2 prints zeros). Messages show only @params.
 */
static void kernel_params(const char *params, char *out, size_t size)
{
	char line[256], addr[32], type[8], name[128];
	FILE *f;

	snprintf(out, size, "%s", params);
	if (strstr(params, "init_mm_addr="))
		return;
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%31s %7s %127s", addr, type, name) != 3 ||
		    strcmp(name, "init_mm"))
			continue;
		if (strspn(addr, "0") != strlen(addr))
			snprintf(out + strlen(out), size - strlen(out),
				 "%sinit_mm_addr=0x%s", *params ? " " : "", addr);
		break;
	}
	fclose(f);
}

/*
 * A slice size the module would refuse, refused here first with the
 * module's own size parser (lex.h) and minimum, so the user reads why
 * instead of "the kernel refused a parameter". Returns 0 or EXIT_USAGE.
 */
static int check_slice(const struct command *cmd, const char *val)
{
	char why[256];
	struct kvalab_lex lx = { .err = why, .errlen = sizeof(why) };
	unsigned long v = 0;

	if (kvalab_lex_size(&lx, "slice size", val, &v))
		return usage_error(cmd, "%s", why);
	if (v < KVALAB_SLICE_MIN)
		return usage_error(cmd, "slice size '%s' is below the module's minimum of 1M",
				   val);
	return 0;
}

int cmd_load(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "slice", required_argument, NULL, 's' },
		{ "module", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *module = NULL, *slice = NULL, *env = getenv("KVALAB_KO");
	char params[1024] = "", kparams[sizeof(params) + 64];
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx;
	const char *path;
	size_t used = 0;
	int c, err, i;

	while ((c = sub_getopt(argc, argv, ":h", opts)) != -1) {
		switch (c) {
		case 's':
			slice = optarg;
			break;
		case 'm':
			module = optarg;
			break;
		case 'h':
			return print_help(cmd);
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (slice && !is_word(slice))
		return usage_error(cmd, "invalid slice size '%s'", slice);
	if (slice && check_slice(cmd, slice))
		return EXIT_USAGE;
	if (slice)
		used += (size_t)snprintf(params, sizeof(params), "slice_size=%s",
					 slice);
	for (i = optind; i < argc; i++) {
		if (!strchr(argv[i], '=') || argv[i][0] == '=' || !is_word(argv[i]))
			return usage_error(cmd, "expected PARAM=VALUE, got '%s'",
					   argv[i]);
		if (!strncmp(argv[i], "slice_size=", 11) &&
		    check_slice(cmd, argv[i] + 11))
			return EXIT_USAGE;
		if (used + strlen(argv[i]) + 2 > sizeof(params))
			return usage_error(cmd, "too many parameters");
		used += (size_t)snprintf(params + used, sizeof(params) - used,
					 "%s%s", used ? " " : "", argv[i]);
	}
	if (!module && env && *env)
		module = env;
	kernel_params(params, kparams, sizeof(kparams));

	ctx = kmod_open("load", !module);
	if (!ctx)
		return 1;
	if (module) {
		if (access(module, F_OK)) {
			kmod_unref(ctx);
			msg_err("load: module file not found: %s", module);
			return 1;
		}
		err = kmod_module_new_from_path(ctx, module, &mod);
		if (err < 0) {
			kmod_unref(ctx);
			return insert_error(-err, NULL, module, params);
		}
	} else {
		char fallback[512];

		mod = lookup_installed(ctx);
		snprintf(fallback, sizeof(fallback), "build/%s/kvalab.ko",
			 kernel_release());
		if (!mod && !access(fallback, F_OK) &&
		    kmod_module_new_from_path(ctx, fallback, &mod) < 0)
			mod = NULL;
		if (!mod) {
			kmod_unref(ctx);
			msg_err("load: kvalab is not installed for kernel %s and no --module given (nor $KVALAB_KO, nor ./%s)",
				kernel_release(), fallback);
			return 1;
		}
	}
	path = kmod_module_get_path(mod);
	err = kmod_module_insert_module(mod, 0, kparams);
	if (err < 0)
		err = insert_error(-err, mod, path ? path : "?", params);
	else
		printf("loaded %s%s%s\n", path ? path : MODULE_NAME,
		       *params ? " " : "", params);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return err;
}

int cmd_unload(const struct command *cmd, int argc, char **argv)
{
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx;
	int err = simple_opts(cmd, argc, argv, false, 0);

	if (err)
		return err < 0 ? 0 : err;
	ctx = kmod_open("unload", false);
	if (!ctx)
		return 1;
	/*
	 * Asked first: a kernel that cannot unload modules says ENOSYS even
	 * for one that is not loaded.
	 */
	err = module_state(ctx, &mod);
	if (err >= 0)
		err = kmod_module_remove_module(mod, 0);
	if (mod)
		kmod_module_unref(mod);
	kmod_unref(ctx);
	switch (-err) {
	case 0:
		printf("unloaded kvalab\n");
		return 0;
	case EAGAIN:
	case EBUSY:
		msg_err("unload: kvalab is in use (a debugfs file is held open); close it and retry (%s)",
			errno_name(-err));
		break;
	case ENOENT:
		msg_err("unload: kvalab is not loaded (ENOENT)");
		break;
	case EPERM:
		msg_err("unload: permission denied (run as root) (EPERM)");
		break;
	case ENOSYS:
		msg_err("unload: this kernel cannot remove modules (ENOSYS)");
		break;
	default:
		msg_err("unload: remove failed: %s (%s)", strerror(-err),
			errno_name(-err));
		break;
	}
	return 1;
}

/* The stats shown by status, when debugfs can be read. */
static const char *const status_stats[] = {
	"slice_size", "nr_busy", "nr_free", "used_bytes",
};

int cmd_status(const struct command *cmd, int argc, char **argv)
{
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	char *stats = NULL;
	int err = simple_opts(cmd, argc, argv, true, 0);
	int state, refcnt;
	size_t i;

	if (err)
		return err < 0 ? 0 : err;
	ctx = kmod_open("status", false);
	if (!ctx)
		return 1;
	mod = NULL;
	state = module_state(ctx, &mod);
	refcnt = state >= 0 ? kmod_module_get_refcnt(mod) : -1;
	if (mod)
		kmod_module_unref(mod);
	kmod_unref(ctx);

	if (state >= 0)
		stats = debugfs_read("stats", NULL);
	if (opt_json) {
		printf("{\"loaded\":%s", state >= 0 ? "true" : "false");
		if (state >= 0) {
			printf(",\"state\":");
			json_string(stdout, kmod_module_initstate_str(state));
			printf(",\"refcnt\":%d,\"debugfs\":", refcnt);
			json_string(stdout, debugfs_dir());
		}
		for (i = 0; stats && i < sizeof(status_stats) / sizeof(status_stats[0]); i++) {
			char val[128];

			if (!stats_lookup(stats, status_stats[i], val, sizeof(val)))
				continue;
			putchar(',');
			json_string(stdout, status_stats[i]);
			putchar(':');
			json_auto_value(stdout, val);
		}
		printf("}\n");
	} else if (state < 0) {
		printf("kvalab: not loaded\n");
	} else {
		printf("kvalab: loaded (%s), refcnt %d\n",
		       kmod_module_initstate_str(state), refcnt);
		if (!stats)
			printf("debugfs: %s: %s\n", debugfs_dir(), strerror(errno));
		for (i = 0; stats && i < sizeof(status_stats) / sizeof(status_stats[0]); i++) {
			char val[128];

			if (stats_lookup(stats, status_stats[i], val, sizeof(val)))
				printf("%s: %s\n", status_stats[i], val);
		}
	}
	free(stats);
	return state >= 0 ? 0 : 1;
}
