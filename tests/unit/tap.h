/*
 * tap.h - a tiny unit-test harness. Each test file defines test functions named
 * test_<name>(void) and lists them in TESTS(...). `test_x NAME` runs one test.
 * The summary line "N passed, N failed" is what CI reads.
 */
#ifndef LT_TAP_H
#define LT_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_failed_;
static int tap_checks_;

#define CHECK(cond)                                                                        \
	do {                                                                               \
		tap_checks_++;                                                             \
		if (!(cond)) {                                                             \
			fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			tap_failed_ = 1;                                                   \
		}                                                                          \
	} while (0)

#define CHECK_EQ_INT(a, b)                                                                 \
	do {                                                                               \
		long long a_ = (long long)(a), b_ = (long long)(b);                        \
		tap_checks_++;                                                             \
		if (a_ != b_) {                                                            \
			fprintf(stderr, "  %s:%d: %s == %lld, expected %s == %lld\n", __FILE__, \
				__LINE__, #a, a_, #b, b_);                                 \
			tap_failed_ = 1;                                                   \
		}                                                                          \
	} while (0)

#define CHECK_STR(a, b)                                                                    \
	do {                                                                               \
		const char *a_ = (a), *b_ = (b);                                           \
		tap_checks_++;                                                             \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                   \
			fprintf(stderr, "  %s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, \
				__LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");      \
			tap_failed_ = 1;                                                   \
		}                                                                          \
	} while (0)

struct tap_test {
	const char *name;
	void (*fn)(void);
};

#define T(name) { #name, test_##name }
#define TESTS(...)                                                                         \
	static const struct tap_test tap_tests_[] = { __VA_ARGS__ };                        \
	int main(int argc, char **argv)                                                    \
	{                                                                                  \
		int passed = 0, failed = 0;                                                \
		for (size_t i = 0; i < sizeof(tap_tests_) / sizeof(*tap_tests_); i++) {    \
			if (argc > 1 && strcmp(argv[1], tap_tests_[i].name) != 0)          \
				continue;                                                  \
			tap_failed_ = 0;                                                   \
			tap_tests_[i].fn();                                                \
			printf("%s %s\n", tap_failed_ ? "FAIL" : "ok  ", tap_tests_[i].name); \
			if (tap_failed_)                                                   \
				failed++;                                                  \
			else                                                               \
				passed++;                                                  \
		}                                                                          \
		printf("%d passed, %d failed\n", passed, failed);                          \
		return failed ? 1 : 0;                                                     \
	}

/* Source tree root, for fixtures (set by CMake). */
#ifndef LT_SOURCE_DIR
#define LT_SOURCE_DIR "."
#endif

#endif
