#!/usr/bin/env bash
# Start the Keycloak of ../shared/tools/keycloak.sh (realm tk) over HTTP on 18080 AND over HTTPS on 18443, the
# HTTPS port asking for client certificates (--https-client-auth=request) and trusting the test CA made here:
#   $KC_DIR/tls/kc-ca.p12 (alias kc-ca) issues the tests' client certificates; kc-server.p12 is Keycloak's
#   self-signed server certificate (SAN 127.0.0.1, localhost). Every store's password is changeit.
# A Keycloak already running over HTTP only is stopped first (its pid file), the realm kept (dev H2 data).
# Usage: scripts/keycloak-https.sh   — stop with: kill $(cat ~/.cache/tokenkit-keycloak/kc.pid)
set -eu
http_port=18080
https_port=18443
ver=26.7.3
KC_DIR=${KC_DIR:-$HOME/.cache/tokenkit-keycloak}
tls=$KC_DIR/tls
store() { echo -keystore "$tls/$1.p12" -storetype PKCS12 -storepass changeit -keypass changeit; }
mkdir -p "$tls"
if [ ! -f "$tls/kc-ca.p12" ]; then
  keytool -genkeypair -alias kc-ca -dname CN=tokenkit-test-ca -keyalg RSA -keysize 2048 -validity 36500 \
    -ext bc:c $(store kc-ca)
  keytool -exportcert -rfc -alias kc-ca -file "$tls/kc-ca.pem" $(store kc-ca)
  keytool -genkeypair -alias kc-server -dname CN=localhost -keyalg RSA -keysize 2048 -validity 36500 \
    -ext SAN=dns:localhost,ip:127.0.0.1 $(store kc-server)
fi
if ! curl -fsk -o /dev/null https://127.0.0.1:$https_port/realms/master; then
  if [ -f "$KC_DIR/kc.pid" ] && kill "$(cat "$KC_DIR/kc.pid")" 2>/dev/null; then
    for i in $(seq 1 60); do curl -fs -o /dev/null http://127.0.0.1:$http_port/realms/master || break; sleep 1; done
    sleep 2
  fi
  java=$("$(dirname "$0")"/find-jdk.sh 21 "${KC_JAVA_HOME:+$KC_JAVA_HOME/bin/java}")
  export JAVA_HOME=$(dirname "$(dirname "$java")")
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin nohup "$KC_DIR/keycloak-$ver/bin/kc.sh" start-dev \
    --http-port $http_port --http-host 127.0.0.1 --hostname-strict=false \
    --https-port $https_port --https-key-store-file="$tls/kc-server.p12" --https-key-store-password=changeit \
    --https-client-auth=request --truststore-paths="$tls/kc-ca.pem" >"$KC_DIR/kc-run.log" 2>&1 &
  echo $! >"$KC_DIR/kc.pid"
  for i in $(seq 1 120); do curl -fsk -o /dev/null https://127.0.0.1:$https_port/realms/master && break; sleep 1; done
fi
# the realm, its client and user, as keycloak.sh makes them (a no-op when they exist)
"${TOKENKIT_SHARED:-/work/shared}"/tools/keycloak.sh $http_port >/dev/null
echo "https://127.0.0.1:$https_port/realms/tk"
