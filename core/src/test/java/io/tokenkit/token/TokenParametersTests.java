package io.tokenkit.token;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link TokenParameters} are sets: the same values in another order or repeated are
 * equal, and their canonical form cannot be confused with other values'.
 */
class TokenParametersTests {

	@Test
	void whenSameValuesInAnotherOrderThenEqualWithOneCanonicalForm() {
		TokenParameters ab = TokenParameters.scopes("a", "b");
		TokenParameters ba = TokenParameters.builder().scopes(List.of("b", "a", "b")).build();
		assertThat(ab).isEqualTo(ba).hasSameHashCodeAs(ba);
		assertThat(ab.canonical()).isEqualTo(ba.canonical()).isEqualTo("scope=a b");
		assertThat(TokenKey.of("orders").withParameters(ab)).isEqualTo(TokenKey.of("orders").withParameters(ba));
	}

	@Test
	void whenNoValueThenNoneAndKeyUnchanged() {
		assertThat(TokenParameters.builder().build()).isSameAs(TokenParameters.NONE);
		assertThat(TokenParameters.NONE.isEmpty()).isTrue();
		TokenKey key = TokenKey.of("orders", "alice");
		assertThat(key.withParameters(TokenParameters.NONE)).isSameAs(key);
		assertThat(key).isEqualTo(new TokenKey("orders", "alice", TokenParameters.NONE));
	}

	@Test
	void canonicalFormKeepsKindsAndValuesApart() {
		TokenParameters both = TokenParameters.builder()
			.scopes(List.of("read"))
			.audiences(List.of("https://api.example.com"))
			.resources(List.of("https://r.example.com/x"))
			.build();
		assertThat(both.canonical())
			.isEqualTo("audience=https://api.example.com&resource=https://r.example.com/x&scope=read");
		// a space separates scopes (RFC 6749 §3.3): "a b" is the scopes a and b; any
		// other separator is part of the value
		assertThat(TokenParameters.scopes("a b")).isEqualTo(TokenParameters.scopes("a", "b"));
		assertThat(TokenParameters.scopes("a&scope=b")).isNotEqualTo(TokenParameters.scopes("a", "b"));
		assertThat(TokenParameters.scopes("a")).isNotEqualTo(TokenParameters.builder().audiences(List.of("a")).build());
	}

	@Test
	void toStringAndKeyToStringShowNoValue() {
		TokenParameters parameters = TokenParameters.scopes("payments:write");
		assertThat(parameters.toString()).doesNotContain("payments");
		assertThat(TokenKey.of("orders", "alice").withParameters(parameters).toString()).doesNotContain("payments")
			.doesNotContain("alice");
	}

	@Test
	void whenEmptyValueThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> TokenParameters.scopes("a", " "));
	}

}
