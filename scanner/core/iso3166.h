/*
 * iso3166.h - the ISO 3166-1 alpha-2 country codes (the 249 officially assigned
 * ones), kept as a sorted table: `--jurisdiction` accepts exactly these, plus
 * the groupings the license data uses (see cli/check.c).
 */
#ifndef LT_ISO3166_H
#define LT_ISO3166_H

/* 1 when s is an officially assigned alpha-2 code (case-insensitive). */
int iso3166_alpha2(const char *s);

/* 1 when jurisdiction `who` (a country code, EU, EEA or UK, any case) falls in
 * territory `where` as license data names it: the same code; a member state in
 * the EU (27 members); an EU member, Iceland, Liechtenstein or Norway in the EEA;
 * GB and UK as one. */
int iso3166_within(const char *who, const char *where);

#endif
