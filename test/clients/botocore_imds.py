#!/usr/bin/env python3
"""Drive botocore's real IMDS fetchers against an imds-lab emulator.

Usage (pyenv python3, which has botocore):
  python3 test/clients/botocore_imds.py URL [--v1-disabled] [--timeout S]
      [--attempts N] [--user-agent UA] [--skip-region] [--skip-credentials]

Uses botocore.utils.InstanceMetadataFetcher(...).retrieve_iam_role_credentials()
and botocore.utils.InstanceMetadataRegionFetcher(...).retrieve_region(), each
constructed with base_url=URL and config={"ec2_metadata_v1_disabled": ...}.

Prints one JSON object and exits 0 whatever the client did (exit 2 only for a
bad command line or a non-loopback URL):
  {
    "client": "botocore", "botocore_version": "1.43.11", "base_url": URL,
    "v1_disabled": bool,
    "credentials": {role_name, access_key, secret_key, token, expiry_time}|null,
    "region": "us-east-1"|null,
    "error": null|{"type", "message"[, "swallowed": true]},
                        # = errors.credentials or errors.region
    "errors": {"credentials": ..., "region": ...},
                        # an exception botocore raised; or, when it returned
                        # {} / None, the first exception it caught (trace or
                        # log) with "swallowed": true, else type "NoResult"
    "token_fetches": [{"fetcher", "got_token", "token_length", "error"}],
    "requests": [{"method","path","status","token_header","ttl_header",
                  "user_agent","t_ms"}],
    "log": [{"level","logger","msg"}]            # botocore.utils log lines
  }
botocore swallows most failures (retrieve_* return {} / None); the trace and
the log say why (see "errors" above).  With --v1-disabled and no token, botocore raises
MetadataRetrievalError, which lands in "errors.credentials"/"errors.region".
"""

import argparse
import logging
import os
import sys

sys.dont_write_bytecode = True  # keep test/clients free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness as H  # noqa: E402


TOKEN_FETCHES = []


def swallowed(mark, what):
    """botocore returned an empty result instead of raising: report the
    first exception it caught (token fetch, wire, or log), else NoResult.
    """
    for entry in TOKEN_FETCHES[mark[2]:]:
        if entry.get("error"):
            return dict(entry["error"], swallowed=True)
    for entry in H.TRACE[mark[0]:]:
        if entry.get("error"):
            return dict(entry["error"], swallowed=True)
    for line in H.LOGS[mark[1]:]:
        if line.get("exc"):
            return dict(line["exc"], swallowed=True)
    return {"type": "NoResult", "message": what, "swallowed": True}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--v1-disabled", action="store_true")
    ap.add_argument("--timeout", type=float, default=1.0,
                    help="botocore default is 1 second")
    ap.add_argument("--attempts", type=int, default=1,
                    help="num_attempts; botocore default is 1")
    ap.add_argument("--user-agent", default=None)
    ap.add_argument("--skip-region", action="store_true")
    ap.add_argument("--skip-credentials", action="store_true")
    try:
        a = ap.parse_args()
    except SystemExit:
        H.usage_error("bad arguments: %r" % (sys.argv[1:],))
    H.require_loopback_base(a.url)
    H.scrub_proxy_env()

    botocore = H.import_or_exit(
        "botocore", "pyenv python3 with boto3/botocore (pip) is expected")
    import botocore.httpsession
    import botocore.utils as bu

    # Everything IMDS-related in botocore logs to botocore.utils at DEBUG.
    H.capture_logs(["botocore.utils"], logging.DEBUG)

    orig_send = botocore.httpsession.URLLib3Session.send

    def guarded_send(self, request):
        H.check_url(request.url)
        try:
            resp = orig_send(self, request)
        except Exception as e:
            H.record(request.method, request.url, None, request.headers, e)
            raise
        H.record(request.method, request.url, resp.status_code,
                 request.headers)
        return resp

    botocore.httpsession.URLLib3Session.send = guarded_send

    token_fetches = TOKEN_FETCHES

    def watch_token(fetcher, name):
        orig = fetcher._fetch_metadata_token

        def wrapped():
            try:
                tok = orig()
            except Exception as e:
                token_fetches.append({"fetcher": name, "got_token": False,
                                      "token_length": None, "error": H.err(e)})
                raise
            token_fetches.append({
                "fetcher": name, "got_token": bool(tok),
                "token_length": len(tok) if tok else None, "error": None})
            return tok

        fetcher._fetch_metadata_token = wrapped

    kwargs = dict(
        timeout=a.timeout,
        num_attempts=a.attempts,
        base_url=a.url,
        env={},  # do not inherit AWS_EC2_METADATA_DISABLED from the caller
        user_agent=a.user_agent,
        config={"ec2_metadata_v1_disabled": a.v1_disabled},
    )

    out = {
        "client": "botocore",
        "botocore_version": botocore.__version__,
        "base_url": a.url,
        "v1_disabled": a.v1_disabled,
        "credentials": None,
        "region": None,
        "error": None,
        "errors": {"credentials": None, "region": None},
    }

    if not a.skip_credentials:
        mark = len(H.TRACE), len(H.LOGS), len(TOKEN_FETCHES)
        try:
            f = bu.InstanceMetadataFetcher(**kwargs)
            watch_token(f, "credentials")
            creds = f.retrieve_iam_role_credentials()
            out["credentials"] = creds or None
            if not creds:
                out["errors"]["credentials"] = swallowed(
                    mark, "retrieve_iam_role_credentials() returned {}")
        except Exception as e:
            out["errors"]["credentials"] = H.err(e)

    if not a.skip_region:
        mark = len(H.TRACE), len(H.LOGS), len(TOKEN_FETCHES)
        try:
            f = bu.InstanceMetadataRegionFetcher(**kwargs)
            watch_token(f, "region")
            out["region"] = f.retrieve_region()
            if not out["region"]:
                out["errors"]["region"] = swallowed(
                    mark, "retrieve_region() returned None")
        except Exception as e:
            out["errors"]["region"] = H.err(e)

    out["error"] = out["errors"]["credentials"] or out["errors"]["region"]
    out["token_fetches"] = token_fetches
    out["requests"] = H.TRACE
    out["log"] = H.LOGS
    H.emit(out)


if __name__ == "__main__":
    H.run_guarded(main)
