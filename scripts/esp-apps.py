#!/usr/bin/env python3
"""CPU cost of the Enrollment Status Page with many apps, in the real program.

  scripts/esp-apps.py [--bin PATH] [--runs N] [COUNT ...]   (default counts: 10 1000 10000)

For each COUNT it writes a copy of the embedded tenant whose scenario has COUNT device apps of
a second each, all tracked by the ESP (with a timeout long enough for them), replays the demo
answers on it at --speed max in a pseudo-terminal of 80x24 until the finish page, and prints
the median wall-clock and CPU time of the process, and the CPU beyond the first COUNT.
Issue 7's target: 10,000 apps cost under 1 s of CPU more than 10.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib

perf = importlib.import_module("perf")


def tenant(dst, count):
    shutil.copytree(os.path.join(perf.ROOT, "assets", "tenant"), dst)
    path = os.path.join(dst, "scenario.json")
    with open(path) as f:
        scen = json.load(f)
    scen["apps"] = [{"id": f"00000000-0000-4000-8000-{i:012d}", "name": f"Line-of-business app {i + 1:05d}",
                     "context": "device", "seconds": 1} for i in range(count)]
    with open(path, "w") as f:
        json.dump(scen, f)
    path = os.path.join(dst, "esp-configuration.json")
    with open(path) as f:
        esp = json.load(f)
    esp["selectedMobileAppIds"] = [a["id"] for a in scen["apps"]]
    esp["installProgressTimeoutInMinutes"] = max(60, 2 * count // 60)
    with open(path, "w") as f:
        json.dump(esp, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("counts", nargs="*", type=int, default=[10, 1000, 10000])
    a = ap.parse_args()
    env = {"TERM": "xterm-256color", "LANG": "en_US.UTF-8", "PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    with tempfile.TemporaryDirectory() as tmp:
        binary = a.bin
        if not binary:
            binary = os.path.join(tmp, "oobe")
            subprocess.run(["go", "build", "-o", binary, "./cmd/oobe"], cwd=perf.ROOT, check=True)
        first = None
        for n in a.counts:
            dst = os.path.join(tmp, f"tenant-{n}")
            tenant(dst, n)
            walls, cpus = [], []
            for _ in range(a.runs):
                w, c = perf.replay(binary, env, "max", ["--tenant", dst])
                walls.append(w)
                cpus.append(c)
            cpu = statistics.median(cpus)
            first = cpu if first is None else first
            print(f"{n:6d} apps   median {statistics.median(walls):6.2f} s wall, {cpu:6.2f} s CPU, {cpu - first:+6.2f} s CPU beyond {a.counts[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
