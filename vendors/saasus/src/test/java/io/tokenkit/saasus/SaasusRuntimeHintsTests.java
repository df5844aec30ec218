package io.tokenkit.saasus;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tokenkit.testsupport.ClientBodyTypes;

import org.springframework.aot.hint.RuntimeHints;

import static org.assertj.core.api.Assertions.assertThat;

class SaasusRuntimeHintsTests {

	@Test
	void registerHintsThenEveryBodyTheClientExchangesIsBindable() {
		RuntimeHints hints = new RuntimeHints();
		new SaasusRuntimeHints().registerHints(hints, getClass().getClassLoader());
		// the optional headers travel as HTTP headers, not as a body
		Set<Class<?>> types = ClientBodyTypes.of(SaasusClient.class, Set.of(SaasusRequestHeaders.class));
		assertThat(types).containsExactlyInAnyOrder(Credentials.class, AuthorizationTempCode.class);
		ClientBodyTypes.assertBindable(hints, types);
	}

}
