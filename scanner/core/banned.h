/*
 * banned.h - functions that are easy to misuse with untrusted input. Included
 * after the system headers by every lictrace source file that includes it; the
 * test suite also greps the sources for these names (tests/check-source.sh).
 */
#ifndef LT_BANNED_H
#define LT_BANNED_H

#define LT_BANNED(func) sorry_##func##_is_banned_in_lictrace

#undef strcpy
#define strcpy(x, y) LT_BANNED(strcpy)
#undef strcat
#define strcat(x, y) LT_BANNED(strcat)
#undef sprintf
#define sprintf(...) LT_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) LT_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) LT_BANNED(strtok)
#undef atoi
#define atoi(x) LT_BANNED(atoi)
#undef gets
#define gets(x) LT_BANNED(gets)

#endif
