#include "words.h"

void count(struct stats *s, const char *text)
{
	const char *start;
	size_t len;
	for (const char *c = text; *c; c++)
		if (*c == '\n')
			s->lines++;
	while (next_word(&text, &start, &len)) {
		s->words++;
		if (len > s->longest)
			s->longest = len;
		s->by_length[len < 31 ? len : 31]++;
	}
}
