#include <stdio.h>
#include "words.h"

void report(const struct stats *s)
{
	printf("words: %zu\nlines: %zu\nlongest: %zu\n", s->words, s->lines, s->longest);
	for (size_t i = 1; i < 32; i++)
		if (s->by_length[i])
			printf("length %2zu: %zu\n", i, s->by_length[i]);
}
