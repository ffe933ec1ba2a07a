/* classify_int.h - the portable word scan, for the tests to compare with. */
#ifndef WM_CLASSIFY_INT_H
#define WM_CLASSIFY_INT_H

#include <stddef.h>

/* wm_classify_default_words without SIMD (every 4th byte looked at): what
 * builds without SSE2 use. */
int wm_classify_words_sampled(const char *s, size_t n);

#endif
