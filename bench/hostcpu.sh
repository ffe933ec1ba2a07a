# hostcpu.sh - the monitored side's CPU time, from /proc: every process of
# the test world's tree (its dockerd and what it starts, containerd, the
# shims of its engine and the containers' processes: postgres, redis ...;
# its sshd and the sessions it forks), utime + stime + cutime + cstime, so
# that short-lived children (ssh sessions, docker CLIs, execs) count through
# their parents once reaped.  Sourced after `world env`; host_cpu prints
# clock ticks (getconf CLK_TCK).
host_cpu() {
	python3 - "$WM_WORLD_DIR" <<'PY'
import os, sys
d = sys.argv[1]
ppid, t, roots = {}, {}, set()
for p in os.listdir("/proc"):
    if not p.isdigit():
        continue
    try:
        with open(f"/proc/{p}/stat") as f:
            f = f.read().rsplit(")", 1)[1].split()
        ppid[p] = f[1]
        t[p] = sum(int(x) for x in f[11:15])
        with open(f"/proc/{p}/cmdline", "rb") as f:
            c = f.read()
        if b"containerd-shim" in c and d.encode() in c:
            roots.add(p)
    except OSError:
        continue
for name in ("docker.pid", "ssh/sshd.pid"):
    try:
        roots.add(open(os.path.join(d, name)).read().strip())
    except OSError:
        pass
s, changed = set(roots), True
while changed:
    changed = False
    for p, pp in ppid.items():
        if p not in s and pp in s:
            s.add(p)
            changed = True
print(sum(t.get(p, 0) for p in s))
PY
}
