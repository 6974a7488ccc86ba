"""Shared plumbing for the Python client harness scripts (stdlib only).

Imported by every script in this folder; it must stay importable by both the
pyenv python3 (botocore/boto3) and Debian's /usr/bin/python3 (cloud-init).

It provides:
  * a loopback-only guard: the target URL must be 127.0.0.0/8, ::1 or
    localhost (or 192.0.2.0/24 / 198.51.100.0/24, documentation ranges that
    exist only inside the network namespaces a test creates), and every
    HTTP request a client library actually sends is checked again at the
    transport layer (so a library that silently falls
    back to 169.254.169.254 / fd00:ec2::254 raises instead of sending);
  * a request trace (method, path, status, whether a token header was sent);
  * log capture, so errors that a client library swallows still show up;
  * emit(): exactly one JSON object on the real stdout.
"""

import ipaddress
import json
import logging
import os
import sys
import time
import traceback
from urllib.parse import urlsplit

# Client libraries must never print to our stdout: everything they print goes
# to stderr, and emit() writes to the saved real stdout.
_REAL_STDOUT = sys.stdout
sys.stdout = sys.stderr

TRACE = []
LOGS = []
_START = time.monotonic()

_PROXY_VARS = (
    "http_proxy", "https_proxy", "all_proxy",
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
)


class UnsafeTargetError(Exception):
    """Raised when a request would leave the loopback interface."""


# Documentation ranges (RFC 5737) that exist only inside the network namespaces
# test/e2e/hop-limit-netns.test.ts creates and removes; nothing routes them out.
TEST_NETWORKS = (
    ipaddress.ip_network("192.0.2.0/24"),
    ipaddress.ip_network("198.51.100.0/24"),
)


def host_is_loopback(host):
    """Loopback, or a documentation range used only inside test namespaces."""
    if host is None:
        return False
    host = host.strip("[]").lower()
    if host in ("localhost", "localhost.", "ip6-localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or any(address in net for net in TEST_NETWORKS)


def url_is_loopback(url):
    try:
        return host_is_loopback(urlsplit(url).hostname)
    except ValueError:
        return False


def check_url(url):
    if not url_is_loopback(url):
        raise UnsafeTargetError(
            "refusing to contact non-loopback URL %r (imds-lab harness only "
            "talks to 127.0.0.0/8, ::1, localhost, or the test-namespace "
            "ranges 192.0.2.0/24 and 198.51.100.0/24)" % (url,)
        )


def scrub_proxy_env():
    """Loopback traffic must never be sent through a proxy."""
    for k in _PROXY_VARS:
        os.environ.pop(k, None)
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = (
        "127.0.0.1,localhost,::1,192.0.2.0/24,198.51.100.0/24")


def err(exc):
    if exc is None:
        return None
    return {"type": exc.__class__.__name__, "message": str(exc)}


def record(method, url, status, headers=None, error=None):
    parts = urlsplit(url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    hdrs = {str(k).lower(): v for k, v in (headers or {}).items()}
    entry = {
        "method": method,
        "path": path,
        "status": status,
        "token_header": "x-aws-ec2-metadata-token" in hdrs,
        "ttl_header": hdrs.get("x-aws-ec2-metadata-token-ttl-seconds"),
        "user_agent": hdrs.get("user-agent"),
        "t_ms": int((time.monotonic() - _START) * 1000),
    }
    if error is not None:
        entry["error"] = err(error)
    TRACE.append(entry)


class _ListHandler(logging.Handler):
    def emit(self, rec):
        try:
            msg = rec.getMessage()
        except Exception:  # pragma: no cover - bad format args
            msg = str(rec.msg)
        line = {"level": rec.levelname, "logger": rec.name, "msg": msg}
        if rec.exc_info and rec.exc_info[1] is not None:
            line["exc"] = err(rec.exc_info[1])
        LOGS.append(line)


def capture_logs(names, level=logging.WARNING):
    h = _ListHandler(level)
    for name in names:
        lg = logging.getLogger(name)
        lg.addHandler(h)
        lg.setLevel(level)
        lg.propagate = False
    return h


def make_tmp(prefix):
    """A private temp dir, removed at exit unless IMDS_LAB_KEEP_TMP=1."""
    import atexit
    import shutil
    import tempfile
    d = tempfile.mkdtemp(prefix=prefix)
    if os.environ.get("IMDS_LAB_KEEP_TMP") != "1":
        atexit.register(shutil.rmtree, d, True)
    return d


def import_or_exit(modname, hint):
    """Import a client library; if it is missing, exit 3 with a JSON note
    so a test can skip instead of fail."""
    import importlib
    try:
        return importlib.import_module(modname)
    except ImportError as e:
        _REAL_STDOUT.write(json.dumps({
            "error": err(e), "client_missing": modname,
            "python": sys.executable, "hint": hint}) + "\n")
        _REAL_STDOUT.flush()
        sys.exit(3)


def usage_error(message, **extra):
    out = {"error": {"type": "UsageError", "message": message}}
    out.update(extra)
    emit(out, code=2)


def emit(obj, code=0):
    _REAL_STDOUT.write(json.dumps(obj, sort_keys=False, default=str) + "\n")
    _REAL_STDOUT.flush()
    sys.exit(code)


def require_loopback_base(url):
    if not url_is_loopback(url):
        usage_error("base URL must be a loopback http URL, got %r" % (url,))
    if urlsplit(url).scheme not in ("http", "https"):
        usage_error("base URL must be http(s), got %r" % (url,))


def run_guarded(fn):
    """Run fn(); turn any uncaught exception into a JSON report, exit 0."""
    try:
        fn()
    except SystemExit:
        raise
    except BaseException as e:  # noqa: BLE001 - report everything
        emit({
            "error": err(e),
            "traceback": traceback.format_exc().splitlines()[-8:],
            "requests": TRACE,
            "log": LOGS,
        })
