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
 *   grows), so N machines split one inventory without talking to each other.
 * - --state FILE records each finished target as a JSON line as soon as it is done;
 *   a rerun with the same file skips them (a killed audit resumes where it stopped)
 *   and still counts their verdicts in the overall verdict. Each line carries a
 *   check; lines that do not verify are reported and their targets scanned again
 *   (audit_state.h).
 * - Progress goes to stderr (on a terminal, or with --progress).
 */
#include "audit_state.h"
#include "cmd.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/str.h"
#include "core/strmap.h"
#include "lineage/resolver.h"
#include "record/record.h"
#include "run.h"

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
/* More shards than this would leave most of them empty. */
#define AUDIT_MAX_SHARDS 100000

struct audit_opts {
	struct common_opts c;
	const char *org, *shard, *state;
	int progress;
};

static const struct opt_spec audit_specs[] = {
	SCAN_OPT_SPECS(struct audit_opts)
	{ "org", OPT_STR, offsetof(struct audit_opts, org), "NAME", "audit every model of a hub org or user" },
	{ "shard", OPT_STR, offsetof(struct audit_opts, shard), "I/N", "only the targets of shard I of N (0 <= I < N)" },
	{ "state", OPT_STR, offsetof(struct audit_opts, state), "FILE", "resume: record finished targets, skip them next time" },
	{ "progress", OPT_FLAG, offsetof(struct audit_opts, progress), NULL, "show progress on stderr even when not a terminal" },
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

/* A whole number of at most 9 digits (no sign, no spaces); *s moves past it. */
static int parse_digits(const char **s, unsigned long *out)
{
	const char *p = *s;
	unsigned long v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (p - *s >= 9)
			return -1;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	*s = p;
	*out = v;
	return 0;
}

/* I/N, digits only, 0 <= I < N <= AUDIT_MAX_SHARDS. */
static int parse_shard(const char *s, unsigned long *i, unsigned long *n)
{
	if (parse_digits(&s, i) || *s++ != '/' || parse_digits(&s, n) || *s)
		return -1;
	return *n == 0 || *n > AUDIT_MAX_SHARDS || *i >= *n ? -1 : 0;
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

/* Open --state FILE (created when missing) and lock it for this run, load it
 * (reporting the lines it ignores), and rewrite it in place without them, so a
 * torn line is never glued to the next record and a distrusted target is
 * trusted again once rescanned. *out is left open for appending (the lock lasts
 * until it is closed). A crash during the rewrite can only lose records, which
 * are then scanned again. 0, or EXIT_USAGE after printing why. */
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
	fseek(f, 0, SEEK_END);
	if (st->bad && !buf_error(&st->keep)) {
		if (ftruncate(fileno(f), 0) != 0 ||
		    (st->keep.len && fwrite(st->keep.data, 1, st->keep.len, f) != st->keep.len) ||
		    fflush(f) != 0 || fsync(fileno(f)) != 0) {
			fprintf(stderr, "lictrace: cannot rewrite the state file '%s': %s\n", path, strerror(errno));
			goto fail;
		}
	} else if (st->bad) {
		/* too big to rewrite: at least end a torn line (an empty line is skipped) */
		fputc('\n', f);
		fflush(f);
	}
	*out = f;
	return 0;
fail:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	return EXIT_USAGE;
}

static void append_state(FILE *f, const char *target, enum verdict v)
{
	char *line = audit_state_format(target, v);

	if (line) { /* too long a target is simply scanned again next time */
		fputs(line, f);
		fflush(f);
		fsync(fileno(f));
	}
	free(line);
}

int cmd_audit(int argc, char **argv)
{
	struct audit_opts o;
	struct scan_run run;
	struct strmap done;
	struct audit_state st;
	struct lt_error err;
	const char **pos = NULL;
	char **targets = NULL;
	size_t ntargets = 0, skipped = 0, scanned = 0, counts[4] = { 0 };
	unsigned long si = 0, sn = 1;
	int npos = 0, help = 0, rc = EXIT_USAGE, progress;
	FILE *state = NULL;
	time_t t0 = time(NULL);

	memset(&o, 0, sizeof(o));
	o.c.timeout = -1; /* not given: the default; an explicit 0 is refused */
	memset(&run, 0, sizeof(run));
	strmap_init(&done);
	audit_state_init(&st, NULL, stderr);
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
	if (o.shard && parse_shard(o.shard, &si, &sn)) {
		fprintf(stderr, "lictrace: --shard takes I/N (digits only, 0 <= I < N, 1 <= N <= %d), not '%s'\n",
			AUDIT_MAX_SHARDS, o.shard);
		goto done;
	}
	if (npos && read_inventory(pos[0], &targets, &ntargets, &err)) {
		fprintf(stderr, "lictrace: %s\n", err.message);
		goto done;
	}
	/* before the report starts: a state file in use stops the run with no output */
	if (o.state && open_state(o.state, &st, &state))
		goto done;
	if ((rc = scan_run_begin(&run, &o.c)))
		goto done;
	rc = EXIT_USAGE;
	if (o.org && wire_list_org(&run.w, &o.c, o.org, &targets, &ntargets, &err)) {
		fprintf(stderr, "lictrace: cannot list the models of '%s': %s\n", o.org, err.message);
		goto done;
	}
	progress = o.progress || isatty(STDERR_FILENO);
	for (size_t i = 0; i < ntargets; i += AUDIT_PREFETCH_BATCH) {
		const char *ids[AUDIT_PREFETCH_BATCH], *revs[AUDIT_PREFETCH_BATCH];
		enum verdict v;
		size_t nids = 0, end = i + AUDIT_PREFETCH_BATCH < ntargets ? i + AUDIT_PREFETCH_BATCH : ntargets;

		/* resolve this batch's hub models and their lineages together, one
		 * concurrent round per level of depth, before scanning them */
		for (size_t k = i; k < end; k++) {
			if (fnv1a(targets[k]) % sn != si || strmap_get(&done, targets[k]) ||
			    audit_state_get(&st, targets[k], &v))
				continue;
			if (record_is_hub_id(targets[k]) && !strchr(targets[k], '@') && !lt_is_dir(targets[k])) {
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
			if ((prev = strmap_get(&done, targets[k])) || audit_state_get(&st, targets[k], &v)) {
				if (prev)
					v = (enum verdict)((uintptr_t)prev - 1);
				run.overall = verdict_worst(run.overall, v);
				counts[v]++;
				skipped++;
				continue;
			}
			v = scan_run_target(&run, targets[k]);
			counts[v]++;
			scanned++;
			if (state)
				append_state(state, targets[k], v);
			strmap_put(&done, targets[k], (void *)(uintptr_t)(v + 1));
			if (progress)
				fprintf(stderr, "lictrace: [%zu/%zu] %s: %s (%lds)\n", k + 1, ntargets, targets[k],
					verdict_name(v), (long)(time(NULL) - t0));
		}
	}
	rc = scan_run_end(&run);
	fprintf(stderr, "lictrace: audit: %zu scanned, %zu already done, shard %lu/%lu: %zu pass, %zu review, %zu fail, %zu incomplete\n",
		scanned, skipped, si, sn, counts[VERDICT_PASS], counts[VERDICT_REVIEW], counts[VERDICT_FAIL],
		counts[VERDICT_INCOMPLETE]);
	scan_run_answers(&run, stderr);
done:
	if (state)
		fclose(state);
	scan_run_release(&run);
	strmap_release(&done);
	audit_state_release(&st);
	for (size_t i = 0; i < ntargets; i++)
		free(targets[i]);
	free(targets);
	free(pos);
	return rc;
}
