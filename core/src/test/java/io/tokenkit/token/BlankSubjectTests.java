package io.tokenkit.token;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.web.BearerTokenFilters;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * An empty or blank subject is refused, never taken for "no subject": a user id that was
 * never set must not get the registration's application token, nor share one token with
 * every other user who lacks an id.
 */
class BlankSubjectTests {

	@Test
	void keyWhenSubjectBlankThenRefusedNamingRegistrationAndWhatToPass() {
		for (String blank : new String[] { "", " ", "\t\n" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> TokenKey.of("users", blank))
				.withMessage("The subject of a token of registration 'users' is empty or blank: pass the user's id "
						+ "for a per-user token, or no subject (null) for the registration's application token");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new TokenKey("users", blank, TokenParameters.scopes("a")));
		}
		assertThat(TokenKey.of("users", null).subject()).isNull();
		assertThat(TokenKey.of("users", " alice ").subject()).isEqualTo(" alice ");
	}

	@Test
	void keyOfWhenSubjectAttributeBlankThenRefusedNamingAttribute() {
		Map<String, Object> attributes = new HashMap<>();
		attributes.put(TokenRequestAttributes.SUBJECT, " ");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TokenRequestAttributes.keyOf(attributes, TokenKey.of("users")))
			.withMessage("The request attribute " + TokenRequestAttributes.SUBJECT
					+ " of registration 'users' is empty or blank: set the user's id with "
					+ "TokenRequestAttributes.subject(id), or leave the attribute out for the application token");
		attributes.put(TokenRequestAttributes.PARAMETERS, TokenParameters.scopes("a"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TokenRequestAttributes.keyOf(attributes, TokenKey.of("users")));
	}

	@Test
	void filterWhenSubjectAttributeBlankThenRequestFailsAndIsNotSent() {
		TokenManager manager = new TokenManager(
				List.of(new TokenRegistration("orders", new StaticTokenSource("application-token"), Duration.ZERO, null,
						TokenAuthorizer.bearer(), TokenKeyResolver.attributes())),
				new InMemoryTokenStore(), Clock.systemUTC(), TokenEventListener.NONE, Duration.ofSeconds(5));
		AtomicInteger sent = new AtomicInteger();
		ExchangeFunction exchange = (request) -> {
			sent.incrementAndGet();
			return Mono.just(ClientResponse.create(HttpStatus.OK).build());
		};
		ClientRequest request = ClientRequest.create(HttpMethod.GET, URI.create("https://api.example.com"))
			.attribute(TokenRequestAttributes.SUBJECT, "")
			.build();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BearerTokenFilters(manager, TokenEventListener.NONE).filter("orders")
				.filter(request, exchange)
				.block())
			.withMessageContaining(TokenRequestAttributes.SUBJECT);
		assertThat(sent).hasValue(0);
	}

}
