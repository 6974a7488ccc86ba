#!/usr/bin/env python3
"""Run AWS CLI v1 `aws configure list` against an imds-lab emulator.

Usage (pyenv python3, which has the awscli package):
  python3 test/clients/awscli_configure_list.py URL [--v1-disabled]
      [--timeout S] [--attempts N]

Runs `<this python> -m awscli configure list` (the same code as the `aws`
console script, without depending on PATH / pyenv shims) in a scrubbed
environment:
  every AWS_* / BOTO_* variable of the caller removed, then
  AWS_EC2_METADATA_SERVICE_ENDPOINT=URL
  AWS_CONFIG_FILE=<tmp>/no-such-config
  AWS_SHARED_CREDENTIALS_FILE=<tmp>/no-such-credentials
  AWS_EC2_METADATA_V1_DISABLED=true                (only with --v1-disabled)
  AWS_METADATA_SERVICE_TIMEOUT / _NUM_ATTEMPTS     (only with the flags)
  no proxy variables, NO_PROXY=127.0.0.1,localhost,::1

Expected table on success (values masked to the last 4 characters):
        Name                    Value             Type    Location
        ----                    -----             ----    --------
     profile                <not set>             None    None
  access_key     ****************0001         iam-role
  secret_key     ****************mnop         iam-role
      region                <not set>             None    None

Prints one JSON object, exit 0 whatever the CLI did (2 = bad command line):
  {
    "client": "awscli", "argv": [...], "env": {only the AWS_* it set},
    "exit_code": int,
    "rows": {"profile"|"access_key"|"secret_key"|"region":
             {"value": str, "type": str, "location": str}},
    "method": "iam-role"|null,        # rows.access_key.type unless "None"
    "access_key_last4": str|null,
    "stdout": str, "stderr": str,
    "error": null|{"type","message"}  # CLIExit(code) + last stderr line, or
                                       # NoCredentials when access_key is unset
  }
"""

import argparse
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # keep test/clients free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness as H  # noqa: E402


_ROW = re.compile(r"^\s*(profile|access_key|secret_key|region)\s+"
                  r"(<not set>|\S+)\s*(\S+)?\s*(.*?)\s*$")


def parse_table(text):
    rows = {}
    for line in text.splitlines():
        m = _ROW.match(line)
        if m:
            rows[m.group(1)] = {"value": m.group(2), "type": m.group(3),
                                "location": m.group(4)}
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--v1-disabled", action="store_true")
    ap.add_argument("--timeout", default=None)
    ap.add_argument("--attempts", default=None)
    ap.add_argument("--cli-timeout", type=float, default=60.0,
                    help="kill the CLI after this many seconds")
    try:
        a = ap.parse_args()
    except SystemExit:
        H.usage_error("bad arguments: %r" % (sys.argv[1:],))
    H.require_loopback_base(a.url)
    H.scrub_proxy_env()

    H.import_or_exit("awscli", "pip-installed AWS CLI v1 (awscli) is "
                     "expected in this python3")
    tmp = H.make_tmp("imds-lab-awscli-")
    env = {k: v for k, v in os.environ.items()
           if not (k.startswith("AWS_") or k.startswith("BOTO_"))}
    aws = {
        "AWS_EC2_METADATA_SERVICE_ENDPOINT": a.url,
        "AWS_CONFIG_FILE": os.path.join(tmp, "no-such-config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(tmp, "no-such-credentials"),
    }
    if a.v1_disabled:
        aws["AWS_EC2_METADATA_V1_DISABLED"] = "true"
    if a.timeout is not None:
        aws["AWS_METADATA_SERVICE_TIMEOUT"] = str(a.timeout)
    if a.attempts is not None:
        aws["AWS_METADATA_SERVICE_NUM_ATTEMPTS"] = str(a.attempts)
    env.update(aws)

    argv = [sys.executable, "-m", "awscli", "configure", "list"]
    out = {"client": "awscli", "argv": argv, "env": aws, "exit_code": None,
           "rows": {}, "method": None, "access_key_last4": None,
           "stdout": "", "stderr": "", "error": None}
    try:
        p = subprocess.run(argv, env=env, capture_output=True, text=True,
                           timeout=a.cli_timeout, stdin=subprocess.DEVNULL)
    except Exception as e:  # timeout, missing interpreter...
        out["error"] = H.err(e)
        H.emit(out)
    out["exit_code"] = p.returncode
    out["stdout"] = p.stdout
    out["stderr"] = p.stderr
    out["rows"] = parse_table(p.stdout)
    ak = out["rows"].get("access_key") or {}
    if ak.get("type") not in (None, "None"):
        out["method"] = ak["type"]
        out["access_key_last4"] = (ak.get("value") or "")[-4:] or None
    if p.returncode != 0:
        last = [l for l in p.stderr.strip().splitlines() if l.strip()]
        out["error"] = {"type": "CLIExit(%d)" % p.returncode,
                        "message": last[-1] if last else ""}
    elif out["method"] is None:
        out["error"] = {"type": "NoCredentials",
                        "message": "aws configure list shows no access_key"}
    H.emit(out)


if __name__ == "__main__":
    H.run_guarded(main)
