package io.tokenkit.discovery;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.tokenkit.support.TokenCallPolicy;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Metadata of an {@code https} issuer as the reader takes or refuses it: which endpoints
 * may be plain http, which unusable endpoints fail the discovery and which are left out,
 * and how a wrong issuer is shown. The answer comes from a {@link WebClient} whose
 * exchange answers the JSON, since a loopback test server speaks plain http.
 */
class ServerMetadataReaderTests {

	private static final Duration BLOCK = Duration.ofSeconds(10);

	private static final String ISSUER = "https://idp.example.com";

	private static ServerMetadataClient answering(String json, boolean allowInsecureHttp) {
		WebClient webClient = WebClient.builder()
			.exchangeFunction((request) -> Mono.just(ClientResponse.create(HttpStatus.OK)
				.header(HttpHeaders.CONTENT_TYPE, "application/json")
				.body(json)
				.build()))
			.build();
		return new ServerMetadataClient(webClient, TokenCallPolicy.DEFAULT, allowInsecureHttp);
	}

	private static ServerMetadata fetch(String members) {
		return answering("{\"issuer\":\"" + ISSUER + "\"," + members + "}", false).fetch(ISSUER).block(BLOCK);
	}

	@Test
	void fetchWhenHttpsIssuerListsPlainHttpTokenEndpointOnLoopbackThenRefusedUnlessAllowed() {
		String json = "{\"issuer\":\"" + ISSUER + "\",\"token_endpoint\":\"http://127.0.0.1:8080/token\"}";
		assertThatExceptionOfType(ServerMetadataException.class)
			.isThrownBy(() -> answering(json, false).fetch(ISSUER).block(BLOCK))
			.withMessageContaining("token_endpoint over plain http to 'http://127.0.0.1:8080'")
			.withMessageContaining("tokenkit.allow-insecure-http");
		assertThat(answering(json, true).fetch(ISSUER).block(BLOCK).tokenEndpoint())
			.isEqualTo(URI.create("http://127.0.0.1:8080/token"));
	}

	@Test
	void fetchWhenHttpsIssuerListsTokenEndpointOnAnotherHttpsOriginThenTaken() {
		assertThat(fetch("\"token_endpoint\":\"https://login.example.net/oauth2/token\"").tokenEndpoint())
			.isEqualTo(URI.create("https://login.example.net/oauth2/token"));
	}

	@Test
	void fetchWhenIssParameterSupportedTrueThenReadAndOtherwiseFalse() {
		String token = "\"token_endpoint\":\"https://idp.example.com/token\"";
		assertThat(fetch(token + ",\"authorization_response_iss_parameter_supported\":true")
			.authorizationResponseIssParameterSupported()).isTrue();
		assertThat(fetch(token + ",\"authorization_response_iss_parameter_supported\":false")
			.authorizationResponseIssParameterSupported()).isFalse();
		assertThat(fetch(token + ",\"authorization_response_iss_parameter_supported\":\"true\"")
			.authorizationResponseIssParameterSupported()).as("not a JSON boolean").isFalse();
		assertThat(fetch(token).authorizationResponseIssParameterSupported()).isFalse();
	}

	@Test
	void fetchWhenTokenEndpointHasFragmentThenRefused() {
		assertThatExceptionOfType(ServerMetadataException.class)
			.isThrownBy(() -> fetch("\"token_endpoint\":\"https://idp.example.com/token#part\""))
			.withMessageContaining(
					"token_endpoint that is not an absolute http or https URL without user info or " + "fragment");
	}

	@Test
	void fetchWhenUnusedEndpointsUnusableThenLeftOutAndDiscoverySucceeds() {
		ServerMetadata metadata = fetch("\"token_endpoint\":\"https://idp.example.com/token\","
				+ "\"revocation_endpoint\":\"http://idp.example.com/revoke\","
				+ "\"pushed_authorization_request_endpoint\":\"http://127.0.0.1:9000/par\","
				+ "\"mtls_endpoint_aliases\":{\"userinfo_endpoint\":\"/relative\","
				+ "\"revocation_endpoint\":\"https://mtls.idp.example.com/revoke\"}");
		assertThat(metadata.tokenEndpoint(false)).isEqualTo(URI.create("https://idp.example.com/token"));
		assertThat(metadata.tokenEndpoint(true)).isEqualTo(URI.create("https://idp.example.com/token"));
		assertThat(metadata.revocationEndpoint()).isNull();
		assertThat(metadata.pushedAuthorizationRequestEndpoint()).isNull();
		assertThat(metadata.mtlsEndpointAliases()).containsOnlyKeys("revocation_endpoint");
		assertThat(metadata.unusableEndpoints()).containsOnlyKeys("revocation_endpoint",
				"pushed_authorization_request_endpoint", "mtls_endpoint_aliases.userinfo_endpoint");
		assertThat(metadata.unusableEndpoints().get("mtls_endpoint_aliases.userinfo_endpoint"))
			.contains("lists a mtls_endpoint_aliases.userinfo_endpoint that is not an absolute");
	}

	@Test
	void revocationEndpointWhenListedButUnusableThenRefusedWithWhyNotSkipped() {
		ServerMetadata metadata = fetch("\"token_endpoint\":\"https://idp.example.com/token\","
				+ "\"revocation_endpoint\":\"http://idp.example.com/revoke\","
				+ "\"mtls_endpoint_aliases\":{\"revocation_endpoint\":\"https://mtls.idp.example.com/revoke\"}");
		assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> metadata.revocationEndpoint(false))
			.withMessageContaining("revocation_endpoint over plain http")
			.satisfies((ex) -> assertThat(ex.getIssuer()).isEqualTo(ISSUER));
		assertThat(metadata.revocationEndpoint(true)).isEqualTo(URI.create("https://mtls.idp.example.com/revoke"));
		assertThat(fetch("\"token_endpoint\":\"https://idp.example.com/token\"").revocationEndpoint(false)).isNull();
	}

	@Test
	void tokenEndpointWhenMutualTlsAliasUnusableThenMutualTlsClientRefusedOthersServed() {
		ServerMetadata metadata = fetch("\"token_endpoint\":\"https://idp.example.com/token\","
				+ "\"mtls_endpoint_aliases\":{\"token_endpoint\":\"http://127.0.0.1:8443/token\"}");
		assertThat(metadata.tokenEndpoint(false)).isEqualTo(URI.create("https://idp.example.com/token"));
		assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> metadata.tokenEndpoint(true))
			.withMessageContaining("mtls_endpoint_aliases.token_endpoint over plain http to 'http://127.0.0.1:8443'")
			.satisfies((ex) -> assertThat(ex.getIssuer()).isEqualTo(ISSUER));
	}

	@Test
	void fetchWhenAnsweredIssuerHasTrailingSpaceThenShownQuoted() {
		String json = "{\"issuer\":\"" + ISSUER + " \",\"token_endpoint\":\"https://idp.example.com/token\"}";
		assertThatExceptionOfType(IssuerMismatchException.class)
			.isThrownBy(() -> answering(json, false).fetch(ISSUER).block(BLOCK))
			.withMessageContaining("names issuer '" + ISSUER + " ', not the configured '" + ISSUER + "'")
			.withMessageContaining("not a URL TokenKit can use");
	}

	@Test
	void fetchWhenAnsweredIssuerHoldsControlCharactersOrCredentialsThenEscapedBoundedAndLeftOut() {
		String answered = "https://user:pa55word@idp.example.com/a\\tb" + "x".repeat(400) + "?key=s3cret";
		String json = "{\"issuer\":\"" + answered + "\",\"token_endpoint\":\"https://idp.example.com/token\"}";
		assertThatExceptionOfType(IssuerMismatchException.class)
			.isThrownBy(() -> answering(json, false).fetch(ISSUER).block(BLOCK))
			.withMessageContaining("names issuer 'https://[…]@idp.example.com/a\\u0009b")
			.withMessageNotContaining("pa55word")
			.withMessageNotContaining("s3cret")
			.withMessageNotContaining("\t")
			.withMessageNotContaining("x".repeat(300));
	}

}
