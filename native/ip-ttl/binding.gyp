{
  "targets": [
    {
      "target_name": "ip_ttl",
      "sources": ["ip_ttl.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
