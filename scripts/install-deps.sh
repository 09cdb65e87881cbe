#!/usr/bin/env bash
# Installs what the build and the tests need and is missing: Debian -dev packages and a
# project-local Python venv with the independent Parquet readers. Idempotent and quiet when
# everything is already there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

APT_PACKAGES=(libzstd-dev liblz4-dev libbrotli-dev libsnappy-dev zlib1g-dev openjdk-17-jre-headless zstd)
PY_PACKAGES=(pyarrow duckdb polars fastparquet pyspark pytest pytz pandas "moto[server]" boto3 requests)
VENV=${LAKETAP_VENV:-.venv}

missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A JRE already on the PATH is enough for Spark.
if command -v java >/dev/null 2>&1; then
    filtered=()
    for p in "${missing[@]}"; do [[ $p == openjdk-* ]] || filtered+=("$p"); done
    missing=("${filtered[@]}")
fi
if ((${#missing[@]})); then
    echo "install-deps: apt-get install ${missing[*]}"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

stamp="$VENV/.laketap-deps"
want="${PY_PACKAGES[*]}"
if [[ ! -f $stamp || "$(cat "$stamp")" != "$want" ]]; then
    echo "install-deps: python venv $VENV (${PY_PACKAGES[*]})"
    [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "${PY_PACKAGES[@]}"
    echo "$want" >"$stamp"
fi
