/* journal_int.h - what journal.c and journal_read.c share. */
#ifndef WM_JOURNAL_INT_H
#define WM_JOURNAL_INT_H

#include "store/journal.h"

/* Apply one parsed record to st: NULL when fine, else why it is invalid
 * ("" for ENOMEM).  The appending side applies a record before writing it,
 * so that the journal it writes is always one the reader accepts. */
const char *wm_journal_apply(struct wm_journal_state *st, const cJSON *rec);
/* A deep copy of src into dst (freed with wm_journal_state_free even on
 * failure).  Returns 0, or -1 when out of memory. */
int wm_journal_state_copy(struct wm_journal_state *dst, const struct wm_journal_state *src);

#endif
