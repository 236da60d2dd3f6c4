/*
 * classify.c - license detection from rules/ data; the algorithm is described
 * step by step in classify.h.
 */
#include "classify.h"
#include "classify_int.h"
#include "ac.h"
#include "normalize.h"
#include "similar.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "core/vec.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define NONE UINT32_MAX
/* Binary sniffing looks at this much of the input. */
#define SNIFF_BYTES 8192
/* Normalisation buffer while building: reference texts are < 256 KiB (licensedb
 * caps them), phrases < LT_MAX_PHRASE_BYTES; normalising grows text by < 1/2. */
#define BUILD_NORM_MAX (1u << 20)

/* --- building --- */

static int norm_phrase(struct buf *b, const char *p, int flags)
{
	return normalize_text_opts(b, NULL, p, strlen(p), flags, NULL);
}

static int add_phrase(struct classify_ctx *c, struct buf *b, const char *p, uint32_t *id,
		      struct lt_error *err)
{
	int rc;

	if ((rc = norm_phrase(b, p, NORM_FULL)) != 0)
		return lt_error_set(err, rc, NULL, 0, "phrase '%.60s' cannot be normalised", p);
	if (!b->len)
		return 1; /* unusable; classify_check_phrases reports it */
	if ((rc = ac_add(c->ac, b->data, b->len, id, err)) != 0)
		return rc;
	if (*id >= c->nphr) {
		if (*id >= c->plen_cap) {
			size_t ncap = c->plen_cap ? c->plen_cap * 2 : 256;
			uint32_t *q = realloc(c->plen, ncap * sizeof(*q));
			if (!q)
				return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
			c->plen = q;
			c->plen_cap = ncap;
		}
		c->plen[*id] = (uint32_t)b->len;
		c->nphr = *id + 1;
	}
	return 0;
}

static int compile_rule(struct classify_ctx *c, struct buf *b, const struct detect_rule *r,
			struct crule *out, struct lt_error *err)
{
	const struct strlist *lists[3] = { &r->all, &r->any, &r->none };
	size_t *counts[3] = { &out->nall, &out->nany, &out->nnone };
	size_t total = r->all.n + r->any.n + r->none.n;
	int rc;

	memset(out, 0, sizeof(*out));
	out->r = r;
	out->ph = malloc((total ? total : 1) * sizeof(*out->ph));
	if (!out->ph)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	for (int l = 0; l < 3; l++) {
		uint32_t *dst = out->ph + out->nall + out->nany + out->nnone;
		for (size_t i = 0; i < lists[l]->n; i++) {
			uint32_t id = 0;
			rc = add_phrase(c, b, lists[l]->v[i], &id, err);
			if (rc < 0)
				return rc;
			if (rc == 0)
				dst[(*counts[l])++] = id;
		}
	}
	out->nphr_total = out->nall + out->nany;
	/* an unusable `all` phrase would make the rule fire on less than it says,
	 * and an `any` list of unusable phrases can never be satisfied: such a rule
	 * never fires (classify_check_phrases reports it) */
	if (out->nall < r->all.n || (r->any.n && !out->nany))
		out->nphr_total = 0;
	return 0;
}

static int build_ref(struct cref *ref)
{
	struct simtext t;
	struct buf b;
	int rc;

	buf_init(&b, BUILD_NORM_MAX);
	rc = normalize_text(&b, NULL, ref->lic->ref_text, ref->lic->ref_len, NULL);
	if (rc == 0 && simtext_build(&t, buf_cstr(&b), b.len) == 0) {
		rc = simset_build(&ref->set, &t) ? LT_ENOMEM : 0;
		simtext_release(&t);
	} else if (rc == 0) {
		rc = LT_ENOMEM;
	}
	buf_release(&b);
	return rc;
}

int classify_finish(struct classify_ctx *c)
{
	const struct licensedb *db = c->db;

	c->refs = calloc(db->nlics ? db->nlics : 1, sizeof(*c->refs));
	if (!c->refs)
		return LT_ENOMEM;
	for (size_t i = 0; i < db->nlics; i++) {
		if (db->lics[i]->ref_text) {
			c->refs[c->nrefs].lic = db->lics[i];
			c->refs[c->nrefs++].state = 0;
		}
	}
	if (pthread_mutex_init(&c->ref_lock, NULL) != 0)
		return LT_ENOMEM;
	c->lock_ready = 1;
	return 0;
}

int classify_new(struct classify_ctx **out, const struct licensedb *db, struct lt_error *err)
{
	struct classify_ctx *c = calloc(1, sizeof(*c));
	struct buf b;
	int rc = 0;

	*out = NULL;
	buf_init(&b, BUILD_NORM_MAX);
	if (!c) {
		rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	c->db = db;
	if ((rc = ac_new(&c->ac, AC_WORDS, AC_MAX_STATES, err)) != 0)
		goto done;
	c->rules = calloc(db->nrules ? db->nrules : 1, sizeof(*c->rules));
	if (!c->rules) {
		rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < db->nrules; i++) {
		const struct detect_rule *r = db->rules[i];
		if (!r->lic || !r->id)
			continue;
		if ((rc = compile_rule(c, &b, r, &c->rules[c->nrules], err)) != 0) {
			free(c->rules[c->nrules].ph);
			if (err && !err->file[0] && r->path)
				lt_strlcpy(err->file, r->path, sizeof(err->file));
			goto done;
		}
		if (c->rules[c->nrules].nphr_total)
			c->nrules++;
		else
			free(c->rules[c->nrules].ph);
	}
	if ((rc = ac_build(c->ac, err)) != 0)
		goto done;
	if (classify_finish(c) != 0) {
		rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	*out = c;
	c = NULL;
done:
	buf_release(&b);
	classify_free(c);
	return rc;
}

void classify_free(struct classify_ctx *c)
{
	if (!c)
		return;
	ac_free(c->ac);
	for (size_t i = 0; i < c->nrules; i++)
		free(c->rules[i].ph);
	free(c->rules);
	for (size_t i = 0; i < c->nrefs; i++)
		if (c->refs[i].state == 1)
			simset_release(&c->refs[i].set); /* state 2: the image's memory */
	free(c->refs);
	if (c->lock_ready)
		pthread_mutex_destroy(&c->ref_lock);
	free(c->plen);
	if (c->image_release)
		c->image_release(c->image, c->image_len);
	free(c);
}

void classify_get_stats(const struct classify_ctx *c, struct classify_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (!c)
		return;
	out->rules = c->nrules;
	out->phrases = ac_npatterns(c->ac);
	out->states = ac_nstates(c->ac);
	out->memory = ac_memory(c->ac);
	out->references = c->nrefs;
}

const struct cref *classify_ref(const struct classify_ctx *c, const struct licdef *d)
{
	for (size_t i = 0; i < c->nrefs; i++) {
		/* the context is shared read-only; only the lazy cache changes */
		struct cref *r = (struct cref *)&c->refs[i];
		int state;
		if (r->lic != d)
			continue;
		pthread_mutex_lock((pthread_mutex_t *)&c->ref_lock);
		if (r->state == 0)
			r->state = build_ref(r) == 0 ? 1 : -1;
		state = r->state;
		pthread_mutex_unlock((pthread_mutex_t *)&c->ref_lock);
		return state == 1 || state == 2 ? r : NULL;
	}
	return NULL;
}

/* --- classifying --- */

static int looks_binary(const unsigned char *s, size_t len)
{
	size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES, ctrl = 0, bad = 0, i = 0;

	if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
		return 0; /* UTF-16 text; normalize.c decodes it */
	while (i < n) {
		unsigned char ch = s[i];
		if (ch == 0)
			return 1;
		if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' && ch != '\f' &&
		    ch != '\v' && ch != 0x1b)
			ctrl++;
		if (ch >= 0x80) {
			/* count bytes that do not start a valid UTF-8 sequence */
			size_t need = ch >= 0xF0 ? 3 : ch >= 0xE0 ? 2 : ch >= 0xC2 ? 1 : 0;
			size_t k = 1;
			if (!need || ch > 0xF4) {
				bad++;
				i++;
				continue;
			}
			while (k <= need && i + k < len && (s[i + k] & 0xC0) == 0x80)
				k++;
			if (k <= need && i + k < len) {
				bad++;
				i++;
				continue;
			}
			i += k;
			continue;
		}
		i++;
	}
	return n && (ctrl * 10 > n || bad * 10 > n * 3);
}

struct scan {
	uint32_t *first_end; /* per phrase id: end of its first hit, or NONE */
};

static int on_hit(void *payload, uint32_t id, size_t end)
{
	struct scan *s = payload;

	if (s->first_end[id] == NONE)
		s->first_end[id] = (uint32_t)end;
	return 0;
}

struct cand {
	const struct licdef *lic;
	const struct crule *cr;
	double conf;
	enum rule_kind kind;
	size_t first;   /* normalised offset of the rule's first phrase */
	int dropped;    /* overridden or merged */
	int alt;        /* lost to a better one of its family */
};

static int kind_rank(enum rule_kind k)
{
	return k == RULE_LICENSE ? 2 : k == RULE_NOTICE ? 1 : 0;
}

/* 1 when candidate a is better than b. */
static int better(const struct cand *a, const struct cand *b)
{
	if (kind_rank(a->kind) != kind_rank(b->kind))
		return kind_rank(a->kind) > kind_rank(b->kind);
	if (a->conf != b->conf)
		return a->conf > b->conf;
	if (a->lic->category != b->lic->category) /* on a tie, the stricter license */
		return a->lic->category > b->lic->category;
	if (a->cr->nphr_total != b->cr->nphr_total)
		return a->cr->nphr_total > b->cr->nphr_total;
	return a->first < b->first;
}

/* Does rule cr fire? Sets *first to the normalised offset of its first phrase. */
static int rule_fires(const struct classify_ctx *c, const struct crule *cr,
		      const uint32_t *first_end, size_t *first)
{
	size_t i, best = SIZE_MAX;
	int any = cr->nany == 0;

	for (i = 0; i < cr->nall; i++) {
		uint32_t id = cr->ph[i];
		if (first_end[id] == NONE)
			return 0;
		if (first_end[id] - c->plen[id] < best)
			best = first_end[id] - c->plen[id];
	}
	for (; i < cr->nall + cr->nany; i++) {
		uint32_t id = cr->ph[i];
		if (first_end[id] == NONE)
			continue;
		any = 1;
		if (first_end[id] - c->plen[id] < best)
			best = first_end[id] - c->plen[id];
	}
	if (!any)
		return 0;
	for (; i < cr->nall + cr->nany + cr->nnone; i++)
		if (first_end[cr->ph[i]] != NONE)
			return 0;
	*first = best;
	return 1;
}

static const char *family_of(const struct licdef *d)
{
	return d->family && *d->family ? d->family : d->id;
}

static int same_family(const struct licdef *a, const struct licdef *b)
{
	return strcmp(family_of(a), family_of(b)) == 0;
}

struct textsim {
	int built;
	struct simtext words;
	struct simset set;
};

static int textsim_get(struct textsim *ts, const struct buf *norm)
{
	if (ts->built)
		return 0;
	ts->built = 1;
	if (simtext_build(&ts->words, buf_cstr(norm), norm->len) != 0 ||
	    simset_build(&ts->set, &ts->words) != 0)
		return LT_ENOMEM;
	return 0;
}

static void textsim_release(struct textsim *ts)
{
	simtext_release(&ts->words);
	simset_release(&ts->set);
}

static int overridden(const struct cand *cands, size_t n, const struct licdef *d)
{
	for (size_t i = 0; i < n; i++) {
		const struct strlist *o = &cands[i].cr->r->overrides;
		if (cands[i].lic == d)
			continue;
		for (size_t j = 0; j < o->n; j++)
			if (strcmp(o->v[j], d->id) == 0)
				return 1;
	}
	return 0;
}

/* Words that make a run of text a term rather than a heading or a holder line:
 * an extra clause grants, limits or obliges; "Copyright (c) 2017, Jun-Yan Zhu.
 * All rights reserved." and "LICENSE FOR pix2pix" do not. */
static const char *const deontic[] = {
	"shall", "must", "may", "not", "required", "requires", "prohibited", "agree", "only",
	"restricted", "restriction", "restrictions", "condition", "conditions", "comply",
	"display", "permitted", "authorized", "authorised", NULL
};

/* Lines that wrap a verbatim license without adding terms: translators'
 * instructions and the lead-in of third-party notice files ("NOTICES AND
 * INFORMATION / Do Not Translate or Localize / This software incorporates
 * material from third parties"). Their "not" is no restriction on the licensee.
 * Matched as whole word runs of the normalised text. */
static const char *const neutral_runs[] = {
	"do not translate or localize",
	"do not translate or localise",
	"this software incorporates material from third parties",
	"notices and information",
	NULL
};

#define COV_NEUTRAL 0xffu

static size_t word_len(const struct buf *norm, const struct simtext *t, size_t w);

/* Mark the words of every neutral run as covered (COV_NEUTRAL). */
static void cover_neutral(const struct buf *norm, const struct simtext *t, unsigned char *cov)
{
	for (int k = 0; neutral_runs[k]; k++) {
		const char *phrase = neutral_runs[k];
		for (size_t w = 0; w < t->n; w++) {
			const char *p = phrase;
			size_t j = w;
			for (; j < t->n && *p; j++) {
				size_t wl = word_len(norm, t, j), pl = strcspn(p, " ");
				if (wl != pl || memcmp(norm->data + t->start[j], p, pl) != 0)
					break;
				p += pl;
				while (*p == ' ')
					p++;
			}
			if (*p)
				continue;
			for (size_t x = w; x < j; x++)
				if (!cov[x])
					cov[x] = COV_NEUTRAL;
		}
	}
}

static int is_deontic(const char *w, size_t n)
{
	for (int i = 0; deontic[i]; i++)
		if (strlen(deontic[i]) == n && memcmp(deontic[i], w, n) == 0)
			return 1;
	return 0;
}

static size_t word_len(const struct buf *norm, const struct simtext *t, size_t w)
{
	size_t end = w + 1 < t->n ? t->start[w + 1] - 1 : norm->len;
	return end - t->start[w];
}

/*
 * Step 8: a standard license plus extra terms. Sets *who to the index of the
 * modified candidate or -1, and *share to the fraction of the text's words that
 * its reference covers. Only runs of uncovered words that contain a deontic
 * word count as extra terms. Returns 0 or LT_ENOMEM: the caller fails closed,
 * as a check that could not run must not let a modified text pass as the
 * plain license.
 */
static int find_modified(const struct classify_ctx *c, struct cand *cands, size_t n,
			 struct textsim *ts, const struct buf *norm, int *who, double *share)
{
	const struct cref *refs[256];
	int idx[256];
	size_t nr = 0, extra = 0, best_run = 0, best_end = 0, own = 0, w = 0;
	unsigned char *cov = NULL;
	int mark;

	for (size_t i = 0; i < n; i++) {
		const struct cref *r;
		if (cands[i].dropped || cands[i].alt)
			continue;
		r = classify_ref(c, cands[i].lic);
		if (!r || nr >= 255)
			return 0; /* a model license or a huge bundle: not a modified copy */
		refs[nr] = r;
		idx[nr++] = (int)i;
	}
	if (!nr)
		return 0;
	if (textsim_get(ts, norm) != 0)
		return LT_ENOMEM;
	if (!ts->words.n)
		return 0;
	cov = calloc(ts->words.n, 1);
	if (!cov)
		return LT_ENOMEM;
	for (size_t k = 0; k < nr; k++)
		simtext_cover(&ts->words, &refs[k]->set, cov, (unsigned char)(k + 1));
	cover_neutral(norm, &ts->words, cov);
	while (w < ts->words.n) {
		size_t s = w;
		int terms = 0;
		if (cov[w]) {
			w++;
			continue;
		}
		for (; w < ts->words.n && !cov[w]; w++)
			terms |= is_deontic(norm->data + ts->words.start[w], word_len(norm, &ts->words, w));
		if (!terms)
			continue;
		extra += w - s;
		if (w - s > best_run) {
			best_run = w - s;
			best_end = w;
		}
	}
	if (extra >= CLASSIFY_MOD_MIN_WORDS && extra * 100 >= ts->words.n * CLASSIFY_MOD_MIN_PERCENT &&
	    best_run >= CLASSIFY_MOD_MIN_RUN) {
		size_t start = best_end - best_run;
		mark = start > 0 ? cov[start - 1] : best_end < ts->words.n ? cov[best_end] : 0;
		if (mark == (int)COV_NEUTRAL)
			mark = 0;
		if (mark > 0 && cands[idx[mark - 1]].kind != RULE_POLICY) {
			*who = idx[mark - 1];
			for (size_t k = 0; k < ts->words.n; k++)
				own += cov[k] == mark;
			*share = (double)own / (double)ts->words.n;
		}
	}
	free(cov);
	return 0;
}

static int cmp_det(const void *a, const void *b)
{
	const struct detection *x = a, *y = b;

	if (x->confidence != y->confidence)
		return x->confidence > y->confidence ? -1 : 1;
	if (x->lic->category != y->lic->category) /* on a tie, the stricter license first */
		return x->lic->category > y->lic->category ? -1 : 1;
	if (x->kind != y->kind)
		return kind_rank(y->kind) - kind_rank(x->kind);
	return strcmp(x->lic->id, y->lic->id);
}

static int push_det(struct detection **v, size_t *n, const struct cand *cd, double conf,
		    const char *text, size_t len, const struct norm_map *map)
{
	struct detection *p = realloc(*v, (*n + 1) * sizeof(*p));

	if (!p)
		return LT_ENOMEM;
	*v = p;
	p[*n].lic = cd->lic;
	p[*n].rule = cd->cr->r;
	p[*n].confidence = conf;
	p[*n].kind = cd->kind;
	p[*n].line = lt_line_of(text, len, norm_map_offset(map, cd->first));
	(*n)++;
	return 0;
}

int classify_text(const struct classify_ctx *c, const char *text, size_t len,
		  struct classify_result *out, struct lt_error *err)
{
	struct buf norm;
	struct norm_map map = { NULL, 0, NULL, 0, 0 };
	struct scan sc = { NULL };
	struct cand *cands = NULL;
	struct textsim ts;
	size_t ncand = 0;
	double share = 0;
	int rc = 0, mod = -1;

	memset(out, 0, sizeof(*out));
	memset(&ts, 0, sizeof(ts));
	buf_init(&norm, (size_t)len + len / 2 + 16);
	if (len > CLASSIFY_MAX_TEXT) {
		rc = lt_error_set(err, LT_ETOOBIG, NULL, 0, "text over %u bytes", CLASSIFY_MAX_TEXT);
		goto done;
	}
	if (looks_binary((const unsigned char *)text, len)) {
		out->binary = 1;
		goto done;
	}
	if ((rc = normalize_text(&norm, &map, text, len, err)) != 0)
		goto done;
	sc.first_end = malloc((c->nphr ? c->nphr : 1) * sizeof(uint32_t));
	cands = calloc(c->nrules ? c->nrules : 1, sizeof(*cands));
	if (!sc.first_end || !cands) {
		rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < c->nphr; i++)
		sc.first_end[i] = NONE;
	ac_scan(c->ac, buf_cstr(&norm), norm.len, on_hit, &sc);

	/* steps 3 and 4: fired rules, best per license */
	for (size_t i = 0; i < c->nrules; i++) {
		const struct crule *cr = &c->rules[i];
		struct cand cd = { cr->r->lic, cr, cr->r->confidence, cr->r->kind, 0, 0, 0 };
		size_t j;

		if (!rule_fires(c, cr, sc.first_end, &cd.first))
			continue;
		if (cr->r->similar_min > 0) {
			const struct cref *ref = classify_ref(c, cd.lic);
			if (ref) {
				if ((rc = textsim_get(&ts, &norm)) != 0) {
					rc = lt_error_set(err, rc, NULL, 0, "out of memory");
					goto done;
				}
				if (simset_containment(&ref->set, &ts.set) < cr->r->similar_min)
					continue;
			}
		}
		for (j = 0; j < ncand && cands[j].lic != cd.lic; j++)
			;
		if (j == ncand)
			cands[ncand++] = cd;
		else if (better(&cd, &cands[j]))
			cands[j] = cd;
	}
	/* step 5: overrides */
	for (size_t i = 0; i < ncand; i++)
		if (overridden(cands, ncand, cands[i].lic))
			cands[i].dropped = 1;
	/* step 6: a use policy merges into its family's license */
	for (size_t i = 0; i < ncand; i++) {
		if (cands[i].dropped || cands[i].kind != RULE_POLICY)
			continue;
		for (size_t j = 0; j < ncand; j++)
			if (!cands[j].dropped && cands[j].kind != RULE_POLICY &&
			    same_family(cands[i].lic, cands[j].lic)) {
				cands[i].dropped = 1;
				break;
			}
	}
	/* step 7: one version per family */
	for (size_t i = 0; i < ncand; i++) {
		if (cands[i].dropped)
			continue;
		for (size_t j = 0; j < ncand; j++)
			if (j != i && !cands[j].dropped && same_family(cands[i].lic, cands[j].lic) &&
			    better(&cands[j], &cands[i])) {
				cands[i].alt = 1;
				break;
			}
	}
	/* step 8: modified standard licenses */
	if (find_modified(c, cands, ncand, &ts, &norm, &mod, &share) != 0) {
		rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	if (mod >= 0) {
		cands[mod].alt = 1;
		cands[mod].conf *= share;
		out->modified_from = lt_strdup(cands[mod].lic->id);
		if (!out->modified_from) {
			rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
			goto done;
		}
	}
	for (size_t i = 0; i < ncand; i++) {
		if (cands[i].dropped)
			continue;
		if (cands[i].alt)
			rc = push_det(&out->alt, &out->nalt, &cands[i], cands[i].conf, text, len, &map);
		else
			rc = push_det(&out->v, &out->n, &cands[i], cands[i].conf, text, len, &map);
		if (rc) {
			rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
			goto done;
		}
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_det);
	if (out->nalt > 1)
		qsort(out->alt, out->nalt, sizeof(*out->alt), cmp_det);
done:
	textsim_release(&ts);
	free(cands);
	free(sc.first_end);
	norm_map_release(&map);
	buf_release(&norm);
	return rc;
}

void classify_result_release(struct classify_result *res)
{
	if (!res)
		return;
	free(res->v);
	free(res->alt);
	free(res->modified_from);
	memset(res, 0, sizeof(*res));
}

/* --- rules check --- */

int classify_check_phrases(struct licensedb *db)
{
	struct buf full, plain;
	int added = 0;

	buf_init(&full, BUILD_NORM_MAX);
	buf_init(&plain, BUILD_NORM_MAX);
	for (size_t i = 0; i < db->nrules; i++) {
		const struct detect_rule *r = db->rules[i];
		const struct strlist *lists[3] = { &r->all, &r->any, &r->none };
		const char *id = r->id ? r->id : "?";
		size_t usable_all = 0, usable_any = 0;

		for (int l = 0; l < 3; l++) {
			for (size_t k = 0; k < lists[l]->n; k++) {
				const char *p = lists[l]->v[k];
				if (norm_phrase(&full, p, NORM_FULL) != 0 ||
				    norm_phrase(&plain, p, NORM_PLAIN) != 0) {
					licensedb_problem(db, r->path, r->line,
							  "rule '%s': phrase '%s' cannot be normalised", id, p);
					added++;
					continue;
				}
				if (!full.len) {
					licensedb_problem(db, r->path, r->line,
							  "rule '%s': phrase '%s' is empty after normalisation",
							  id, p);
					added++;
					continue;
				}
				/* still usable (in its normalised form), but not as written */
				if (full.len != plain.len || memcmp(full.data, plain.data, full.len) != 0) {
					licensedb_problem(db, r->path, r->line,
							  "rule '%s': phrase '%s' normalises to '%s' (markup), "
							  "so it can never match as written", id, p, buf_cstr(&full));
					added++;
				}
				if (l == 0)
					usable_all++;
				else if (l == 1)
					usable_any++;
			}
		}
		for (size_t a = 0; a < r->all.n; a++)
			for (size_t k = 0; k < r->none.n; k++) {
				struct buf *x = &full, *y = &plain;
				if (norm_phrase(x, r->all.v[a], NORM_FULL) != 0 ||
				    norm_phrase(y, r->none.v[k], NORM_FULL) != 0 || !x->len)
					continue;
				if (x->len == y->len && memcmp(x->data, y->data, x->len) == 0) {
					licensedb_problem(db, r->path, r->line,
							  "rule '%s': phrase '%s' is in both 'all' and 'none'",
							  id, r->all.v[a]);
					added++;
				}
			}
		if ((r->all.n || r->any.n) &&
		    (!(usable_all + usable_any) || usable_all < r->all.n || (r->any.n && !usable_any))) {
			licensedb_problem(db, r->path, r->line,
					  "rule '%s' has no usable 'all'/'any' phrase and can never fire", id);
			added++;
		}
	}
	buf_release(&full);
	buf_release(&plain);
	return added;
}
