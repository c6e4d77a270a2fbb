/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pictures of `kvalab sim` (simsvg.c): fragmentation over operations
 * from a replay_results listing (the module's, or the sim's, which writes
 * the same lines; docs/debugfs.md), a heatmap of one figure over a grid of
 * runs, and a standalone HTML page holding one of them. Plain C: no kernel
 * header, no struct of the rest of the CLI.
 *
 * Every function returns 0, or -1 with errno set: EINVAL when there is
 * nothing to draw (or an argument is NULL), ENOMEM, or EIO when @f reports
 * a write error. On an error nothing or a partial document may have been
 * written; the caller discards the output.
 */
#ifndef KVALAB_SIMSVG_H
#define KVALAB_SIMSVG_H

#include <stdbool.h>
#include <stdio.h>

/*
 * One SVG document: ext_frag (0..1) and largest_free (bytes) over the
 * operations, two panels side by side, one polyline per "result" of
 * @listing in each panel. A result's series are the "sample" lines that
 * follow it; it is labelled with its policy, or "policy/search" when the
 * listing holds that policy more than once (plus " #k" if that pair too
 * repeats). Results without samples are not drawn; malformed lines are
 * skipped. @title may be NULL (a default title). EINVAL: no usable sample
 * line.
 */
int simsvg_frag(FILE *f, const char *listing, const char *title);

/*
 * One SVG document: a @rows x @cols heatmap of @v (row-major). NAN (any
 * non-finite value) is "no value": a hatched grey cell labelled "-" (or
 * "inf"). Finite cells are labelled with their value (%.4g) and coloured
 * from min to max of the finite values, green for the good end, red for the
 * bad one: the low end when @lower_is_better. @figure names the value (the
 * subtitle and scale); labels may be NULL (then indexes). EINVAL: @rows or
 * @cols < 1, or @v NULL.
 */
int simsvg_heatmap(FILE *f, const char *title, const char *figure,
		   int rows, const char *const *row_labels,
		   int cols, const char *const *col_labels,
		   const double *v, bool lower_is_better);

/*
 * A standalone HTML page (no script, no external resource): <h1>@title</h1>,
 * @pre_text escaped in a <pre> (left out when NULL), then @svg_text inlined
 * from its <svg> element on (any <?xml ...?> prolog or comment before it is
 * dropped; left out when NULL). EINVAL: both NULL, or @svg_text holds no
 * <svg element.
 */
int simsvg_html(FILE *f, const char *title, const char *pre_text,
		const char *svg_text);

#endif /* KVALAB_SIMSVG_H */
