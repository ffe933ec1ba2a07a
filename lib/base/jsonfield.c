/* jsonfield.c - one field of a JSON log line (see jsonfield.h). */
#include "config.h"

#include <string.h>

#include "base/jsonfield.h"

static size_t
blanks(const char *t, size_t n, size_t i)
{
	while (i < n && (t[i] == ' ' || t[i] == '\t'))
		i++;
	return i;
}

bool
wm_jsonfield(const char *t, size_t n, const char *key, const char **v, size_t *vl, bool *is_str)
{
	size_t kl = strlen(key);
	const char *p = t;

	while (kl > 0 && (size_t)(t + n - p) >= kl + 3 &&
	       (p = memchr(p, '"', (size_t)(t + n - p) - kl - 2)) != NULL) {
		size_t i = (size_t)(p - t) + 1, j;

		p++;
		if (memcmp(t + i, key, kl) != 0 || t[i + kl] != '"')
			continue;
		i = blanks(t, n, i + kl + 1);
		if (i >= n || t[i] != ':')
			continue;
		i = blanks(t, n, i + 1);
		if (i >= n)
			return false;
		if (t[i] == '"') {
			for (j = i + 1; j < n && t[j] != '"'; j += t[j] == '\\' ? 2 : 1)
				;
			if (j > n)
				j = n;
			*v = t + i + 1;
			*vl = j - i - 1;
			*is_str = true;
			return true;
		}
		if (t[i] == '{' || t[i] == '[')
			return false;
		for (j = i; j < n && t[j] != ',' && t[j] != '}' && t[j] != ' ' && t[j] != ']'; j++)
			;
		*v = t + i;
		*vl = j - i;
		*is_str = false;
		return j > i;
	}
	return false;
}
