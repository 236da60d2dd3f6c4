/*
 * family.h - which model-license family a model's name belongs to.
 */
#ifndef LT_LICENSEDB_FAMILY_H
#define LT_LICENSEDB_FAMILY_H

struct licensedb;
struct licdef;

/* The definition of the model-license family (one with `hub_orgs`) whose family
 * name starts `name` once both are folded to lower-case letters and digits
 * ("Qwen-7B-Chat" -> qwen, "falcon-180B-chat" -> falcon); the longest family
 * wins, and within a family the unversioned definition. NULL when none. */
const struct licdef *licensedb_family_of_name(const struct licensedb *db, const char *name);

#endif
