package io.tokenkit.token;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.tokenkit.testsupport.CountingTokenSource;
import io.tokenkit.testsupport.MutableClock;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link TokenEventListener#isolating(TokenEventListener)} and
 * {@link TokenEventListener#composite(List)}. The log of listener failures is kept once
 * per listener class for the whole JVM, so each test throws from a class of its own.
 */
@ExtendWith(OutputCaptureExtension.class)
class TokenEventListenerTests {

	private static final String SECRET = "tk-secret-123";

	private static final TokenKey USER = TokenKey.of("bank", "alice");

	private static final AccessToken TOKEN = AccessToken.withValue("v").build();

	private static final List<String> EVENTS = List.of("cacheHit", "cacheMiss", "refreshAhead", "acquisitionSucceeded",
			"acquisitionFailed", "tokenSaved", "retried");

	@Test
	void isolatingWhenListenerThrowsInEveryEventThenCallsReturnAndOneWarnPerEvent(CapturedOutput output) {
		TokenEventListener listener = TokenEventListener.isolating(new ThrowsEverywhere());
		for (int i = 0; i < 20; i++) {
			assertThatNoException().isThrownBy(() -> fireAll(listener));
		}
		for (String event : EVENTS) {
			assertThat(warnLines(output, ThrowsEverywhere.class, event)).as(event).isEqualTo(1);
		}
		assertThat(output).contains("IllegalStateException")
			.contains("TokenKit goes on")
			.contains("later failures of this listener in this event are not logged")
			.doesNotContain(SECRET);
	}

	@Test
	void compositeWhenOneListenerThrowsThenOthersStillGetEveryEvent(CapturedOutput output) {
		CountingListener before = new CountingListener();
		CountingListener after = new CountingListener();
		TokenEventListener composite = TokenEventListener
			.composite(List.of(before, new ThrowsEverywhereInComposite(), after));
		for (int i = 0; i < 10; i++) {
			assertThatNoException().isThrownBy(() -> fireAll(composite));
		}
		assertThat(before.calls.get()).isEqualTo(70);
		assertThat(after.calls.get()).isEqualTo(70);
		for (String event : EVENTS) {
			assertThat(warnLines(output, ThrowsEverywhereInComposite.class, event)).as(event).isEqualTo(1);
		}
		assertThat(output).doesNotContain(SECRET);
	}

	@Test
	void isolatingWhenCauseCarriesSecretThenLogShowsClassNamesAndNoMessage(CapturedOutput output) {
		TokenEventListener listener = TokenEventListener.isolating(new TokenEventListener() {

			@Override
			public void tokenSaved(TokenKey key, AccessToken token) {
				throw new IllegalArgumentException("token " + SECRET,
						new java.io.UncheckedIOException(SECRET, new java.io.IOException(SECRET)));
			}

		});
		listener.tokenSaved(USER, TOKEN);
		assertThat(output).contains("IllegalArgumentException")
			.contains("UncheckedIOException")
			.contains("java.io.IOException")
			.doesNotContain(SECRET);
	}

	@Test
	void isolatingWhenSameClassFailsInTwoInstancesThenLoggedOnce(CapturedOutput output) {
		TokenEventListener first = TokenEventListener.isolating(new ThrowsOnRetry());
		TokenEventListener second = TokenEventListener.isolating(new ThrowsOnRetry());
		first.retried("orders");
		second.retried("orders");
		assertThat(warnLines(output, ThrowsOnRetry.class, "retried")).isEqualTo(1);
	}

	@Test
	void isolatingWhenNoneOrAlreadyIsolatingThenReturnsItUnchanged() {
		assertThat(TokenEventListener.isolating(TokenEventListener.NONE)).isSameAs(TokenEventListener.NONE);
		TokenEventListener isolating = TokenEventListener.isolating(new CountingListener());
		assertThat(TokenEventListener.isolating(isolating)).isSameAs(isolating);
		TokenEventListener composite = TokenEventListener
			.composite(List.of(new CountingListener(), new CountingListener()));
		assertThat(TokenEventListener.isolating(composite)).isSameAs(composite);
		assertThat(TokenEventListener.composite(List.of())).isSameAs(TokenEventListener.NONE);
	}

	@Test
	void isolatingWhenListenerSucceedsThenEventsPassThrough() {
		CountingListener counting = new CountingListener();
		fireAll(TokenEventListener.isolating(counting));
		assertThat(counting.calls.get()).isEqualTo(7);
	}

	@Test
	void cacheHitWhenIsolatedCompositeThenAllocatesNothing() {
		TokenEventListener listener = TokenEventListener
			.composite(List.of(new CountingListener(), new CountingListener()));
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long thread = Thread.currentThread().getId();
		for (int i = 0; i < 50_000; i++) {
			listener.cacheHit("orders");
		}
		long before = threads.getThreadAllocatedBytes(thread);
		for (int i = 0; i < 100_000; i++) {
			listener.cacheHit("orders");
		}
		long allocated = threads.getThreadAllocatedBytes(thread) - before;
		assertThat(allocated).as("bytes allocated by 100,000 cache hits").isLessThan(10_000);
	}

	@Test
	void acquireWhenListenerThrowsOnSuccessThenTokenIsStillStoredAndReturned(CapturedOutput output) {
		MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
		CountingTokenSource source = new CountingTokenSource(clock, Duration.ofMinutes(10));
		InMemoryTokenStore store = new InMemoryTokenStore();
		TokenManager manager = new TokenManager(
				List.of(new TokenRegistration("orders", source, Duration.ofSeconds(30))), store, clock,
				TokenEventListener.composite(List.of(new ThrowsOnAcquisition())), Duration.ofSeconds(5));
		AccessToken token = manager.getToken(TokenKey.of("orders")).block(Duration.ofSeconds(5));
		assertThat(token).isNotNull();
		assertThat(store.get(TokenKey.of("orders"))).isSameAs(token);
		assertThat(manager.getCachedToken(TokenKey.of("orders"))).isSameAs(token);
		assertThat(warnLines(output, ThrowsOnAcquisition.class, "acquisitionSucceeded")).isEqualTo(1);
		assertThat(warnLines(output, ThrowsOnAcquisition.class, "cacheHit")).isEqualTo(1);
		assertThat(output).doesNotContain(SECRET);
	}

	private static void fireAll(TokenEventListener listener) {
		listener.cacheHit("orders");
		listener.cacheMiss("orders");
		listener.refreshAhead("orders");
		listener.acquisitionSucceeded(USER, TOKEN, true);
		listener.acquisitionFailed(USER, new IllegalStateException("boom"), false);
		listener.tokenSaved(USER, TOKEN);
		listener.retried("orders");
	}

	private static long warnLines(CapturedOutput output, Class<?> listenerClass, String event) {
		String failed = "TokenEventListener " + listenerClass.getName() + " failed in " + event + " (";
		return output.getAll().lines().filter((line) -> line.contains("WARN") && line.contains(failed)).count();
	}

	private static void fail() {
		throw new IllegalStateException("listener saw " + SECRET);
	}

	static class ThrowsEverywhere implements TokenEventListener {

		@Override
		public void cacheHit(String registrationId) {
			fail();
		}

		@Override
		public void cacheMiss(String registrationId) {
			fail();
		}

		@Override
		public void refreshAhead(String registrationId) {
			fail();
		}

		@Override
		public void acquisitionSucceeded(TokenKey key, AccessToken token, boolean refresh) {
			fail();
		}

		@Override
		public void acquisitionFailed(TokenKey key, Throwable error, boolean refresh) {
			fail();
		}

		@Override
		public void tokenSaved(TokenKey key, AccessToken token) {
			fail();
		}

		@Override
		public void retried(String registrationId) {
			fail();
		}

	}

	static final class ThrowsEverywhereInComposite extends ThrowsEverywhere {

	}

	static final class ThrowsOnRetry implements TokenEventListener {

		@Override
		public void retried(String registrationId) {
			fail();
		}

	}

	static final class ThrowsOnAcquisition implements TokenEventListener {

		@Override
		public void cacheHit(String registrationId) {
			fail();
		}

		@Override
		public void acquisitionSucceeded(TokenKey key, AccessToken token, boolean refresh) {
			fail();
		}

	}

	static final class CountingListener implements TokenEventListener {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public void cacheHit(String registrationId) {
			this.calls.incrementAndGet();
		}

		@Override
		public void cacheMiss(String registrationId) {
			this.calls.incrementAndGet();
		}

		@Override
		public void refreshAhead(String registrationId) {
			this.calls.incrementAndGet();
		}

		@Override
		public void acquisitionSucceeded(TokenKey key, AccessToken token, boolean refresh) {
			this.calls.incrementAndGet();
		}

		@Override
		public void acquisitionFailed(TokenKey key, Throwable error, boolean refresh) {
			this.calls.incrementAndGet();
		}

		@Override
		public void tokenSaved(TokenKey key, AccessToken token) {
			this.calls.incrementAndGet();
		}

		@Override
		public void retried(String registrationId) {
			this.calls.incrementAndGet();
		}

	}

}
