package io.tokenkit.observation;

import java.net.ConnectException;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.common.docs.KeyName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tokenkit.observation.TokenKitObservationDocumentation.LowCardinalityKeyNames;
import io.tokenkit.token.TokenApiException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link DefaultTokenRequestObservationConvention}: the name, and the tags of a
 * successful call and of each kind of failure, none of which carries a secret.
 */
class DefaultTokenRequestObservationConventionTests {

	private static final String SECRET = "rt-9f8e7d-secret";

	private final DefaultTokenRequestObservationConvention convention = new DefaultTokenRequestObservationConvention();

	@Test
	void nameWhenDefaultThenTokenRequests() {
		TokenRequestObservationContext context = context("oauth2", "orders", "acquire", 200, null);
		assertThat(this.convention.getName()).isEqualTo("tokenkit.token.requests")
			.isEqualTo(DefaultTokenRequestObservationConvention.DEFAULT_NAME);
		assertThat(this.convention.getContextualName(context)).isEqualTo("tokenkit oauth2 acquire");
		assertThat(this.convention.supportsContext(context)).isTrue();
	}

	@Test
	void keyValuesWhenSuccessThenEveryDocumentedKeyOnceWithTheCallsValues() {
		TokenRequestObservationContext context = context("oauth2", "orders", "acquire", 200, null);
		KeyValues low = this.convention.getLowCardinalityKeyValues(context);
		assertThat(low).containsExactlyInAnyOrder(KeyValue.of("client", "oauth2"),
				KeyValue.of("registration", "orders"), KeyValue.of("operation", "acquire"),
				KeyValue.of("grant.type", "none"), KeyValue.of("outcome", "SUCCESS"), KeyValue.of("status", "200"),
				KeyValue.of("exception", "none"));
		assertThat(low.stream().map(KeyValue::getKey)).containsExactlyInAnyOrderElementsOf(
				Arrays.stream(LowCardinalityKeyNames.values()).map(KeyName::asString).toList());
		assertThat(this.convention.getHighCardinalityKeyValues(context)).isEmpty();
	}

	@Test
	void grantTypeWhenCallSendsOneThenItsValue() {
		TokenRequestObservationContext context = new TokenRequestObservationContext("oauth2", "orders", "exchange");
		context.setGrantType("urn:ietf:params:oauth:grant-type:token-exchange");
		assertThat(this.convention.getLowCardinalityKeyValues(context))
			.contains(KeyValue.of("grant.type", "urn:ietf:params:oauth:grant-type:token-exchange"));
	}

	@Test
	void registrationWhenDirectApiCallThenNone() {
		TokenRequestObservationContext context = context("authlete", null, "revoke", 200, null);
		assertThat(this.convention.getLowCardinalityKeyValues(context)).contains(KeyValue.of("registration", "none"),
				KeyValue.of("client", "authlete"), KeyValue.of("operation", "revoke"));
	}

	@ParameterizedTest
	@CsvSource({ "101, INFORMATIONAL", "302, REDIRECTION", "400, CLIENT_ERROR", "401, CLIENT_ERROR",
			"429, CLIENT_ERROR", "500, SERVER_ERROR", "503, SERVER_ERROR" })
	void keyValuesWhenErrorAnswerThenOutcomeStatusAndExceptionClass(int status, String outcome) {
		TokenApiException error = new TokenApiException("token endpoint answered " + status + " for " + SECRET, status);
		TokenRequestObservationContext context = context("saasus", "users", "refresh", status, error);
		assertThat(this.convention.getLowCardinalityKeyValues(context)).contains(KeyValue.of("outcome", outcome),
				KeyValue.of("status", Integer.toString(status)), KeyValue.of("exception", "TokenApiException"));
		assertNoSecret(context);
	}

	@Test
	void keyValuesWhenNoAnswerThenUnknownOutcomeNoStatusAndExceptionClass() {
		TokenRequestObservationContext refused = context("gmo-aozora", "bank", "refresh", 0,
				new ConnectException("Connection refused: auth.example.com/token?refresh_token=" + SECRET));
		assertThat(this.convention.getLowCardinalityKeyValues(refused)).contains(KeyValue.of("outcome", "UNKNOWN"),
				KeyValue.of("status", "none"), KeyValue.of("exception", "ConnectException"));
		assertNoSecret(refused);
		TokenRequestObservationContext timedOut = context("oauth2", "orders", "acquire", 0,
				new TimeoutException("no answer within 10s"));
		assertThat(this.convention.getLowCardinalityKeyValues(timedOut)).contains(KeyValue.of("outcome", "UNKNOWN"),
				KeyValue.of("status", "none"), KeyValue.of("exception", "TimeoutException"));
	}

	@Test
	void keyValuesWhenSubclassOverridesOneKeyThenOnlyThatKeyChanges() {
		DefaultTokenRequestObservationConvention custom = new DefaultTokenRequestObservationConvention() {

			@Override
			protected KeyValue registration(TokenRequestObservationContext context) {
				return LowCardinalityKeyNames.REGISTRATION.withValue("grouped");
			}

		};
		TokenRequestObservationContext context = context("oauth2", "orders", "acquire", 200, null);
		assertThat(custom.getLowCardinalityKeyValues(context)).contains(KeyValue.of("registration", "grouped"),
				KeyValue.of("client", "oauth2"), KeyValue.of("outcome", "SUCCESS"));
	}

	private void assertNoSecret(TokenRequestObservationContext context) {
		KeyValues all = this.convention.getLowCardinalityKeyValues(context)
			.and(this.convention.getHighCardinalityKeyValues(context));
		assertThat(all.stream().map(KeyValue::getValue))
			.allSatisfy((value) -> assertThat(value).isNotBlank().doesNotContain(SECRET).doesNotContain("?"));
		assertThat(this.convention.getContextualName(context)).doesNotContain(SECRET);
	}

	private static TokenRequestObservationContext context(String client, String registrationId, String operation,
			int status, Throwable error) {
		TokenRequestObservationContext context = new TokenRequestObservationContext(client, registrationId, operation);
		context.setStatus(status);
		if (error != null) {
			context.setError(error);
		}
		return context;
	}

}
