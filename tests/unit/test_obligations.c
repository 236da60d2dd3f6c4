/* test_obligations.c - inheritance and combination of duties. */
#include "tap.h"

#include "core/err.h"
#include "findings/duties.h"
#include "findings/findings.h"
#include "licensedb/licensedb.h"
#include "obligations/obligations.h"
#include "record/record.h"

static char *s(const char *x)
{
	return strdup(x);
}

static void test_combine(void)
{
	struct obligation a_obs[3], b_obs[3];
	struct licdef a, b, c;
	char *eu[] = { s("EU") }, *ukkr[] = { s("UK"), s("KR"), s("EU") };
	struct ob_input in[3];
	struct ob_summary sum;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	memset(a_obs, 0, sizeof(a_obs));
	memset(b_obs, 0, sizeof(b_obs));
	a.id = "a";
	a.name = "A";
	a.category = CAT_RESTRICTED_COMMUNITY;
	a_obs[0].kind = OB_USER_THRESHOLD;
	a_obs[0].value = 700000000ULL;
	a_obs[0].flows = 1;
	a_obs[1].kind = OB_TERRITORY_EXCLUSION;
	a_obs[1].territories.v = eu;
	a_obs[1].territories.n = 1;
	a_obs[1].scope = s("multimodal");
	a_obs[1].flows = 1;
	a_obs[2].kind = OB_NAME_PREFIX; /* does not flow */
	a_obs[2].text = s("A");
	a_obs[2].flows = 0;
	a.obligations = a_obs;
	a.nobligations = 3;
	b.id = "b";
	b.name = "B";
	b.category = CAT_RESTRICTED_COMMUNITY;
	b_obs[0].kind = OB_USER_THRESHOLD;
	b_obs[0].value = 100000000ULL;
	b_obs[0].flows = 1;
	b_obs[1].kind = OB_TERRITORY_EXCLUSION;
	b_obs[1].territories.v = ukkr;
	b_obs[1].territories.n = 3;
	b_obs[1].flows = 1;
	b_obs[2].kind = OB_USE_RESTRICTIONS;
	b_obs[2].flows = 1;
	b.obligations = b_obs;
	b.nobligations = 3;
	c.id = "c";
	c.name = "C";
	c.category = CAT_NON_COMMERCIAL;

	in[0] = (struct ob_input){ &a, "child", NULL, 1 };
	in[1] = (struct ob_input){ &b, "base-b", "child -> base-b (merge)", 0 };
	in[2] = (struct ob_input){ &c, "base-c", "child -> base-c (merge)", 0 };
	CHECK_EQ_INT(obligations_compute(&sum, in, 3), 0);
	CHECK(sum.min_users == 100000000ULL);
	CHECK_STR(sum.users_from->model, "base-b");
	CHECK_EQ_INT(sum.nterritories, 3);
	/* EU: "all" from b wins over "multimodal" from a */
	for (size_t i = 0; i < sum.nterritories; i++)
		if (!strcmp(sum.territories[i].code, "EU"))
			CHECK_STR(sum.territories[i].scope, "all");
	CHECK_EQ_INT(sum.non_commercial, 1);
	CHECK_STR(sum.nc_model, "base-c");
	CHECK_EQ_INT(sum.use_restrictions, 1);
	/* own license: every duty; ancestors: only flowing ones */
	CHECK_EQ_INT(sum.n, 6);
	obligations_release(&sum);

	in[0].self = 0; /* as an ancestor, a's name prefix would not flow */
	CHECK_EQ_INT(obligations_compute(&sum, in, 1), 0);
	CHECK_EQ_INT(sum.n, 2);
	obligations_release(&sum);
	free(eu[0]);
	for (int i = 0; i < 3; i++)
		free(ukkr[i]);
	free(a_obs[1].scope);
	free(a_obs[2].text);
}

/* Notices are whole sentences compared after folding quotes, dashes, the
 * copyright sign and whitespace; part of the sentence is not the notice. */
static void test_notice_sentence(void)
{
	const char *full = "Tencent Hunyuan is licensed under the Tencent Hunyuan Community License "
			   "Agreement, Copyright \xc2\xa9 2025 Tencent. All Rights Reserved. The trademark "
			   "rights of \xe2\x80\x9cTencent Hunyuan\xe2\x80\x9d are owned by Tencent or its affiliate.";

	CHECK(duties_has_sentence(full, full));
	/* re-wrapped, straight quotes, (c) for the sign, doubled spaces */
	CHECK(duties_has_sentence("NOTICE\n\nTencent Hunyuan is licensed under the Tencent Hunyuan\n"
				  "Community License Agreement, Copyright (c) 2025 Tencent.  All Rights Reserved.\n"
				  "The trademark rights of \"Tencent Hunyuan\" are owned by Tencent or its affiliate.\n",
				  full));
	/* markdown emphasis and an en dash for a hyphen */
	CHECK(duties_has_sentence("**Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright \xc2\xa9 "
				  "Meta Platforms, Inc. All Rights Reserved.**",
				  "Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright \xc2\xa9 Meta "
				  "Platforms, Inc. All Rights Reserved."));
	CHECK(duties_has_sentence("made with state\xe2\x80\x93" "of\xe2\x80\x93" "the\xe2\x80\x93" "art", "state-of-the-art"));
	/* only the first sentence: missing */
	CHECK(!duties_has_sentence("Tencent Hunyuan is licensed under the Tencent Hunyuan Community License "
				   "Agreement, Copyright \xc2\xa9 2025 Tencent. All Rights Reserved.", full));
	/* a different year is a different sentence */
	CHECK(!duties_has_sentence("Tencent Hunyuan is licensed under the Tencent Hunyuan Community License "
				   "Agreement, Copyright \xc2\xa9 2024 Tencent. All Rights Reserved. The trademark "
				   "rights of \"Tencent Hunyuan\" are owned by Tencent or its affiliate.", full));
	/* words run together are not the sentence (no punctuation-blind squashing) */
	CHECK(!duties_has_sentence("Llama31islicensed", "Llama 3.1 is licensed"));
	CHECK(!duties_has_sentence(NULL, full));
	CHECK(!duties_has_sentence(full, ""));
}

static void test_guardrails_words(void)
{
	int line = 0;

	CHECK_STR(duties_guardrails_claim("Llama-3.1-Nemotron-8B-abliterated", NULL), "abliterated");
	CHECK_STR(duties_guardrails_claim("---\ntags:\n  - Uncensored\n---\n", &line), "uncensored");
	CHECK_EQ_INT(line, 3);
	CHECK_STR(duties_guardrails_claim("the refusals removed by orthogonalisation", NULL), "refusals removed");
	CHECK(duties_guardrails_claim("an ordinary fine-tune that keeps its guardrails", NULL) == NULL);
	CHECK(duties_guardrails_claim("reuncensoredx", NULL) == NULL); /* not at a word start */
	CHECK(duties_guardrails_claim(NULL, NULL) == NULL);
}

/* Each finding id the table names is one the scanner declares (so `rules check`
 * makes sure rules/findings.yaml defines it). */
static void test_kind_findings_declared(void)
{
	for (int k = 0; k < OB__COUNT; k++) {
		const char *id = ob_kind_finding((enum ob_kind)k);
		int found = 0;
		for (size_t i = 0; id && findings_ids[i]; i++)
			found |= !strcmp(findings_ids[i], id);
		if (!found)
			fprintf(stderr, "  kind %s: finding %s not in findings_ids\n", ob_kind_name((enum ob_kind)k),
				id ? id : "(none)");
		CHECK(found);
	}
}

static int has_finding(const struct model_report *m, const char *id)
{
	for (size_t i = 0; i < m->nf; i++)
		if (!strcmp(m->f[i].def->id, id))
			return 1;
	return 0;
}

/* duties_check on a hand-built report: the model's own license and an ancestor's. */
static void run_duties(struct licensedb *db, const char *own, const char *parent, const char *name,
		       struct model_report *m, struct lnode *node, struct model_record *rec)
{
	struct ob_input in[2];
	size_t n = 0;

	memset(m, 0, sizeof(*m));
	memset(node, 0, sizeof(*node));
	memset(rec, 0, sizeof(*rec));
	rec->id = (char *)name;
	rec->name = (char *)name;
	node->id = (char *)name;
	node->rec = rec;
	m->node = node;
	if (own)
		in[n++] = (struct ob_input){ licensedb_get(db, own), name, NULL, 1 };
	if (parent)
		in[n++] = (struct ob_input){ licensedb_get(db, parent), "org/base", "x -> org/base (finetune)", 0 };
	CHECK_EQ_INT(obligations_compute(&m->ob, in, n), 0);
	duties_check(m, db);
}

static void test_duties_check(void)
{
	struct licensedb *db = NULL;
	struct lt_error err;
	const char *roots[] = { LT_SOURCE_DIR };
	struct model_report m;
	struct lnode node;
	struct model_record rec;

	CHECK_EQ_INT(licensedb_load(&db, roots, 1, &err), 0);
	/* registration binds the licensor's own release, no parent needed */
	run_duties(db, "glm-4", NULL, "org/glm", &m, &node, &rec);
	CHECK(has_finding(&m, "registration-required"));
	CHECK(has_finding(&m, "checklist-no-sublicense"));
	model_report_release(&m);
	/* no-derivatives: only a derivative, whatever it declares */
	run_duties(db, "cc-by-nd-4.0", NULL, "org/nd", &m, &node, &rec);
	CHECK(!has_finding(&m, "no-derivatives-violated"));
	CHECK(has_finding(&m, "checklist-keep-notices"));
	model_report_release(&m);
	run_duties(db, "cc-by-nd-4.0", "cc-by-nd-4.0", "org/nd-ft", &m, &node, &rec);
	CHECK(has_finding(&m, "no-derivatives-violated"));
	model_report_release(&m);
	run_duties(db, NULL, "cc-by-nc-nd-4.0", "org/nd-q", &m, &node, &rec);
	CHECK(has_finding(&m, "no-derivatives-violated"));
	model_report_release(&m);
	/* guardrails: a derivative whose name says abliterated; not the base itself */
	run_duties(db, NULL, "nvidia-open-model-2025-04", "org/model-abliterated", &m, &node, &rec);
	CHECK(has_finding(&m, "guardrails-removed"));
	model_report_release(&m);
	/* no declared parent, but the name says it was modified: still bound */
	run_duties(db, "nvidia-open-model-2025-04", NULL, "org/model-abliterated", &m, &node, &rec);
	CHECK(has_finding(&m, "guardrails-removed"));
	model_report_release(&m);
	run_duties(db, "nvidia-open-model-2025-04", NULL, "nvidia/model", &m, &node, &rec);
	CHECK(!has_finding(&m, "guardrails-removed"));
	model_report_release(&m);
	run_duties(db, NULL, "nvidia-open-model-2025-04", "org/model-ft", &m, &node, &rec);
	CHECK(!has_finding(&m, "guardrails-removed"));
	model_report_release(&m);
	/* every checklist kind raises its finding from the table, whatever the kind */
	for (int k = 0; k < OB__COUNT; k++) {
		struct obligation ob;
		struct licdef lic;
		struct ob_input in;
		if (!ob_kind_checklist((enum ob_kind)k))
			continue;
		memset(&ob, 0, sizeof(ob));
		memset(&lic, 0, sizeof(lic));
		ob.kind = (enum ob_kind)k;
		ob.flows = 1;
		lic.id = "x";
		lic.name = "X";
		lic.category = CAT_PERMISSIVE;
		lic.obligations = &ob;
		lic.nobligations = 1;
		memset(&m, 0, sizeof(m));
		memset(&node, 0, sizeof(node));
		memset(&rec, 0, sizeof(rec));
		rec.id = node.id = "org/m";
		node.rec = &rec;
		m.node = &node;
		in = (struct ob_input){ &lic, "org/m", NULL, 1 };
		CHECK_EQ_INT(obligations_compute(&m.ob, &in, 1), 0);
		duties_check(&m, db);
		CHECK(has_finding(&m, ob_kind_finding((enum ob_kind)k)));
		model_report_release(&m);
	}
	licensedb_free(db);
}

TESTS(T(combine), T(notice_sentence), T(guardrails_words), T(kind_findings_declared),
      T(duties_check))
