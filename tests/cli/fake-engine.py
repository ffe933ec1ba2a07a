#!/usr/bin/env python3
# fake-engine.py SOCKET MODEFILE - a hostile Docker engine on a unix socket.
# /_ping answers OK; the container list answers what MODEFILE names (read
# afresh for every connection), one of the cases below.  A loopback TCP port
# (printed on stdout) answers a redis or postgres client in mode "reset" with
# a few bytes and then a TCP reset, in other modes with garbage.  Gives up
# after 120 s.
import json, os, select, socket, struct, sys, time

GOOD = [{"Id": "c1", "Names": ["/p-a-1"], "State": "running", "Status": "Up",
         "Labels": {"com.docker.compose.project": "p", "com.docker.compose.service": "a"}}]
# "down": the same container, exited (a service down, for wm-run's watch)
DOWN = [dict(GOOD[0], State="exited", Status="Exited (1) 3 seconds ago")]
HDR = b"HTTP/1.1 200 OK\r\nApi-Version: 1.43\r\nContent-Type: application/json\r\n"


def full(body):
    return HDR + b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(body) + body


# mode -> bytes sent (then the connection closes), or a callable(conn)
CASES = {
    "good": full(json.dumps(GOOD).encode()),
    "down": full(json.dumps(DOWN).encode()),
    "malformed": full(b'[{"Id": "c1", "Names": ["/p-a-1", }'),
    "notjson": full(b"<html>502 Bad Gateway</html>"),
    "empty": full(b""),
    "object": full(b'{"message": "page not found"}'),
    "numbers": full(b"[1, 2, null, \"x\"]"),
    "wrongtypes": full(b'[{"Id": 7, "Names": "p-a-1", "State": ["running"], "Labels": 3}]'),
    "nulls": full(b'[{"Id": null, "Names": [null], "State": null, "Labels": null}]'),
    "deep": full(b"[" * 200000 + b"]" * 200000),
    "hugestring": full(b'[{"Id": "c1", "Names": ["/' + b"x" * (4 << 20) + b'"], "State": "running", "Labels": '
                       + json.dumps(GOOD[0]["Labels"]).encode() + b"}]"),
    "oversized": full(b"[" + b",".join([json.dumps(GOOD[0]).encode()] * 60000) + b"]"),
    "truncated": HDR + b"Connection: close\r\nContent-Length: 5000\r\n\r\n" + json.dumps(GOOD).encode()[:40],
    "badstatus": b"\x00\xff\xfeNOT HTTP AT ALL\r\n\r\n",
    "nostatus": b"",
    "badchunk": HDR + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n[]\r\n0\r\n\r\n",
    "status500": b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\n\r\n{}",
    "reset": "reset",
}


def serve(conn, mode):
    req = b""
    while b"\r\n\r\n" not in req:
        d = conn.recv(4096)
        if not d:
            return
        req += d
    line = req.split(b"\r\n")[0].decode(errors="replace")
    path = line.split(" ")[1] if " " in line else ""
    if path.endswith("/_ping"):
        conn.sendall(HDR + b"Content-Length: 2\r\n\r\nOK")
        return serve(conn, mode)
    if mode in ("good", "down") and path.endswith("/containers/c1/json"):
        up = mode == "good"
        ins = {"Id": "c1", "Name": "/p-a-1", "RestartCount": 0,
               "State": {"Status": "running" if up else "exited", "Running": up,
                         "ExitCode": 0 if up else 1},
               "Config": {"Labels": GOOD[0]["Labels"]}}
        body = json.dumps(ins).encode()
        conn.sendall(full(body))
        return
    if mode == "reset":
        # headers and half a body, then a reset (SO_LINGER 0), not a close
        conn.sendall(HDR + b"Content-Length: 5000\r\n\r\n[{\"Id\": \"c1\", ")
        time.sleep(0.2)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        return
    conn.sendall(CASES[mode])




def serve_tcp(conn, mode):
    conn.recv(4096)
    if mode == "good" and path.endswith("/containers/c1/json"):
        ins = {"Id": "c1", "Name": "/p-a-1", "RestartCount": 0,
               "State": {"Status": "running", "Running": True, "ExitCode": 0},
               "Config": {"Labels": GOOD[0]["Labels"]}}
        body = json.dumps(ins).encode()
        conn.sendall(full(body))
        return
    if mode == "reset":
        conn.sendall(b"+PO")  # half an answer, then RST
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    else:
        conn.sendall(b"\x00\xff garbage \xfe" * 1000 + b"\r\n")


ux = socket.socket(socket.AF_UNIX)
ux.bind(sys.argv[1])
ux.listen(16)
tcp = socket.socket()
tcp.bind(("127.0.0.1", 0))
tcp.listen(16)
print(tcp.getsockname()[1], flush=True)
end = time.time() + 120
while time.time() < end:
    ready, _, _ = select.select([ux, tcp], [], [], 1)
    for ls in ready:
        c, _ = ls.accept()
        with c:
            c.settimeout(30)
            try:
                with open(sys.argv[2]) as f:
                    mode = f.read().strip()
                (serve if ls is ux else serve_tcp)(c, mode)
            except OSError:
                pass
