/*
 * spdx_lic.h - private to scanner/report/: which licenses the SPDX writers
 * (SPDX 2.3 in w_spdx.c, SPDX 3.0.1 in w_spdx3.c) declare and conclude for a
 * model of the lineage graph. Both formats say the same thing in their own terms.
 */
#ifndef LT_REPORT_SPDX_LIC_H
#define LT_REPORT_SPDX_LIC_H

#include <stddef.h>

struct declared;
struct licdef;
struct lnode;
struct model_record;

/* Distinct licenses one package names at most. */
#define SPDX_MAX_LICS 256

/* 1 for a license value read from weights metadata (GGUF general.*, safetensors
 * modelspec.*): what the weights say, not what the repository declares. */
int spdx_weights_field(const struct declared *d);

/* What the model's own repository says: its card's license fields (not weights
 * metadata), else the license texts found. The licenses go to v (at most
 * SPDX_MAX_LICS, each once); *unknown is set when a declared value is not a known
 * license, *any when the card declared anything. Returns how many. */
size_t spdx_declared(const struct model_record *r, const struct licdef **v, int *unknown, int *any);

/* Every license binding n: its own and every reachable ancestor's, visiting at
 * most max_nodes models. *unknown is set when one of them cannot be known (an
 * unresolved or unexpanded model, a declared value lictrace does not know, a
 * model with no license, more models than max_nodes, out of memory). Returns how
 * many licenses went to v. */
size_t spdx_concluded(const struct lnode *n, size_t max_nodes, const struct licdef **v,
		      int *unknown);

#endif
