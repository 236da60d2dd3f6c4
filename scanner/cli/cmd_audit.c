/*
 * cmd_audit.c - `lictrace audit INVENTORY` (or `--org NAME`): scan an
 * organisation's model inventory in one run.
 *
 * - One memoised lineage graph for the whole run: a base shared by a thousand
 *   fine-tunes is resolved once.
 * - Hub ids are prefetched in batches before they are scanned: a batch's lineages
 *   are expanded level by level for all its targets together (API calls and files
 *   concurrently, --jobs in flight), so depth, not targets x depth, sets the rounds.
 * - --shard I/N keeps the targets whose name hashes to I (stable when the inventory
 *   grows), so N machines split one inventory without talking to each other;
 *   --shard auto takes I and N from a Slurm job array or a Kubernetes Indexed Job
 *   (check_shard in check.c).
 * - --state FILE records each finished target as a JSON line as soon as it is done,
 *   with its section of the JSON report and the configuration that decided it; a
 *   rerun with the same file skips them (a killed audit resumes where it stopped),
 *   and its report still holds every model, those of earlier runs taken from the
 *   file, in inventory order. A file written under another configuration stops
 *   the run (exit 2, saying what differs): its verdicts are never reused. Each
 *   line carries a check; lines that do not verify are reported and their
 *   targets scanned again (audit_state.h). --state needs --format json.
 * - Progress goes to stderr (on a terminal, or with --progress).
 */
#include "audit_state.h"
#include "cmd.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/limits.h"
#include "core/str.h"
#include "core/strmap.h"
#include "lineage/resolver.h"
#include "core/digest.h"
#include "licensedb/installed.h"
#include "record/record.h"
#include "report/report.h"
#include "run.h"

#include <jansson.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* An inventory file of a million lines is a mistake; 64 MiB holds ~1M targets. */
#define AUDIT_MAX_INVENTORY (64u * 1024u * 1024u)
/* Hub ids fetched concurrently ahead of scanning them. */
#define AUDIT_PREFETCH_BATCH 256
/* Models the lineage graph may hold before it is emptied between batches (about
 * 180 MB at 1.8 KB a model): the default of --graph-limit. */
#define AUDIT_GRAPH_LIMIT 100000

struct audit_opts {
	struct common_opts c;
	const char *org, *shard, *shard_count, *state;
	int progress;
	int graph_limit;
};

static const struct opt_spec audit_specs[] = {
	SCAN_OPT_SPECS(struct audit_opts)
	{ "org", OPT_STR, offsetof(struct audit_opts, org), "NAME", "audit every model of a hub org or user" },
	{ "shard", OPT_STR, offsetof(struct audit_opts, shard), "I/N", "only the targets of shard I of N (0 <= I < N); auto: from a Slurm job array or a Kubernetes Indexed Job" },
	{ "shard-count", OPT_STR, offsetof(struct audit_opts, shard_count), "N", "with --shard auto and JOB_COMPLETION_INDEX: the number of shards" },
	{ "state", OPT_STR, offsetof(struct audit_opts, state), "FILE", "resume: record finished models (with --format json), report them again next time without scanning" },
	{ "progress", OPT_FLAG, offsetof(struct audit_opts, progress), NULL, "show progress on stderr even when not a terminal" },
	{ "graph-limit", OPT_INT, offsetof(struct audit_opts, graph_limit), "N", "models held in memory at once, about (default 100000): past it the lineage graph is emptied between batches of targets, so memory stays bounded for any inventory" },
	{ NULL, 0, 0, NULL, NULL },
};

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static int read_inventory(const char *path, char ***v, size_t *n, struct lt_error *err)
{
	struct buf b;
	int rc;

	buf_init(&b, AUDIT_MAX_INVENTORY);
	if (!(rc = lt_read_file(&b, path, AUDIT_MAX_INVENTORY, err)))
		rc = audit_inventory_parse(b.data ? b.data : "", b.len, path, v, n, err);
	buf_release(&b);
	return rc;
}

/* The policy file read to hash it: more than the policy module accepts is refused there. */
#define AUDIT_MAX_POLICY_HASHED (8u * 1024u * 1024u)

/* What decides a verdict, as a compact JSON object (the state file binds every
 * record to it): lictrace and license data versions (the built-in data and each
 * --data root), the policy's content, jurisdictions, fail level, profile, depth
 * limit and revision. Caller frees; NULL after printing why (exit 2). */
static char *state_config(const struct common_opts *c)
{
	char v[LICDB_DATA_VERSION_LEN + 1], hex[2 * LT_SHA256_LEN + 1];
	struct lt_error err;
	json_t *o = json_object(), *data = json_array(), *juris = json_array(), *prof;
	char *out = NULL;

	if (!o || !data || !juris)
		goto done;
	json_object_set_new(o, "lictrace", json_string(LT_VERSION));
	for (int i = -1; i < c->data.n; i++) {
		const char *root = i < 0 ? wire_data_root() : c->data.v[i];
		if (licensedb_data_version(v, root, &err)) {
			fprintf(stderr, "lictrace: --state: cannot read the license data in '%s': %s\n", root,
				err.message);
			goto done;
		}
		json_array_append_new(data, json_string(v));
	}
	json_object_set(o, "data", data);
	if (c->policy) {
		struct buf b;
		int rc;

		buf_init(&b, AUDIT_MAX_POLICY_HASHED);
		if (!(rc = lt_read_file(&b, c->policy, AUDIT_MAX_POLICY_HASHED, &err)))
			lt_sha256_hex(b.data ? b.data : "", b.len, hex);
		buf_release(&b);
		if (rc) {
			fprintf(stderr, "lictrace: %s\n", err.message);
			goto done;
		}
		json_object_set_new(o, "policy", json_pack("s+", "sha256:", hex));
	} else {
		json_object_set_new(o, "policy", json_null());
	}
	if (c->jurisdiction)
		json_array_append_new(juris, json_string(c->jurisdiction));
	for (int i = 0; i < c->juris.n; i++)
		json_array_append_new(juris, json_string(c->juris.v[i]));
	json_object_set(o, "jurisdiction", juris);
	json_object_set_new(o, "fail_on", json_string(c->fail_on ? c->fail_on : "review"));
	prof = json_pack("{s:s?, s:s?, s:s?, s:s?, s:b}", "users", c->users, "revenue", c->revenue, "use",
			 c->use, "distribution", c->distribution, "train_on_outputs", c->train_on_outputs);
	json_object_set_new(o, "profile", prof);
	json_object_set_new(o, "max_depth", c->max_depth > 0 ? json_integer(c->max_depth) : json_string("default"));
	json_object_set_new(o, "rev", c->rev ? json_string(c->rev) : json_null());
	out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!out)
		fprintf(stderr, "lictrace: out of memory\n");
done:
	json_decref(o);
	json_decref(data);
	json_decref(juris);
	return out;
}

/* Open --state FILE (created when missing) and lock it for this run, load it
 * (reporting the lines it ignores), and compact it in place without them, so a
 * torn line is never glued to the next record and a distrusted target is
 * trusted again once rescanned. *out is left open for appending (the lock lasts
 * until it is closed). A crash during the rewrite can only lose records, which
 * are then scanned again. A file written under another configuration is left as
 * it is. 0, or EXIT_USAGE after printing why. */
static int open_state(const char *path, struct audit_state *st, FILE **out)
{
	struct stat sb;
	FILE *f = NULL;
	int fd, rc;

	st->name = path;
	fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK, 0644);
	if (fd < 0 || fstat(fd, &sb) != 0) {
		fprintf(stderr, "lictrace: cannot open the state file '%s': %s\n", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(sb.st_mode)) {
		fprintf(stderr, "lictrace: the state file '%s' is not a regular file\n", path);
		goto fail;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		fprintf(stderr, "lictrace: the state file '%s' is in use by another audit (one state file per run)\n",
			path);
		goto fail;
	}
	if (!(f = fdopen(fd, "a+"))) {
		fprintf(stderr, "lictrace: cannot open the state file '%s': %s\n", path, strerror(errno));
		goto fail;
	}
	fd = -1;
	rewind(f);
	if ((rc = audit_state_read(st, f)) || ferror(f)) {
		fprintf(stderr, "lictrace: cannot read the state file '%s': %s\n", path,
			rc ? "out of memory" : strerror(errno));
		goto fail;
	}
	if (st->other_config) {
		char diff[1024];

		audit_state_config_diff(st->other_config, st->config, diff, sizeof(diff));
		fprintf(stderr,
			"lictrace: the state file '%s' (line %zu) was written by an audit with another configuration: %s; its verdicts are not reused: give a new state file (or delete this one) to audit again\n",
			path, st->other_line, diff);
		goto fail;
	}
	if (st->bad && (fflush(f) != 0 || audit_state_compact(st, fileno(f)) != 0)) {
		fprintf(stderr, "lictrace: cannot rewrite the state file '%s': %s\n", path, strerror(errno));
		goto fail;
	}
	fseek(f, 0, SEEK_END);
	*out = f;
	return 0;
fail:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	return EXIT_USAGE;
}

/* The report writer of a run with --state: the run's own (JSON) writer, plus
 * each model's section as that writer wrote it, kept for its state line. */
struct tee {
	struct report_writer *inner;
	struct buf last; /* the last model's section (compact JSON), or empty */
};

static int tee_model(struct report_writer *w, const struct model_report *m, const struct lgraph *g)
{
	struct tee *t = w->impl;
	int rc;

	buf_reset(&t->last);
	t->inner->model_tap = &t->last;
	rc = t->inner->model(t->inner, m, g);
	t->inner->model_tap = NULL;
	return rc;
}

static int tee_model_json(struct report_writer *w, const json_t *model, const char *text,
			  size_t len)
{
	struct tee *t = w->impl;

	return t->inner->model_json(t->inner, model, text, len);
}

static int tee_end(struct report_writer *w, enum verdict overall)
{
	struct tee *t = w->impl;

	return t->inner->end(t->inner, overall);
}

static void tee_free(struct report_writer *w)
{
	struct tee *t = w->impl;

	if (t) {
		report_writer_free(t->inner);
		buf_release(&t->last);
		free(t);
	}
}

/* Wrap the run's writer (begun already) in a tee; 0, or -1 when out of memory. */
static int tee_wrap(struct scan_run *run)
{
	struct report_writer *w = report_writer_make(run->wr->name, NULL, tee_model, tee_end, tee_free);
	struct tee *t = calloc(1, sizeof(*t));

	if (!w || !t) {
		free(w);
		free(t);
		return -1;
	}
	t->inner = run->wr;
	buf_init(&t->last, AUDIT_STATE_MAX_LINE);
	w->impl = t;
	w->ctx = run->wr->ctx;
	w->model_json = tee_model_json;
	run->wr = w;
	return 0;
}

/* Record a finished target with its report section (the tee's last model).
 * Each line is handed to the kernel at once (a killed run loses nothing) and
 * synced to disk once a batch (cmd_audit): after a power cut the lines of the
 * last batch may be missing or torn, and their targets are scanned again. */
static void append_state(FILE *f, const struct audit_state *st, struct report_writer *w, const char *target,
			 enum verdict v)
{
	struct tee *t = w->impl;
	char *line = t->last.len && !buf_error(&t->last)
			     ? audit_state_format_text(st, target, v, t->last.data, t->last.len)
			     : NULL;

	if (line) {
		fputs(line, f);
		fflush(f);
	} else {
		fprintf(stderr, "lictrace: '%s': its report section is too large for the state file (%u bytes a line) or could not be made: it is scanned again on resume\n",
			target, AUDIT_STATE_MAX_LINE);
	}
	free(line);
	buf_reset(&t->last);
}

int cmd_audit(int argc, char **argv)
{
	struct audit_opts o;
	struct scan_run run;
	struct strmap done;
	struct audit_state st;
	struct lt_error err;
	const char **pos = NULL;
	char **targets = NULL, *config = NULL;
	size_t ntargets = 0, skipped = 0, scanned = 0, counts[4] = { 0 };
	unsigned long si = 0, sn = 1;
	size_t batch;
	int npos = 0, help = 0, rc = EXIT_USAGE, progress;
	FILE *state = NULL;
	time_t t0 = time(NULL);

	memset(&o, 0, sizeof(o));
	o.c.timeout = -1; /* not given: the default; an explicit 0 is refused */
	o.graph_limit = -1;
	memset(&run, 0, sizeof(run));
	strmap_init(&done);
	audit_state_init(&st, NULL, stderr, NULL);
	common_opts_defaults(&o.c);
	if (opt_parse(audit_specs, &o, argc, argv, &pos, &npos, &help))
		return EXIT_USAGE;
	if (help) {
		opt_usage(stdout, "lictrace audit [options] INVENTORY | --org NAME", audit_specs);
		free(pos);
		return EXIT_PASS;
	}
	if ((npos != 1) == !o.org || npos > 1) {
		fprintf(stderr, "lictrace: audit takes one INVENTORY file (a target per line) or --org NAME\n");
		goto done;
	}
	if (check_shard(o.shard, o.shard_count, &si, &sn))
		goto done;
	if (o.graph_limit == -1)
		o.graph_limit = AUDIT_GRAPH_LIMIT;
	else if (o.graph_limit < 1 || o.graph_limit > LT_MAX_MODELS / 2) {
		fprintf(stderr, "lictrace: --graph-limit takes a whole number from 1 to %d, not %d\n",
			LT_MAX_MODELS / 2, o.graph_limit);
		goto done;
	}
	if (o.state && (!o.c.format || strcmp(o.c.format, "json"))) {
		/* a resumed report holds the models of earlier runs as JSON report sections */
		fprintf(stderr, "lictrace: --state needs --format json (the other formats can be made from it with 'lictrace audit merge REPORT.json --format FMT')\n");
		goto done;
	}
	if (npos && read_inventory(pos[0], &targets, &ntargets, &err)) {
		fprintf(stderr, "lictrace: %s\n", err.message);
		goto done;
	}
	/* before the report starts: a state file in use stops the run with no output */
	if (o.state) {
		if (!(config = state_config(&o.c)))
			goto done;
		audit_state_release(&st);
		audit_state_init(&st, o.state, stderr, config);
		if (open_state(o.state, &st, &state))
			goto done;
	}
	o.c.compact_json = 1; /* a model a line: a third fewer bytes than indented */
	if ((rc = scan_run_begin(&run, &o.c)))
		goto done;
	rc = EXIT_USAGE;
	if (state && tee_wrap(&run)) {
		fprintf(stderr, "lictrace: out of memory\n");
		goto done;
	}
	if (o.org && wire_list_org(&run.w, &o.c, o.org, &targets, &ntargets, &err)) {
		fprintf(stderr, "lictrace: cannot list the models of '%s': %s\n", o.org, err.message);
		goto done;
	}
	progress = o.progress || isatty(STDERR_FILENO);
	/* a batch never outgrows the graph limit */
	batch = (size_t)o.graph_limit < AUDIT_PREFETCH_BATCH ? (size_t)o.graph_limit : AUDIT_PREFETCH_BATCH;
	for (size_t i = 0; i < ntargets; i += batch) {
		const char *ids[AUDIT_PREFETCH_BATCH], *revs[AUDIT_PREFETCH_BATCH];
		signed char is_dir[AUDIT_PREFETCH_BATCH]; /* -1 not looked at */
		enum verdict v;
		size_t nids = 0, end = i + batch < ntargets ? i + batch : ntargets;

		/* memory stays bounded: a graph grown past the limit starts again */
		scan_run_trim(&run, (size_t)o.graph_limit);
		/* resolve this batch's hub models and their lineages together, one
		 * concurrent round per level of depth, before scanning them */
		memset(is_dir, -1, sizeof(is_dir));
		for (size_t k = i; k < end; k++) {
			if (fnv1a(targets[k]) % sn != si || strmap_get(&done, targets[k]) ||
			    audit_state_get(&st, targets[k], &v))
				continue;
			if (record_is_hub_id(targets[k]) && !strchr(targets[k], '@') &&
			    !(is_dir[k - i] = (signed char)lt_is_dir(targets[k]))) {
				ids[nids] = targets[k];
				revs[nids++] = o.c.rev;
			}
		}
		if (nids)
			scan_run_prefetch(&run, ids, revs, nids);
		for (size_t k = i; k < end; k++) {
			void *prev;

			if (fnv1a(targets[k]) % sn != si)
				continue;
			if ((prev = strmap_get(&done, targets[k]))) {
				/* listed twice: counted again, reported once */
				v = (enum verdict)((uintptr_t)prev - 1);
				run.overall = verdict_worst(run.overall, v);
				counts[v]++;
				skipped++;
				continue;
			}
			if (audit_state_get(&st, targets[k], &v)) {
				/* finished by an earlier run: its section comes from the state file */
				char *text = NULL;
				size_t tlen = 0;
				json_t *sec = audit_state_model_text(&st, state, targets[k], &text, &tlen);

				if (sec) {
					run.wr->model_json(run.wr, sec, text, tlen);
					json_decref(sec);
					free(text);
					run.overall = verdict_worst(run.overall, v);
					counts[v]++;
					skipped++;
					strmap_put(&done, targets[k], (void *)(uintptr_t)(v + 1));
					continue;
				}
				fprintf(stderr, "lictrace: state file '%s': the record of '%s' cannot be read again; it is scanned again\n",
					o.state, targets[k]);
			}
			v = scan_run_target_hint(&run, targets[k], is_dir[k - i]);
			counts[v]++;
			scanned++;
			if (state)
				append_state(state, &st, run.wr, targets[k], v);
			strmap_put(&done, targets[k], (void *)(uintptr_t)(v + 1));
			if (progress)
				fprintf(stderr, "lictrace: [%zu/%zu] %s: %s (%lds)\n", k + 1, ntargets, targets[k],
					verdict_name(v), (long)(time(NULL) - t0));
		}
		if (state)
			(void)fsync(fileno(state)); /* this batch's lines, on disk */
	}
	rc = scan_run_end(&run);
	fprintf(stderr, "lictrace: audit: %zu scanned, %zu already done, shard %lu/%lu: %zu pass, %zu review, %zu fail, %zu incomplete\n",
		scanned, skipped, si, sn, counts[VERDICT_PASS], counts[VERDICT_REVIEW], counts[VERDICT_FAIL],
		counts[VERDICT_INCOMPLETE]);
	if (run.trims)
		fprintf(stderr, "lictrace: audit: the lineage graph reached --graph-limit %d and was emptied %zu time%s (shared ancestors were resolved again)\n",
			o.graph_limit, run.trims, run.trims == 1 ? "" : "s");
	scan_run_answers(&run, stderr);
done:
	if (state)
		fclose(state);
	scan_run_release(&run);
	strmap_release(&done);
	audit_state_release(&st);
	free(config);
	for (size_t i = 0; i < ntargets; i++)
		free(targets[i]);
	free(targets);
	free(pos);
	return rc;
}
