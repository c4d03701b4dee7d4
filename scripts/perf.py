#!/usr/bin/env python3
"""Key latency and the full replayed run of oobe, in a pseudo-terminal of 80x24.

  scripts/perf.py [--bin PATH] [--runs N] [--speed S]

- key latency: on the region page, the time from writing one Up key until the terminal has
  the redrawn frame (median of 40 keys per run);
- replayed run: the demo answers file (flow/answers/testdata/demo.answers.json) replayed with
  --answers-delay 0 at --speed S (default: max; a number for binaries without it) from exec
  until the finish page is on screen: wall-clock time and the CPU time of the process.

Without --bin the script builds ./cmd/oobe first. Compare two builds by running it twice.
"""
import argparse, fcntl, os, pty, resource, select, signal, statistics, struct, subprocess, sys, tempfile, termios, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANSWERS = os.path.join(ROOT, "flow", "answers", "testdata", "demo.answers.json")


def spawn(argv, env):
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    return pid, fd


def read_until(fd, marker, buf, timeout):
    """Reads from fd until marker is in what was read since buf; returns (found, buf)."""
    start = time.perf_counter()
    seen = len(buf)
    while time.perf_counter() - start < timeout:
        r, _, _ = select.select([fd], [], [], 0.2)
        if not r:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return False, buf
        if not chunk:
            return False, buf
        buf += chunk
        if marker in buf[max(0, seen - len(marker)):]:
            return True, buf
    return False, buf


def drain(fd, quiet=0.15):
    """Reads until nothing arrives for quiet seconds."""
    while True:
        r, _, _ = select.select([fd], [], [], quiet)
        if not r:
            return
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return


def stop(pid, fd):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _, status, ru = os.wait4(pid, 0)
    os.close(fd)
    return ru


def key_latency(binary, env):
    pid, fd = spawn([binary, "--color", "256", "--speed", "100"], env)
    ok, buf = read_until(fd, b"language", b"", 10)
    if not ok:
        raise SystemExit("the first page never appeared")
    drain(fd)
    os.write(fd, b"\r")  # the language page: Yes, to the region page
    ok, buf = read_until(fd, b"region", b"", 10)
    drain(fd)
    lat = []
    for _ in range(40):
        t0 = time.perf_counter()
        os.write(fd, b"\x1b[A")
        r, _, _ = select.select([fd], [], [], 2)
        if not r:
            continue
        os.read(fd, 65536)
        lat.append(time.perf_counter() - t0)
        drain(fd, 0.03)
    stop(pid, fd)
    return lat


def replay(binary, env, speed, extra=()):
    env = dict(env, OOBE_WIFI_KEY="Runway-2026!", OOBE_PASSWORD="Contrail#2026", OOBE_PIN="135791")
    argv = [binary, "--color", "256", "--answers", ANSWERS, "--answers-delay", "0", "--speed", str(speed), *extra]
    t0 = time.perf_counter()
    pid, fd = spawn(argv, env)
    ok, _ = read_until(fd, b"all set", b"", 600)
    wall = time.perf_counter() - t0
    ru = stop(pid, fd)
    if not ok:
        raise SystemExit("the finish page never appeared")
    return wall, ru.ru_utime + ru.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--speed", default="max")
    a = ap.parse_args()
    env = {"TERM": "xterm-256color", "LANG": "en_US.UTF-8", "PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    with tempfile.TemporaryDirectory() as tmp:
        binary = a.bin
        if not binary:
            binary = os.path.join(tmp, "oobe")
            subprocess.run(["go", "build", "-o", binary, "./cmd/oobe"], cwd=ROOT, check=True)
        lat = []
        for _ in range(a.runs):
            lat += key_latency(binary, env)
        print(f"key latency    median {statistics.median(lat)*1000:6.2f} ms  p90 {sorted(lat)[int(len(lat)*0.9)]*1000:6.2f} ms  ({len(lat)} keys)")
        walls, cpus = [], []
        for _ in range(a.runs):
            w, c = replay(binary, env, a.speed)
            walls.append(w)
            cpus.append(c)
        print(f"replayed run   median {statistics.median(walls):6.2f} s wall, {statistics.median(cpus):6.2f} s CPU  (speed {a.speed}, {a.runs} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
