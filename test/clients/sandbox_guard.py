#!/usr/bin/env python3
"""Run a program only from inside an `imds-lab run` sandbox (docs/run.md).

  python3 test/clients/sandbox_guard.py PROGRAM [ARGS...]

The sandbox tests send requests to the real metadata addresses 169.254.169.254 and
fd00:ec2::254, which is safe only where those addresses are the emulator. So before
exec'ing PROGRAM this checks, with `ip`, the network namespace it runs in: the only
interfaces are lo and the veth eth0, no route has another device, there is no default
route, and 169.254.169.254 is routed over eth0. Anything else: exit 99, nothing sent.
"""
import json
import os
import subprocess
import sys


def ip_json(*args):
    out = subprocess.run(["ip", "-j", *args], check=True, capture_output=True, text=True).stdout.strip()
    return json.loads(out) if out else []


def problems():
    found = []
    for link in ip_json("-d", "link", "show"):
        name = link.get("ifname")
        kind = (link.get("linkinfo") or {}).get("info_kind")
        if name == "lo":
            continue
        if name != "eth0" or kind != "veth":
            found.append(f"interface {name} ({kind})")
    routes = ip_json("-4", "route", "show", "table", "all") + ip_json("-6", "route", "show", "table", "all")
    for route in routes:
        if route.get("dst") == "default":
            found.append("a default route")
        if route.get("dev") not in ("lo", "eth0"):
            found.append(f"route {route.get('dst')} over {route.get('dev')}")
    if not any(r.get("dst") == "169.254.169.254" and r.get("dev") == "eth0" for r in routes):
        found.append("no route for 169.254.169.254 over eth0")
    return found


def main():
    if len(sys.argv) < 2:
        print("usage: sandbox_guard.py PROGRAM [ARGS...]", file=sys.stderr)
        return 2
    found = problems()
    if found:
        print("sandbox_guard: not inside an imds-lab run sandbox: " + "; ".join(found), file=sys.stderr)
        return 99
    os.execvp(sys.argv[1], sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
