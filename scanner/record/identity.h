/*
 * identity.h - what a scanned model is called and who publishes it, and where
 * each fact came from. The name is what a naming rule ("must begin with Llama")
 * is judged on; the owner tells a licensor's own release from a redistribution.
 *
 * The name is taken from the first of: the card's `model_name`, the card's
 * `model-index[0].name`, the Hub id, the git remote `origin` URL's last
 * segment, the folder's real base name (never "." or a path; a folder laid out
 * as download tools do, `org__name` or `models--org--name`, gives `name`). The
 * owner comes from the Hub id, the origin URL, or such a folder layout.
 */
#ifndef LT_RECORD_IDENTITY_H
#define LT_RECORD_IDENTITY_H

/* Where a name or owner came from (static strings, shown in reports). */
#define IDENT_CARD_MODEL_NAME "card model_name"
#define IDENT_CARD_MODEL_INDEX "card model-index"
#define IDENT_HUB_ID "hub id"
#define IDENT_GIT_ORIGIN "git remote origin"
#define IDENT_FOLDER "folder name"

/* The origin remote's URL of the git checkout or bare repository at dir (read
 * from its config file, bounded; never runs git), or NULL. */
char *identity_git_origin(const char *dir);

/* Owner and name from a URL's last two path segments ("https://hf.co/org/name",
 * "git@github.com:org/name.git"); either may come back NULL. */
void identity_from_url(const char *url, char **owner, char **name);

/* Owner and name from a folder path: its real base name (resolving "." and
 * links), split by the download-tool layouts above; owner may be NULL. */
void identity_from_folder(const char *path, char **owner, char **name);

/* The real base name of a folder path (resolving "." and links), or NULL. */
char *identity_folder_base(const char *path);

#endif
