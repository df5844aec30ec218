package io.tokenkit.authlete;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tokenkit.testsupport.ClientBodyTypes;

import org.springframework.aot.hint.RuntimeHints;

import static org.assertj.core.api.Assertions.assertThat;

class AuthleteRuntimeHintsTests {

	@Test
	void registerHintsThenEveryTypeTheClientExchangesIsBindable() {
		RuntimeHints hints = new RuntimeHints();
		new AuthleteRuntimeHints().registerHints(hints, getClass().getClassLoader());
		Set<Class<?>> types = ClientBodyTypes.of(AuthleteClient.class, Set.of());
		assertThat(types).contains(TokenCreateResponse.class, TokenListRequest.class, AuthleteAccessToken.class,
				AuthorizationDetails.Element.class, GrantType.class, TokenListResponse.Client.class);
		ClientBodyTypes.assertBindable(hints, types);
	}

}
