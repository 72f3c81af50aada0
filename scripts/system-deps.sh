#!/usr/bin/env bash
# Make sure the system libraries WeasyPrint needs (Pango, HarfBuzz, fontconfig) are present.
# Installs them with apt-get when we are root on Debian/Ubuntu; otherwise says what to install.
set -u
python=${1:?usage: system-deps.sh PATH-TO-VENV-PYTHON}

if "$python" -c "import weasyprint" >/dev/null 2>&1; then
  exit 0
fi

packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1"
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing the system libraries WeasyPrint needs: $packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq $packages >/dev/null
elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "Installing the system libraries WeasyPrint needs: $packages"
  sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
fi

if ! "$python" -c "import weasyprint" >/dev/null 2>&1; then
  echo "error: WeasyPrint cannot load its system libraries. Install Pango and HarfBuzz:" >&2
  echo "  Debian/Ubuntu: sudo apt-get install $packages" >&2
  echo "  Fedora: sudo dnf install pango harfbuzz   macOS: brew install pango" >&2
  exit 1
fi
