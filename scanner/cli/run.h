/*
 * run.h - the scan pipeline shared by `scan` and `audit`: load data, policy,
 * resolvers and a report writer once; then per target: record, lineage (one
 * memoised graph for the whole run), findings, policy, report.
 */
#ifndef LT_RUN_H
#define LT_RUN_H

#include <stdio.h>

#include "cmd.h"
#include "core/err.h"
#include "findings/findings.h"
#include "lineage/graph.h"
#include "policy/policy.h"
#include "profile/profile.h"
#include "report/report.h"

struct scan_run {
	struct wire w;
	struct lgraph g;
	int graph_ok;
	struct policy *pol;
	struct report_writer *wr;
	struct report_ctx rctx;
	enum verdict overall;
	enum fail_level level;
	FILE *out;
	char date[16];
	const struct common_opts *c;
	struct profile prof;  /* flags over the policy's profile: section */
	int has_prof;         /* a question is asked: every model gets an assessment */
	char juris_text[PROFILE_MAX_JURIS * 4 + 1];
	size_t answers[3];    /* models answered yes, review, no (enum assess_answer) */
	struct lt_error graph_err; /* a lineage prefetch failed: later targets are incomplete */
	size_t trims;         /* times scan_run_trim emptied the graph */
};

/* The options of `scan`, shared by `audit` (T has a `struct common_opts c`). */
#define SCAN_OPT_SPECS(T) \
	COMMON_OPT_SPECS(T), \
	{ "policy", OPT_STR, offsetof(T, c.policy), "FILE", "organisation policy (YAML)" }, \
	{ "fail-on", OPT_STR, offsetof(T, c.fail_on), "LEVEL", "review (default) or fail: which verdicts exit 1" }, \
	{ "jurisdiction", OPT_LIST, offsetof(T, c.juris), "CODE", "where the organisation operates: ISO 3166-1 alpha-2 codes, EU, EEA or UK (comma-separated or repeated; DE implies EU and EEA)" }, \
	{ "users", OPT_STR, offsetof(T, c.users), "N", "profile: monthly active users of the products using the model (40M)" }, \
	{ "revenue", OPT_STR, offsetof(T, c.revenue), "USD", "profile: annual revenue in US dollars (200M)" }, \
	{ "use", OPT_STR, offsetof(T, c.use), "KIND", "profile: commercial, noncommercial or research" }, \
	{ "distribution", OPT_STR, offsetof(T, c.distribution), "HOW", "profile: internal, hosted (offered as a service) or weights (published)" }, \
	{ "train-on-outputs", OPT_FLAG, offsetof(T, c.train_on_outputs), NULL, "profile: the outputs train or improve other models" }, \
	{ "hub-mirror", OPT_STR, offsetof(T, c.hub_mirror), "DIR", "resolve base models from DIR/org/name/" }, \
	{ "hf-home", OPT_STR, offsetof(T, c.hf_home), "DIR", "huggingface_hub home (default $HF_HOME)" }, \
	{ "max-depth", OPT_INT, offsetof(T, c.max_depth), "N", "follow base models at most N levels (1 to 200000, default 64)" }, \
	{ "rev", OPT_STR, offsetof(T, c.rev), "REV", "revision (git repository or hub model; a folder with --rev is read as git)" }, \
	{ "endpoint", OPT_STR, offsetof(T, c.endpoint), "URL", "hub endpoint (default $HF_ENDPOINT, else https://huggingface.co)" }, \
	{ "token-file", OPT_STR, offsetof(T, c.token_file), "FILE", "hub token file (default $HF_TOKEN, $HF_TOKEN_PATH, $HF_HOME/token)" }, \
	{ "staged", OPT_FLAG, offsetof(T, c.staged), NULL, "scan the staged content of a git repository (pre-commit)" }, \
	{ "ca-bundle", OPT_STR, offsetof(T, c.ca_bundle), "FILE", "trust these CA certificates (TLS verification is always on)" }, \
	{ "timeout", OPT_INT, offsetof(T, c.timeout), "SECONDS", "time limit per hub request, retries included (>= 1, default 60)" }, \
	{ "offline", OPT_FLAG, offsetof(T, c.offline), NULL, "no network: caches and mirrors only" }, \
	{ "cache", OPT_STR, offsetof(T, c.cache), "DIR", "cache directory" }, \
	{ "jobs", OPT_INT, offsetof(T, c.jobs), "N", "transfers in flight (1 to 64, default 8)" }, \
	{ "quiet", OPT_FLAG, offsetof(T, c.quiet), NULL, "print nothing when every model passes" }, \
	{ "no-color", OPT_FLAG, offsetof(T, c.no_color), NULL, "no colours in text output" }, \
	/* end */

/* 0, or an exit code after printing why. */
int scan_run_begin(struct scan_run *r, const struct common_opts *c);
/* Before scanning them: resolve the lineages of these hub ids (at revs, entries
 * may be NULL) together, level by level (lgraph_prefetch). */
void scan_run_prefetch(struct scan_run *r, const char *const *ids, const char *const *revs,
		       size_t n);
/* Scan one target into the report; returns its verdict. */
enum verdict scan_run_target(struct scan_run *r, const char *target);
/* The same, told whether target is a local folder (1, 0; -1: not known, look):
 * an audit that already looked saves a system call a model. */
enum verdict scan_run_target_hint(struct scan_run *r, const char *target, int is_dir);

/* Between batches of an audit: when the lineage graph holds more than max_nodes
 * models, drop it and start an empty one, so that memory stays bounded however
 * long the inventory (ancestors shared with later targets are resolved again,
 * from the cache when remote). Reports key models by id, never by node, so
 * nothing written changes. */
void scan_run_trim(struct scan_run *r, size_t max_nodes);
/* Finish the report; returns the exit code for the overall verdict. */
int scan_run_end(struct scan_run *r);
/* With a profile: one line counting the models cleared, not cleared and left for
 * review in this run (models skipped by a resume file are not answered again). */
void scan_run_answers(const struct scan_run *r, FILE *f);
void scan_run_release(struct scan_run *r);

#endif
