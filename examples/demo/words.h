#ifndef WORDS_H
#define WORDS_H
#include <stddef.h>

struct stats {
	size_t words, lines, longest;
	size_t by_length[32];
};

int next_word(const char **p, const char **start, size_t *len);
void count(struct stats *s, const char *text);
void report(const struct stats *s);
#endif
