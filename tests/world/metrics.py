"""Just enough of prom-client for the world's backend: labelled histograms
(Warungin's buckets) and counters, rendered in the Prometheus text format."""
import threading
import time

BUCKETS = (0.1, 0.3, 0.5, 0.7, 1, 3, 5, 7, 10)
START = time.time()


class Metrics:
    """Just enough of prom-client: labelled histograms and counters."""

    def __init__(self):
        self.lock = threading.Lock()
        self.hist = {}   # (name, labels tuple) -> [bucket counts..., sum, count]
        self.count = {}  # (name, labels tuple) -> value

    def observe(self, name, labels, seconds):
        key = (name, tuple(sorted(labels.items())))
        with self.lock:
            h = self.hist.setdefault(key, [0] * len(BUCKETS) + [0.0, 0])
            for i, b in enumerate(BUCKETS):
                if seconds <= b:
                    h[i] += 1
            h[-2] += seconds
            h[-1] += 1

    def inc(self, name, labels):
        key = (name, tuple(sorted(labels.items())))
        with self.lock:
            self.count[key] = self.count.get(key, 0) + 1

    @staticmethod
    def _labels(pairs, extra=()):
        items = list(pairs) + list(extra)
        return "{" + ",".join('%s="%s"' % (k, v) for k, v in items) + "}" if items else ""

    def render(self):
        out = []
        helps = {
            "warungin_http_request_duration_seconds": "Duration of HTTP requests in seconds",
            "warungin_db_query_duration_seconds": "Duration of database queries in seconds",
            "warungin_redis_operation_duration_seconds": "Duration of Redis operations in seconds",
            "warungin_http_requests_total": "Total number of HTTP requests",
            "warungin_errors_total": "Total number of errors",
        }
        with self.lock:
            hist = sorted(self.hist.items())
            count = sorted(self.count.items())
        for name in ("warungin_http_request_duration_seconds", "warungin_db_query_duration_seconds",
                     "warungin_redis_operation_duration_seconds"):
            out.append("# HELP %s %s" % (name, helps[name]))
            out.append("# TYPE %s histogram" % name)
            for (n, labels), h in hist:
                if n != name:
                    continue
                for i, b in enumerate(BUCKETS):
                    out.append("%s_bucket%s %d" % (name, self._labels(labels, [("le", "%g" % b)]), h[i]))
                out.append("%s_bucket%s %d" % (name, self._labels(labels, [("le", "+Inf")]), h[-1]))
                out.append("%s_sum%s %.6f" % (name, self._labels(labels), h[-2]))
                out.append("%s_count%s %d" % (name, self._labels(labels), h[-1]))
        for name in ("warungin_http_requests_total", "warungin_errors_total"):
            out.append("# HELP %s %s" % (name, helps[name]))
            out.append("# TYPE %s counter" % name)
            for (n, labels), v in count:
                if n == name:
                    out.append("%s%s %d" % (name, self._labels(labels), v))
        out.append("# HELP warungin_process_start_time_seconds Start time of the process since unix epoch in seconds.")
        out.append("# TYPE warungin_process_start_time_seconds gauge")
        out.append("warungin_process_start_time_seconds %d" % START)
        rss = 0
        try:
            with open("/proc/self/status", encoding="ascii") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1]) * 1024
        except OSError:
            pass
        out.append("# HELP warungin_process_resident_memory_bytes Resident memory size in bytes.")
        out.append("# TYPE warungin_process_resident_memory_bytes gauge")
        out.append("warungin_process_resident_memory_bytes %d" % rss)
        return "\n".join(out) + "\n"
