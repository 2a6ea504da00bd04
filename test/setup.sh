#!/usr/bin/env bash
# Installs what the tests need and a fresh Debian machine may lack: ffmpeg (fixtures and
# reference frames) and Go (to build MinIO once). Idempotent; prints what it installs.
set -euo pipefail
missing=()
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || missing+=(golang-go)
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing: ${missing[*]}; install them (e.g. sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
