package io.tokenkit.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ServerText} and {@link BaseUrls}.
 */
class ServerTextTests {

	@Test
	void truncateWhenLongerThanMaxLengthThenCutWithEllipsis() {
		String text = "x".repeat(ServerText.MAX_LENGTH + 1);
		assertThat(ServerText.truncate(text)).isEqualTo("x".repeat(ServerText.MAX_LENGTH) + "…");
	}

	@Test
	void truncateWhenMaxLengthOrShorterThenUnchanged() {
		String text = "x".repeat(ServerText.MAX_LENGTH);
		assertThat(ServerText.truncate(text)).isEqualTo(text);
		assertThat(ServerText.truncate("")).isEmpty();
	}

	@Test
	void withoutTrailingSlashWhenSlashesThenAllRemoved() {
		assertThat(BaseUrls.withoutTrailingSlash(java.net.URI.create("https://api.example.com/v1//")))
			.isEqualTo("https://api.example.com/v1");
		assertThat(BaseUrls.withoutTrailingSlash(java.net.URI.create("https://api.example.com")))
			.isEqualTo("https://api.example.com");
	}

}
