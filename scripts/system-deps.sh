#!/usr/bin/env bash
# Make sure the system libraries the build needs are present: Pango, fontconfig and HarfBuzz with
# its subsetter (WeasyPrint falls back to fontTools without it, with a warning, and pamphlet treats
# every print warning as an error). Installs them with apt-get when we are root on Debian/Ubuntu
# (or have password-less sudo); otherwise prints one message saying what to install.
#
#   system-deps.sh PYTHON            the build's libraries
#   system-deps.sh PYTHON --browser  also Debian's chromium, for the browser tests (optional: when
#                                    it cannot be installed, those tests are skipped and counted)
set -u
python=${1:?usage: system-deps.sh PATH-TO-VENV-PYTHON [--browser]}
want_browser=${2:-}

# Prints nothing and exits 0 when WeasyPrint loads with HarfBuzz-Subset >= 4.1.0; otherwise one
# line saying what is missing.
probe() {
  "$python" -W ignore - <<'PY'
import sys
try:
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset
except Exception as exc:  # OSError from dlopen, ImportError...
    sys.exit(f"WeasyPrint cannot load Pango/HarfBuzz/fontconfig ({exc})")
if harfbuzz_subset is None:
    sys.exit("HarfBuzz-Subset (libharfbuzz-subset) is missing")
if not harfbuzz.hb_version_atleast(4, 1, 0):
    sys.exit("HarfBuzz is older than 4.1.0")
PY
}

install() {  # install Debian packages if we may; returns non-zero if we may not
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq "$@" >/dev/null
  elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n apt-get update -qq >/dev/null && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    return 1
  fi
}

packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1"
if ! problem=$(probe 2>&1); then
  echo "Installing the system libraries the build needs ($problem): $packages"
  install $packages
  if ! problem=$(probe 2>&1); then
    echo "error: $problem. Install the system libraries the build needs:" >&2
    echo "  Debian/Ubuntu: sudo apt-get install $packages" >&2
    echo "  Fedora: sudo dnf install pango harfbuzz fontconfig   macOS: brew install pango harfbuzz" >&2
    exit 1
  fi
fi

if [ "$want_browser" = "--browser" ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)      # browser tests (Playwright drives it)
  command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)     # decoding printed QR codes
  if [ ${#missing[@]} -gt 0 ]; then
    if install "${missing[@]}" 2>/dev/null; then
      echo "Installed for the tests: ${missing[*]}"
    else
      echo "note: ${missing[*]} not installed (needs root on Debian); the tests that need them will be" \
           "skipped and counted at the end of the run" >&2
    fi
  fi
fi
exit 0
