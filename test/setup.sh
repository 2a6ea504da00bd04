#!/usr/bin/env bash
# Installs what the tests need and a fresh Debian machine may lack: ffmpeg (fixtures and
# reference frames), Go (to build MinIO once), Rust (to build denokv once), Chromium (the viewer test), Python's
# numpy + requests (the README's Python snippet), python3-venv (the venv of the Python client package's test),
# nginx (the scale-out test puts deploy/nginx.conf in front of several sidecars) and a C toolchain with cmake and
# pkg-config (test/ffmpeg9.sh).
# Idempotent; prints what it installs.
set -euo pipefail
missing=()
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || missing+=(golang-go)
# Rust builds denokv (the KV Connect test server); rustup's cargo is preferred, Debian's is a fallback.
command -v cargo >/dev/null || [ -x "$HOME/.cargo/bin/cargo" ] || missing+=(cargo)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v python3 >/dev/null || missing+=(python3 python3-pip)
# The Python client's test makes a venv: `python3 -m venv` needs ensurepip, which Debian ships in python3-venv.
{ command -v python3 >/dev/null && python3 -c "import ensurepip" 2>/dev/null; } || missing+=(python3-venv)
# Debian puts nginx in /usr/sbin, which a non-root PATH may lack.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
# test/ffmpeg9.sh builds a native FFmpeg 9.0 (the hostile media test's second reference) once.
# (libaom's CMake project needs C++ too; build-essential brings gcc, g++, make and libc headers.)
{ command -v gcc && command -v g++ && command -v make && [ -e /usr/include/stdio.h ]; } >/dev/null ||
  missing+=(build-essential)
command -v cmake >/dev/null || missing+=(cmake)
command -v npm >/dev/null || missing+=(npm)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v xz >/dev/null || missing+=(xz-utils)
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

if ! python3 -c "import numpy, requests" 2>/dev/null; then
  echo "installing numpy and requests"
  # pip for a pyenv/venv Python; Debian's packages for the system one (which refuses pip installs).
  python3 -m pip install -q numpy==2.1.3 requests==2.32.3 2>/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy python3-requests >/dev/null; }
fi
