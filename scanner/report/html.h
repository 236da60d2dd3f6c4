/*
 * html.h - pieces of the HTML report (w_html.c) that live in files of their own:
 * the escaping every piece uses, the lineage picture and list (html_lineage.c),
 * the inventory dashboard (html_dash.c) and the page's one inline script
 * (html_script.c). Private to the HTML writer.
 *
 * Everything a model repository supplies goes through html_esc(): HTML entities
 * for & < > " ' and report_char()'s replacements for control characters and
 * bidirectional overrides; the same escaping is valid inside the inline SVG.
 */
#ifndef LT_REPORT_HTML_H
#define LT_REPORT_HTML_H

#include <stddef.h>

struct buf;
struct model_report;
struct summary;

void html_esc(struct buf *b, const char *s);
/* html_esc() of at most max characters (code points), "…" when cut. */
void html_esc_trunc(struct buf *b, const char *s, size_t max);

/* The lineage of m as an SVG picture that fits the page (wide levels wrap into
 * rows; three or more siblings with the same license, status and child become
 * one box, listed in an open <details> the script folds), then as nested lists.
 * k numbers the model on the page (unique ids). */
void html_lineage(struct buf *b, const struct model_report *m, size_t k);

/* The inventory dashboard (html_dash.c, more than one model): the headline in
 * plain words (an <h1>); the counts by verdict, s's tables and the head of the
 * table of models (its rows follow, then "</tbody></table></section>"); and
 * model k's row of that table. */
void html_dash_headline(struct buf *t, struct summary *s);
void html_dash_summary(struct buf *t, struct summary *s);
void html_dash_row(struct buf *b, const struct model_report *m, size_t k, const size_t cnt[3]);

/* The page's inline script and its CSP source expression ("'sha256-...'"). */
extern const char html_script[];
void html_script_hash(char *out, size_t size);

#endif
