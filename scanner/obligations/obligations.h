/*
 * obligations.h - the duties a model is bound by: its own licenses' obligations
 * plus every ancestor's that flow down (obligation `flows: true`), combined.
 *
 * Inputs are (license, model, chain) triples gathered by the caller from the
 * lineage graph; this layer only knows license data. Combination rules: the union
 * of duties (each listed with the license and the chain that brought it), the
 * lowest user and revenue thresholds, the union of excluded territories, and the
 * non-commercial / research-only / use-restriction taints. Ownership: the summary
 * owns its arrays; licdef and obligation pointers borrow from the database.
 */
#ifndef LT_OBLIGATIONS_H
#define LT_OBLIGATIONS_H

#include <stddef.h>

struct licdef;
struct obligation;

struct ob_input {
	const struct licdef *lic;
	const char *model;  /* model whose license this is */
	const char *chain;  /* "child -> parent (relation) -> ..." or NULL for self */
	int self;           /* the scanned model's own license */
};

struct eff_ob {
	const struct obligation *ob;
	const struct licdef *lic;
	const char *model; /* borrowed from the ob_input: valid while the inputs' strings are */
	const char *chain; /* borrowed likewise */
	int self;
};

struct territory {
	char *code;    /* EU, UK, KR ... */
	char *scope;   /* all or multimodal */
	const struct licdef *lic;
	char *model;
};

struct ob_summary {
	struct eff_ob *v; /* a VEC (core/vec.h) */
	size_t n, cap;
	unsigned long long min_users;    /* 0 = none */
	const struct eff_ob *users_from;
	unsigned long long min_revenue;  /* 0 = none */
	const struct eff_ob *revenue_from;
	struct territory *territories;
	size_t nterritories;
	int non_commercial, research_only, use_restrictions, output_limits;
	const struct licdef *nc_from, *research_from;
	char *nc_model, *research_model;
};

/* Compute the effective obligations of a model from its own licenses (self=1,
 * every obligation) and its ancestors' (self=0, only flowing ones). The result
 * borrows the inputs' model and chain strings: release it before they go. */
int obligations_compute(struct ob_summary *out, const struct ob_input *in, size_t n);
void obligations_release(struct ob_summary *s);

#endif
