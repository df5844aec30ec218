package io.tokenkit.aozora;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class GmoAozoraStateTests {

	private final GmoAozoraState state = new GmoAozoraState("pepper-salt");

	@Test
	void generateWhenTestVectorThenLowerCaseHexSha256OfSessionAndSalt() {
		assertThat(this.state.generate("session-42"))
			.isEqualTo("2b833a73ff2df17e16eebf9e98a6075989aa51a7fe4c67437d79004691aade46");
	}

	@Test
	void verifyWhenStateOfThisSessionThenAccepted() {
		assertThatNoException().isThrownBy(() -> this.state.verify("session-42",
				"2b833a73ff2df17e16eebf9e98a6075989aa51a7fe4c67437d79004691aade46"));
	}

	@Test
	void verifyWhenStateOfAnotherSessionThenRejected() {
		String other = this.state.generate("session-43");
		assertThatExceptionOfType(GmoAozoraStateException.class)
			.isThrownBy(() -> this.state.verify("session-42", other))
			.withMessageNotContaining(other)
			.withMessageNotContaining("session-42");
	}

	@Test
	void verifyWhenStateMadeWithAnotherSaltThenRejected() {
		String forged = new GmoAozoraState("other-salt").generate("session-42");
		assertThatExceptionOfType(GmoAozoraStateException.class)
			.isThrownBy(() -> this.state.verify("session-42", forged));
	}

	@Test
	void verifyWhenStateUpperCaseOrTruncatedThenRejected() {
		String valid = this.state.generate("session-42");
		assertThatExceptionOfType(GmoAozoraStateException.class)
			.isThrownBy(() -> this.state.verify("session-42", valid.toUpperCase()));
		assertThatExceptionOfType(GmoAozoraStateException.class)
			.isThrownBy(() -> this.state.verify("session-42", valid.substring(1)));
	}

	@Test
	void verifyWhenStateMissingThenRejected() {
		assertThatExceptionOfType(GmoAozoraStateException.class)
			.isThrownBy(() -> this.state.verify("session-42", null));
		assertThatExceptionOfType(GmoAozoraStateException.class).isThrownBy(() -> this.state.verify("session-42", ""));
	}

	@Test
	void toStringWhenCalledThenSaltRedacted() {
		assertThat(this.state.toString()).doesNotContain("pepper-salt");
	}

	@Test
	void codeChallengeWhenRfc7636AppendixBVerifierThenItsChallenge() {
		assertThat(GmoAozoraState.codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
			.isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	}

	@Test
	void verifyRequestWhenMadeForTheSessionThenItsRequestId() {
		GmoAozoraState one = new GmoAozoraState("pepper-salt");
		assertThat(one.verifyRequest("session-42", one.generate("session-42", "request-1"))).isEqualTo("request-1");
	}

}
