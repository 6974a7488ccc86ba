#!/usr/bin/env python3
"""Resolve credentials through boto3's default chain, landing on IMDS.

Usage (pyenv python3, which has boto3):
  python3 test/clients/boto3_session_creds.py URL [--v1-disabled]
      [--timeout S] [--attempts N] [--region]

Environment it builds for boto3 (the caller's AWS_* variables are dropped):
  AWS_EC2_METADATA_SERVICE_ENDPOINT=URL
  AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE -> nonexistent files in a
      fresh temp dir (so no profile, no static keys, no SSO, no process creds)
  AWS_EC2_METADATA_V1_DISABLED=true            (only with --v1-disabled)
  AWS_METADATA_SERVICE_TIMEOUT / _NUM_ATTEMPTS (only with --timeout/--attempts)
then calls boto3.Session().get_credentials().

Prints one JSON object, exit 0 whatever boto3 did (2 = bad command line):
  {
    "client": "boto3", "boto3_version", "botocore_version", "endpoint": URL,
    "method": "iam-role"|null,          # Credentials.method
    "access_key": str|null, "secret_key_present": bool, "token_present": bool,
    "expiry_time": str|null,            # RefreshableCredentials expiry (ISO)
    "region": "us-east-1"|null,         # only with --region: botocore's
                                        # IMDSRegionProvider on this session
    "error": null|{"type","message"},
    "requests": [...], "log": [...]     # as in botocore_imds.py
  }
No credentials found is not an exception in boto3: method/access_key are null
and error is {"type": "NoCredentials", ...}.
"""

import argparse
import logging
import os
import sys

sys.dont_write_bytecode = True  # keep test/clients free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness as H  # noqa: E402


def build_env(a, tmp):
    for k in list(os.environ):
        if k.startswith("AWS_") or k.startswith("BOTO_"):
            del os.environ[k]
    os.environ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = a.url
    os.environ["AWS_CONFIG_FILE"] = os.path.join(tmp, "no-such-config")
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(
        tmp, "no-such-credentials")
    if a.v1_disabled:
        os.environ["AWS_EC2_METADATA_V1_DISABLED"] = "true"
    if a.timeout is not None:
        os.environ["AWS_METADATA_SERVICE_TIMEOUT"] = str(a.timeout)
    if a.attempts is not None:
        os.environ["AWS_METADATA_SERVICE_NUM_ATTEMPTS"] = str(a.attempts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--v1-disabled", action="store_true")
    ap.add_argument("--timeout", default=None)
    ap.add_argument("--attempts", default=None)
    ap.add_argument("--region", action="store_true",
                    help="also ask botocore's IMDSRegionProvider")
    try:
        a = ap.parse_args()
    except SystemExit:
        H.usage_error("bad arguments: %r" % (sys.argv[1:],))
    H.require_loopback_base(a.url)
    H.scrub_proxy_env()

    tmp = H.make_tmp("imds-lab-boto3-")
    build_env(a, tmp)

    boto3 = H.import_or_exit(
        "boto3", "pyenv python3 with boto3/botocore (pip) is expected")
    import botocore
    import botocore.httpsession

    H.capture_logs(["botocore.utils", "botocore.credentials"], logging.DEBUG)

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

    out = {
        "client": "boto3",
        "boto3_version": boto3.__version__,
        "botocore_version": botocore.__version__,
        "endpoint": a.url,
        "v1_disabled": a.v1_disabled,
        "method": None,
        "access_key": None,
        "secret_key_present": False,
        "token_present": False,
        "expiry_time": None,
        "region": None,
        "error": None,
    }
    session = boto3.Session()
    try:
        creds = session.get_credentials()
        if creds is None:
            out["error"] = {"type": "NoCredentials",
                            "message": "get_credentials() returned None"}
        else:
            out["method"] = creds.method
            frozen = creds.get_frozen_credentials()
            out["access_key"] = frozen.access_key
            out["secret_key_present"] = bool(frozen.secret_key)
            out["token_present"] = bool(frozen.token)
            exp = getattr(creds, "_expiry_time", None)
            out["expiry_time"] = exp.isoformat() if exp else None
    except Exception as e:
        out["error"] = H.err(e)

    if a.region:
        try:
            from botocore.utils import IMDSRegionProvider
            out["region"] = IMDSRegionProvider(session._session).provide()
        except Exception as e:
            out["region_error"] = H.err(e)

    out["requests"] = H.TRACE
    out["log"] = H.LOGS
    H.emit(out)


if __name__ == "__main__":
    H.run_guarded(main)
