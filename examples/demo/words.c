#include <ctype.h>
#include "words.h"

/* A word is a run of letters, digits or apostrophes. */
int next_word(const char **p, const char **start, size_t *len)
{
	const char *s = *p;
	while (*s && !(isalnum((unsigned char)*s) || *s == '\''))
		s++;
	if (!*s)
		return 0;
	*start = s;
	while (*s && (isalnum((unsigned char)*s) || *s == '\''))
		s++;
	*len = (size_t)(s - *start);
	*p = s;
	return 1;
}
