/*
 * record.h - one model = one record: what a model's own files say about its
 * license and lineage, each fact with where it came from (file and line, or API
 * field). Built from a struct source by reading the card, configs, license /
 * notice / policy files and weight-file headers, and classifying license texts.
 *
 * A record holds facts only; judgement (conflicts, verdicts) is the findings and
 * policy layers' job. Ownership: a record owns all its strings; licdef pointers
 * borrow from the license database, which must outlive the record.
 */
#ifndef LT_RECORD_H
#define LT_RECORD_H

#include <stddef.h>

struct source;
struct licensedb;
struct licdef;
struct classify_ctx;
struct lt_error;

struct where {
	char *file;   /* path in the model repo, or "api" */
	int line;     /* 1-based, 0 when not applicable */
	char *field;  /* e.g. "license", "license_name", "tags", "general.license" */
};

struct declared {
	char *value;               /* as written */
	const struct licdef *lic;  /* resolved definition, or NULL when unknown */
	struct where at;
};

struct detected {
	const struct licdef *lic;
	double confidence;
	char *rule;       /* detection rule id */
	int kind;         /* enum rule_kind */
	int third_party;  /* found in a section for bundled third-party material */
	struct where at;  /* file and line of the first matched phrase */
	char *quote;      /* that line's text (at most RECORD_QUOTE_MAX bytes), or NULL:
			     a report can quote it after the file's text is freed */
};

/* A quoted evidence line is cut here (a report shows a line, not a paragraph). */
#define RECORD_QUOTE_MAX 240

struct parent {
	char *id;         /* Hub id "org/name", or the raw value when local_path */
	char *revision;   /* "@rev" part, or NULL */
	char *relation;   /* finetune, adapter, quantized, merge */
	int inferred;     /* relation was inferred, not declared */
	char *why;        /* how the relation was inferred */
	int local_path;   /* the value is a local path, not an id */
	const struct licdef *named_lic; /* a name from the card's prose that means this
					   license (e.g. "LLAMA-2"): no repo to resolve */
	char *same_as;    /* a local path taken for this parent's local copy, or NULL */
	struct where at;
};

/* A dataset the card says the model was trained on (`datasets:`): a Hub dataset
 * id ("org/name", or a legacy "name" without an org). */
struct dataset_ref {
	char *id;
	struct where at;
};

/* A license-ish file of the repo, with its text kept for notice checks. */
struct lic_file {
	char *path;
	char *role;           /* license, notice, policy */
	char *text;           /* a notice's contents (NULL when unreadable, and for
				 license and policy files once classified unless
				 record_keep_license_texts() is on) */
	size_t len;
	int unreadable;       /* symlink, binary, LFS pointer, too big ... */
	char *why_unreadable;
	int unknown;          /* readable but no license recognised */
	char *modified_from;  /* resembles this license id but differs */
};

/* One file of the repository and what the scan did with it, so a reviewer can
 * see what was not looked at. */
struct examined {
	char *path;
	const char *role;            /* card, license, notice, policy, config, ..., or NULL */
	unsigned long long size;     /* bytes as stored */
	int lfs_pointer;             /* a Git LFS pointer: the content was not downloaded */
	char *lfs_oid;               /* "sha256:<hex>" of the real file, when lfs_pointer */
	unsigned long long lfs_size; /* real size, when lfs_pointer */
	char *what;                  /* what was read, or why it was skipped */
};

/* Raw observations the findings layer turns into findings. */
struct note {
	char *finding;  /* finding id (rules/findings.yaml) */
	char *message;
	struct where at;
};

struct model_record {
	char *id;          /* Hub id or folder name */
	char *name;        /* model name used for the naming rule */
	const char *name_from;  /* where the name came from (IDENT_* in identity.h) */
	char *owner;       /* publishing organisation or user, or NULL when unknown */
	const char *owner_from; /* where the owner came from, or NULL */
	char *target;      /* what was scanned */
	char *source_kind; /* dir, git, archive, hub, mirror, hf-cache */
	char *revision;    /* commit sha or NULL */
	char *release_time; /* "YYYY-MM-DDThh:mm:ssZ" of the revision as its source
			       states it (hub lastModified, git commit time), or NULL */
	char *supplier;    /* who publishes the model where it was read (the hub's
			      "author"), or NULL when the source does not say */
	struct declared *declared;
	size_t ndeclared;
	struct detected *detected;
	size_t ndetected;
	struct parent *parents;
	size_t nparents;
	struct lic_file *files;
	size_t nfiles;
	struct note *notes;
	size_t nnotes;
	struct examined *examined;   /* every file of the source, in path order */
	size_t nexamined;
	int has_card;
	int other_declared;      /* license: other */
	int has_license_name;
	int has_license_link;
	char *license_link;       /* the card's license_link as written, or NULL */
	int gated;
	int multimodal;          /* pipeline or tags say image/video/audio input */
	int quantized_evidence;  /* GGUF/GPTQ/AWQ files or quantization config */
	int adapter_evidence;    /* adapter_config.json or library_name peft */
	int adapter_files;       /* adapter_config.json or adapter_model.* present */
	int full_weights;        /* full model weight files present */
	int truncated;           /* some input was cut short (incomplete) */
	char *card_text;         /* README.md as read (front matter and body), or NULL */
	/* found while reading, placed once everything is read (record_build) */
	struct parent *prose_bases;  /* base models named in the card's prose */
	size_t nprose_bases;
	struct parent *local_origin; /* config _name_or_path that is a local path */
	struct dataset_ref *datasets; /* card `datasets:`, valid ids only, once each */
	size_t ndatasets;
};

struct record_opts {
	const char *id;    /* model id to record (NULL: derived from the target) */
	size_t max_license_bytes;
	size_t max_card_bytes;
};

/* 1 when record_build reads the top-level file name whole, as text (a card,
 * license, notice, policy or config): a source may read it while listing. */
int record_reads_whole(const struct licensedb *db, const char *name);
/* 1 when record_build reads the top-level file name as a license, notice or
 * policy text (the file roles): what a hub source fetches besides its fixed set. */
int record_reads_text(const struct licensedb *db, const char *name);
/* Build a record from an opened source. Borrows src, db and cls. */
int record_build(struct model_record **out, struct source *src, const struct licensedb *db,
		 const struct classify_ctx *cls, const struct record_opts *opts,
		 struct lt_error *err);
void record_free(struct model_record *r);
/* A record for a model known only by a name that means one license (a prose
 * "fine-tuned from LLAMA-2"): no files, that license declared by the name. */
struct model_record *record_named(const char *id, const struct licdef *lic, const struct where *at);

/* Keep every license and policy file's text in lic_file.text (normally only a
 * notice's text is kept): `lictrace fix` copies ancestors' license texts. A
 * run-wide setting, made once before the first record is built. */
void record_keep_license_texts(int on);

/* Helpers shared with other layers. */
void record_note(struct model_record *r, const char *finding, const char *file, int line,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* 1 when s looks like a Hub model id "org/name" (no scheme, no leading / . ~,
 * exactly one '/'); also accepts "org/name@rev". */
int record_is_hub_id(const char *s);
/* 1 when s looks like a Hub dataset id: "org/name" or a legacy "name", of the
 * characters the Hub allows (letters, digits, '-', '_', '.'), not starting with
 * '.' or '-', at most 96 characters per part. */
int record_is_dataset_id(const char *s);
/* 1 when s is a local path (absolute, ./ ../ ~/, Windows drive, or several '/'). */
int record_is_local_path(const char *s);

#endif
