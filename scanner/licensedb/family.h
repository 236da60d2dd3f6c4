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

/* The license of a licensor's own model "org/name": among the definitions whose
 * `hub_orgs` hold org and whose family the folded name contains, the one whose
 * family followed by its version the name contains, the longest such
 * ("meta-llama/Meta-Llama-3.1-8B" -> llama3.1, "xai-org/grok-2" -> the grok
 * definition); with no version in the name, the family's only definition. A
 * bare name (no org) goes to licensedb_family_of_name(). NULL when unknown. */
const struct licdef *licensedb_license_of_id(const struct licensedb *db, const char *id);

#endif
