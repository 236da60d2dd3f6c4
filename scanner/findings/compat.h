/*
 * compat.h - may these parents' terms be combined in one model?
 *
 * A model with several parents (a merge, or a fine-tune that also names other
 * bases) holds each parent's material, so every parent's terms apply to it at
 * once. Some sets of terms cannot all be met:
 *   - two different share-alike licenses (each wants the whole under itself);
 *   - a share-alike parent with a parent whose license forbids relicensing or
 *     carries use restrictions that must be passed on (share-alike forbids added
 *     restrictions; the other forbids dropping them);
 *   - a no-derivatives parent in any merge (no adapted material may be shared);
 *   - a non-commercial or research-only parent under a child whose own license
 *     offers it for commercial use.
 * Each case is an `incompatible-parents` finding naming both parents and both
 * clauses (the obligation's `clause:` where the definition has one).
 */
#ifndef LT_FINDINGS_COMPAT_H
#define LT_FINDINGS_COMPAT_H

struct model_report;
struct licensedb;

/* Check the scanned model's direct parents (m->node). */
void compat_check(struct model_report *m, const struct licensedb *db);

#endif
