#!/usr/bin/env bash
# Installs the Debian packages named as arguments, where they are missing: the programs a module's tests run
# (redis-server, chromium, chromium-driver). The build calls it before a module's tests with the packages of
# the module's tokenkit.test.packages property (see the parent pom); it can also be run by hand.
set -euo pipefail

if [ $# -eq 0 ]; then
	exit 0
fi
if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	echo "Not a Debian-based machine: the tests expect the programs of these Debian packages to be installed: $*"
	exit 0
fi

missing=()
for package in "$@"; do
	if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$package")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "The tests need Debian packages that are not installed: ${missing[*]}." >&2
	echo "Install them as root (sudo apt-get install ${missing[*]}), or skip the tests with -DskipTests." >&2
	exit 1
fi

echo "Installing what the tests need: ${missing[*]} (apt-get)"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq || ! apt-get install -y -qq "${missing[@]}" >/dev/null; then
	echo "apt-get could not install ${missing[*]}, which the tests need (its error is above)." >&2
	exit 1
fi
