#!/usr/bin/env bash
# Build the one-folder bundle into dist/gakuseki and smoke-test it outside the venv.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pip install -q --disable-pip-version-check "pyinstaller==6.22.3"
rm -rf build/pyinstaller dist/gakuseki
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
    --workpath build/pyinstaller --distpath dist packaging/gakuseki.spec
du -sh dist/gakuseki | awk '{print "bundle size: " $1}'
bash packaging/smoke.sh dist/gakuseki
