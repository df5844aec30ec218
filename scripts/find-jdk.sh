#!/usr/bin/env bash
# Prints the java launcher of a JDK of at least the given major version (first argument): the one given as
# second argument if there is one (it must be such a JDK's bin/java), else the newest JDK found under
# /usr/lib/jvm (Debian's and Temurin's packages), /Library/Java/JavaVirtualMachines or JAVA_HOME.
# Exits 1 with a message on standard error when there is none. The build uses it to find the JDK 21+ that
# runs the virtual-thread tests (autoconfigure's pom, property tokenkit.vt.jvm).
set -uo pipefail

minimum="${1:?usage: find-jdk.sh MINIMUM_MAJOR_VERSION [path/to/bin/java]}"
given="${2:-}"

# The major version of the JDK whose launcher is $1 (its release file, else java -version), or nothing.
major() {
	local java="$1" home version
	home="$(dirname "$(dirname "$java")")"
	if [ -r "$home/release" ]; then
		version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)"/\1/p' "$home/release")"
	fi
	if [ -z "${version:-}" ]; then
		version="$("$java" -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')"
	fi
	version="${version#1.}"
	echo "${version%%[.+-]*}"
}

if [ -n "$given" ]; then
	if [ ! -x "$given" ]; then
		echo "-Dtokenkit.vt.jvm=$given: no such java launcher. Point it to the bin/java of a JDK $minimum or later." >&2
		exit 1
	fi
	found="$(major "$given")"
	if [ -z "$found" ] || [ "$found" -lt "$minimum" ]; then
		echo "-Dtokenkit.vt.jvm=$given is Java ${found:-of unknown version}; the virtual-thread tests need a JDK $minimum or later." >&2
		exit 1
	fi
	echo "$given"
	exit 0
fi

best="" best_major=0 seen=()
for java in /usr/lib/jvm/*/bin/java /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java \
	${JAVA_HOME:+"$JAVA_HOME/bin/java"}; do
	[ -x "$java" ] || continue
	found="$(major "$java")"
	[ -n "$found" ] || continue
	seen+=("$java ($found)")
	if [ "$found" -ge "$minimum" ] && [ "$found" -gt "$best_major" ]; then
		best="$java" best_major="$found"
	fi
done

if [ -z "$best" ]; then
	{
		echo "The virtual-thread tests (*VirtualThreadTests) need a JDK $minimum or later, and none was found"
		echo "under /usr/lib/jvm, /Library/Java/JavaVirtualMachines or JAVA_HOME (found only: ${seen[*]:-none})."
		echo "Install one (for example Temurin's temurin-$minimum-jdk package) or point to one with"
		echo "-Dtokenkit.vt.jvm=/path/to/jdk/bin/java; -DskipTests skips all the tests."
	} >&2
	exit 1
fi
echo "$best"
