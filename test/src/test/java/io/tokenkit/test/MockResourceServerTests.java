package io.tokenkit.test;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of {@link MockResourceServer} on the wire: it accepts only the active tokens of
 * its token server, rejects a token it is told to, and records each request's token.
 */
class MockResourceServerTests {

	private final MockTokenServer tokenServer = MockTokenServer.start();

	private final MockResourceServer resourceServer = MockResourceServer.start(this.tokenServer);

	@AfterEach
	void close() {
		this.resourceServer.close();
		this.tokenServer.close();
	}

	@Test
	void requestWhenActiveTokenThen200WithRegistrationAndSubject() {
		String orders = applicationToken("orders");
		IssuedTokens alice = this.tokenServer.registration("users").issueRefreshToken("alice");
		HttpResponse<String> application = Http.bearer(this.resourceServer.baseUrl() + "/orders?page=2", orders);
		HttpResponse<String> user = Http.bearer(this.resourceServer.baseUrl() + "/accounts", alice.accessToken());
		assertThat(application.statusCode()).isEqualTo(200);
		assertThat(Http.json(application)).containsEntry("path", "/orders").containsEntry("registration", "orders");
		assertThat(Http.json(user)).containsEntry("registration", "users").containsEntry("subject", "alice");
		assertThat(this.resourceServer.requests()).extracting(ResourceRequest::path)
			.containsExactly("/orders?page=2", "/accounts");
		assertThat(this.resourceServer.lastToken()).isEqualTo(alice.accessToken());
		TokenKitAssertions.assertThat(this.resourceServer)
			.receivedRequests(2)
			.answered(200, 2)
			.lastToken()
			.isEqualTo(alice.accessToken());
	}

	@Test
	void requestWhenNoUnknownOrExpiredTokenThen401() {
		String orders = applicationToken("orders");
		this.tokenServer.expireAllTokens();
		assertThat(Http.get(this.resourceServer.baseUrl() + "/orders").statusCode()).isEqualTo(401);
		assertThat(Http.bearer(this.resourceServer.baseUrl() + "/orders", "not-issued").statusCode()).isEqualTo(401);
		HttpResponse<String> expired = Http.bearer(this.resourceServer.baseUrl() + "/orders", orders);
		assertThat(expired.statusCode()).isEqualTo(401);
		assertThat(expired.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
		assertThat(this.resourceServer.requests()).extracting(ResourceRequest::token)
			.containsExactly(null, "not-issued", orders);
		TokenKitAssertions.assertThat(this.resourceServer).answered(401, 3);
	}

	@Test
	void rejectThenThatTokenAnswered401AndOthersAccepted() {
		String first = applicationToken("orders");
		String second = applicationToken("orders");
		this.resourceServer.reject(first);
		assertThat(Http.bearer(this.resourceServer.baseUrl() + "/orders", first).statusCode()).isEqualTo(401);
		assertThat(Http.bearer(this.resourceServer.baseUrl() + "/orders", second).statusCode()).isEqualTo(200);
		assertThat(this.resourceServer.requests().get(0).toString()).doesNotContain(first);
	}

	@Test
	void tokenHeaderWhenSetThenBareTokenReadFromIt() {
		String token = applicationToken("bank");
		this.resourceServer.tokenHeader("x-access-token");
		assertThat(Http.get(this.resourceServer.baseUrl() + "/accounts", "x-access-token", token).statusCode())
			.isEqualTo(200);
		assertThat(Http.bearer(this.resourceServer.baseUrl() + "/accounts", token).statusCode()).isEqualTo(401);
	}

	@Test
	void resetThenRequestsRejectionsAndTokenHeaderForgotten() {
		String token = applicationToken("orders");
		this.resourceServer.reject(token);
		Http.bearer(this.resourceServer.baseUrl() + "/orders", token);
		this.resourceServer.tokenHeader("x-access-token");
		this.resourceServer.reset();
		assertThat(this.resourceServer.receivedRequests()).isZero();
		assertThat(Http.bearer(this.resourceServer.baseUrl() + "/orders", token).statusCode()).isEqualTo(200);
	}

	@Test
	void requestWhenNoTokenThen401WithoutErrorCode() {
		HttpResponse<String> none = Http.get(this.resourceServer.baseUrl() + "/orders");
		assertThat(none.statusCode()).isEqualTo(401);
		assertThat(none.headers().firstValue("WWW-Authenticate")).as("RFC 6750 3.1: no error without a token")
			.hasValue("Bearer");
		HttpResponse<String> unknown = Http.bearer(this.resourceServer.baseUrl() + "/orders", "unknown-token");
		assertThat(unknown.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
	}

	@Test
	void lastTokenWhenAssertionFailsThenMessageShowsNoToken() {
		String token = applicationToken("orders");
		Http.bearer(this.resourceServer.baseUrl() + "/orders", token);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> TokenKitAssertions.assertThat(this.resourceServer).lastToken().isNotEqualTo(token))
			.withMessageNotContaining(token)
			.withMessageContaining("the token of the last request");
	}

	private String applicationToken(String registrationId) {
		return Http.accessToken(Http.token(this.tokenServer.tokenUri(registrationId), "grant_type=client_credentials"));
	}

}
