/*
 * hub_names.h - private helpers shared by the hub backend's files (hub_target.c,
 * src_hub.c). Not part of the source interface.
 */
#ifndef LT_HUB_NAMES_H
#define LT_HUB_NAMES_H

#include <stddef.h>

/* 1 when s is a full 40-hex commit sha (lower case). */
int hub_is_sha(const char *s);
/* 1 when s[0..n) is an org or repo name the Hub allows. */
int hub_valid_name(const char *s, size_t n);
/* 1 for 1, on, yes, true (any case), as huggingface_hub reads its flags. */
int hub_env_truthy(const char *v);
/* The variable's value, or NULL when unset or empty. */
const char *hub_env_nonempty(const char *name);
/* huggingface_hub's home folder ($HF_HOME, else XDG / ~/.cache/huggingface); caller frees. */
char *hub_hf_home_dir(void);

#endif
