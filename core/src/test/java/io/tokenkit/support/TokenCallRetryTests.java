package io.tokenkit.support;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.tokenkit.token.TokenApiException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link TokenCallRetry} and {@link TokenCallPolicy}.
 */
class TokenCallRetryTests {

	private static final TokenCallPolicy POLICY = TokenCallPolicy.DEFAULT.withRetryBackoff(Duration.ofMillis(1));

	private static final Duration BLOCK = Duration.ofSeconds(5);

	@Test
	void executeWhenRepeatableAnd5xxThenTriedMaxRetriesTimes() {
		AtomicInteger attempts = new AtomicInteger();
		assertThatExceptionOfType(TokenApiException.class)
			.isThrownBy(() -> TokenCallRetry.execute(POLICY, TokenCallKind.REPEATABLE, (attempt) -> {
				attempts.incrementAndGet();
				return Mono.error(new TokenApiException("answered 500", 500));
			}).block(BLOCK));
		assertThat(attempts).hasValue(3);
	}

	@Test
	void executeWhenOnceAnd5xxOrTimeoutThenNotRetried() {
		AtomicInteger attempts = new AtomicInteger();
		assertThatExceptionOfType(TokenApiException.class)
			.isThrownBy(() -> TokenCallRetry.execute(POLICY, TokenCallKind.ONCE, (attempt) -> {
				attempts.incrementAndGet();
				return Mono.error(new TokenApiException("answered 502", 502));
			}).block(BLOCK));
		assertThatExceptionOfType(TokenApiException.class)
			.isThrownBy(() -> TokenCallRetry.execute(POLICY, TokenCallKind.ONCE, (attempt) -> {
				attempts.incrementAndGet();
				attempt.noAnswer(new TimeoutException("no answer"));
				return Mono.error(new TokenApiException("timed out", 0));
			}).block(BLOCK));
		assertThat(attempts).hasValue(2);
	}

	@Test
	void executeWhenOnceAndConnectionRefusedThenRetried() {
		AtomicInteger attempts = new AtomicInteger();
		String result = TokenCallRetry.execute(POLICY, TokenCallKind.ONCE, (attempt) -> {
			if (attempts.incrementAndGet() < 3) {
				attempt.noAnswer(new WebClientRequestException(new ConnectException("Connection refused"),
						HttpMethod.POST, URI.create("http://localhost:1/token"), new HttpHeaders()));
				return Mono.error(new TokenApiException("could not be reached", 0));
			}
			return Mono.just("token");
		}).block(BLOCK);
		assertThat(result).isEqualTo("token");
		assertThat(attempts).hasValue(3);
	}

	@Test
	void executeWhenNotATokenApiExceptionThenNotRetried() {
		AtomicInteger attempts = new AtomicInteger();
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> TokenCallRetry.execute(POLICY, TokenCallKind.REPEATABLE, (attempt) -> {
				attempts.incrementAndGet();
				return Mono.error(new IllegalStateException("bug"));
			}).block(BLOCK));
		assertThat(attempts).hasValue(1);
	}

	@Test
	void executeWhenRetryAfterLongerThanTheLongestBackoffThenEndsAtOnce() {
		AtomicInteger attempts = new AtomicInteger();
		assertThatExceptionOfType(TokenApiException.class)
			.isThrownBy(() -> TokenCallRetry.execute(POLICY, TokenCallKind.REPEATABLE, (attempt) -> {
				attempts.incrementAndGet();
				return Mono.error(new TokenApiException("answered 503", 503, Duration.ofSeconds(1), null));
			}).block(BLOCK));
		assertThat(attempts).hasValue(1);
	}

	@Test
	void policyWhenDefaultThenBackoffDoublesAndLongestIsBackoffTimesTwoToTheMaxRetries() {
		TokenCallPolicy policy = TokenCallPolicy.DEFAULT;
		assertThat(policy.backoff(1)).isEqualTo(Duration.ofMillis(200));
		assertThat(policy.backoff(2)).isEqualTo(Duration.ofMillis(400));
		assertThat(policy.longestBackoff()).isEqualTo(Duration.ofMillis(800));
		assertThat(policy.attemptTimeout()).isEqualTo(Duration.ofSeconds(15));
		assertThat(policy.describeMaxAnswerSize()).isEqualTo("256KB");
		assertThat(policy.withMaxRetries(100).backoff(100)).isPositive();
	}

}
