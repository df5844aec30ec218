package io.tokenkit.discovery;

import java.net.URI;
import java.time.Duration;

import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.testsupport.MetadataServer;

import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The metadata of an authorization server fetched from a real loopback server: OpenID
 * Connect first, RFC 8414 for an issuer with a path, the issuer checked exactly, every
 * member TokenKit reads, and each way a fetch fails.
 */
class ServerMetadataClientTests {

	private static final Duration BLOCK = Duration.ofSeconds(10);

	private final MetadataServer server = new MetadataServer();

	private final ServerMetadataClient client = new ServerMetadataClient(WebClient.create(),
			TokenCallPolicy.DEFAULT.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)), false);

	@BeforeEach
	void start() throws Exception {
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop();
	}

	@Test
	void fetchWhenOpenIdConfigurationThenEveryMemberRead() {
		String issuer = this.server.url("");
		this.server.metadata("/.well-known/openid-configuration", issuer,
				",\"revocation_endpoint\":\"" + this.server.url("/oauth2/revoke")
						+ "\",\"pushed_authorization_request_endpoint\":\"" + this.server.url("/oauth2/par")
						+ "\",\"mtls_endpoint_aliases\":{\"token_endpoint\":\"" + this.server.url("/mtls/token")
						+ "\",\"revocation_endpoint\":\"" + this.server.url("/mtls/revoke")
						+ "\"},\"dpop_signing_alg_values_supported\":[\"ES256\",\"PS256\"]");
		ServerMetadata metadata = this.client.fetch(issuer).block(BLOCK);
		assertThat(metadata.issuer()).isEqualTo(issuer);
		assertThat(metadata.metadataUri()).hasPath("/.well-known/openid-configuration");
		assertThat(metadata.tokenEndpoint()).isEqualTo(URI.create(this.server.url("/oauth2/token")));
		assertThat(metadata.revocationEndpoint()).isEqualTo(URI.create(this.server.url("/oauth2/revoke")));
		assertThat(metadata.pushedAuthorizationRequestEndpoint()).isEqualTo(URI.create(this.server.url("/oauth2/par")));
		assertThat(metadata.mtlsEndpointAliases()).containsOnlyKeys("token_endpoint", "revocation_endpoint");
		assertThat(metadata.dpopSigningAlgValuesSupported()).containsExactly("ES256", "PS256");
		assertThat(metadata.tokenEndpoint(false)).isEqualTo(URI.create(this.server.url("/oauth2/token")));
		assertThat(metadata.tokenEndpoint(true)).isEqualTo(URI.create(this.server.url("/mtls/token")));
		assertThat(this.server.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void fetchWhenIssuerHasPathAndOnlyRfc8414ThenWellKnownInsertedBetweenHostAndPath() {
		String issuer = this.server.url("/tenants/shop");
		this.server.metadata("/.well-known/oauth-authorization-server/tenants/shop", issuer, "");
		ServerMetadata metadata = this.client.fetch(issuer).block(BLOCK);
		assertThat(metadata.tokenEndpoint()).isEqualTo(URI.create(this.server.url("/oauth2/token")));
		assertThat(metadata.metadataUri()).hasPath("/.well-known/oauth-authorization-server/tenants/shop");
		assertThat(metadata.mtlsEndpointAliases()).isEmpty();
		assertThat(metadata.dpopSigningAlgValuesSupported()).isEmpty();
		assertThat(metadata.revocationEndpoint()).isNull();
		assertThat(this.server.count("/tenants/shop/.well-known/openid-configuration")).isEqualTo(1);
		assertThat(this.server.count("/.well-known/openid-configuration/tenants/shop")).isEqualTo(1);
		assertThat(this.server.count("/.well-known/oauth-authorization-server/tenants/shop")).isEqualTo(1);
	}

	@Test
	void fetchWhenIssuerHasPathAndOpenIdConfigurationAfterHostThenFoundSecondAsSpringSecurityAsks() {
		String issuer = this.server.url("/tenants/shop");
		this.server.metadata("/.well-known/openid-configuration/tenants/shop", issuer, "");
		this.server.metadata("/.well-known/oauth-authorization-server/tenants/shop", issuer,
				",\"revocation_endpoint\":\"" + this.server.url("/oauth2/revoke") + "\"");
		ServerMetadata metadata = this.client.fetch(issuer).block(BLOCK);
		assertThat(metadata.metadataUri()).hasPath("/.well-known/openid-configuration/tenants/shop");
		assertThat(metadata.revocationEndpoint()).isNull();
		assertThat(this.server.count("/tenants/shop/.well-known/openid-configuration")).isEqualTo(1);
		assertThat(this.server.count("/.well-known/oauth-authorization-server/tenants/shop")).isZero();
	}

	@Test
	void fetchWhenIssuerHasNoPathThenEachAddressAskedOnce() {
		String issuer = this.server.url("");
		this.server.metadata("/.well-known/oauth-authorization-server", issuer, "");
		assertThat(this.client.fetch(issuer).block(BLOCK).metadataUri())
			.hasPath("/.well-known/oauth-authorization-server");
		assertThat(this.server.count("/.well-known/openid-configuration")).isEqualTo(1);
		assertThat(this.server.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void metadataUrisWhenIssuerEndsWithSlashThenSlashRemovedFirst() {
		assertThat(ServerMetadataClient.metadataUris(URI.create("https://idp.example.com/realms/shop/")))
			.containsExactly(URI.create("https://idp.example.com/realms/shop/.well-known/openid-configuration"),
					URI.create("https://idp.example.com/.well-known/openid-configuration/realms/shop"),
					URI.create("https://idp.example.com/.well-known/oauth-authorization-server/realms/shop"));
		assertThat(ServerMetadataClient.metadataUris(URI.create("https://idp.example.com:8443"))).containsExactly(
				URI.create("https://idp.example.com:8443/.well-known/openid-configuration"),
				URI.create("https://idp.example.com:8443/.well-known/oauth-authorization-server"));
	}

	@Test
	void fetchWhenIssuerDiffersThenRefusedNamingBoth() {
		String issuer = this.server.url("/realms/shop");
		String other = this.server.url("/realms/other");
		this.server.metadata("/realms/shop/.well-known/openid-configuration", other, "");
		assertThatExceptionOfType(IssuerMismatchException.class)
			.isThrownBy(() -> this.client.fetch(issuer).block(BLOCK))
			.satisfies((ex) -> {
				assertThat(ex.getIssuer()).isEqualTo(issuer);
				assertThat(ex.getAnsweredIssuer()).isEqualTo(other);
				assertThat(ex.getStatusCode()).isZero();
			})
			.withMessageContaining("names issuer '" + other + "', not the configured '" + issuer + "'");
	}

	@Test
	void fetchWhenIssuerDiffersOnlyByTrailingSlashThenRefused() {
		String issuer = this.server.url("/realms/shop");
		this.server.metadata("/realms/shop/.well-known/openid-configuration", issuer + "/", "");
		assertThatExceptionOfType(IssuerMismatchException.class)
			.isThrownBy(() -> this.client.fetch(issuer).block(BLOCK));
	}

	@Test
	void fetchWhenNeitherAddressAnswersThenErrorListsBoth() {
		String issuer = this.server.url("/realms/shop");
		assertThatExceptionOfType(ServerMetadataException.class)
			.isThrownBy(() -> this.client.fetch(issuer).block(BLOCK))
			.satisfies((ex) -> assertThat(ex.getMetadataStatus()).isEqualTo(404))
			.withMessageContaining("/realms/shop/.well-known/openid-configuration (404)")
			.withMessageContaining("/.well-known/openid-configuration/realms/shop (404)")
			.withMessageContaining("/.well-known/oauth-authorization-server/realms/shop (404)")
			.withMessageContaining("check that issuer-uri is the issuer identifier");
	}

	@Test
	void fetchWhenServerFailsThenNoFallbackAndErrorSaysSo() {
		String issuer = this.server.url("");
		this.server.answer("/.well-known/openid-configuration",
				MetadataServer.json(503, "{\"error\":\"temporarily_unavailable\"}"));
		assertThatExceptionOfType(ServerMetadataException.class)
			.isThrownBy(() -> this.client.fetch(issuer).block(BLOCK))
			.satisfies((ex) -> assertThat(ex.getMetadataStatus()).isEqualTo(503))
			.withMessageContaining("(503)")
			.withMessageContaining("tokenkit.discovery.cool-down");
		assertThat(this.server.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void fetchWhenConnectionRefusedThenErrorSaysUnreachable() throws Exception {
		int port = MetadataServer.freePort();
		assertThatExceptionOfType(ServerMetadataException.class)
			.isThrownBy(() -> this.client.fetch("http://127.0.0.1:" + port).block(BLOCK))
			.satisfies((ex) -> assertThat(ex.getMetadataStatus()).isZero())
			.withMessageContaining("could not be reached")
			.withMessageContaining("check issuer-uri and the network");
	}

	@Test
	void fetchWhenAnswerTooLargeThenRefused() {
		ServerMetadataClient small = new ServerMetadataClient(WebClient.create(),
				TokenCallPolicy.DEFAULT.withMaxAnswerSize(DataSize.ofBytes(64)), false);
		String issuer = this.server.url("");
		this.server.metadata("/.well-known/openid-configuration", issuer, ",\"padding\":\"" + "x".repeat(200) + "\"");
		assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> small.fetch(issuer).block(BLOCK))
			.withMessageContaining("more than 64B")
			.withMessageContaining("tokenkit.token-calls.max-answer-size");
	}

	@Test
	void fetchWhenNotJsonOrNoTokenEndpointThenRefused() {
		String issuer = this.server.url("");
		this.server.answer("/.well-known/openid-configuration",
				new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html").body("<html/>").build());
		assertThatExceptionOfType(ServerMetadataException.class)
			.isThrownBy(() -> this.client.fetch(issuer).block(BLOCK))
			.withMessageContaining("no JSON object (text/html)");
		this.server.json("/.well-known/openid-configuration", "{\"issuer\":\"" + issuer + "\"}");
		assertThatExceptionOfType(ServerMetadataException.class)
			.isThrownBy(() -> this.client.fetch(issuer).block(BLOCK))
			.withMessageContaining("lists no token_endpoint; set token-uri instead");
	}

	@Test
	void fetchWhenEndpointUsesPlainHttpToRemoteHostThenRefusedUnlessAllowed() {
		String issuer = this.server.url("");
		this.server.json("/.well-known/openid-configuration",
				"{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"http://auth.example.com/oauth2/token\"}");
		assertThatExceptionOfType(ServerMetadataException.class)
			.isThrownBy(() -> this.client.fetch(issuer).block(BLOCK))
			.withMessageContaining("token_endpoint over plain http to 'auth.example.com'")
			.withMessageContaining("tokenkit.allow-insecure-http");
		ServerMetadataClient insecure = new ServerMetadataClient(WebClient.create(), TokenCallPolicy.DEFAULT, true);
		assertThat(insecure.fetch(issuer).block(BLOCK).tokenEndpoint())
			.isEqualTo(URI.create("http://auth.example.com/oauth2/token"));
	}

}
