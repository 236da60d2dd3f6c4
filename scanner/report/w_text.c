/*
 * w_text.c - the human report: for each model the verdict, the lineage as a tree
 * with the license at each node, the licenses with their evidence, the
 * obligations, then the findings (what, where, why, how to fix). Written for a
 * legal reader; colours only on a terminal and never with NO_COLOR. With more
 * than one model, the inventory's summary (summary.h) ends the report, just
 * before the overall verdict (the report is streamed).
 */
#include "report.h"
#include "findings/datasets.h"
#include "lineage/datasets.h"
#include "aiact_view.h"
#include "assessment.h"
#include "summary.h"
#include "core/str.h"
#include "record/record.h"

#include <stdlib.h>
#include <string.h>

struct text {
	int first;
	struct summary *sum; /* printed at the end, before the overall verdict */
};

static const char *col(const struct report_ctx *c, const char *code)
{
	return c->color ? code : "";
}

#define RESET(c) col(c, "\033[0m")
#define BOLD(c) col(c, "\033[1m")

static const char *verdict_colour(const struct report_ctx *c, enum verdict v)
{
	switch (v) {
	case VERDICT_PASS: return col(c, "\033[32m");
	case VERDICT_REVIEW: return col(c, "\033[33m");
	case VERDICT_INCOMPLETE: return col(c, "\033[35m");
	case VERDICT_FAIL: return col(c, "\033[31m");
	}
	return "";
}

static int t_begin(struct report_writer *w, const struct report_ctx *ctx)
{
	struct text *t = calloc(1, sizeof(*t));
	w->ctx = ctx;
	w->impl = t;
	if (!t)
		return -1;
	t->sum = summary_new(ctx->db); /* NULL: no summary */
	t->first = 1;
	return 0;
}

static void where(FILE *o, const char *file, int line)
{
	if (file && *file && line > 0)
		fprintf(o, "%s:%d", file, line);
	else if (file && *file)
		fprintf(o, "%s", file);
	else
		fprintf(o, "-");
}

/* Tree of ancestors. A node's subtree is drawn once; meeting it again prints
 * "(see above)", so graphs with many shared ancestors stay linear in size. An
 * edge that closes a cycle is marked and not followed. */
struct seen {
	const struct lnode **v;
	size_t n, cap;
};

static int seen_add(struct seen *s, const struct lnode *n)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == n)
			return 0;
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 32;
		const struct lnode **p = realloc(s->v, nc * sizeof(*p));
		if (!p)
			return 0;
		s->v = p;
		s->cap = nc;
	}
	s->v[s->n++] = n;
	return 1;
}

static void tree(FILE *o, const struct report_ctx *c, const struct lnode *n, const struct ledge *via,
		 const char *prefix, int last, int depth, struct seen *seen)
{
	char *lics = report_node_licenses(n);
	char *np;
	int cyc = via && via->closes_cycle, first;

	if (depth == 0) {
		fprintf(o, "  %s%s%s  [%s]\n", BOLD(c), n->id, RESET(c), lics ? lics : "?");
	} else {
		fprintf(o, "  %s%s %s%s ", prefix, last ? "`--" : "|--",
			via->p && via->p->relation ? via->p->relation : "parent",
			via->p && via->p->inferred ? " (inferred)" : "");
		fprintf(o, "%s%s%s  [%s]", BOLD(c), n->id, RESET(c), lics ? lics : "?");
	}
	free(lics);
	if (cyc) {
		fprintf(o, "  <- cycle: already in this chain\n");
		return;
	}
	first = seen_add(seen, n);
	if (depth > 0)
		fprintf(o, "%s\n", !first && n->nparents ? "  (see above)" : "");
	if (!first)
		return;
	np = lt_asprintf("%s%s", prefix, depth == 0 ? "" : (last ? "    " : "|   "));
	if (!np)
		return;
	for (size_t i = 0; i < n->nparents; i++)
		tree(o, c, n->parents[i].to, &n->parents[i], np, i + 1 == n->nparents, depth + 1, seen);
	if (!n->nparents && n->rec && n->rec->nparents && !n->expanded)
		fprintf(o, "  %s    ... (not followed: depth limit)\n", np);
	free(np);
}

/* `lictrace fix TARGET` resolves these for a local folder (fix/plan.h,
 * fix_resolves(); the report layer sits below fix, so the list is repeated). */
static int fix_helps(const struct model_report *m)
{
	static const char *const ids[] = { "missing-notice", "missing-license-copy",
					   "relicensed-restricted-base", "other-without-name", NULL };
	const struct model_record *r = m->node->rec;

	if (!r || !r->target || strstr(r->target, "://") ||
	    (strcmp(r->source_kind, "dir") && strcmp(r->source_kind, "git")))
		return 0;
	for (size_t i = 0; i < m->nf; i++)
		for (int k = 0; ids[k]; k++)
			if (!strcmp(m->f[i].def->id, ids[k]))
				return 1;
	return 0;
}

static const char *sev_label(enum severity s)
{
	switch (s) {
	case SEV_ERROR: return "ERROR";
	case SEV_WARNING: return "WARNING";
	case SEV_INFO: return "INFO";
	}
	return "ERROR";
}

static int t_model(struct report_writer *w, const struct model_report *m, const struct lgraph *g)
{
	const struct report_ctx *c = w->ctx;
	struct text *t = w->impl;
	FILE *o = c->out;
	const struct model_record *r = m->node->rec;
	int nerr = 0, nwarn = 0, ninfo = 0;
	char *target;

	(void)g;
	summary_add_report(t->sum, m); /* out of memory: the summary says it is incomplete */
	if (c->quiet && m->verdict == VERDICT_PASS)
		return 0;
	if (!t->first)
		fprintf(o, "\n");
	t->first = 0;
	fprintf(o, "%sModel%s  %s\n", BOLD(c), RESET(c), m->node->id);
	target = report_redact(r->target); /* no credentials of a URL target */
	fprintf(o, "  source:   %s %s%s%s\n", r->source_kind, target ? target : "", r->revision ? " @ " : "",
		r->revision ? r->revision : "");
	free(target);
	fprintf(o, "  verdict:  %s%s%s\n", verdict_colour(c, m->verdict), verdict_name(m->verdict), RESET(c));
	if (r->name)
		fprintf(o, "  name:     %s (from the %s)\n", r->name, r->name_from ? r->name_from : "target");
	if (r->owner)
		fprintf(o, "  owner:    %s (from the %s)\n", r->owner, r->owner_from ? r->owner_from : "target");
	report_assessment_text(o, m->assessment, BOLD(c), RESET(c));
	report_aiact_text(o, m->aiact, BOLD(c), RESET(c));

	fprintf(o, "\n%sLineage%s\n", BOLD(c), RESET(c));
	{
		struct seen seen = { NULL, 0, 0 };
		tree(o, c, m->node, NULL, "", 1, 0, &seen);
		free(seen.v);
	}

	fprintf(o, "\n%sLicenses%s\n", BOLD(c), RESET(c));
	if (!r->ndeclared && !r->ndetected)
		fprintf(o, "  none declared, none detected\n");
	for (size_t i = 0; i < r->ndeclared; i++) {
		const struct declared *d = &r->declared[i];
		fprintf(o, "  declared  %-22s ", d->value);
		if (d->lic)
			fprintf(o, "%s", d->lic->name);
		else
			fprintf(o, "(not a known license)");
		fprintf(o, "  at ");
		where(o, d->at.file, d->at.line);
		fprintf(o, " (%s)\n", d->at.field ? d->at.field : "");
	}
	for (size_t i = 0; i < r->ndetected; i++) {
		const struct detected *d = &r->detected[i];
		fprintf(o, "  detected  %-22s %s%s  at ", d->lic->id, d->lic->name,
			d->third_party ? " (bundled third-party material)" :
			d->kind == RULE_POLICY ? " (use policy)" : d->kind == RULE_NOTICE ? " (notice)" : "");
		where(o, d->at.file, d->at.line);
		fprintf(o, " (rule %s, confidence %.2f)\n", d->rule, d->confidence);
	}
	for (size_t i = 0; i < r->nfiles; i++)
		if (r->files[i].unknown || r->files[i].unreadable)
			fprintf(o, "  file      %-22s %s\n", r->files[i].path,
				r->files[i].unreadable ? "unreadable" : "text not recognised");

	{
		size_t read = 0, lfs = 0, skipped = 0;
		for (size_t i = 0; i < r->nexamined; i++) {
			const struct examined *e = &r->examined[i];
			if (e->lfs_pointer)
				lfs++;
			else if (!e->role)
				skipped++;
			else
				read++;
		}
		if (r->nexamined) {
			fprintf(o, "\n%sFiles%s  %zu examined, %zu Git LFS pointers (content not downloaded), %zu not examined\n",
				BOLD(c), RESET(c), read, lfs, skipped);
			for (size_t i = 0; i < r->nexamined; i++) {
				const struct examined *e = &r->examined[i];
				if (e->role && !e->lfs_pointer)
					fprintf(o, "  %-32s %-8s %s\n", e->path, e->role, e->what);
			}
			for (size_t i = 0, shown = 0; i < r->nexamined; i++) {
				const struct examined *e = &r->examined[i];
				if (!e->lfs_pointer)
					continue;
				if (shown++ == 8) {
					fprintf(o, "  ... %zu more LFS pointers (see --format json)\n", lfs - 8);
					break;
				}
				fprintf(o, "  %-32s %-8s LFS %s, %llu bytes\n", e->path, e->role ? e->role : "-",
					e->lfs_oid ? e->lfs_oid : "?", e->lfs_size);
			}
		}
	}

	if (m->ndatasets) {
		fprintf(o, "\n%sTraining data%s (card datasets along the lineage)\n", BOLD(c), RESET(c));
		for (size_t i = 0; i < m->ndatasets; i++) {
			const struct report_dataset *d = &m->datasets[i];
			fprintf(o, "  - %-40s ", d->ds->id);
			if (!d->ds->rec)
				fprintf(o, "%s", report_dataset_status(d));
			else if (!d->nlics)
				fprintf(o, "no known license");
			for (size_t k = 0; k < d->nlics; k++)
				fprintf(o, "%s%s", k ? ", " : "", d->lics[k]->id);
			fprintf(o, "  (named by %s)\n", d->via);
		}
	}

	fprintf(o, "\n%sObligations%s", BOLD(c), RESET(c));
	if (!m->ob.n)
		fprintf(o, "\n  none known\n");
	else
		fprintf(o, " (own license and inherited)\n");
	for (size_t i = 0; i < m->ob.n; i++) {
		const struct eff_ob *e = &m->ob.v[i];
		fprintf(o, "  - %-24s %s", ob_kind_name(e->ob->kind), e->lic->id);
		if (e->ob->text)
			fprintf(o, ": \"%s\"", e->ob->text);
		if (e->ob->value)
			fprintf(o, " (%llu%s%s)", e->ob->value, e->ob->period ? " " : "", e->ob->period ? e->ob->period : "");
		for (size_t k = 0; k < e->ob->territories.n; k++)
			fprintf(o, "%s%s", k ? "," : " [", e->ob->territories.v[k]);
		if (e->ob->territories.n)
			fprintf(o, "]");
		fprintf(o, "  %s\n", e->self ? "(own license)" : e->chain ? e->chain : "");
	}

	/* duties only a person can confirm (their info findings carry the details) */
	for (size_t i = 0, shown = 0; i < m->ob.n; i++) {
		const struct eff_ob *e = &m->ob.v[i];
		if (!ob_kind_checklist(e->ob->kind))
			continue;
		if (!shown++)
			fprintf(o, "\n%sChecklist%s (confirm by hand; a policy can act on each)\n", BOLD(c), RESET(c));
		fprintf(o, "  [ ] %-24s %s%s%s%s\n", ob_kind_name(e->ob->kind), e->lic->id,
			e->ob->clause ? " " : "", e->ob->clause ? e->ob->clause : "",
			e->self ? "" : "  (inherited)");
	}

	for (size_t i = 0; i < m->nf; i++) {
		if (m->f[i].severity == SEV_ERROR)
			nerr++;
		else if (m->f[i].severity == SEV_WARNING)
			nwarn++;
		else
			ninfo++;
	}
	fprintf(o, "\n%sFindings%s (%d error%s, %d warning%s, %d info)\n", BOLD(c), RESET(c), nerr,
		nerr == 1 ? "" : "s", nwarn, nwarn == 1 ? "" : "s", ninfo);
	for (int pass = 0; pass < 3; pass++) {
		enum severity want = pass == 0 ? SEV_ERROR : pass == 1 ? SEV_WARNING : SEV_INFO;
		for (size_t i = 0; i < m->nf; i++) {
			const struct finding *f = &m->f[i];
			if (f->severity != want)
				continue;
			fprintf(o, "  %s%-7s%s %s: %s\n", want == SEV_ERROR ? col(c, "\033[31m")
							   : want == SEV_WARNING ? col(c, "\033[33m") : "",
				sev_label(f->severity), RESET(c), f->def->id, f->def->title);
			fprintf(o, "          what:  %s\n", f->message);
			if (f->file) {
				fprintf(o, "          where: ");
				where(o, f->file, f->line);
				fprintf(o, "\n");
			}
			if (f->chain)
				fprintf(o, "          chain: %s\n", f->chain);
			if (want != SEV_INFO || f->exception) {
				fprintf(o, "          why:   %s\n", f->def->why);
				fprintf(o, "          fix:   %s\n", f->def->fix);
			}
			if (f->exception)
				fprintf(o, "          note:  %s\n", f->exception);
		}
	}
	if (fix_helps(m))
		fprintf(o, "\n  To fix: lictrace fix %s%s%s  (prints the changes; --write applies them)\n",
			strpbrk(r->target, " \t\"$`\\;&|<>()*?") ? "'" : "", r->target,
			strpbrk(r->target, " \t\"$`\\;&|<>()*?") ? "'" : "");
	return 0;
}

static int t_end(struct report_writer *w, enum verdict overall)
{
	const struct report_ctx *c = w->ctx;
	struct text *t = w->impl;

	if (c->quiet && overall == VERDICT_PASS)
		return 0;
	if (!t->first)
		fprintf(c->out, "\n");
	/* text is streamed, so the inventory's summary comes after its models; one
	 * model's report is its own summary */
	if (summary_models(t->sum) > 1) {
		summary_write_text(t->sum, c->out);
		fprintf(c->out, "\n");
	}
	fprintf(c->out, "%sOverall verdict: %s%s%s\n", BOLD(c), verdict_colour(c, overall),
		verdict_name(overall), RESET(c));
	return 0;
}

static void t_free(struct report_writer *w)
{
	struct text *t = w->impl;

	if (t)
		summary_free(t->sum);
	free(t);
}

struct report_writer *report_text_new(void)
{
	return report_writer_make("text", t_begin, t_model, t_end, t_free);
}
