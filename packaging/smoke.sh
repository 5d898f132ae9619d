#!/usr/bin/env bash
# Run the built bundle as a staff-room PC would: no venv on PATH, no project on sys.path.
set -euo pipefail
bundle=$(realpath "${1:-dist/gakuseki}")
root=$(realpath "$(dirname "$0")/..")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
run() { env -i HOME="$work" PATH=/usr/bin:/bin LANG=C.UTF-8 "$bundle/gakuseki" "$@"; }
run --version
run doctor
run ledger extract "$root/resources/samples/sample_fax.tif" --out "$work/out" --quiet
python3 - "$work/out/sample_fax.tif.json" "$root/resources/samples/sample_fax.tif.json" <<'PY'
import json, sys
got = json.load(open(sys.argv[1]))
truth = json.load(open(sys.argv[2]))
assert len(got["records"]) == len(truth["records"]), (len(got["records"]), len(truth["records"]))
right = sum(
    1
    for g, t in zip(got["records"], truth["records"])
    for f in ("family_name", "given_name", "birth_date")
    if (g["fields"].get(f) or {}).get("value") == t[f]
)
total = 3 * len(truth["records"])
print(f"bundle OCR: {right}/{total} name and birth-date fields right")
assert right >= 0.8 * total
PY
env -i HOME="$work" PATH=/usr/bin:/bin LANG=C.UTF-8 GAKUSEKI_NEW_PASSPHRASE="smoke test passphrase" \
    "$bundle/gakuseki" --store "$work/store" init --school 煙試験小学校 --school-code B113212345602 \
    --admin admin >/dev/null
start=$(date +%s.%N)
env -i HOME="$work" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen GAKUSEKI_STARTUP_PROBE=1 \
    "$bundle/gakuseki" --store "$work/store"
end=$(date +%s.%N)
echo "cold start to the unlock dialog: $(echo "$end - $start" | bc) s"
echo "smoke test passed"
