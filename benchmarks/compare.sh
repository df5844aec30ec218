#!/usr/bin/env bash
# Runs the hot-path benchmarks of the working tree beside those of a base commit, in one run, and writes
# benchmarks/results/compare-<base>-<head>.md (printed at the end; results/ is not committed).
#
#   benchmarks/compare.sh [BASE_REV]        BASE_REV defaults to 332ae71, the baseline of issue 17.
#
#   1. Builds the benchmarks of BASE_REV in a temporary git worktree (git worktree add --detach, removed at the end,
#      also on failure or interrupt) and those of the working tree, each as run.sh does:
#      ./mvnw -q -B -pl benchmarks -am package -DskipTests (the working tree's mvnw for both; nothing is installed
#      into ~/.m2). Set MAVEN_ARGS=-o for an offline build.
#   2. Runs, in R rounds interleaved (base, new, base, new, ...), each round of each build two JMH runs with -prof gc
#      and -rf json: FilterOverheadBenchmark (WebClient filter) and InterceptorOverheadBenchmark (RestClient: no
#      interceptor, no-op interceptor, TokenKit, Spring Security, constant-header interceptor) through
#      org.openjdk.jmh.Main; StoreHotPathBenchmark (in-memory and Redis stores) through StoreHotPathMain, which starts
#      a redis-server on a free loopback port and stops it. Methods present in one build only are reported as such.
#   3. CompareReportMain (this module, working tree's build) reads the JSON and writes, per method, the base and new
#      scores (mean of the rounds, ± half the spread between rounds, JMH's error), new/base per round, B/op of both
#      and the A/A ratio between rounds of the same build; then issue 17's checks, each met / not met / undecided
#      (within noise): (a) every hot-path method within ±10 % of the base, undecided where the per-round ratios
#      cross a bound; (b) on the new build, TokenKit's RestClient interceptor: its extra time over the no-op
#      interceptor at most 1.1 x that of the constant-header interceptor, and no more B/op than it.
#
# Settings (override through the environment):
#   R                 rounds per build, 1 to 10. Default: 2 (one round gives no spread and no A/A figure).
#   COMPARE_JMH_OPTS  JMH options of every run. Default: -f 1 -wi 5 -w 1s -i 5 -r 1s (about 13 s per method with
#                     the fork's start; 16 methods: about 3.5 minutes per build and round).
# The default run takes about 20 minutes on 2 cores: two builds (2 to 5 minutes together, waiting for a build slot on
# a shared machine) and 4 x 3.5 minutes of JMH. Raw JSON and logs stay in benchmarks/results/compare-<base>-<head>/.
# Every loop is bounded; a failed build or run stops the script with a non-zero exit and the log's last lines.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/benchmarks"
BASE_REV="${1:-332ae71}"
R="${R:-2}"
COMPARE_JMH_OPTS="${COMPARE_JMH_OPTS:--f 1 -wi 5 -w 1s -i 5 -r 1s}"
JAVA_OPTS="-Xms1g -Xmx1g"
CLIENTS='io\.tokenkit\.benchmarks\.(FilterOverheadBenchmark|InterceptorOverheadBenchmark)\.'

fail() {
	echo "compare.sh: $*" >&2
	exit 1
}
# The last lines of a log on stderr, then fail with the message.
fail_with_log() {
	local log="$1"
	shift
	echo "---- last lines of $log" >&2
	tail -n 25 "$log" >&2 || true
	fail "$*"
}

case "$R" in
	[1-9] | 10) ;;
	*) fail "R (rounds per build) must be a whole number from 1 to 10, not '$R'" ;;
esac
if [ ! -x /usr/bin/redis-server ] && ! command -v redis-server >/dev/null 2>&1; then
	fail "redis-server is not installed (StoreHotPathBenchmark needs it): apt-get install redis-server"
fi
BASE_SHA="$(git -C "$ROOT" rev-parse --short --verify --quiet "$BASE_REV^{commit}")" \
	|| fail "'$BASE_REV' is not a commit of this repository: give a revision such as 332ae71"
HEAD_LABEL="$(git -C "$ROOT" rev-parse --short HEAD)"
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ]; then
	HEAD_LABEL="$HEAD_LABEL-dirty"
fi
NAME="compare-$BASE_SHA-$HEAD_LABEL"
RUN_DIR="$BENCH/results/$NAME"
REPORT="$BENCH/results/$NAME.md"
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"

M2_TOKENKIT="$HOME/.m2/repository/io/tokenkit"
M2_HAD_TOKENKIT=false
[ -e "$M2_TOKENKIT" ] && M2_HAD_TOKENKIT=true
TMP="$(mktemp -d "${TMPDIR:-/tmp}/tokenkit-compare.XXXXXX")"
BASE_TREE="$TMP/base"
cleanup() {
	if [ -d "$BASE_TREE" ]; then
		git -C "$ROOT" worktree remove --force "$BASE_TREE" >/dev/null 2>&1 || true
	fi
	rm -rf "$TMP"
	if git -C "$ROOT" worktree list --porcelain | grep -q -F "worktree $BASE_TREE"; then
		git -C "$ROOT" worktree prune || true
	fi
	# package installs nothing; should a build have done so, remove what it left
	if [ "$M2_HAD_TOKENKIT" = false ] && [ -e "$M2_TOKENKIT" ]; then
		rm -rf "$M2_TOKENKIT"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

load() { cut -d' ' -f1-3 /proc/loadavg; }
SECONDS=0
STARTED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
LOAD_BEFORE="$(load)"

echo "== base $BASE_SHA: temporary worktree $BASE_TREE"
git -C "$ROOT" worktree add --detach "$BASE_TREE" "$BASE_SHA" >"$RUN_DIR/worktree.log" 2>&1 \
	|| fail_with_log "$RUN_DIR/worktree.log" "could not add a worktree of $BASE_SHA in $BASE_TREE"

# Build the benchmarks module (and what it depends on) of the tree in $1, as run.sh does.
build() {
	local tree="$1" label="$2" log="$RUN_DIR/build-${2%% *}.log"
	echo "== build $label ($tree)"
	if ! (cd "$tree" && "$ROOT/mvnw" -q -B -pl benchmarks -am package -DskipTests) >"$log" 2>&1; then
		fail_with_log "$log" "the build of the $label benchmarks failed: see $log"
	fi
	[ -d "$tree/benchmarks/target/lib" ] || fail "the build of $label left no benchmarks/target/lib in $tree"
}
build "$BASE_TREE" "base $BASE_SHA"
build "$ROOT" "new (working tree)"
CP_BASE="$BASE_TREE/benchmarks/target/classes:$BASE_TREE/benchmarks/target/lib/*"
CP_NEW="$BENCH/target/classes:$BENCH/target/lib/*"

# One round of one build: the client benchmarks through JMH's main, the store benchmarks through StoreHotPathMain
# (its own redis-server; it adds the GC profiler itself).
run_round() {
	local label="$1" classpath="$2" round="$3" log
	log="$RUN_DIR/$label-r$round-clients.log"
	echo "== round $round/$R, $label: FilterOverheadBenchmark, InterceptorOverheadBenchmark ($((SECONDS / 60)) min)"
	# shellcheck disable=SC2086
	java $JAVA_OPTS -cp "$classpath" org.openjdk.jmh.Main "$CLIENTS" $COMPARE_JMH_OPTS -foe true -prof gc \
		-rf json -rff "$RUN_DIR/$label-r$round-clients.json" >"$log" 2>&1 \
		|| fail_with_log "$log" "the JMH run of the client benchmarks of the $label build (round $round) failed"
	log="$RUN_DIR/$label-r$round-store.log"
	echo "== round $round/$R, $label: StoreHotPathBenchmark ($((SECONDS / 60)) min)"
	# shellcheck disable=SC2086
	java $JAVA_OPTS -cp "$classpath" io.tokenkit.benchmarks.StoreHotPathMain "$RUN_DIR/$label-r$round-store" \
		$COMPARE_JMH_OPTS -foe true -rf json -rff "$RUN_DIR/$label-r$round-store.json" >"$log" 2>&1 \
		|| fail_with_log "$log" "the JMH run of StoreHotPathBenchmark of the $label build (round $round) failed"
}
for round in $(seq 1 "$R"); do
	run_round base "$CP_BASE" "$round"
	run_round new "$CP_NEW" "$round"
done
LOAD_AFTER="$(load)"

java -cp "$CP_NEW" io.tokenkit.benchmarks.CompareReportMain "$RUN_DIR" "$BASE_SHA" "$HEAD_LABEL" \
	>"$RUN_DIR/report.log" 2>&1 || fail_with_log "$RUN_DIR/report.log" "CompareReportMain could not read the results"
SUBJECT="$(git -C "$ROOT" log -1 --format=%s "$BASE_SHA" | cut -c1-100)"
DIRTY_NOTE=""
case "$HEAD_LABEL" in *-dirty) DIRTY_NOTE=" with uncommitted changes" ;; esac
MINUTES="$(awk -v s="$SECONDS" 'BEGIN { printf "%.1f", s / 60 }')"
{
	cat <<HEADER
# Hot path: working tree $HEAD_LABEL beside $BASE_SHA

Written by \`benchmarks/compare.sh $BASE_REV\` on $STARTED in $MINUTES minutes. Base: \`$BASE_SHA\`, "$SUBJECT".
New: the working tree at \`$HEAD_LABEL\`$DIRTY_NOTE. $R round(s) per build, interleaved (base, new, base, new...), each
round a separate JMH run per part: \`$COMPARE_JMH_OPTS -prof gc\`, average time, one thread. Load average (1/5/15 min)
before $LOAD_BEFORE, after $LOAD_AFTER on $(nproc) CPUs; JVM: $(java -version 2>&1 | sed -n '2p').

HEADER
	cat "$RUN_DIR/compare-body.md"
} >"$REPORT"
cat "$REPORT"
echo
echo "Wrote $REPORT ($MINUTES minutes; raw JSON and logs in $RUN_DIR)"
