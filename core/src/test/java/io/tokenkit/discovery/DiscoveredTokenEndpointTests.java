package io.tokenkit.discovery;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.tokenkit.health.TokenRegistrationHealthIndicator;
import io.tokenkit.oauth2.ClientAuthentication;
import io.tokenkit.oauth2.ClientCredentialsTokenSource;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.testsupport.MetadataServer;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenCoolDownException;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Token calls whose endpoint is found in the issuer's metadata, on a real loopback
 * server: the endpoint used, the mutual TLS alias when the client presents a certificate,
 * and a token call while the metadata cannot be had, which fails typed, sends no token
 * request, cools the key down and shows in the registration's health.
 */
class DiscoveredTokenEndpointTests {

	private static final Duration BLOCK = Duration.ofSeconds(10);

	private static final String TOKEN_JSON = "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}";

	private final MetadataServer server = new MetadataServer();

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final ServerMetadataRegistry registry = ServerMetadataRegistry.withClient(
			() -> new ServerMetadataClient(WebClient.create(), TokenCallPolicy.DEFAULT, false), Duration.ofSeconds(30),
			this.clock);

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.server.json("/oauth2/token", TOKEN_JSON);
		this.server.json("/mtls/token", TOKEN_JSON);
	}

	@AfterEach
	void stop() {
		this.server.stop();
	}

	private TokenManager manager(String issuer, boolean mutualTls) {
		OAuth2TokenClient client = new OAuth2TokenClient(WebClient.create(),
				new DiscoveredEndpoint("orders", this.registry.forIssuer(issuer), mutualTls,
						ServerMetadata::tokenEndpoint),
				ClientAuthentication.clientSecretBasic("orders-app", "s3cret"), "orders", "oauth2",
				TokenRequestObserver.NOOP);
		return new TokenManager(
				List.of(TokenRegistration.of("orders",
						new ClientCredentialsTokenSource(client, List.of(), Map.of(), this.clock))),
				new InMemoryTokenStore(this.clock), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
	}

	@Test
	void tokenCallWhenMetadataListsTokenEndpointThenTokenFromIt() {
		String issuer = this.server.url("");
		this.server.metadata("/.well-known/openid-configuration", issuer,
				",\"mtls_endpoint_aliases\":" + "{\"token_endpoint\":\"" + this.server.url("/mtls/token") + "\"}");
		TokenManager manager = manager(issuer, false);
		assertThat(manager.getToken(TokenKey.of("orders")).block(BLOCK).getTokenValue()).isEqualTo("at-1");
		assertThat(this.server.count("/oauth2/token")).isEqualTo(1);
		assertThat(this.server.count("/mtls/token")).isZero();
		manager.refresh(TokenKey.of("orders")).block(BLOCK);
		assertThat(this.server.count("/.well-known/openid-configuration")).isEqualTo(1);
		assertThat(this.server.count("/oauth2/token")).isEqualTo(2);
	}

	@Test
	void tokenCallWhenMutualTlsAndAliasListedThenAliasCalled() {
		String issuer = this.server.url("");
		this.server.metadata("/.well-known/openid-configuration", issuer,
				",\"mtls_endpoint_aliases\":" + "{\"token_endpoint\":\"" + this.server.url("/mtls/token") + "\"}");
		assertThat(manager(issuer, true).getToken(TokenKey.of("orders")).block(BLOCK).getTokenValue())
			.isEqualTo("at-1");
		assertThat(this.server.count("/mtls/token")).isEqualTo(1);
		assertThat(this.server.count("/oauth2/token")).isZero();
	}

	@Test
	void tokenCallWhenMutualTlsAndNoAliasThenTokenEndpointCalled() {
		String issuer = this.server.url("");
		this.server.metadata("/.well-known/openid-configuration", issuer, "");
		manager(issuer, true).getToken(TokenKey.of("orders")).block(BLOCK);
		assertThat(this.server.count("/oauth2/token")).isEqualTo(1);
	}

	@Test
	void tokenCallWhenMetadataUnreachableThenTypedErrorNamingRegistrationAndIssuerAndKeyCoolsDown() throws Exception {
		int port = MetadataServer.freePort();
		String issuer = "http://127.0.0.1:" + port + "/realms/shop";
		TokenManager manager = manager(issuer, false);
		TokenRegistrationHealthIndicator health = new TokenRegistrationHealthIndicator(manager, "orders");
		assertThatExceptionOfType(ServerMetadataException.class)
			.isThrownBy(() -> manager.getToken(TokenKey.of("orders")).block(BLOCK))
			.satisfies((ex) -> {
				assertThat(ex.getRegistrationId()).isEqualTo("orders");
				assertThat(ex.getIssuer()).isEqualTo(issuer);
				assertThat(ex.getStatusCode()).isZero();
			})
			.withMessageContaining("registration 'orders'")
			.withMessageContaining(issuer)
			.withMessageContaining("could not be reached")
			.withMessageNotContaining("s3cret");
		assertThatExceptionOfType(TokenCoolDownException.class)
			.isThrownBy(() -> manager.getToken(TokenKey.of("orders")).block(BLOCK))
			.withMessageContaining("registration 'orders'");
		Health down = health.health();
		assertThat(down.getStatus()).isEqualTo(Status.DOWN);
		assertThat(down.getDetails()).containsEntry("metadata", "missing")
			.containsEntry("issuer", issuer)
			.containsEntry("lastAcquisition", "failure")
			.containsEntry("error", "ServerMetadataException")
			.containsKey("metadataFetchAfter");
	}

	@Test
	void resolveWhenMetadataHeldThenEndpointFoundOnceAndAnsweredOnEveryAttempt() {
		String issuer = this.server.url("");
		this.server.metadata("/.well-known/openid-configuration", issuer, "");
		DiscoveredEndpoint endpoint = new DiscoveredEndpoint("orders", this.registry.forIssuer(issuer), false,
				ServerMetadata::tokenEndpoint);
		assertThat(endpoint.resolve().block(BLOCK)).hasToString(this.server.url("/oauth2/token"));
		Mono<URI> found = endpoint.resolve();
		assertThat(found.block(BLOCK)).hasToString(this.server.url("/oauth2/token"));
		assertThat(endpoint.resolve()).isSameAs(found);
		assertThat(this.server.count("/.well-known/openid-configuration")).isEqualTo(1);
	}

	@Test
	void resolveWhenRevocationEndpointThenListedOneElseEmpty() {
		String issuer = this.server.url("");
		this.server.metadata("/.well-known/openid-configuration", issuer,
				",\"revocation_endpoint\":\"" + this.server.url("/oauth2/revoke") + "\"");
		DiscoveredEndpoint revocation = new DiscoveredEndpoint("orders", this.registry.forIssuer(issuer), false,
				ServerMetadata::revocationEndpoint);
		assertThat(revocation.resolve().block(BLOCK)).hasToString(this.server.url("/oauth2/revoke"));
		String other = this.server.url("/other");
		this.server.metadata("/other/.well-known/openid-configuration", other, "");
		DiscoveredEndpoint none = new DiscoveredEndpoint("orders", this.registry.forIssuer(other), false,
				ServerMetadata::revocationEndpoint);
		assertThat(none.resolve().block(BLOCK)).isNull();
		assertThat(none.resolve().block(BLOCK)).isNull();
	}

	@Test
	void healthWhenMetadataFetchedThenUp() {
		String issuer = this.server.url("");
		this.server.metadata("/.well-known/openid-configuration", issuer, "");
		TokenManager manager = manager(issuer, false);
		TokenRegistrationHealthIndicator health = new TokenRegistrationHealthIndicator(manager, "orders");
		assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
		org.awaitility.Awaitility.await().atMost(BLOCK).until(() -> health.health().getStatus().equals(Status.UP));
		assertThat(health.health().getDetails()).doesNotContainKey("metadata");
		assertThat(this.server.count("/oauth2/token")).isZero();
	}

}
