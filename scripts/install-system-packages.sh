#!/usr/bin/env bash
# Install the Debian packages the app and its tests use (fonts, poppler, zbar, qpdf, chromium, and
# node with npm for axe-core), when apt is there and something is missing. Elsewhere, say what to install and carry on.
set -u
# libicu-dev, pkg-config, g++ and python3-dev build PyICU (line breaks in Thai, Lao, Khmer and Burmese:
# documents/text.py); python3-venv makes the .venv on a Debian whose python3 came from apt.
# postgresql-client gives `flask backup` its pg_dump and pg_restore.
packages=(fonts-noto-core fonts-droid-fallback poppler-utils zbar-tools qpdf libicu-dev pkg-config g++ python3-dev
          python3-venv postgresql-client)
# nginx fronts `make run-prod`, and the tests start that production shape too.
if [ "${1:-}" = "--prod" ]; then
  packages+=(nginx)
fi
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium chromium-driver nginx)
  # npm fetches axe-core for the accessibility tests; a node installed another way will do.
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "note: please install these packages with your system's package manager: ${missing[*]}" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "note: run as root to install: apt-get install ${missing[*]}" >&2
    exit 0
  fi
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || true
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
