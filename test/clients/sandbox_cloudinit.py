#!/usr/bin/env python3
"""cloud-init's DataSourceEc2 as it runs at boot, with its built-in metadata URLs (no
metadata_urls configured). Run only through sandbox_guard.py inside `imds-lab run`.

The platform is forced to "aws" (identification reads DMI, which a sandbox does not fake), and
cloud_dir/run_dir go to a temporary directory. Prints one JSON line:
  {"get_data", "metadata_address", "instance_id", "token_obtained", "urls"}.
"""
import json
import os
import shutil
import sys
import tempfile

_DEBIAN_PY = "/usr/bin/python3"
try:
    import cloudinit  # noqa: F401
except ImportError:
    if os.path.exists(_DEBIAN_PY) and os.path.realpath(sys.executable) != os.path.realpath(_DEBIAN_PY):
        os.execv(_DEBIAN_PY, [_DEBIAN_PY] + sys.argv)
    print(json.dumps({"client_missing": "cloudinit"}))
    sys.exit(3)

from cloudinit import helpers  # noqa: E402
from cloudinit.sources.DataSourceEc2 import DataSourceEc2  # noqa: E402

tmp = tempfile.mkdtemp(prefix="imds-lab-sandbox-cloudinit-")
try:
    paths = helpers.Paths({"cloud_dir": os.path.join(tmp, "cloud"), "run_dir": os.path.join(tmp, "run")})
    ds = DataSourceEc2({"datasource": {"Ec2": {"max_wait": 30, "timeout": 5}}}, None, paths)
    ds._cloud_name = "aws"
    urls = list(ds.metadata_urls)
    ok = ds.get_data()
    print(json.dumps({
        "get_data": bool(ok),
        "metadata_address": ds.metadata_address,
        "instance_id": ds.get_instance_id() if ok else None,
        "token_obtained": bool(ds._api_token),
        "urls": urls,
    }))
finally:
    shutil.rmtree(tmp, ignore_errors=True)
