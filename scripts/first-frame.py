#!/usr/bin/env python3
"""Time to first full frame: oobe against a minimal Bubble Tea v2 program.

Builds both binaries, starts each N times in a pseudo-terminal of 80x24 and measures the
time from exec until the first frame's marker text has been written to the terminal
(oobe: the first page's title; minimal: its only line). Prints the median of each and the
ratio. Usage: scripts/first-frame.py [runs]   (default 30)
"""
import fcntl, os, pty, select, signal, statistics, struct, subprocess, sys, tempfile, termios, time

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 30
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build(tmp):
    bins = {}
    for name, pkg in (("oobe", "./cmd/oobe"), ("minimal", "./scripts/minimal")):
        out = os.path.join(tmp, name)
        subprocess.run(["go", "build", "-o", out, pkg], cwd=ROOT, check=True)
        bins[name] = out
    return bins


def first_frame(argv, marker, env):
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    buf = b""
    elapsed = None
    while time.perf_counter() - start < 10:
        r, _, _ = select.select([fd], [], [], 0.5)
        if not r:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
        if marker in buf:
            elapsed = time.perf_counter() - start
            break
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)
    if elapsed is None:
        raise SystemExit(f"{argv[0]}: marker {marker!r} never appeared; output: {buf[-300:]!r}")
    return elapsed


def main():
    env = {"TERM": "xterm-256color", "LANG": "en_US.UTF-8", "PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    with tempfile.TemporaryDirectory() as tmp:
        bins = build(tmp)
        cases = {
            "minimal": ([bins["minimal"]], b"ready"),
            # the language page is the first full page of the embedded tenant
            "oobe": ([bins["oobe"], "--color", "256"], b"language"),
        }
        times = {name: [] for name in cases}
        for _ in range(RUNS):  # interleave so machine noise hits both alike
            for name, (argv, marker) in cases.items():
                times[name].append(first_frame(argv, marker, env))
    med = {n: statistics.median(t) * 1000 for n, t in times.items()}
    for n, m in med.items():
        print(f"{n:8s} median {m:7.1f} ms  (min {min(times[n])*1000:.1f}, max {max(times[n])*1000:.1f}, runs {RUNS})")
    ratio = med["oobe"] / med["minimal"]
    print(f"ratio    {ratio:.2f}x (target <= 1.5x)")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
