#!/usr/bin/env bash
# Runs TokenKit's ten benchmarks and writes benchmarks/RESULTS.md with PNG charts.
#
#   1. Per-request overhead (JMH, -prof gc): no filter vs TokenKit vs Spring Security, in-memory exchange.
#   2. Loopback throughput: Reactor Netty server on 127.0.0.1, fixed requests at fixed concurrency.
#   3. Expiry under load: N = 100, 1,000, 10,000 requests when the cached token has just expired,
#      token endpoint on loopback answering after 50 ms; counts token calls and failed requests.
#   4. Memory: retained bytes per cached per-user token in InMemoryTokenStore (JOL).
#   5. Many instances: three TokenManagers on one loopback redis-server (RedisTokenStore, each with its own
#      Lettuce connection factory) beside three with in-memory stores: token-endpoint calls at expiry for
#      N concurrent requests, R rotations of a single-use refresh token, and the hot path (JMH).
#   6. Blocking stack (RestClient): per-request overhead (JMH, -prof gc) with no interceptor, a no-op interceptor
#      (the floor), TokenKit's interceptor and Spring Security's, over an in-memory request factory, with a
#      per-request allocation profile; then token-endpoint calls when N = 100, 1,000, 10,000 virtual threads find
#      the token just expired (loopback token endpoint, 50 ms), on a JDK 21+ (TEMURIN_JAVA).
#   7. Client authentication (JMH, -prof gc): one authenticate() call and one token call on a loopback endpoint
#      with client_secret_basic, private_key_jwt PS256 (RSA 2048) and private_key_jwt ES256 (P-256).
#   8. DPoP (JMH, -prof gc): a request through the bearer filter with a cached bearer token, with a cached
#      DPoP-bound token and a new ES256 (P-256) proof, and one bare ES256 signature (the floor of any proof).
#   9. Per-call parameters (JMH, -prof gc): the hot path of a request with a two-scope TokenParameters built once
#      beside one with the registration's defaults: the key lookup alone, and a request through the bearer filter.
#  10. Token exchange (JMH, -prof gc): the SHA-256 fingerprint of the incoming token that keys each request of a
#      token-exchange registration, beside the default resolver of other registrations.
#
# Settings (override through the environment):
#   JMH_OPTS        JMH options for benchmark 1. Default: -f 2 -wi 5 -w 2s -i 5 -r 2s
#                   (2 forks, each 5 x 2 s warm-up then 5 x 2 s measured, per benchmark method: about 42 s each;
#                   5 methods including 2 diagnostics: about 3.5 minutes). Spring Security's filter needs the
#                   4th or 5th warm-up iteration to reach steady state on 2 busy cores.
#   LOOPBACK_ARGS   requests per round, concurrency, measured rounds. Default: 8000 32 16
#                   (4 clients: a, an A/A control a', b, c; 2 warm-up rounds first; about 1 minute).
#                   Then a diagnostic run of the same size (-Dloopback.diagnostics=true) with controls: an empty
#                   filter, the header sent by defaultHeader without a filter, a header-adding filter (1 minute).
#   EXPIRY_SIZES    values of N. Default: 100 1000 10000.
#   TOKENS          per-user tokens for benchmark 4. Default: 100000.
#   INSTANCES_SIZES values of N for benchmark 5a. Default: 100 1000 10000.
#   ROTATIONS       rotations R for benchmark 5b. Default: 100 (about 30 s).
#   INSTANCES_JMH_OPTS JMH options for benchmark 5c. Default: -f 1 -wi 3 -w 1s -i 5 -r 1s
#                   (6 methods, about 1.5 minutes).
#   BLOCKING_JMH_OPTS JMH options for benchmark 6a. Default: those of benchmark 1 (5 methods including
#                   1 diagnostic: about 3.5 minutes).
#   BLOCKING_SIZES  values of N (virtual threads) for benchmark 6b. Default: 100 1000 10000.
#   TEMURIN_JAVA    the java of a JDK 21+ that runs benchmark 6b (virtual threads; this module is release 17).
#                   Default: the newest /usr/lib/jvm/temurin-*/bin/java of version 21 or later.
#   CLIENT_AUTH_JMH_OPTS JMH options for benchmark 7. Default: -f 1 -wi 3 -w 1s -i 5 -r 1s
#                   (6 methods, about 1.5 minutes).
#   DPOP_JMH_OPTS   JMH options for benchmark 8. Default: -f 1 -wi 3 -w 1s -i 5 -r 1s
#                   (3 methods, about 30 seconds).
#   PARAMETERS_JMH_OPTS JMH options for benchmark 9. Default: -f 1 -wi 12 -w 1s -i 6 -r 1s
#                   (4 methods, about 1.5 minutes: on 2 busy cores the filter's request needs about
#                   10 warm-up seconds before its time settles).
#   EXCHANGE_JMH_OPTS JMH options for benchmark 10. Default: -f 1 -wi 5 -w 1s -i 5 -r 1s
#                   (3 methods, about 1 minute).
#   PARTS           all (default); instances: run benchmark 5 alone; blocking: run benchmark 6 alone;
#                   client-authentication: run benchmark 7 alone; dpop: run benchmark 8 alone;
#                   per-call-parameters: run benchmark 9 alone; token-exchange: run benchmark 10 alone. Run alone,
#                   a part replaces only its own section and goals in the existing RESULTS.md (the other parts
#                   keep the figures of their last run).
# The whole run takes about 21 minutes on 2 cores (16 for benchmarks 1 to 6, then the JMH estimates above);
# PARTS=instances about 3, PARTS=blocking about 6, PARTS=client-authentication about 1.5, PARTS=dpop about 0.5,
# PARTS=per-call-parameters about 1.5, PARTS=token-exchange about 1, each with the build first. Loopback
# only; every loop is bounded and stops by itself; the redis-server of benchmark 5 is started on a free loopback
# port and stopped.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/benchmarks"
OUT="$BENCH/results"          # raw output, not committed
JMH_OPTS="${JMH_OPTS:--f 2 -wi 5 -w 2s -i 5 -r 2s}"
LOOPBACK_ARGS="${LOOPBACK_ARGS:-8000 32 16}"
EXPIRY_SIZES="${EXPIRY_SIZES:-100 1000 10000}"
TOKENS="${TOKENS:-100000}"
INSTANCES_SIZES="${INSTANCES_SIZES:-100 1000 10000}"
ROTATIONS="${ROTATIONS:-100}"
INSTANCES_JMH_OPTS="${INSTANCES_JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s}"
BLOCKING_JMH_DEFAULT="$JMH_OPTS"
BLOCKING_JMH_OPTS="${BLOCKING_JMH_OPTS:-$BLOCKING_JMH_DEFAULT}"
BLOCKING_SIZES="${BLOCKING_SIZES:-100 1000 10000}"
CLIENT_AUTH_JMH_OPTS="${CLIENT_AUTH_JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s}"
DPOP_JMH_OPTS="${DPOP_JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s}"
PARAMETERS_JMH_OPTS="${PARAMETERS_JMH_OPTS:--f 1 -wi 12 -w 1s -i 6 -r 1s}"
EXCHANGE_JMH_OPTS="${EXCHANGE_JMH_OPTS:--f 1 -wi 5 -w 1s -i 5 -r 1s}"
PARTS="${PARTS:-all}"
JAVA_OPTS="-Xms1g -Xmx1g"

case "$PARTS" in
	all | instances | blocking | client-authentication | dpop | per-call-parameters | token-exchange) ;;
	*)
		echo "PARTS must be all, instances, blocking, client-authentication, dpop, per-call-parameters or token-exchange," \
			"not '$PARTS'" >&2
		exit 2
		;;
esac

# The java of a JDK 21 or later, for the virtual threads of benchmark 6b: TEMURIN_JAVA if set, else the newest
# Temurin JDK under /usr/lib/jvm.
java_feature() { "$1" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p'; }
find_virtual_thread_java() {
	local candidate feature
	if [ -n "${TEMURIN_JAVA:-}" ]; then
		feature="$(java_feature "$TEMURIN_JAVA")"
		if [ -z "$feature" ] || [ "$feature" -lt 21 ]; then
			echo "TEMURIN_JAVA=$TEMURIN_JAVA is not the java of a JDK 21 or later (version: ${feature:-none})" >&2
			return 1
		fi
		echo "$TEMURIN_JAVA"
		return 0
	fi
	for candidate in $(ls -d /usr/lib/jvm/temurin-*/bin/java 2>/dev/null | sort -V -r); do
		feature="$(java_feature "$candidate")"
		if [ -n "$feature" ] && [ "$feature" -ge 21 ]; then
			echo "$candidate"
			return 0
		fi
	done
	echo "Benchmark 6b runs virtual threads and needs a JDK 21 or later; none found under /usr/lib/jvm/temurin-*." >&2
	echo "Install one (e.g. Adoptium's temurin-25-jdk) or set TEMURIN_JAVA=/path/to/jdk/bin/java." >&2
	return 1
}
if [ "$PARTS" = all ] || [ "$PARTS" = blocking ]; then
	VT_JAVA="$(find_virtual_thread_java)" || exit 2
fi
if [ "$PARTS" != instances ] && ! command -v gnuplot >/dev/null 2>&1; then
	echo "gnuplot not found: installing Debian's gnuplot-nox"
	apt-get install -y gnuplot-nox
fi
if [ "$PARTS" != blocking ] && [ ! -x /usr/bin/redis-server ] && ! command -v redis-server >/dev/null 2>&1; then
	echo "redis-server not found: installing Debian's redis-server (benchmark 5 starts its own, on loopback)"
	apt-get install -y redis-server
fi

cd "$ROOT"
echo "== build"
"$ROOT/mvnw" -q -B -pl benchmarks -am package -DskipTests
CP="$BENCH/target/classes:$BENCH/target/lib/*"
rm -rf "$OUT"
mkdir -p "$OUT"

load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE="$(load)"
STARTED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"

# Benchmark 5: runs the harnesses, then writes its section and goals for RESULTS.md, each between markers so that
# PARTS=instances can replace them in place.
# The gnuplot commands of an overhead chart (time and allocation per request, side by side) of a .dat file
# whose columns are: name, ns/op, error, bytes/op.
overhead_chart() {
	cat <<CHART
set terminal pngcairo size $3,520 font "DejaVu Sans,11"
set output "$2"
set datafile separator whitespace
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.6
set grid ytics
set key off
stats "$1" using 2 nooutput
set yrange [0:STATS_max * 1.12]
set multiplot layout 1,2 title "$4"
set title "Time per request (ns/op, lower is better)"
set ylabel "ns/op"
plot "$1" using 2:xtic(1) linecolor rgb "#4c72b0", \
     "" using 0:(\$2):(sprintf("%.0f", \$2)) with labels offset 0,0.8 notitle
stats "$1" using 4 nooutput
set yrange [0:STATS_max * 1.12]
set title "Allocation per request (bytes/op, lower is better)"
set ylabel "bytes/op"
plot "$1" using 4:xtic(1) linecolor rgb "#dd8452", \
     "" using 0:(\$4):(sprintf("%.0f", \$4)) with labels offset 0,0.8 notitle
unset multiplot
CHART
}

run_instances() {
	LOAD_5_BEFORE="$(load)"
	STARTED_5="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "== 5a/5b. many instances (N = $INSTANCES_SIZES; $ROTATIONS rotations)"
	# shellcheck disable=SC2086
	java $JAVA_OPTS -cp "$CP" io.tokenkit.benchmarks.ManyInstancesMain "$OUT" "$ROTATIONS" $INSTANCES_SIZES \
		| tee "$OUT/instances.log"
	echo "== 5c. hot path, Redis store beside in-memory store (JMH: $INSTANCES_JMH_OPTS -prof gc)"
	# shellcheck disable=SC2086
	java $JAVA_OPTS -cp "$CP" io.tokenkit.benchmarks.StoreHotPathMain "$OUT" $INSTANCES_JMH_OPTS \
		-rf json -rff "$OUT/jmh-hotpath.json" | tee "$OUT/hotpath.log"
	LOAD_5="$(load)"
	local redis_version alone=""
	redis_version="$(redis-server --version | sed -n 's/.*\(v=[^ ]*\).*/\1/p')"
	if [ "$PARTS" = instances ]; then
		alone=" It was run alone (\`PARTS=instances\`); the other parts keep the figures of the run described at the top."
	fi
	{
		echo "<!-- part 5 goals: begin -->"
		grep -h -E '^Goals?:' "$OUT/instances.md" "$OUT/hotpath.md" | sed 's/^/- /'
		echo "<!-- part 5 goals: end -->"
	} > "$OUT/instances-goals.md"
	{
		cat <<INSTANCES
<!-- part 5: begin -->
## 5. Many instances

Written by \`benchmarks/run.sh\` on $STARTED_5 (commit $COMMIT).$alone **The machine was shared with other builds
during this run**: load average (1/5/15 min) before $LOAD_5_BEFORE, after $LOAD_5 on $(nproc) CPUs. Read the ratios and
counts, not the absolute times.

Three instances of one application in one JVM: three \`TokenManager\`s, each with its own store. After: a
\`RedisTokenStore\` over its own Lettuce connection factory, all three on one \`redis-server\` ($redis_version, no
persistence) that the harness starts on a free loopback port and stops at the end. Before: an \`InMemoryTokenStore\` in
each instance. The token endpoint is the test kit's \`MockTokenServer\` on 127.0.0.1 (the JDK's HTTP server), which
answers after 50 ms and treats refresh tokens as Keycloak does with single-use refresh tokens. All instances share one
controllable clock (\`MutableClock\`); requests go through TokenKit's bearer filter to a resource server answered in
memory (\`200\` for a token the endpoint issued, \`401\` otherwise). A request fails if it ends in an error or does not
end within 30 s. Settings: N = $INSTANCES_SIZES; R = $ROTATIONS.

INSTANCES
		cat "$OUT/instances.md"
		cat <<HOTPATH

### 5c. Hot path: Redis store beside the in-memory store (JMH)

The style of benchmark 1: a valid token cached for an hour, \`TokenManager.getCachedToken\` alone and one request through
TokenKit's bearer filter over an in-memory exchange. Three setups in the same run: an \`InMemoryTokenStore\`, a second
identical one (the A/A control: its distance from 1.000 is the noise of this run), and a \`RedisTokenStore\` with Redis up
and the token written to Redis and cached locally. The commands Redis processed during each trial come from
\`INFO stats\` before and after it. Settings: \`$INSTANCES_JMH_OPTS -prof gc\`, average time, one thread.

HOTPATH
		cat "$OUT/hotpath.md"
		echo "<!-- part 5: end -->"
	} > "$OUT/instances-section.md"
}

# Replace the lines from the begin marker to the end marker of a file with the contents of another (which holds
# the markers too); without markers, insert it before the first line matching the anchor.
splice() {
	local target="$1" begin="$2" end="$3" replacement="$4" anchor="$5"
	awk -v begin="$begin" -v end="$end" -v file="$replacement" -v anchor="$anchor" '
		function emit(  line) { while ((getline line < file) > 0) print line; close(file) }
		$0 == begin { emit(); skipping = 1; done = 1; next }
		skipping { if ($0 == end) skipping = 0; next }
		!done && $0 ~ anchor { emit(); print ""; done = 1 }
		{ print }
	' "$target" > "$target.new"
	mv "$target.new" "$target"
}

# Benchmark 6: runs the harnesses, draws its charts, then writes its section and goals for RESULTS.md, each between
# markers so that PARTS=blocking can replace them in place.
run_blocking() {
	LOAD_6_BEFORE="$(load)"
	STARTED_6="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "== 6a. RestClient per-request overhead (JMH: $BLOCKING_JMH_OPTS -prof gc)"
	# shellcheck disable=SC2086
	java $JAVA_OPTS -cp "$CP" io.tokenkit.benchmarks.BlockingOverheadMain "$OUT" $BLOCKING_JMH_OPTS \
		-rf json -rff "$OUT/jmh-blocking.json" | tee "$OUT/blocking-overhead.log"
	echo "== 6a. allocation profile of the RestClient contenders"
	java $JAVA_OPTS -cp "$CP" io.tokenkit.benchmarks.InterceptorAllocationProfileMain "$OUT" \
		| tee "$OUT/blocking-profile.log"
	echo "== 6b. expiry under load on virtual threads (N = $BLOCKING_SIZES; $VT_JAVA)"
	# shellcheck disable=SC2086
	"$VT_JAVA" $JAVA_OPTS -cp "$CP" io.tokenkit.benchmarks.BlockingExpiryMain "$OUT" $BLOCKING_SIZES \
		| tee "$OUT/blocking-expiry.log"
	LOAD_6="$(load)"

	gnuplot <<GNUPLOT
$(overhead_chart "$OUT/blocking-overhead.dat" "$BENCH/blocking-overhead.png" 1500 \
	"Benchmark 6a: one RestClient request with a valid cached token (in-memory request factory, JMH -prof gc)")

set terminal pngcairo size 900,520 font "DejaVu Sans,11"
set output "$BENCH/blocking-expiry.png"
set title "Benchmark 6b: token-endpoint calls when N virtual threads find the token just expired\n(RestClient; token endpoint on loopback, 50 ms; log scale)"
stats "$OUT/blocking-expiry.dat" using 3 nooutput
set logscale y
set yrange [0.5:STATS_max * 4]
set boxwidth 0.9
set ylabel "token-endpoint calls (lower is better, 1 is ideal)"
set xlabel "N virtual threads"
set key below
plot "$OUT/blocking-expiry.dat" using 2:xtic(1) title "b. TokenKit" linecolor rgb "#4c72b0", \
     "" using 3 title "c. Spring Security" linecolor rgb "#c44e52", \
     "" using (\$0 - 1.0/6):(\$2):(sprintf("%d", \$2)) with labels offset 0,0.8 notitle, \
     "" using (\$0 + 1.0/6):(\$3):(sprintf("%d", \$3)) with labels offset 0,0.8 notitle
GNUPLOT

	# Figures taken on a loaded machine or with shorter JMH settings than the default are marked as such.
	local cpus load_before load_after under_load="" alone=""
	cpus="$(nproc)"
	load_before="${LOAD_6_BEFORE%% *}"
	load_after="${LOAD_6%% *}"
	if awk -v a="$load_before" -v b="$load_after" -v n="$cpus" 'BEGIN { exit !(a > n || b > n) }' \
		|| [ "$BLOCKING_JMH_OPTS" != "$BLOCKING_JMH_DEFAULT" ]; then
		under_load="**Measured under load, to re-run:** load average (1 min) $load_before before and $load_after after,
on $cpus CPUs; JMH settings \`$BLOCKING_JMH_OPTS\` (default \`$BLOCKING_JMH_DEFAULT\`). The JMH times of this run
are not to be relied on. The allocation figures (bytes per request) and the token-call counts do not depend on the
load."
	fi
	if [ "$PARTS" = blocking ]; then
		alone=" It was run alone (\`PARTS=blocking\`); the other parts keep the figures of the run described at the top."
	fi
	{
		echo "<!-- part 6 goals: begin -->"
		grep -h -E '^Goals?:' "$OUT/blocking-overhead.md" "$OUT/blocking-expiry.md" \
			| sed "s/^/- ${under_load:+(measured under load, to re-run) }/"
		echo "<!-- part 6 goals: end -->"
	} > "$OUT/blocking-goals.md"
	{
		cat <<BLOCKING
<!-- part 6: begin -->
## 6. Blocking stack: \`RestClient\`

Written by \`benchmarks/run.sh\` on $STARTED_6 (commit $COMMIT).$alone Load average (1/5/15 min) before
$LOAD_6_BEFORE, after $LOAD_6 on $cpus CPUs.

BLOCKING
		if [ -n "$under_load" ]; then
			printf '%s\n\n' "$under_load"
		fi
		cat <<BLOCKING
Contenders, each a \`RestClient\` over the same request factory: **a.** no interceptor; **a′.** an interceptor that
passes the request on (\`(request, body, execution) -> execution.execute(request, body)\`), the floor: a
\`RestClient\` with any interceptor buffers the request and wraps its execution, a cost every interceptor pays before
it does anything; **b.** TokenKit's \`BearerTokenClientHttpRequestInterceptor\`, as \`BearerTokenInterceptors\` hands it
out, over a \`TokenManager\` and \`InMemoryTokenStore\`; **c.** Spring Security's \`OAuth2ClientHttpRequestInterceptor\`
over an \`AuthorizedClientServiceOAuth2AuthorizedClientManager\` with a \`client_credentials\` \`ClientRegistration\`,
\`InMemoryClientRegistrationRepository\`, \`InMemoryOAuth2AuthorizedClientService\` and
\`ClientCredentialsOAuth2AuthorizedClientProvider\` with its default \`RestClientClientCredentialsTokenResponseClient\`;
its registration id comes from a fixed resolver (one registration per client, as with TokenKit) and a \`401\` or
\`403\` removes the authorized client (\`OAuth2ClientHttpRequestInterceptor.authorizationFailureHandler(service)\`).

### 6a. Per-request overhead (JMH)

The style of benchmark 1: a valid token cached for an hour in b and c; the request factory answers \`200\` at once in
memory with no I/O (\`BlockingContenders.inMemoryOk()\`, as benchmark 1's \`ExchangeFunction\`), so only the client and
its interceptor chain are measured (\`retrieve().toBodilessEntity()\`). Every extra is over the floor a′, measured in
the same run. Settings: \`$BLOCKING_JMH_OPTS -prof gc\`, average time, one thread, on the JVM of the table at the top.

BLOCKING
		cat "$OUT/blocking-overhead.md"
		cat <<PROFILE

Profile (\`InterceptorAllocationProfileMain\`, same run). The two diagnostic interceptors separate what setting one
header costs inside \`RestClient\` (its header maps, and the copy of the headers into the request that is sent)
from what an interceptor adds when it sends a wrapper around the request with a copy of its headers:

PROFILE
		cat "$OUT/blocking-profile.md"
		cat <<EXPIRY

![RestClient overhead per request](blocking-overhead.png)

### 6b. Expiry under load on virtual threads

The style of benchmark 3 on the blocking stack: both sides hold a token that expired 1 ms ago by a shared
controllable clock (\`MutableClock\`, given to TokenKit's \`TokenManager\` and \`ClientCredentialsTokenSource\` and to
Spring Security's \`ClientCredentialsOAuth2AuthorizedClientProvider#setClock\`). N virtual threads (from
\`Executors.newVirtualThreadPerTaskExecutor()\`, looked up by reflection: this module is release 17) are all started
and waiting, then each sends one blocking request at once. The token endpoint is a Reactor Netty server on
127.0.0.1 that answers after 50 ms; each side reaches it through its own default token client (TokenKit's
\`OAuth2TokenClient\` over \`WebClient.create()\`, Spring Security's \`RestClientClientCredentialsTokenResponseClient\`).
The resource server is answered in memory: \`200\` for a token the endpoint issued, \`401\` for the expired one. A
request fails if it ends in an exception (a \`401\` included) or has not ended 30 s after the start. Values of N:
$BLOCKING_SIZES.

EXPIRY
		cat "$OUT/blocking-expiry.md"
		cat <<CHART

![Token calls per expiry on virtual threads](blocking-expiry.png)
<!-- part 6: end -->
CHART
	} > "$OUT/blocking-section.md"
}

# Benchmarks 7 to 10: runs JMH benchmark N through its Main class with its options, then writes its section for
# RESULTS.md between the part N markers, so that it can run alone and replace its section in place. The text of the
# section, between its title and its table, comes on stdin.
#   $1 the part number  $2 the name of its files (its PARTS value)  $3 its Main class  $4 its JMH options
#   $5 its title
run_jmh_part() {
	local part="$1" name="$2" main="$3" opts="$4" title="$5" text
	text="$(cat)"
	echo "== $part. $title (JMH: $opts -prof gc)"
	# shellcheck disable=SC2086
	java $JAVA_OPTS -cp "$CP" "io.tokenkit.benchmarks.$main" "$OUT" $opts \
		-rf json -rff "$OUT/jmh-$name.json" </dev/null | tee "$OUT/$name.log"
	{
		printf '<!-- part %s: begin -->\n## %s. %s (JMH)\n\n%s\n\n' "$part" "$part" "$title" "$text"
		cat "$OUT/$name.md"
		echo "<!-- part $part: end -->"
	} > "$OUT/$name-section.md"
}

run_client_authentication() {
	run_jmh_part 7 client-authentication ClientAuthenticationMain "$CLIENT_AUTH_JMH_OPTS" \
		"Client authentication per token call" <<SECTION
What \`private_key_jwt\` costs each token call beside \`client_secret_basic\`: one \`ClientAuthentication.authenticate\`
call (a precomputed \`Authorization\` header for \`client_secret_basic\`; a fresh assertion signed with the JDK for
\`private_key_jwt\`, PS256 with an RSA 2048 key, ES256 with a P-256 key), and one whole \`client_credentials\` call
through \`OAuth2TokenClient\` (\`WebClient.create()\`) to a Reactor Netty token endpoint on 127.0.0.1 that answers at
once. Settings: \`$CLIENT_AUTH_JMH_OPTS -prof gc\`, average time, one thread.
SECTION
}

run_dpop() {
	run_jmh_part 8 dpop DpopMain "$DPOP_JMH_OPTS" "DPoP proof per request" <<SECTION
What \`dpop: true\` costs a request: the same \`WebClient\` request through TokenKit's bearer filter with a cached
bearer token (a), and with a cached DPoP-bound token, so a new ES256 (P-256) proof signed with the JDK (b), beside one
bare ES256 signature of a proof-sized input with the same JDK (c, the floor of any proof). The exchange function reads
the \`Authorization\` header and answers \`200\` at once in memory. Settings: \`$DPOP_JMH_OPTS -prof gc\`, average
time, one thread.
SECTION
}

run_per_call_parameters() {
	run_jmh_part 9 per-call-parameters PerCallParametersMain "$PARAMETERS_JMH_OPTS" \
		"Per-call parameters on the hot path" <<SECTION
What a request that asks for its own scopes costs beside one with the registration's defaults, both with a valid
cached token: \`TokenRequestAttributes.keyOf\` then \`TokenManager.getCachedToken\` alone, and a whole request through
TokenKit's bearer filter over an in-memory \`WebClient\` exchange. The \`TokenParameters\` (two scopes) and the
attributes consumer are built once; the defaults' request sets the attribute to \`TokenParameters.NONE\`, so that
the attribute map costs the same on both sides. Settings: \`$PARAMETERS_JMH_OPTS -prof gc\`, average time, one thread.
SECTION
}

run_token_exchange() {
	run_jmh_part 10 token-exchange SubjectTokenKeyMain "$EXCHANGE_JMH_OPTS" \
		"Token exchange: the subject token's fingerprint per request" <<SECTION
Each request through a token-exchange registration finds its key by the SHA-256 fingerprint of the incoming token
(\`SubjectTokenKeyBenchmark\`, an incoming JWT of about 800 characters), beside the default resolver of other
registrations. Settings: \`$EXCHANGE_JMH_OPTS -prof gc\`, average time, one thread.
SECTION
}

# PARTS=client-authentication, dpop, per-call-parameters or token-exchange: runs that part alone and replaces its
# section in RESULTS.md.
run_jmh_part_alone() {
	local part="$1"
	"run_${PARTS//-/_}"
	splice "$BENCH/RESULTS.md" "<!-- part $part: begin -->" "<!-- part $part: end -->" "$OUT/$PARTS-section.md" \
		'^Raw output of this run'
	echo "Replaced benchmark $part in $BENCH/RESULTS.md"
	exit 0
}
case "$PARTS" in
	client-authentication) run_jmh_part_alone 7 ;;
	dpop) run_jmh_part_alone 8 ;;
	per-call-parameters) run_jmh_part_alone 9 ;;
	token-exchange) run_jmh_part_alone 10 ;;
esac
if [ "$PARTS" = instances ]; then
	run_instances
	splice "$BENCH/RESULTS.md" "<!-- part 5 goals: begin -->" "<!-- part 5 goals: end -->" "$OUT/instances-goals.md" \
		'^## 1\. '
	splice "$BENCH/RESULTS.md" "<!-- part 5: begin -->" "<!-- part 5: end -->" "$OUT/instances-section.md" '^---$'
	echo "Replaced benchmark 5 in $BENCH/RESULTS.md"
	exit 0
fi
if [ "$PARTS" = blocking ]; then
	run_blocking
	splice "$BENCH/RESULTS.md" "<!-- part 6 goals: begin -->" "<!-- part 6 goals: end -->" "$OUT/blocking-goals.md" \
		'^## 1\. '
	splice "$BENCH/RESULTS.md" "<!-- part 6: begin -->" "<!-- part 6: end -->" "$OUT/blocking-section.md" '^---$'
	echo "Replaced benchmark 6 in $BENCH/RESULTS.md"
	exit 0
fi

echo "== 1. per-request overhead (JMH: $JMH_OPTS -prof gc)"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$CP" io.tokenkit.benchmarks.OverheadMain "$OUT" $JMH_OPTS -rf json -rff "$OUT/jmh.json" \
	| tee "$OUT/overhead.log"
echo "== 1b. allocation profile of TokenKit's filter"
java $JAVA_OPTS -cp "$CP" io.tokenkit.benchmarks.AllocationProfileMain "$OUT" | tee "$OUT/profile.log"
LOAD_1="$(load)"

echo "== 2. loopback throughput ($LOOPBACK_ARGS)"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$CP" io.tokenkit.benchmarks.LoopbackThroughputMain "$OUT" $LOOPBACK_ARGS | tee "$OUT/throughput.log"
echo "== 2b. loopback diagnostics: empty filter and header-only filter"
# shellcheck disable=SC2086
java $JAVA_OPTS -Dloopback.diagnostics=true -cp "$CP" io.tokenkit.benchmarks.LoopbackThroughputMain "$OUT" $LOOPBACK_ARGS \
	| tee "$OUT/throughput-diagnostics.log"
LOAD_2="$(load)"

echo "== 3. expiry under load (N = $EXPIRY_SIZES)"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$CP" io.tokenkit.benchmarks.ExpiryUnderLoadMain "$OUT" $EXPIRY_SIZES | tee "$OUT/expiry.log"
LOAD_3="$(load)"

echo "== 4. memory per token ($TOKENS tokens)"
java $JAVA_OPTS -Djdk.attach.allowAttachSelf=true -Djol.magicFieldOffset=true -cp "$CP" \
	io.tokenkit.benchmarks.MemoryPerTokenMain "$OUT" "$TOKENS" > "$OUT/memory.log" 2>&1
tail -3 "$OUT/memory.log"
LOAD_4="$(load)"

run_instances

run_blocking

run_client_authentication

run_dpop

run_per_call_parameters

run_token_exchange
LOAD_AFTER="$(load)"

echo "== charts"
gnuplot <<GNUPLOT
$(overhead_chart "$OUT/overhead.dat" "$BENCH/overhead.png" 1300 \
	"Benchmark 1: one request with a valid cached token (in-memory exchange, JMH -prof gc)")

set terminal pngcairo size 900,520 font "DejaVu Sans,11"
set output "$BENCH/expiry.png"
set title "Benchmark 3: token-endpoint calls when N requests find the token just expired\n(token endpoint on loopback, 50 ms; log scale; no filter makes none)"
stats "$OUT/expiry.dat" using 4 nooutput
set logscale y
set yrange [0.5:STATS_max * 4]
set boxwidth 0.9
set ylabel "token-endpoint calls (lower is better, 1 is ideal)"
set xlabel "N concurrent requests"
set key below
plot "$OUT/expiry.dat" using 3:xtic(1) title "b. TokenKit" linecolor rgb "#4c72b0", \
     "" using 4 title "c. Spring Security" linecolor rgb "#c44e52", \
     "" using (\$0 - 1.0/6):(\$3):(sprintf("%d", \$3)) with labels offset 0,0.8 notitle, \
     "" using (\$0 + 1.0/6):(\$4):(sprintf("%d", \$4)) with labels offset 0,0.8 notitle, \
     keyentry with boxes linecolor rgb "#999999" title "a. no filter: sends no token, 0 calls"
GNUPLOT

echo "== RESULTS.md"
CPU_MODEL="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
MEM_TOTAL="$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
JVM="$(java -version 2>&1 | sed -n '2p')"
{
	cat <<HEADER
# TokenKit benchmarks: results

Written by \`benchmarks/run.sh\` on $STARTED (commit $COMMIT). **These are figures from one run on a small
shared machine where other builds were running: read the ratios, not the absolute numbers, and expect noise.**

| machine | |
|---|---|
| CPUs (nproc) | $(nproc) |
| CPU model | $CPU_MODEL |
| memory | $MEM_TOTAL |
| OS | $(uname -sr) |
| JVM | $JVM |
| JVM options | \`$JAVA_OPTS\` (benchmark 1 forks: see \`@Fork\`) |
| load average (1/5/15 min) | before $LOAD_BEFORE; after 1: $LOAD_1; after 2: $LOAD_2; after 3: $LOAD_3; after 4: $LOAD_4; after 5: $LOAD_5; after 6: $LOAD_6; after 10: $LOAD_AFTER |

Contenders: **a.** a \`WebClient\` with no filter (the floor); **b.** TokenKit's \`BearerTokenExchangeFilterFunction\`
over a \`TokenManager\` and \`InMemoryTokenStore\`; **c.** Spring Security's \`ServerOAuth2AuthorizedClientExchangeFilterFunction\`
with a \`client_credentials\` \`ClientRegistration\`, \`InMemoryReactiveClientRegistrationRepository\`,
\`InMemoryReactiveOAuth2AuthorizedClientService\` and \`AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager\`.

## Goals at a glance

HEADER
	grep -h -E '^Goals?:' "$OUT/overhead.md" "$OUT/throughput.md" "$OUT/expiry.md" "$OUT/memory.md" | sed 's/^/- /'
	cat "$OUT/instances-goals.md"
	cat "$OUT/blocking-goals.md"
	cat <<HEADER

## 1. Per-request overhead (JMH)

A valid token cached for an hour in b and c; the \`WebClient\`'s \`ExchangeFunction\` answers \`200\` at once in memory, so
only the client and its filter chain are measured (\`retrieve().toBodilessEntity().block()\`). Settings: \`$JMH_OPTS -prof gc\`,
average time, one thread.

HEADER
	cat "$OUT/overhead.md"
	cat <<PROFILE

Profile of TokenKit's share (\`AllocationProfileMain\`, same run):

PROFILE
	cat "$OUT/profile.md"
	cat <<CHART

![Overhead per request](overhead.png)

## 2. Loopback throughput

A Reactor Netty \`HttpServer\` on 127.0.0.1 answers \`200 ok\`; each contender's \`WebClient\` uses a Reactor Netty client with a
connection pool as large as the concurrency (server and client in one JVM, on the same 2 cores). Settings:
\`$LOOPBACK_ARGS\` (requests per round, concurrency, rounds).

CHART
	cat "$OUT/throughput.md"
	cat <<DIAG

Diagnostic run of the same size right after, with controls that cost no more than TokenKit's filter: a \`WebClient\`
filter that does nothing (\`(request, next) -> next.exchange(request)\`), a client with no filter that sends the same
\`Authorization\` header through \`defaultHeader\`, and a filter that adds it with \`ClientRequest.from\`. Where these
controls land as far from 1.000 as TokenKit, the difference is noise of the shared machine, not the filter.

DIAG
	cat "$OUT/throughput-diagnostics.md"
	cat <<EXPIRY

## 3. Expiry under load

Both sides hold a token that expired 1 ms ago by a shared controllable clock (\`MutableClock\`, given to TokenKit's
\`TokenManager\` and \`ClientCredentialsTokenSource\` and to Spring Security's \`ClientCredentialsReactiveOAuth2AuthorizedClientProvider#setClock\`).
N requests are then fired from 4 threads at once. The token endpoint is a Reactor Netty server on 127.0.0.1 that
answers after 50 ms; each side reaches it through its own default token client (TokenKit's \`OAuth2TokenClient\` over
\`WebClient.create()\`, Spring Security's \`WebClientReactiveClientCredentialsTokenResponseClient\`). The resource server is
answered in memory: \`200\` for a token the endpoint issued, \`401\` for the expired one. A request fails if it ends in an
error (a \`401\` included) or does not end within 30 s. Values of N: $EXPIRY_SIZES.

EXPIRY
	cat "$OUT/expiry.md"
	cat <<MEMORY

![Token calls per expiry](expiry.png)

## 4. Memory per cached per-user token

MEMORY
	cat "$OUT/memory.md"
	echo
	cat "$OUT/instances-section.md"
	echo
	cat "$OUT/blocking-section.md"
	echo
	cat "$OUT/client-authentication-section.md"
	echo
	cat "$OUT/dpop-section.md"
	echo
	cat "$OUT/per-call-parameters-section.md"
	echo
	cat "$OUT/token-exchange-section.md"
	cat <<FOOTER

---
Raw output of this run (JMH JSON, logs) is left in \`benchmarks/results/\`, which is not committed.
FOOTER
} > "$BENCH/RESULTS.md"
echo "Wrote $BENCH/RESULTS.md, $BENCH/overhead.png, $BENCH/expiry.png, $BENCH/blocking-overhead.png and $BENCH/blocking-expiry.png"
