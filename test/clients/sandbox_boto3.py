#!/usr/bin/env python3
"""boto3 with no endpoint configured, as on an instance: credentials from the IMDS at its
built-in address. Run only through sandbox_guard.py inside `imds-lab run`.

Prints one JSON line: {"access_key", "method", "token_puts": [{"status"|"error"}], "gets": [...]}.
Environment and config files are emptied so that only the instance role can answer.
Then it holds its connections for HOLD_SECONDS (default 1): imds-lab attributes a caller by
reading /proc after the answer, which needs the socket still open.
"""
import json
import os
import sys
import time

for key in list(os.environ):
    if key.startswith("AWS_") or key.lower().endswith("_proxy"):
        del os.environ[key]
os.environ["AWS_CONFIG_FILE"] = "/dev/null"
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"

try:
    import boto3
    import botocore.httpsession
except ImportError as err:
    print(json.dumps({"client_missing": str(err)}))
    sys.exit(3)

requests = []
original_send = botocore.httpsession.URLLib3Session.send


def recording_send(self, request):
    entry = {"method": request.method, "url": request.url, "token": "x-aws-ec2-metadata-token" in {k.lower() for k in request.headers}}
    requests.append(entry)
    try:
        response = original_send(self, request)
    except Exception as err:  # noqa: BLE001 - recorded, then re-raised for botocore's own handling
        entry["error"] = type(err).__name__
        raise
    entry["status"] = response.status_code
    return response


botocore.httpsession.URLLib3Session.send = recording_send
credentials = boto3.Session(region_name="us-east-1").get_credentials()
print(json.dumps({
    "access_key": credentials.access_key if credentials else None,
    "method": credentials.method if credentials else None,
    "requests": requests,
}), flush=True)
time.sleep(float(os.environ.get("HOLD_SECONDS", "1")))
