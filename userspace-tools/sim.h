/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvalab sim (sim.c) and its sweeps (sweep.c): the module's VA-only replay
 * without the module (sim_engine.h), for the CLI's commands.
 */
#ifndef KVALAB_SIM_H
#define KVALAB_SIM_H

#include <stdbool.h>
#include <stdio.h>

#include "sim_engine.h"

/* What to run a trace under: every policy and search in the masks. */
struct sim_opts {
	unsigned int policies;		/* bit per policy; 0: lowest */
	unsigned int searches;		/* bit per search mode; 0: exact */
	unsigned long lazy_max_pages;	/* 0: the module's default */
	unsigned long slice_size;	/* 0: the trace's */
	unsigned long base_align;	/* 0: the module's guarantee */
	unsigned int samples;		/* 0: 100 */
	bool va_pools;
	FILE *log;			/* placement log, or NULL */
};

/*
 * Run @text (a trace, @name for messages) under @o and return what the
 * module's replay_results listing would say after `replay start`: the
 * state, trace and slice lines, then a result (and its samples) per
 * search mode and policy. NULL after a message.
 */
char *sim_listing(const char *name, const char *text, size_t len,
		  const struct sim_opts *o);

/*
 * The options of a `replay start` command line ("policy=all va_only
 * lazy_max_pages=512 search=padded samples=N") as sim_opts, for the
 * scenarios when they run on the sim. 0, or -1 after a message.
 */
int sim_opts_from_replay(const char *line, struct sim_opts *o);

/* A policy list ("all", or names separated by commas) as a mask; -1: bad. */
long sim_parse_policies(const char *list);
/* A search list ("all", "exact", "padded", "exact,padded"); -1: bad. */
long sim_parse_searches(const char *list);

struct command;
/* --policy LIST and --search LIST as masks: 0, or usage_error()'s status. */
int sim_policy_opt(const struct command *cmd, const char *arg,
		   unsigned int *mask);
int sim_search_opt(const struct command *cmd, const char *arg,
		   unsigned int *mask);

/* sweep.c: kvalab sim TRACE --sweep AXIS=V,... [...] */
struct sweep_out {
	const char *json, *csv, *svg, *html;
	const char *figure;		/* heatmap's: ops, ext_frag, enomem */
	unsigned int jobs;
	unsigned int samples;
	unsigned long base_align;
	bool va_pools;
};

int sim_sweep(const char *name, const char *text, size_t len,
	      char **specs, int nr_specs, const struct sweep_out *o);

#endif
