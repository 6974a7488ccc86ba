#!/usr/bin/env python3
"""Crawl an imds-lab emulator with cloud-init's own EC2 code (22.4.2).

Run with Debian's interpreter, which is where the `cloud-init` package puts
its modules (/usr/lib/python3/dist-packages):
  /usr/bin/python3 test/clients/cloudinit_crawl.py URL [options]
(If started by another python3 that cannot import cloudinit, the script
re-executes itself with /usr/bin/python3.)

Two modes:

helpers (default) - cloudinit.sources.helpers.ec2, called the way
  DataSourceEc2.crawl_metadata() calls them:
    get_instance_userdata(V, URL, ...)   GET {URL}/{V}/user-data
    get_instance_metadata(V, URL, ...)   GET {URL}/{V}/meta-data/ + recursion
    get_instance_identity(V, URL, ...)   GET {URL}/{V}/dynamic/instance-identity
                                             + its leaves
  --version V   api version path segment (default "latest"); "auto" probes like
                DataSourceEc2.get_metadata_api_version() (2021-03-23,
                2018-09-24, 2016-09-02, else 2009-04-04)
  --token       IMDSv2: headers_cb / exception_cb are DataSourceEc2's own
                _get_headers / _refresh_stale_aws_token_cb /
                _skip_or_refresh_stale_aws_token_cb on a datasource object
                whose cloud_name is forced to "aws" and whose
                metadata_address is URL, i.e. cloud-init itself does
                PUT {URL}/latest/api/token with
                X-aws-ec2-metadata-token-ttl-seconds: 21600 (lazily, before
                the first GET) and re-PUTs after a 401.
  --retries N   (cloud-init default 5; 1 s sleep between tries)
  --timeout S   (cloud-init default 5)

datasource (--datasource) - a real DataSourceEc2 with
  sys_cfg {"datasource": {"Ec2": {"metadata_urls": [URL], "max_wait": ...,
  "timeout": ...}}}, cloud_dir/run_dir in a temp dir, distro None, and
  cloud_name forced (--cloud-name aws|unknown, default aws, since platform
  identification reads DMI).  Runs DataSourceEc2.get_data():
  wait_for_metadata_service (token PUT via wait_for_url, or for "unknown" the
  IMDSv1 probe GET /2009-04-04/meta-data/instance-id) ->
  get_metadata_api_version -> crawl_metadata -> persist_instance_data.
  --max-wait S  (default 10; cloud-init's own default is 120)

Prints one JSON object, exit 0 whatever cloud-init did (2 = bad command line):
  {
    "client": "cloud-init", "cloudinit_version": "22.4.2", "python": path,
    "mode": "helpers"|"datasource", "base_url": URL,
    "api_version": "latest"|"2021-03-23"|...,
    "token": {"used": bool, "obtained": bool, "length": int|null},
    "metadata": {...},        # nested dict as cloud-init materialised it
                              # ({} when cloud-init gave up)
    "userdata": str|null,     # utf-8 text; null when absent or not text
    "userdata_b64": str|null,
    "identity": {...},        # helpers: {"document": {...}, "pkcs7": ...,
                              #  ...}; datasource: the parsed document only
    "error": null|{"type","message"[,"swallowed":true]},
    "requests": [...], "log": [...],
    # datasource mode only:
    "get_data": bool, "metadata_address": str|null, "cloud_name": str,
    "instance_id", "region", "availability_zone", "public_ssh_keys",
    "instance_data_written": bool,   # run/instance-data.json persisted
    "cloud_id": "aws"|...|null       # run/cloud-id as cloud-init wrote it
  }
cloud-init's helpers never raise: they log and return {} / "".  "error" is
then the first exception cloud-init logged (with "swallowed": true), and
"log" holds WARNING+ records plus DEBUG records carrying an exception
(--verbose: every record).
"""

import os
import sys

_DEBIAN_PY = "/usr/bin/python3"
try:
    import cloudinit  # noqa: F401
except ImportError:
    if (os.path.exists(_DEBIAN_PY)
            and os.path.realpath(sys.executable) != os.path.realpath(_DEBIAN_PY)
            and not os.environ.get("IMDS_LAB_CLOUDINIT_REEXEC")):
        os.environ["IMDS_LAB_CLOUDINIT_REEXEC"] = "1"
        os.execv(_DEBIAN_PY, [_DEBIAN_PY] + sys.argv)

import argparse  # noqa: E402
import base64  # noqa: E402
import logging  # noqa: E402

sys.dont_write_bytecode = True  # keep test/clients free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness as H  # noqa: E402


def decode_userdata(raw, out):
    out["userdata"] = None
    out["userdata_b64"] = None
    if raw in (None, "", b""):
        return
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    out["userdata_b64"] = base64.b64encode(raw).decode("ascii")
    try:
        out["userdata"] = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass


def first_swallowed(out):
    for line in H.LOGS:
        if line.get("exc"):
            return dict(line["exc"], swallowed=True)
    for entry in H.TRACE:
        if entry.get("error"):
            return dict(entry["error"], swallowed=True)
    return None


def make_datasource(a, tmp, cloud_name):
    from cloudinit import helpers
    from cloudinit.sources.DataSourceEc2 import DataSourceEc2

    sys_cfg = {"datasource": {"Ec2": {
        "metadata_urls": [a.url],
        "max_wait": a.max_wait,
        "timeout": a.timeout,
        "strict_id": "warn",
    }}}
    paths = helpers.Paths({
        "cloud_dir": os.path.join(tmp, "cloud"),
        "run_dir": os.path.join(tmp, "run"),
        "templates_dir": os.path.join(tmp, "templates"),
    })
    ds = DataSourceEc2(sys_cfg, None, paths)
    # Class default metadata_urls are the real IMDS addresses; cloud-init
    # falls back to them when no configured URL resolves.  Pin them to URL.
    ds.metadata_urls = [a.url]
    ds._cloud_name = cloud_name
    if not a.datasource:
        # helpers mode skips wait_for_metadata_service(), which is what
        # normally sets this; _refresh_api_token() PUTs to it.
        ds.metadata_address = a.url
    return ds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--version", default="latest")
    ap.add_argument("--token", action="store_true")
    ap.add_argument("--datasource", action="store_true")
    ap.add_argument("--cloud-name", default="aws",
                    choices=["aws", "unknown"])
    ap.add_argument("--retries", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--max-wait", type=int, default=10)
    ap.add_argument("--verbose", action="store_true")
    try:
        a = ap.parse_args()
    except SystemExit:
        H.usage_error("bad arguments: %r" % (sys.argv[1:],))
    H.require_loopback_base(a.url)
    a.url = a.url.rstrip("/")
    H.scrub_proxy_env()

    H.import_or_exit("cloudinit", "apt-get install -y "
                     "--no-install-recommends cloud-init; run with "
                     "/usr/bin/python3")
    from cloudinit import util, version
    from cloudinit.sources.helpers import ec2
    from cloudinit.sources import DataSourceEc2 as dsmod
    import requests

    # The "cloudinit" logger tree; DEBUG is where tracebacks go (logexc).
    class Filter(logging.Filter):
        def filter(self, rec):
            return (a.verbose or rec.levelno >= logging.WARNING
                    or bool(rec.exc_info and rec.exc_info[1] is not None))

    h = H.capture_logs(["cloudinit"], logging.DEBUG)
    h.addFilter(Filter())

    # Transport guard + trace.  cloud-init does every request through
    # requests.Session.request -> send.
    orig_send = requests.Session.send

    def guarded_send(self, request, **kw):
        H.check_url(request.url)
        try:
            resp = orig_send(self, request, **kw)
        except Exception as e:
            H.record(request.method, request.url, None, request.headers, e)
            raise
        H.record(request.method, request.url, resp.status_code,
                 request.headers)
        return resp

    requests.Session.send = guarded_send
    # util.is_resolvable() first looks up three deliberately bogus DNS names
    # to detect DNS hijacking; with loopback IPs only that is pointless
    # network traffic.  An empty redirect set skips it (the real check of the
    # URL's own host, an IP literal, still runs).
    util._DNS_REDIRECT_IP = set()

    tmp = H.make_tmp("imds-lab-cloudinit-")
    out = {
        "client": "cloud-init",
        "cloudinit_version": version.version_string(),
        "python": sys.executable,
        "mode": "datasource" if a.datasource else "helpers",
        "base_url": a.url,
    }

    if a.datasource:
        ds = make_datasource(a, tmp, a.cloud_name)
        out["cloud_name"] = ds.cloud_name
        ok = False
        try:
            ok = ds.get_data()
        except Exception as e:
            out["error"] = H.err(e)
        crawled = getattr(ds, "_crawled_metadata", None) or {}
        out["get_data"] = bool(ok)
        out["metadata_address"] = ds.metadata_address
        out["api_version"] = crawled.get("_metadata_api_version")
        out["token"] = {"used": ds.cloud_name == "aws",
                        "obtained": bool(ds._api_token),
                        "length": len(ds._api_token) if ds._api_token
                        else None}
        out["metadata"] = ds.metadata or {}
        decode_userdata(ds.userdata_raw, out)
        out["identity"] = getattr(ds, "identity", None) or {}
        for key, fn in (
            ("instance_id", ds.get_instance_id),
            ("region", lambda: ds.region),
            ("availability_zone", lambda: ds.availability_zone),
            ("public_ssh_keys", ds.get_public_ssh_keys),
        ):
            try:
                out[key] = fn() if ok else None
            except Exception as e:
                out[key] = None
                out.setdefault("errors", {})[key] = H.err(e)
        out["instance_data_written"] = os.path.exists(
            os.path.join(tmp, "run", "instance-data.json"))
        try:
            with open(os.path.join(tmp, "run", "cloud-id")) as f:
                out["cloud_id"] = f.read().strip()
        except OSError:
            out["cloud_id"] = None
    else:
        headers_cb = None
        exc_cb = None
        exc_cb_ud = None
        ds = None
        if a.token or a.version == "auto":
            ds = make_datasource(a, tmp, "aws" if a.token else "unknown")
        if a.token:
            headers_cb = ds._get_headers
            exc_cb = ds._refresh_stale_aws_token_cb
            exc_cb_ud = ds._skip_or_refresh_stale_aws_token_cb
        api_version = a.version
        if a.version == "auto":
            api_version = ds.get_metadata_api_version()
        out["api_version"] = api_version
        common = dict(
            api_version=api_version,
            metadata_address=a.url,
            timeout=a.timeout,
            retries=a.retries,
            headers_cb=headers_cb,
            headers_redact=dsmod.AWS_TOKEN_REDACT,
        )
        # Same order and callbacks as DataSourceEc2.crawl_metadata on AWS.
        ud = ec2.get_instance_userdata(exception_cb=exc_cb_ud, **common)
        md = ec2.get_instance_metadata(exception_cb=exc_cb, **common)
        ident = ec2.get_instance_identity(exception_cb=exc_cb, **common)
        tok = ds._api_token if (ds is not None and a.token) else None
        out["token"] = {"used": a.token, "obtained": bool(tok),
                        "length": len(tok) if tok else None}
        out["metadata"] = md
        decode_userdata(ud, out)
        out["identity"] = ident

    if not out.get("error"):
        out["error"] = first_swallowed(out)
    if a.datasource and not out["get_data"] and not out["error"]:
        # get_data() can fail without any exception (403 on the token PUT,
        # max_wait exhausted on 401s...): report cloud-init's last complaint.
        warn = [l["msg"] for l in H.LOGS if l["level"] in
                ("WARNING", "ERROR", "CRITICAL")]
        out["error"] = {"type": "GetDataFalse",
                        "message": warn[-1] if warn else
                        "DataSourceEc2.get_data() returned False",
                        "swallowed": True}
    out["requests"] = H.TRACE
    out["log"] = H.LOGS
    H.emit(out)


if __name__ == "__main__":
    H.run_guarded(main)
