#!/usr/bin/env bash
# Sets up the project, idempotently: .venv with the pinned requirements, the package, the "parindex"
# Jupyter kernel, and the system packages: what the build prints PDFs with (Chromium's headless shell,
# poppler-utils, fonts), the full Chromium the benchmark's bare loop prints with, and what pip builds PyICU
# with (libicu-dev, pkg-config, g++).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
VENV=.venv
KERNEL=parindex
SYSTEM_PACKAGES=(chromium-headless-shell chromium poppler-utils fonts-dejavu-core fonts-liberation libicu-dev pkg-config g++)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        echo "setup: needs root to run: $*" >&2
        return 1
    fi
}

# System packages first: pip builds PyICU against libicu-dev (no wheel on PyPI), found with pkg-config.
missing=()
if command -v dpkg-query >/dev/null; then
    for package in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
else
    command -v chromium-headless-shell >/dev/null || command -v chromium >/dev/null \
        || command -v chromium-browser >/dev/null || missing+=(chromium-headless-shell)
    command -v pdftotext >/dev/null || missing+=(poppler-utils)
    pkg-config --exists icu-i18n 2>/dev/null || missing+=(libicu-dev pkg-config)
fi
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        sudo=()
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo=(sudo -n)
    else
        echo "setup: missing system packages: ${missing[*]}" >&2
        echo "setup: install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "setup: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q "${missing[@]}"
fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "setup: creating $VENV with $("$PYTHON" --version)"
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
        rm -rf "$VENV"
        echo "setup: $PYTHON cannot make a virtualenv; installing python3-venv"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q \
            && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv \
            || { echo "setup: install it with: sudo apt-get install -y python3-venv" >&2; exit 1; }
        "$PYTHON" -m venv "$VENV"
    fi
fi
echo "setup: installing requirements.txt and the parindex package into $VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e .
echo "setup: installing the Jupyter kernel '$KERNEL' into $VENV"
"$VENV/bin/python" -m ipykernel install --sys-prefix --name "$KERNEL" --display-name "$KERNEL" >/dev/null

echo "setup: done ($("$VENV/bin/python" --version), $(chromium-headless-shell --version 2>/dev/null | head -n 1))"
