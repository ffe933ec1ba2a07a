#!/usr/bin/python3
"""Stand-in for Grafana Loki or Promtail in the test world.

Neither Loki nor Promtail is packaged in Debian 12 and no registry is reachable,
so the world runs this instead: it answers GET /ready with "ready" and GET
/metrics with a few of the real program's metric names, and (as loki) accepts
pushes on /loki/api/v1/push with 204.  It is not Loki: it stores nothing.
Usage: stub.py loki|promtail PORT
"""
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KIND, PORT = sys.argv[1], int(sys.argv[2])
START = time.time()
COUNT = {"n": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, ctype="text/plain; charset=utf-8"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        COUNT["n"] += 1
        if self.path == "/ready":
            self.answer(200, "ready\n")
        elif self.path == "/metrics":
            up = time.time() - START
            lines = [
                "# HELP %s_build_info A metric with a constant '1' value." % KIND,
                "# TYPE %s_build_info gauge" % KIND,
                '%s_build_info{branch="HEAD",goversion="go1.21",revision="stand-in",version="2.9.4"} 1' % KIND,
                "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.",
                "# TYPE process_start_time_seconds gauge",
                "process_start_time_seconds %.2f" % START,
                "# HELP %s_request_total Requests served (stand-in)." % KIND,
                "# TYPE %s_request_total counter" % KIND,
                "%s_request_total %d" % (KIND, COUNT["n"]),
            ]
            if KIND == "promtail":
                lines += ["# TYPE promtail_targets_active_total gauge", "promtail_targets_active_total 8",
                          "# TYPE promtail_sent_entries_total counter",
                          'promtail_sent_entries_total{host="loki:3100"} %d' % int(up)]
            else:
                lines += ["# TYPE loki_ingester_streams_created_total counter",
                          "loki_ingester_streams_created_total 8"]
            self.answer(200, "\n".join(lines) + "\n", "text/plain; version=0.0.4; charset=utf-8")
        else:
            self.answer(404, "404 page not found\n")

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(min(n, 1 << 20))
        if KIND == "loki" and self.path == "/loki/api/v1/push":
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.answer(404, "404 page not found\n")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda s, f: threading.Thread(target=server.shutdown, daemon=True).start())
    print('level=info ts=%s caller=main.go:108 msg="Starting %s (stand-in)" port=%d'
          % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), KIND, PORT), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
