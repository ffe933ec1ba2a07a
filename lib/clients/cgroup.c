/* cgroup.c - a container's CPU and memory counters from its cgroup files
 * (the fixed command and the parser of its output; see cgroup.h). */
#include "config.h"

#include <string.h>

#include "clients/cgroup.h"
#include "clients/docker.h"

#define ID_LEN 64

/* The ids are its arguments ("$@"), never part of the script: the script is
 * the same bytes whatever the containers.  It checks each id again (hex
 * only) and asks grep for the lines that matter of every candidate file;
 * grep -s says nothing about the candidates that do not exist. */
static const char script[] =
    "f=/proc/meminfo\n"
    "while [ $# -gt 0 ] && [ \"$1\" != -- ]; do\n"
    "  id=$1; shift\n"
    "  case $id in ''|*[!0-9a-f]*) exit 2;; esac\n"
    "  for d in system.slice/docker-$id.scope docker/$id; do\n"
    "    d=/sys/fs/cgroup/$d\n"
    "    f=\"$f $d/cpu.stat $d/memory.current $d/memory.max $d/memory.stat $d/pids.current\"\n"
    "  done\n"
    "  for d in docker/$id system.slice/docker-$id.scope; do\n"
    "    c=/sys/fs/cgroup\n"
    "    f=\"$f $c/cpuacct/$d/cpuacct.usage $c/memory/$d/memory.usage_in_bytes\"\n"
    "    f=\"$f $c/memory/$d/memory.limit_in_bytes $c/memory/$d/memory.stat "
    "$c/pids/$d/pids.current\"\n"
    "  done\n"
    "done\n"
    "grep -sH -e '^MemTotal:' -e '^usage_usec ' -e '^total_inactive_file ' "
    "-e '^inactive_file ' -e '^[0-9]' -e '^max$' $f\n"
    "[ $# -gt 1 ] || exit 0\n"
    "shift\n"
    "echo " WM_CGROUP_DF_MARK "\n"
    "exec df -P -- \"$@\"\n";

bool
wm_cgroup_id_valid(const char *id)
{
	size_t i = 0;

	for (; id && i < ID_LEN; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return false;
	return id && id[ID_LEN] == '\0';
}

int
wm_cgroup_argv(const char *const *ids, size_t n, const char *const *paths, size_t np,
	       const char **argv, struct wm_err *err)
{
	if (n > WM_CGROUP_MAX_IDS || np > WM_CGROUP_MAX_PATHS)
		return wm_err_set(err, WM_EINVAL, "%zu containers, %zu paths: at most %d and %d", n,
				  np, WM_CGROUP_MAX_IDS, WM_CGROUP_MAX_PATHS);
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = script;
	argv[3] = "wm-cgroup"; /* $0 */
	for (size_t i = 0; i < n; i++) {
		if (!wm_cgroup_id_valid(ids[i]))
			return wm_err_set(err, WM_EINVAL, "not a container id: %.80s",
					  ids[i] ? ids[i] : "(null)");
		argv[4 + i] = ids[i];
	}
	argv[4 + n] = "--";
	for (size_t i = 0; i < np; i++)
		argv[5 + n + i] = paths[i]; /* after "--": df's, whatever they look like */
	argv[5 + n + np] = NULL;
	return 0;
}

const char *
wm_cgroup_df_part(const char *out, size_t len)
{
	static const char mark[] = WM_CGROUP_DF_MARK "\n";
	const char *p = out, *end = out + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if ((size_t)(end - p) >= sizeof(mark) - 1 && memcmp(p, mark, sizeof(mark) - 1) == 0)
			return p + sizeof(mark) - 1;
		p = nl ? nl + 1 : end;
	}
	return NULL;
}

/* A decimal counter (digits only, as the kernel writes them); -1 if not. */
static double
counter(const char *p, const char *end)
{
	double v = 0;

	if (p == end)
		return -1;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/* The value after "key " (spaces), up to end; -1 when the line is not key's. */
static double
keyed(const char *line, const char *end, const char *key)
{
	size_t k = strlen(key);

	if ((size_t)(end - line) <= k || memcmp(line, key, k) != 0 || line[k] != ' ')
		return -1;
	line += k;
	while (line < end && *line == ' ')
		line++;
	return counter(line, end);
}

/* Which of ids[] the path names (its 64 hex digits after "docker-" or
 * "docker/"); -1 when none. */
static long
which_id(const char *path, size_t plen, const char *const *ids, size_t n)
{
	for (size_t i = 0; i + 7 + ID_LEN <= plen; i++) {
		if (memcmp(path + i, "docker", 6) != 0 ||
		    (path[i + 6] != '-' && path[i + 6] != '/'))
			continue;
		for (size_t j = 0; j < n; j++)
			if (memcmp(path + i + 7, ids[j], ID_LEN) == 0)
				return (long)j;
	}
	return -1;
}

/* Set *slot from v unless already set (the first candidate wins) or v is bad. */
static void
put(double *slot, double v)
{
	if (*slot < 0 && v >= 0)
		*slot = v;
}

static bool
ends_with(const char *path, size_t plen, const char *name)
{
	size_t k = strlen(name);

	return plen > k && path[plen - k - 1] == '/' && memcmp(path + plen - k, name, k) == 0;
}

static void
one_line(struct wm_cgroup_sample *s, const char *path, size_t plen, const char *v, const char *end)
{
	bool v1 = plen > 22 && memcmp(path, "/sys/fs/cgroup/memory/", 22) == 0;
	double pids;

	if (ends_with(path, plen, "cpu.stat")) {
		double us = keyed(v, end, "usage_usec");

		if (us >= 0 && s->cpu_ns < 0) {
			s->cpu_ns = us * 1000.0;
			s->version = 2;
		}
	} else if (ends_with(path, plen, "cpuacct.usage")) {
		double ns = counter(v, end);

		if (ns >= 0 && s->cpu_ns < 0) {
			s->cpu_ns = ns;
			s->version = 1;
		}
	} else if (ends_with(path, plen, "memory.current") ||
		   ends_with(path, plen, "memory.usage_in_bytes")) {
		put(&s->mem_usage, counter(v, end));
	} else if (ends_with(path, plen, "memory.max") ||
		   ends_with(path, plen, "memory.limit_in_bytes")) {
		put(&s->mem_limit, counter(v, end)); /* v2 "max": unlimited, stays -1 */
	} else if (ends_with(path, plen, "memory.stat")) {
		put(&s->inactive_file, keyed(v, end, v1 ? "total_inactive_file" : "inactive_file"));
	} else if (ends_with(path, plen, "pids.current")) {
		pids = counter(v, end);
		if (s->pids < 0 && pids >= 0 && pids < 1e9)
			s->pids = (long)pids;
	}
}

int
wm_cgroup_parse(const char *out, size_t len, const char *const *ids, size_t n,
		struct wm_cgroup_sample *s, double *mem_total, struct wm_err *err)
{
	const char *p = out, *end = out + len;
	bool meminfo = false;
	int found = 0;

	*mem_total = -1;
	for (size_t i = 0; i < n; i++)
		s[i] = (struct wm_cgroup_sample){.cpu_ns = -1,
						 .mem_usage = -1,
						 .mem_limit = -1,
						 .inactive_file = -1,
						 .pids = -1};
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *colon = memchr(p, ':', (size_t)(le - p));
		long j;

		if ((size_t)(le - p) == sizeof(WM_CGROUP_DF_MARK) - 1 &&
		    memcmp(p, WM_CGROUP_DF_MARK, sizeof(WM_CGROUP_DF_MARK) - 1) == 0)
			break; /* df's output follows */

		if (colon && colon - p == 13 && memcmp(p, "/proc/meminfo", 13) == 0) {
			/* "MemTotal:       24684096 kB" */
			const char *v = colon + 1;
			double kb;

			meminfo = true;
			if ((size_t)(le - v) > 9 && memcmp(v, "MemTotal:", 9) == 0) {
				for (v += 9; v < le && *v == ' '; v++)
					;
				if (le - v > 3 && memcmp(le - 3, " kB", 3) == 0 &&
				    (kb = counter(v, le - 3)) >= 0)
					*mem_total = kb * 1024.0;
			}
		} else if (colon && (j = which_id(p, (size_t)(colon - p), ids, n)) >= 0) {
			one_line(&s[j], p, (size_t)(colon - p), colon + 1, le);
		}
		p = nl ? nl + 1 : end;
	}
	if (!meminfo)
		return wm_err_set(err, WM_EPROTO, "not the cgroup command's output (no MemTotal)");
	for (size_t i = 0; i < n; i++)
		found += s[i].version > 0;
	return found;
}

double
wm_cgroup_mem_used(const struct wm_cgroup_sample *s)
{
	if (s->mem_usage < 0)
		return -1;
	/* the engine's formula, on the one inactive_file the version has */
	return wm_docker_mem_used(s->mem_usage, s->inactive_file, -1);
}

double
wm_cgroup_mem_limit(const struct wm_cgroup_sample *s, double mem_total)
{
	if (s->mem_limit < 0)
		return mem_total;
	return mem_total >= 0 && s->mem_limit > mem_total ? mem_total : s->mem_limit;
}

double
wm_cgroup_cpu_percent(double prev_cpu_ns, double cpu_ns, double window_ms)
{
	if (!(window_ms > 0) || prev_cpu_ns < 0 || cpu_ns < prev_cpu_ns)
		return -1;
	return (cpu_ns - prev_cpu_ns) / (window_ms * 1e6) * 100.0;
}
