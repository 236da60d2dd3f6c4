/* test_obligations.c - inheritance and combination of duties. */
#include "tap.h"

#include "licensedb/licensedb.h"
#include "obligations/obligations.h"

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

TESTS(T(combine))
