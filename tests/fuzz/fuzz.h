/* fuzz.h - small helpers shared by the libFuzzer harnesses (header only). */
#ifndef WM_FUZZ_H
#define WM_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of the input (the parsers that take C strings). */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A cursor over the input, to draw bytes, numbers and strings from it. */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline unsigned
fuzz_byte(struct fuzz_in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static inline double
fuzz_double(struct fuzz_in *in)
{
	double d = 0;

	if (in->n >= sizeof(d)) {
		memcpy(&d, in->p, sizeof(d));
		in->p += sizeof(d);
		in->n -= sizeof(d);
	}
	return d;
}

/* A malloc'd string of up to the next byte's value in bytes (stops at an embedded NUL). */
static inline char *
fuzz_str(struct fuzz_in *in)
{
	size_t len = fuzz_byte(in);
	char *s;

	if (len > in->n)
		len = in->n;
	s = malloc(len + 1);
	if (!s)
		abort();
	memcpy(s, in->p, len);
	s[len] = '\0';
	in->p += len;
	in->n -= len;
	return s;
}

#endif
