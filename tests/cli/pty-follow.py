#!/usr/bin/env python3
# pty-follow.py MODE OUT CMD... - run CMD (wm-run status --follow) on a
# pseudo-terminal, as a person at a terminal would, and say how it ended.
#   MODE q     after two redraws, press q
#        intr  after two redraws, press ^C (the terminal sends SIGINT)
#        term  after two redraws, send SIGTERM
#        wait  only wait for it to end by itself
# Writes what the terminal showed to OUT and prints one line:
#   rc=N redraws=N echo=0|1 icanon=0|1 secs=S
# (rc 128+N when killed by signal N, "rc=hung" when it did not end within
# 60 s of the action; echo/icanon: the terminal's modes after it ended, both
# 1 when it restored the terminal it changed).
import os, pty, select, signal, sys, termios, time

mode, out, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
CLEAR = b"\033[H\033[2J"
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
buf = b""
t0 = time.time()
status = None


def pump(timeout):
    """Read what the terminal shows for up to timeout s; False at its end."""
    global buf
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return True
    try:
        d = os.read(fd, 65536)
    except OSError:
        return False
    buf += d
    return bool(d)


def reap(block):
    global status
    if status is None:
        p, st = os.waitpid(pid, 0 if block else os.WNOHANG)
        if p:
            status = st
    return status is not None


acted = mode == "wait"
deadline = time.time() + 60
while time.time() < deadline:
    if not pump(0.1) or reap(False):
        break
    if not acted and buf.count(CLEAR) >= 2:
        acted = True
        deadline = time.time() + 60
        if mode == "q":
            os.write(fd, b"q")
        elif mode == "intr":
            os.write(fd, termios.tcgetattr(fd)[6][termios.VINTR])
        elif mode == "term":
            os.kill(pid, signal.SIGTERM)
# the terminal's modes as the program left them (the master reads the slave's)
attrs = termios.tcgetattr(fd)
if not reap(False):
    end = time.time() + 5
    while time.time() < end and not reap(False):
        pump(0.1)
if status is None:
    os.kill(pid, signal.SIGKILL)
    reap(True)
    rc = "hung"
else:
    rc = os.waitstatus_to_exitcode(status)
    rc = 128 - rc if rc < 0 else rc
while pump(0.05):
    pass
attrs = termios.tcgetattr(fd) if status is not None else attrs
with open(out, "wb") as f:
    f.write(buf)
print("rc=%s redraws=%d echo=%d icanon=%d secs=%.1f" % (
    rc, buf.count(CLEAR), bool(attrs[3] & termios.ECHO), bool(attrs[3] & termios.ICANON),
    time.time() - t0))
