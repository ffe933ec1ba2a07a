#!/usr/bin/env python3
# silent-listener.py UNIX-SOCKET - accept on a loopback TCP port (printed on
# stdout) and on UNIX-SOCKET, never answer; gives up after 60 s.
import socket, sys, time, os
tcp = socket.socket(); tcp.bind(('127.0.0.1', 0)); tcp.listen(16)
ux = socket.socket(socket.AF_UNIX); ux.bind(sys.argv[1]); ux.listen(16)
print(tcp.getsockname()[1], flush=True)
held = []
tcp.setblocking(False); ux.setblocking(False)
end = time.time() + 60
while time.time() < end:
    for s in (tcp, ux):
        try: held.append(s.accept()[0])
        except BlockingIOError: pass
    time.sleep(0.05)
