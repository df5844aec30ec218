package io.tokenkit.support;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SecretRedactor}.
 */
class SecretRedactorTests {

	@Test
	void redactWhenTextHoldsSecretThenReplaced() {
		assertThat(SecretRedactor.of("rt-1").redact("token rt-1 is revoked")).isEqualTo("token [REDACTED] is revoked");
	}

	@Test
	void redactWhenTextHoldsFormEncodedSecretThenReplaced() {
		SecretRedactor redactor = SecretRedactor.of("s3cr t+/=:&");
		assertThat(redactor.redact("got client_secret=s3cr+t%2B%2F%3D%3A%26 here"))
			.isEqualTo("got client_secret=[REDACTED] here");
	}

	@Test
	void redactWhenTextHoldsPercentEncodedSecretThenReplaced() {
		SecretRedactor redactor = SecretRedactor.of("s3cr t+/=:&");
		assertThat(redactor.redact("GET /x?refresh-token=s3cr%20t%2B%2F%3D%3A%26"))
			.isEqualTo("GET /x?refresh-token=[REDACTED]");
	}

	@Test
	void redactWhenOneSecretHoldsAnotherThenLongerReplacedWhole() {
		SecretRedactor redactor = SecretRedactor.of(List.of("abc", "abcdef"));
		assertThat(redactor.redact("x abcdef y abc")).isEqualTo("x [REDACTED] y [REDACTED]");
	}

	@Test
	void redactWhenNoSecretsOrNullTextThenUnchanged() {
		assertThat(SecretRedactor.of(Arrays.asList(null, "")).redact("text")).isEqualTo("text");
		assertThat(SecretRedactor.of("rt-1").redact(null)).isNull();
		assertThat(SecretRedactor.of((String) null).redact("rt-1")).isEqualTo("rt-1");
	}

	@Test
	void toStringWhenCalledThenShowsNoSecret() {
		assertThat(SecretRedactor.of("rt-1").toString()).doesNotContain("rt-1");
	}

}
