#!/usr/bin/env python3
"""Measures `detente serve` on loopback: the latency of a live re-analysis, and a bounded load
test of concurrent clients running negotiations. Standard library only.

    scripts/load-serve.py --binary target/release/detente [--clients 200] [--seconds 30]
                          [--explore 300] [--json FILE]

It starts the server on a free port (or uses --url), then
  1. re-analysis: --explore sequential POST /api/explore, each with another salience for
     Russia on territory (what the app sends when a slider moves), and reports p50/p90/p99;
  2. load: --clients threads, each for --seconds running POST /api/negotiations (the built-in
     scenario, joint table, boulware vs conceder, 30 rounds, its own seed) and reading the
     negotiation's whole event stream (GET .../events), and reports requests, errors (any
     status other than 201/200, or a stream without its `done` event), latency percentiles
     and the server's peak resident memory (VmHWM of its process).
Exit status 1 when any request failed.
"""

import argparse
import http.client
import json
import os
import random
import re
import subprocess
import sys
import threading
import time


def percentiles(xs):
    xs = sorted(xs)
    if not xs:
        return {}
    pick = lambda q: xs[min(len(xs) - 1, int(q * len(xs)))]
    return {"p50_ms": pick(0.50) * 1e3, "p90_ms": pick(0.90) * 1e3, "p99_ms": pick(0.99) * 1e3, "max_ms": xs[-1] * 1e3}


def request(conn, method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    r = conn.getresponse()
    return r.status, r.read()


def explore_latency(host, port, n):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    times, errors = [], 0
    for k in range(n):
        salience = round(0.05 + 0.9 * ((k * 37) % 100) / 100, 2)
        body = {"scenario": "builtin", "edits": [{"kind": "position", "actor": "russia", "issue": "territory", "salience": salience}]}
        t = time.perf_counter()
        status, _ = request(conn, "POST", "/api/explore", body)
        times.append(time.perf_counter() - t)
        errors += status != 200
    return {"requests": n, "errors": errors, **percentiles(times)}


def load(host, port, clients, seconds):
    lock = threading.Lock()
    times, failures, done = [], [], [0]
    deadline = time.monotonic() + seconds

    def client(k):
        conn = http.client.HTTPConnection(host, port, timeout=120)
        seed = k * 1000
        while time.monotonic() < deadline:
            seed += 1
            body = {"target": {"scenario": "builtin"}, "protocol": "sao", "negotiators": ["boulware", "conceder"], "rounds": 30, "seed": seed}
            t = time.perf_counter()
            try:
                status, data = request(conn, "POST", "/api/negotiations", body)
                if status != 201:
                    raise RuntimeError(f"POST {status}: {data[:200]!r}")
                nid = json.loads(data)["id"]
                status, data = request(conn, "GET", f"/api/negotiations/{nid}/events")
                if status != 200 or b"event: done" not in data:
                    raise RuntimeError(f"events {status}: {data[-200:]!r}")
            except Exception as e:  # noqa: BLE001 - every failure is counted and shown
                with lock:
                    failures.append(str(e))
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=120)
                continue
            with lock:
                times.append(time.perf_counter() - t)
                done[0] += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    return {"clients": clients, "seconds": round(wall, 2), "negotiations": done[0], "per_second": done[0] / wall, "errors": len(failures), "first_errors": failures[:5], **percentiles(times)}


def peak_rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            m = re.search(r"VmHWM:\s+(\d+) kB", f.read())
            return int(m.group(1)) / 1024 if m else None
    except OSError:
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", help="the detente binary (started on a free port)")
    ap.add_argument("--url", help="a running server instead")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--explore", type=int, default=300)
    ap.add_argument("--json")
    args = ap.parse_args()
    server = None
    if args.url:
        m = re.match(r"http://([^:/]+):(\d+)", args.url)
    else:
        server = subprocess.Popen([args.binary, "serve", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = server.stdout.readline()
        m = re.search(r"http://([^:/]+):(\d+)", line)
        if not m:
            raise SystemExit(f"no URL from the server: {line!r}")
    host, port = m.group(1), int(m.group(2))
    result = {}
    try:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        request(conn, "POST", "/api/explore", {"scenario": "builtin"})  # warm
        if args.explore:
            result["explore"] = explore_latency(host, port, args.explore)
            e = result["explore"]
            print(f"re-analysis: {e['requests']} requests, p50 {e['p50_ms']:.1f} ms, p90 {e['p90_ms']:.1f} ms, p99 {e['p99_ms']:.1f} ms, max {e['max_ms']:.1f} ms, {e['errors']} errors", flush=True)
        if args.clients:
            result["load"] = load(host, port, args.clients, args.seconds)
            l = result["load"]
            print(
                f"load: {l['clients']} clients for {l['seconds']} s: {l['negotiations']} negotiations watched ({l['per_second']:.0f}/s), "
                f"{l['errors']} errors; latency p50 {l.get('p50_ms', 0):.0f} ms, p90 {l.get('p90_ms', 0):.0f} ms, p99 {l.get('p99_ms', 0):.0f} ms, max {l.get('max_ms', 0):.0f} ms",
                flush=True,
            )
            for e in l["first_errors"]:
                print(f"  error: {e}", flush=True)
        if server:
            result["server_peak_rss_mib"] = peak_rss_mib(server.pid)
            print(f"server peak RSS: {result['server_peak_rss_mib']:.1f} MiB", flush=True)
        request(http.client.HTTPConnection(host, port, timeout=10), "GET", "/api/health")
    finally:
        if server:
            server.terminate()
            server.wait()
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
    failed = result.get("explore", {}).get("errors", 0) + result.get("load", {}).get("errors", 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
