/*
 * help.h - the command line's help as one source: the command table (main.c),
 * each command's option table (printed by `lictrace CMD --help`) and the texts
 * below. From them come `lictrace --help`, the man page lictrace(1) (hidden
 * `lictrace --help-man`, run at build time) and the words the shell completions
 * offer (hidden `lictrace --help-words`, run at completion time).
 */
#ifndef LT_HELP_H
#define LT_HELP_H

#include <stddef.h>
#include <stdio.h>

struct cmd_spec;

/* What lictrace is, in one line (man page NAME, `lictrace --help`). */
extern const char help_about[];

/* "exit codes: 0 pass, 1 findings, ..." for `lictrace --help`. */
void help_exit_codes(FILE *f);
/* The man page in roff. 0, or 2 after printing why to stderr. */
int help_man(FILE *f, const struct cmd_spec *cmds, size_t n);
/* For completions, one word per line: with what NULL the commands; "formats" the
 * report formats; a command name its options ("--name ARG" when it takes one).
 * 0, or 2 for an unknown command. */
int help_words(FILE *f, const struct cmd_spec *cmds, size_t n, const char *what);

#endif
