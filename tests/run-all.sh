#!/usr/bin/env bash
# The whole test suite, with all set-up on a fresh Debian machine that has the .NET 10 SDK:
#   - the official OCPP 1.6 JSON schemas (npm package ocpp-rpc, pinned in tests/package-lock.json), on which the strict
#     third-party CSMS of tests/peers/strict-csms also runs (with Node.js),
#   - Prometheus from Debian's packages (the dashboard tests evaluate every panel's PromQL against it),
#   - vsftpd from Debian's packages (the FTP/FTPS tests start their own on 127.0.0.1; it must run as root).
#   - Chromium from Debian's packages (the HTML report is loaded in headless Chromium).
#   - clang and zlib1g-dev from Debian's packages: the Dockerfile's build steps publish fleetsim compiled ahead of time
#     (Native AOT links with them); that native fleetsim is what the native-build tests run (FLEETSIM_NATIVE).
# Nothing is skipped when something is missing: it is installed here, or the run fails.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing_packages=()
command -v npm >/dev/null 2>&1 || missing_packages+=(nodejs npm)
command -v prometheus >/dev/null 2>&1 || missing_packages+=(prometheus)
[ -x /usr/sbin/vsftpd ] || missing_packages+=(vsftpd)   # not on PATH: /usr/sbin
command -v chromium >/dev/null 2>&1 || missing_packages+=(chromium)
dpkg -s clang >/dev/null 2>&1 || missing_packages+=(clang)
dpkg -s zlib1g-dev >/dev/null 2>&1 || missing_packages+=(zlib1g-dev)
if [ ${#missing_packages[@]} -gt 0 ]; then
  echo "Installing from Debian's packages: ${missing_packages[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_packages[@]}"
  # The package starts a system-wide FTP server where systemd runs; the tests need only the binary.
  if [[ " ${missing_packages[*]} " == *" vsftpd "* ]] && [ -d /run/systemd/system ]; then
    as_root systemctl disable --now vsftpd || true
  fi
fi

npm ci --prefix tests --no-audit --no-fund --loglevel=error

dotnet build Simulator.sln -c Release

# The Dockerfile's build stage, once: the image's native fleetsim, which the Dockerfile and native-build tests then run.
dockerfile_check="$(mktemp -d)"
trap 'rm -rf "$dockerfile_check"' EXIT
dashboards/check-dockerfile.sh "$dockerfile_check" | tee "$dockerfile_check/check.log"
export FLEETSIM_DOCKERFILE_CHECK="$dockerfile_check"
export FLEETSIM_NATIVE="$dockerfile_check/root/app/publish/fleetsim"

dotnet test Simulator.sln -c Release --no-build --logger "console;verbosity=minimal"
