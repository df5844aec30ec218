package io.tokenkit.support;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.token.NonBlockingThreadException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link BlockingCalls}: the value, the error as it is, the time limit, the
 * interrupt flag, and the refusal to wait on a Reactor non-blocking thread.
 */
class BlockingCallsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final BlockingCalls calls = new BlockingCalls("BlockingThing", "Thing", WAIT);

	@Test
	void timeoutWhenDefaultPolicyThenEveryAttemptEveryLongestBackoffAndASecond() {
		// 3 attempts of 5 s + 10 s, 2 backoffs of 800 ms, 1 s
		assertThat(BlockingCalls.timeout(TokenCallPolicy.DEFAULT)).isEqualTo(Duration.ofMillis(47_600));
	}

	@Test
	void timeoutWhenNoRetriesThenOneAttemptAndASecond() {
		TokenCallPolicy policy = TokenCallPolicy.DEFAULT.withMaxRetries(0)
			.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));
		assertThat(BlockingCalls.timeout(policy)).isEqualTo(Duration.ofSeconds(4));
	}

	@Test
	void timeoutWhenPolicyTimesOverflowThenLongestRepresentableWait() {
		TokenCallPolicy policy = TokenCallPolicy.DEFAULT.withTimeouts(Duration.ofDays(50_000), Duration.ofDays(50_000));
		Duration timeout = BlockingCalls.timeout(policy);
		assertThat(timeout).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
		assertThat(new BlockingCalls("BlockingThing", "Thing", timeout).getTimeout()).isEqualTo(timeout);
	}

	@Test
	void createWhenTimeoutNotPositiveThenRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BlockingCalls("BlockingThing", "Thing", Duration.ZERO))
			.withMessage("timeout must be positive");
	}

	@Test
	void valueWhenMonoEmitsThenReturnsIt() {
		assertThat(this.calls.value("get", () -> Mono.just("value"), BlockingCallsTests::noAnswer)).isEqualTo("value");
	}

	@Test
	void valueWhenMonoEmitsLaterOnAnotherThreadThenWaitsForIt() {
		Mono<String> later = Mono.just("value").delayElement(Duration.ofMillis(50));
		assertThat(this.calls.value("get", () -> later, BlockingCallsTests::noAnswer)).isEqualTo("value");
	}

	@Test
	void valueWhenMonoFailsThenSameExceptionWithCallerStackSuppressed() {
		IllegalStateException failure = new IllegalStateException("refused");
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.calls.value("get", () -> Mono.error(failure), BlockingCallsTests::noAnswer))
			.isSameAs(failure)
			.satisfies((ex) -> assertThat(ex.getSuppressed()).singleElement()
				.satisfies((suppressed) -> assertThat(suppressed).hasMessage("BlockingThing.get waited here")));
	}

	@Test
	void valueWhenReactorWrapsACheckedExceptionThenNoAnswerWithTheUnwrappedCause() {
		IOException checked = new IOException("closed");
		assertThatExceptionOfType(NoAnswerException.class)
			.isThrownBy(() -> this.calls.value("get", () -> Mono.error(Exceptions.propagate(checked)),
					BlockingCallsTests::noAnswer))
			.withMessage("the call failed with java.io.IOException")
			.withCause(checked);
	}

	@Test
	void valueWhenSupplierThrowsThenSameException() {
		IllegalArgumentException invalid = new IllegalArgumentException("code must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> this.calls.value("get", () -> {
			throw invalid;
		}, BlockingCallsTests::noAnswer)).isSameAs(invalid);
	}

	@Test
	void valueWhenMonoCompletesEmptyThenNoAnswer() {
		assertThatExceptionOfType(NoAnswerException.class)
			.isThrownBy(() -> this.calls.value("get", Mono::empty, BlockingCallsTests::noAnswer))
			.withMessage("the call completed without a value");
	}

	@Test
	void completionWhenMonoCompletesThenReturns() {
		AtomicBoolean subscribed = new AtomicBoolean();
		this.calls.completion("delete", () -> Mono.<Void>empty().doOnSubscribe((s) -> subscribed.set(true)),
				BlockingCallsTests::noAnswer);
		assertThat(subscribed).isTrue();
	}

	@Test
	void valueWhenTimeLimitPassesThenNoAnswerAndCallCancelled() {
		BlockingCalls shortCalls = new BlockingCalls("BlockingThing", "Thing", Duration.ofMillis(100));
		AtomicBoolean cancelled = new AtomicBoolean();
		assertThatExceptionOfType(NoAnswerException.class)
			.isThrownBy(() -> shortCalls.value("get", () -> Mono.<String>never().doOnCancel(() -> cancelled.set(true)),
					BlockingCallsTests::noAnswer))
			.withMessage("no answer within PT0.1S, the time limit of BlockingThing; the call was cancelled")
			.withCauseInstanceOf(TimeoutException.class);
		assertThat(cancelled).isTrue();
	}

	@Test
	void valueWhenThreadInterruptedThenNoAnswerCallCancelledAndFlagKept() {
		AtomicBoolean cancelled = new AtomicBoolean();
		Thread.currentThread().interrupt();
		try {
			assertThatExceptionOfType(NoAnswerException.class)
				.isThrownBy(() -> this.calls.value("get",
						() -> Mono.<String>never().doOnCancel(() -> cancelled.set(true)), BlockingCallsTests::noAnswer))
				.withMessage("the waiting thread was interrupted; the call was cancelled")
				.withCauseInstanceOf(InterruptedException.class);
		}
		finally {
			assertThat(Thread.interrupted()).as("interrupt flag kept").isTrue();
		}
		assertThat(cancelled).isTrue();
	}

	@Test
	void valueWhenOnReactorNonBlockingThreadThenFailsFastWithoutAskingForTheCall() {
		AtomicInteger asked = new AtomicInteger();
		Mono<String> call = Mono.fromCallable(() -> this.calls.value("get", () -> {
			asked.incrementAndGet();
			return Mono.just("value");
		}, BlockingCallsTests::noAnswer)).subscribeOn(Schedulers.parallel());
		assertThatExceptionOfType(NonBlockingThreadException.class).isThrownBy(() -> call.block(WAIT))
			.withMessageStartingWith("BlockingThing.get waits for its answer and will not run on the Reactor "
					+ "non-blocking thread 'parallel-")
			.withMessageContaining("use Thing.get, which returns a Mono")
			.satisfies((ex) -> {
				assertThat(ex.getThreadName()).startsWith("parallel-");
				assertThat(ex.getRegistrationId()).isNull();
			});
		assertThat(asked).hasValue(0);
	}

	@Test
	void valueWhenOnReactorThreadThatMayBlockThenWaits() {
		Mono<String> call = Mono
			.fromCallable(() -> this.calls.value("get", () -> Mono.just("value"), BlockingCallsTests::noAnswer))
			.subscribeOn(Schedulers.boundedElastic());
		assertThat(call.block(WAIT)).isEqualTo("value");
	}

	private static NoAnswerException noAnswer(String reason, @Nullable Throwable cause) {
		return new NoAnswerException(reason, cause);
	}

	static final class NoAnswerException extends RuntimeException {

		NoAnswerException(String message, @Nullable Throwable cause) {
			super(message, cause);
		}

	}

}
