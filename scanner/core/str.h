/*
 * str.h - small string helpers. All returned strings are owned by the caller
 * (free()); all inputs are borrowed.
 */
#ifndef LT_STR_H
#define LT_STR_H

#include <stddef.h>

char *lt_strdup(const char *s);             /* NULL in, NULL out */
char *lt_strndup(const char *s, size_t n);
/* snprintf into a new string. */
char *lt_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Copy with truncation; always NUL-terminates when size > 0; returns strlen(src). */
size_t lt_strlcpy(char *dst, const char *src, size_t size);
int lt_starts_with(const char *s, const char *prefix);
int lt_ends_with(const char *s, const char *suffix);
int lt_istarts_with(const char *s, const char *prefix); /* ASCII case-insensitive */
int lt_strieq(const char *a, const char *b);              /* ASCII case-insensitive */
void lt_str_lower(char *s);                              /* ASCII only, in place */
/* 1 when s[0..n) is valid UTF-8 (no overlongs, no surrogates). */
int lt_utf8_valid(const char *s, size_t n);
/* Length (1..4) of the valid UTF-8 sequence s starts with, 0 when the byte there
 * starts none; s is NUL-terminated, so a short tail fails the continuation test. */
size_t lt_utf8_seq(const char *s);
/* Case-insensitive glob with '*' and '?' (ASCII). */
int lt_glob_match(const char *pattern, const char *s);
/* Trim ASCII whitespace in place; returns s. */
char *lt_trim(char *s);
/* Line number (1-based) of byte offset off in text. */
int lt_line_of(const char *text, size_t len, size_t off);

#endif
