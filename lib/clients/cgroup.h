/* cgroup.h - a container's CPU and memory counters from its cgroup files,
 * read on the Docker host by one fixed command (over the session's exec
 * channel or locally), instead of the Engine API's stats call, which waits
 * for the engine's next one-to-two-second collection and costs dockerd CPU.
 *
 * The command is a constant sh script (WM_CGROUP_SCRIPT); the container ids
 * are its arguments, checked to be 64 lowercase hex digits before they are
 * passed and again by the script.  It prints the lines that matter of each
 * candidate file that exists, as `grep -H` does ("PATH:LINE"):
 *   cgroup v2  /sys/fs/cgroup/{system.slice/docker-ID.scope,docker/ID}/
 *              cpu.stat (usage_usec), memory.current, memory.max,
 *              memory.stat (inactive_file), pids.current
 *   cgroup v1  /sys/fs/cgroup/CONTROLLER/{docker/ID,system.slice/docker-ID.scope}/
 *              cpuacct.usage, memory.usage_in_bytes, memory.limit_in_bytes,
 *              memory.stat (total_inactive_file), pids.current
 * and /proc/meminfo's MemTotal (the engine caps a container's memory limit
 * at the host's memory, and so do we).  The parser stops at the df mark. */
#ifndef WM_CGROUP_H
#define WM_CGROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* Ids and df paths per command: the argument list stays well under an exec
 * request's size. */
#define WM_CGROUP_MAX_IDS 64
#define WM_CGROUP_MAX_PATHS 32
/* The line between the counters and df's output. */
#define WM_CGROUP_DF_MARK "@@wm-df"

/* One container's counters; -1 where a file was missing or unreadable. */
struct wm_cgroup_sample {
	int version;	      /* 1 or 2 (of the CPU counter); 0: no CPU counter found */
	double cpu_ns;	      /* CPU time used since the container started, ns */
	double mem_usage;     /* bytes, page cache included */
	double mem_limit;     /* bytes; -1 also for "max" (unlimited) */
	double inactive_file; /* v1 total_inactive_file, v2 inactive_file */
	long pids;
};

/* Whether id is a full container id (64 lowercase hex digits). */
bool wm_cgroup_id_valid(const char *id);

/* The argv of the command for ids[0..n) (n <= WM_CGROUP_MAX_IDS, each
 * valid), and when np > 0 `df -P -- PATH...` of paths[0..np) after them in
 * the same command (one exec channel for --stats --disk: the paths go as
 * arguments after "--", never into the script), its output after a line
 * WM_CGROUP_DF_MARK, its exit status the command's.  argv must have room
 * for n + np + 6 entries; NULL-terminated.  -1 (err) on a bad id or too many. */
int wm_cgroup_argv(const char *const *ids, size_t n, const char *const *paths, size_t np,
		   const char **argv, struct wm_err *err);
/* Where df's output starts in the command's output (after the mark line),
 * or NULL when df did not run. */
const char *wm_cgroup_df_part(const char *out, size_t len);

/* Parse the command's output for ids[0..n) into out[0..n) and the host's
 * memory (*mem_total bytes, -1 when not said).  Lines of other containers,
 * unknown files and malformed values are ignored (the value stays -1).
 * Returns the number of containers with a CPU counter, -1 (err) when the
 * output is not the command's. */
int wm_cgroup_parse(const char *out, size_t len, const char *const *ids, size_t n,
		    struct wm_cgroup_sample *s, double *mem_total, struct wm_err *err);

/* Memory in use as docker stats shows it (page cache's inactive part
 * excluded), and the limit capped at mem_total; -1 when unknown. */
double wm_cgroup_mem_used(const struct wm_cgroup_sample *s);
double wm_cgroup_mem_limit(const struct wm_cgroup_sample *s, double mem_total);

/* CPU % of one core over a window: (cpu_ns - prev_cpu_ns) over the wall
 * time between the two samples (ms).  -1 when the window is empty or the
 * counter went back (a new container: the caller uses its start instead). */
double wm_cgroup_cpu_percent(double prev_cpu_ns, double cpu_ns, double window_ms);

#endif
