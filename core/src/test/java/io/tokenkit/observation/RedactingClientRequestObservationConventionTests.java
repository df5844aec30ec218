package io.tokenkit.observation;

import java.net.ConnectException;
import java.net.URI;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link RedactingClientRequestObservationConvention}: the
 * {@code http.client.requests} tags of vendor calls keep Spring's keys and values, but
 * never a query string, an expanded path variable, a token or a subject.
 */
class RedactingClientRequestObservationConventionTests {

	private static final String SECRET = "rt-4c3b2a-secret";

	private static final String SUBJECT = "user-4711";

	private final RedactingClientRequestObservationConvention convention = new RedactingClientRequestObservationConvention();

	@Test
	void keyValuesWhenSuccessWithTemplateThenTemplatePathWithoutQuery() {
		ClientRequestObservationContext context = context(HttpMethod.GET,
				"https://api.saasus.io:8443/v1/auth/credentials?code=c-1&refresh-token=" + SECRET,
				"/v1/auth/credentials?code={code}&refresh-token={refreshToken}", HttpStatus.OK, null);
		assertThat(this.convention.getName()).isEqualTo("http.client.requests");
		assertThat(this.convention.getLowCardinalityKeyValues(context)).contains(
				KeyValue.of("uri", "/v1/auth/credentials"), KeyValue.of("method", "GET"), KeyValue.of("status", "200"),
				KeyValue.of("outcome", "SUCCESS"), KeyValue.of("exception", "none"),
				KeyValue.of("client.name", "api.saasus.io"));
		assertThat(this.convention.getHighCardinalityKeyValues(context))
			.contains(KeyValue.of("http.url", "https://api.saasus.io:8443/v1/auth/credentials"));
		assertNoSecret(this.convention, context);
	}

	@Test
	void keyValuesWhenTemplateHasPathVariablesThenVariablesNotExpanded() {
		ClientRequestObservationContext context = context(HttpMethod.POST,
				"https://us.authlete.com/api/715948317/auth/token/get/list?subject=" + SUBJECT,
				"https://us.authlete.com/api/{serviceId}/auth/token/get/list?subject={subject}", HttpStatus.OK, null);
		assertThat(this.convention.getLowCardinalityKeyValues(context))
			.contains(KeyValue.of("uri", "/api/{serviceId}/auth/token/get/list"));
		assertThat(this.convention.getHighCardinalityKeyValues(context))
			.contains(KeyValue.of("http.url", "https://us.authlete.com/api/{serviceId}/auth/token/get/list"));
		assertNoSecret(this.convention, context);
	}

	@Test
	void keyValuesWhenNoTemplateThenNoPathAtAll() {
		ClientRequestObservationContext context = context(HttpMethod.DELETE,
				"https://us.authlete.com/api/715948317/auth/token/delete/" + SECRET, null, HttpStatus.NO_CONTENT, null);
		assertThat(this.convention.getLowCardinalityKeyValues(context)).contains(KeyValue.of("uri", "none"),
				KeyValue.of("method", "DELETE"), KeyValue.of("status", "204"), KeyValue.of("outcome", "SUCCESS"));
		assertThat(this.convention.getHighCardinalityKeyValues(context))
			.contains(KeyValue.of("http.url", "https://us.authlete.com"));
		assertNoSecret(this.convention, context);
	}

	@Test
	void keyValuesWhenPathsCarryNoSecretsAndNoTemplateThenPathWithoutQuery() {
		RedactingClientRequestObservationConvention pathsSafe = new RedactingClientRequestObservationConvention(true);
		ClientRequestObservationContext context = context(HttpMethod.GET,
				"https://api.saasus.io/v1/auth/credentials?auth-flow=refreshTokenAuth&refresh-token=" + SECRET, null,
				HttpStatus.OK, null);
		assertThat(pathsSafe.getLowCardinalityKeyValues(context)).contains(KeyValue.of("uri", "/v1/auth/credentials"));
		assertThat(pathsSafe.getHighCardinalityKeyValues(context))
			.contains(KeyValue.of("http.url", "https://api.saasus.io/v1/auth/credentials"));
		assertNoSecret(pathsSafe, context);
	}

	@Test
	void keyValuesWhenClientErrorThenOutcomeAndStatusWithoutQuery() {
		ClientRequestObservationContext context = context(HttpMethod.GET,
				"https://api.saasus.io/v1/auth/credentials?refresh-token=" + SECRET,
				"/v1/auth/credentials?refresh-token={refreshToken}", HttpStatus.UNAUTHORIZED, null);
		assertThat(this.convention.getLowCardinalityKeyValues(context)).contains(KeyValue.of("outcome", "CLIENT_ERROR"),
				KeyValue.of("status", "401"), KeyValue.of("uri", "/v1/auth/credentials"));
		assertNoSecret(this.convention, context);
	}

	@Test
	void keyValuesWhenServerErrorThenOutcomeAndStatusWithoutQuery() {
		ClientRequestObservationContext context = context(HttpMethod.POST,
				"https://us.authlete.com/api/715948317/auth/token/create?subject=" + SUBJECT,
				"/api/{serviceId}/auth/token/create?subject={subject}", HttpStatus.SERVICE_UNAVAILABLE, null);
		assertThat(this.convention.getLowCardinalityKeyValues(context)).contains(KeyValue.of("outcome", "SERVER_ERROR"),
				KeyValue.of("status", "503"), KeyValue.of("uri", "/api/{serviceId}/auth/token/create"));
		assertNoSecret(this.convention, context);
	}

	@Test
	void keyValuesWhenNoAnswerThenExceptionClassAndNeitherItsMessageNorTheQuery() {
		String url = "https://api.saasus.io/v1/auth/credentials?refresh-token=" + SECRET;
		WebClientRequestException error = new WebClientRequestException(
				new ConnectException("Connection refused: " + url), HttpMethod.GET, URI.create(url),
				org.springframework.http.HttpHeaders.EMPTY);
		ClientRequestObservationContext context = context(HttpMethod.GET, url,
				"/v1/auth/credentials?refresh-token={refreshToken}", null, error);
		assertThat(this.convention.getLowCardinalityKeyValues(context)).contains(KeyValue.of("outcome", "UNKNOWN"),
				KeyValue.of("exception", "WebClientRequestException"), KeyValue.of("uri", "/v1/auth/credentials"));
		assertNoSecret(this.convention, context);
	}

	@Test
	void nameWhenGivenThenThatName() {
		assertThat(new RedactingClientRequestObservationConvention("vendor.client.requests").getName())
			.isEqualTo("vendor.client.requests");
	}

	private static void assertNoSecret(RedactingClientRequestObservationConvention convention,
			ClientRequestObservationContext context) {
		KeyValues all = convention.getLowCardinalityKeyValues(context)
			.and(convention.getHighCardinalityKeyValues(context));
		assertThat(all.stream().map(KeyValue::getValue)).allSatisfy((value) -> assertThat(value).isNotBlank()
			.doesNotContain(SECRET)
			.doesNotContain(SUBJECT)
			.doesNotContain("715948317")
			.doesNotContain("?"));
		assertThat(convention.getContextualName(context)).doesNotContain(SECRET).doesNotContain("?");
	}

	private static ClientRequestObservationContext context(HttpMethod method, String url, String uriTemplate,
			HttpStatus status, Throwable error) {
		ClientRequest.Builder builder = ClientRequest.create(method, URI.create(url));
		ClientRequestObservationContext context = new ClientRequestObservationContext(builder);
		context.setRequest(builder.build());
		if (uriTemplate != null) {
			context.setUriTemplate(uriTemplate);
		}
		if (status != null) {
			context.setResponse(ClientResponse.create(status).build());
		}
		if (error != null) {
			context.setError(error);
		}
		return context;
	}

}
