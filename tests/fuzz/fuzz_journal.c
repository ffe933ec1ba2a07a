/* fuzz_journal.c - libFuzzer target: the journal reader (wm-run's resume and
 * wm-report read journals that a crash, a full disk or a person may have cut
 * or edited).  Whatever is read must be consistent: the valid prefix plus the
 * torn tail never exceed the input, every valid record was counted, no tick
 * is both ended and missed or ended without an attempt (a started tick may
 * be missed: killed, then overtaken by the next of its tier); reading the valid
 * prefix alone gives the same state.  Build and run with scripts/fuzz. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "store/journal.h"

static int
count(const cJSON *rec, void *ctx)
{
	(void)rec;
	++*(int64_t *)ctx;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wm_journal_state st, again;
	struct wm_err e = {0};
	int64_t seen = 0;
	int rc = wm_journal_read_mem((const char *)data, size, &st, count, &seen, &e);

	if (rc == -1 && (e.code == WM_EOK || !e.msg[0]))
		abort();
	if (st.valid_bytes + st.torn_bytes > size || seen != st.records ||
	    st.last_seq != st.records)
		abort();
	for (size_t i = 0; i < st.n_ticks; i++) {
		const struct wm_journal_tick *t = &st.ticks[i];

		if ((t->ended && t->missed) || (t->ended && t->attempts < 1) ||
		    wm_journal_tick(&st, t->tier, t->at_ms) != t)
			abort();
	}
	for (size_t i = 0; i < st.n_keys; i++)
		if (!wm_journal_notified(&st, st.keys[i]))
			abort();
	if (rc == 0) {
		if (st.valid_bytes + st.torn_bytes != size)
			abort();
		if (wm_journal_read_mem((const char *)data, st.valid_bytes, &again, NULL, NULL,
					&e) != 0 ||
		    again.records != st.records || again.n_ticks != st.n_ticks ||
		    again.torn_bytes != 0)
			abort();
		wm_journal_state_free(&again);
	}
	wm_journal_state_free(&st);
	return 0;
}
