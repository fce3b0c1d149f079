#include <stdio.h>
#include <stdlib.h>
#include "words.h"

int main(void)
{
	static char text[1 << 20];
	size_t n = fread(text, 1, sizeof text - 1, stdin);
	struct stats s = {0};
	text[n] = '\0';
	count(&s, text);
	report(&s);
	return 0;
}
