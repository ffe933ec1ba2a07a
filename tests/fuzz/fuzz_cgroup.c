/* fuzz_cgroup.c - the cgroup counters' command output read back from a
 * Docker host (lib/clients/cgroup.h), for the world's two container ids and
 * one more, and where df's part starts; not NUL-terminated. */
#include "config.h"

#include "clients/cgroup.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ids[] = {
	    "bab97c0776c2455408eb924bb33144f31e3a220db20465bf1e602e904000376f",
	    "2d1350a2ae6020ff8bb77d8dbdd440cf97349bf78e8450e81f86f9f901e505fd",
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"};
	struct wm_cgroup_sample s[3];
	struct wm_err err = {0};
	double total;
	char *copy = malloc(size ? size : 1);
	const char *df;
	int n;

	if (!copy)
		abort();
	memcpy(copy, data, size);
	n = wm_cgroup_parse(copy, size, ids, 3, s, &total, &err);
	df = wm_cgroup_df_part(copy, size);
	if (df && (df < copy || df > copy + size))
		abort(); /* df's part is inside the output */
	if (n > 3 || (n < 0 && !err.msg[0]))
		abort();
	for (int i = 0; n >= 0 && i < 3; i++) {
		double used = wm_cgroup_mem_used(&s[i]), limit = wm_cgroup_mem_limit(&s[i], total);

		/* a counter is read or it is -1, never a guess; no CPU without a version */
		if ((s[i].version == 0) != (s[i].cpu_ns < 0) || s[i].pids < -1 ||
		    (s[i].mem_usage < 0 && used != -1) || used > s[i].mem_usage ||
		    (total >= 0 && limit > total))
			abort();
	}
	free(copy);
	return 0;
}
