#!/usr/bin/env python3
"""Abuse probes against a running `profint serve` (issue 16).

    scripts/abuse.py connections --port 8080 [--count 1100]
        opens COUNT idle connections, then asks /healthz on a fresh one and
        counts how many of the idle ones got 503; the service must stay alive.
    scripts/abuse.py slowloris --port 8080 [--count 200]
        COUNT clients trickle a request head one byte a second; reports how
        many the service closed and after how long.

Start the service with a low descriptor limit to reproduce item 5:
    (ulimit -n 1024; profint serve --port 8080 --database /tmp/abuse.sqlite)
"""
import argparse, resource, select, socket, sys, time


def connections(port, count):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 100)), hard))
    socks, refused_connect = [], 0
    for _ in range(count):
        try:
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        except OSError:
            refused_connect += 1
    time.sleep(1)
    got503 = closed = 0
    for s in socks:
        s.setblocking(False)
        try:
            data = s.recv(4096)
        except BlockingIOError:
            data = None
        if data is not None:
            if data.startswith(b"HTTP/1.1 503"):
                got503 += 1
            elif not data:
                closed += 1
    t = time.time()
    try:
        h = socket.create_connection(("127.0.0.1", port), timeout=10)
        h.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        health = h.recv(4096).split(b"\r\n")[0].decode()
    except OSError as e:
        health = f"error {e}"
    print(f"idle connections opened: {len(socks)} (connect failed: {refused_connect}); "
          f"answered 503: {got503}; closed without answer: {closed}; "
          f"/healthz on a fresh connection: {health!r} in {time.time() - t:.3f} s")
    # Free slots: close the idle ones and ask again.
    for s in socks:
        s.close()
    time.sleep(1)
    h = socket.create_connection(("127.0.0.1", port), timeout=10)
    h.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    print(f"/healthz after closing them: {h.recv(4096).split(chr(13).encode())[0].decode()!r}")


def slowloris(port, count):
    socks = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET /healthz HTTP/1.1\r\n")
        socks.append([s, None])
    start = time.time()
    while time.time() - start < 60 and any(c is None for _, c in socks):
        for entry in socks:
            s, closed_at = entry
            if closed_at is not None:
                continue
            try:
                s.sendall(b"X")
                s.setblocking(False)
                try:
                    if not s.recv(4096):
                        entry[1] = time.time() - start
                except BlockingIOError:
                    pass
            except OSError:
                entry[1] = time.time() - start
        time.sleep(1)
    times = sorted(c for _, c in socks if c is not None)
    print(f"slow-loris clients: {count}; closed by the service: {len(times)}; "
          f"after {times[0]:.1f}-{times[-1]:.1f} s" if times else f"slow-loris clients: {count}; none closed in 60 s")


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("probe", choices=["connections", "slowloris"])
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--count", type=int)
    a = p.parse_args()
    if a.probe == "connections":
        connections(a.port, a.count or 1100)
    else:
        slowloris(a.port, a.count or 200)
