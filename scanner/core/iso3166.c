/* iso3166.c - ISO 3166-1 alpha-2 codes; see iso3166.h. The list is a fact
 * (the standard's officially assigned codes), sorted for bsearch. */
#include "iso3166.h"

#include <stdlib.h>
#include <string.h>

static const char *const codes[] = {
	"AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT",
	"AU", "AW", "AX", "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI",
	"BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY",
	"BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
	"CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
	"DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK",
	"FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL",
	"GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
	"HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR",
	"IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
	"KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS",
	"LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
	"ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW",
	"MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP",
	"NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
	"PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
	"SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM",
	"SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF",
	"TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW",
	"TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
	"VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
};

static int cmp(const void *a, const void *b)
{
	return strcmp((const char *)a, *(const char *const *)b);
}

int iso3166_alpha2(const char *s)
{
	char k[3];

	if (!s || !s[0] || !s[1] || s[2])
		return 0;
	for (int i = 0; i < 2; i++) {
		char c = s[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c < 'A' || c > 'Z')
			return 0;
		k[i] = c;
	}
	k[2] = '\0';
	return bsearch(k, codes, sizeof(codes) / sizeof(*codes), sizeof(*codes), cmp) != NULL;
}

/* The 27 member states of the European Union (since 2020-02-01). */
static const char *const eu[] = { "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES",
				  "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
				  "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK" };
/* EEA = EU + these three */
static const char *const eea_extra[] = { "IS", "LI", "NO" };

static void upper2(const char *s, char *out, size_t cap)
{
	size_t i = 0;
	for (; s && s[i] && i + 1 < cap; i++)
		out[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
	out[i] = '\0';
	if (!strcmp(out, "GB"))
		memcpy(out, "UK", 3);
	if (!strcmp(out, "EL")) /* the EU's own code for Greece */
		memcpy(out, "GR", 3);
}

static int in_list(const char *c, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c, v[i]))
			return 1;
	return 0;
}

int iso3166_within(const char *who, const char *where)
{
	char w[8], t[8];
	int eu_member;

	if (!who || !where)
		return 0;
	upper2(who, w, sizeof(w));
	upper2(where, t, sizeof(t));
	if (!strcmp(w, t))
		return 1;
	eu_member = in_list(w, eu, sizeof(eu) / sizeof(*eu)) || !strcmp(w, "EU");
	if (!strcmp(t, "EU"))
		return eu_member && strcmp(w, "EU") != 0 ? 1 : 0;
	if (!strcmp(t, "EEA"))
		return eu_member || in_list(w, eea_extra, sizeof(eea_extra) / sizeof(*eea_extra));
	return 0;
}
