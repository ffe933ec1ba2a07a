#!/usr/bin/env python3
# mute-postgres.py - a PostgreSQL that lets every client in (trust: no
# password), then never answers a query: the server or tunnel that stops
# answering after the connection is made.  Prints its loopback port; gives
# up after 60 s.
import socket, struct, threading, time

def serve(c):
    try:
        while True:
            n = struct.unpack('!I', c.recv(4, socket.MSG_WAITALL))[0]
            body = c.recv(n - 4, socket.MSG_WAITALL)
            code = struct.unpack('!I', body[:4])[0]
            if code in (80877103, 80877104):  # SSLRequest, GSSENCRequest
                c.sendall(b'N')
                continue
            break  # the StartupMessage
        c.sendall(b'R' + struct.pack('!II', 8, 0) +
                  b'S' + struct.pack('!I', 4 + 15 + 5) + b'server_version\x0015.0\x00' +
                  b'K' + struct.pack('!III', 12, 4242, 7) +
                  b'Z' + struct.pack('!I', 5) + b'I')
        while c.recv(65536):
            pass  # read the queries, answer none
    except (OSError, struct.error):
        pass

s = socket.socket()
s.bind(('127.0.0.1', 0))
s.listen(16)
s.settimeout(0.2)
print(s.getsockname()[1], flush=True)
end = time.time() + 60
while time.time() < end:
    try:
        c, _ = s.accept()
    except socket.timeout:
        continue
    threading.Thread(target=serve, args=(c,), daemon=True).start()
