#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (Python 3.11):
#   ./dev.sh serve   install everything, prepare the database with the demo province, serve on 127.0.0.1:8000
#   ./dev.sh test    install everything and run the whole test suite (pytest args may follow)
#   ./dev.sh lock    after changing pyproject.toml: re-resolve requirements.lock (what the two commands install)
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
# WeasyPrint needs Pango; browser tests drive Debian's Chromium; Debian's python3 needs python3-venv for venvs.
# pdftoppm (poppler-utils) reads the QR code of a signed form scanned to PDF, and renders pages in the tests.
SYSTEM_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium python3-venv poppler-utils)

install_system_packages() {
  local missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "==> apt-get install ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

install_python_packages() {
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  # Exact versions from the lock file; the project itself adds no dependency of its own on top.
  "$VENV/bin/python" -m pip install -q -r requirements.lock
  "$VENV/bin/python" -m pip install -q --no-deps -e .
}

case "${1:-}" in
  serve)
    install_system_packages
    install_python_packages
    "$VENV/bin/python" manage.py migrate --noinput
    "$VENV/bin/python" manage.py seed_demo
    echo "==> http://127.0.0.1:8000  (tài khoản demo trong README.md, mật khẩu ansinh-demo)"
    exec "$VENV/bin/python" manage.py runserver 127.0.0.1:8000
    ;;
  test)
    shift
    install_system_packages
    install_python_packages
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    "$VENV/bin/python" manage.py makemigrations --check --dry-run
    exec "$VENV/bin/pytest" "$@"
    ;;
  lock)
    install_system_packages
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q uv
    "$VENV/bin/uv" pip compile pyproject.toml --extra test --python-version 3.11 -q -o requirements.lock
    ;;
  *)
    echo "usage: ./dev.sh serve | ./dev.sh test [pytest args] | ./dev.sh lock" >&2
    exit 2
    ;;
esac
