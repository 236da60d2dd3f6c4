/*
 * thirdparty.h - where a license or notice file turns to third-party material.
 *
 * A model's LICENSE often holds the model's own license followed by the
 * licenses of code it bundles ("LICENSE FOR Flash Attention", "Other
 * dependencies and licenses", "This product includes software from ..."), and
 * a NOTICE file often lists nothing but such code. A license found after such a
 * heading is a third-party license: its notices are kept, but it is not the
 * model's license and never a declared-vs-detected conflict.
 */
#ifndef LT_RECORD_THIRDPARTY_H
#define LT_RECORD_THIRDPARTY_H

#include <stddef.h>

/* Line (1-based) of the first heading-like line that introduces third-party
 * material in text, or 0 when there is none. */
int thirdparty_first_line(const char *text, size_t len);

/* The same for a text whose SHA-256 is sha (an audit reads the same few license
 * texts thousands of times): remembered per thread, a slot per key's first bytes. */
int thirdparty_first_line_keyed(const unsigned char sha[32], const char *text, size_t len);

#endif
