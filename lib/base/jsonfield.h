/* jsonfield.h - one field of a one-line JSON log record, found without parsing
 * the record (the analyzers' extra fields: "email", "duration", a configured
 * "responseTime").
 *
 * Finds the first `"key":` (blanks allowed around the colon) and returns its
 * value: the raw inside of a string (escapes left as they are), or the token
 * of a number/true/false/null.  Objects and arrays are not values here (the
 * field is reported absent).  The first occurrence wins, nested or not: log
 * records put their own fields first in practice (winston sorts keys, so a
 * nested key of the same name can win; the callers' keys are rare as nested
 * names).  Reads no byte past n, needs no NUL.
 */
#ifndef WM_JSONFIELD_H
#define WM_JSONFIELD_H

#include <stdbool.h>
#include <stddef.h>

bool wm_jsonfield(const char *text, size_t n, const char *key, const char **v, size_t *vl,
		  bool *is_str);

#endif
