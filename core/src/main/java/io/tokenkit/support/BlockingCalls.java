package io.tokenkit.support;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.token.NonBlockingThreadException;

import org.springframework.util.Assert;

/**
 * Waits, for one blocking vendor client, for the {@link Mono} of a call of the reactive
 * client it fronts: the one place where a blocking client turns a {@code Mono} into a
 * value. A call:
 * <ul>
 * <li>on a Reactor non-blocking thread ({@link Schedulers#isInNonBlockingThread()}) fails
 * fast with a {@link NonBlockingThreadException}, before the reactive client is even
 * asked for its {@code Mono};</li>
 * <li>waits with {@link CompletableFuture#get(long, TimeUnit)}, never inside a
 * {@code synchronized} section, so that a virtual thread waits without pinning its
 * carrier, and never longer than the time limit;</li>
 * <li>ends with the value, or with the error of the {@code Mono} as it is (a
 * {@link RuntimeException} unwrapped from Reactor's wrapper), with the caller's stack
 * added as a suppressed exception;</li>
 * <li>when the time limit passes or the waiting thread is interrupted, cancels the call
 * and throws the exception the caller's {@link NoAnswer} makes, keeping the thread's
 * interrupt flag; an answer that came at that very moment is returned instead, never
 * thrown away.</li>
 * </ul>
 * Internal to TokenKit.
 */
public final class BlockingCalls {

	/** Added to a policy's longest call, for the work around the HTTP exchanges. */
	static final Duration MARGIN = Duration.ofSeconds(1);

	private final String blockingClient;

	private final String reactiveClient;

	private final Duration timeout;

	private final long timeoutNanos;

	/**
	 * Create the waits of one blocking client.
	 * @param blockingClient the simple name of the blocking client, for messages
	 * @param reactiveClient the simple name of the reactive client it fronts, for
	 * messages
	 * @param timeout the longest wait of a call
	 */
	public BlockingCalls(String blockingClient, String reactiveClient, Duration timeout) {
		Assert.hasText(blockingClient, "blockingClient must not be empty");
		Assert.hasText(reactiveClient, "reactiveClient must not be empty");
		Assert.notNull(timeout, "timeout must not be null");
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
		this.blockingClient = blockingClient;
		this.reactiveClient = reactiveClient;
		this.timeout = timeout;
		this.timeoutNanos = TokenCallPolicy.saturatedNanos(timeout);
	}

	/**
	 * Return the longest a call bounded by a policy can take
	 * ({@link TokenCallPolicy#longestCall()}: every attempt to its time limit and the
	 * longest backoff before each retry), and a second more. With
	 * {@link TokenCallPolicy#DEFAULT} that is 47.6 seconds.
	 * @param policy the policy of the reactive client
	 * @return the time limit of a blocking call
	 */
	public static Duration timeout(TokenCallPolicy policy) {
		Assert.notNull(policy, "policy must not be null");
		return Duration.ofNanos(
				TokenCallPolicy.saturatedAdd(TokenCallPolicy.saturatedNanos(policy.longestCall()), MARGIN.toNanos()));
	}

	/**
	 * Return the longest wait of a call.
	 * @return the time limit
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * Make a call and wait for its value.
	 * @param <T> the type of the value
	 * @param method the method of the blocking client, for messages
	 * @param call asks the reactive client for the call's {@code Mono}
	 * @param noAnswer makes the exception of a call that ends without an answer
	 * @return the value
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public <T> T value(String method, Supplier<Mono<T>> call, NoAnswer noAnswer) {
		T value = await(method, call, noAnswer);
		if (value == null) {
			throw noAnswer.exception("the call completed without a value", null);
		}
		return value;
	}

	/**
	 * Make a call that has no value and wait for it to complete.
	 * @param method the method of the blocking client, for messages
	 * @param call asks the reactive client for the call's {@code Mono}
	 * @param noAnswer makes the exception of a call that ends without an answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public void completion(String method, Supplier<Mono<Void>> call, NoAnswer noAnswer) {
		await(method, call, noAnswer);
	}

	private <T> @Nullable T await(String method, Supplier<Mono<T>> call, NoAnswer noAnswer) {
		if (Schedulers.isInNonBlockingThread()) {
			throw NonBlockingThreadException.forBlockingCall(this.blockingClient + "." + method,
					this.reactiveClient + "." + method, Thread.currentThread().getName());
		}
		Mono<T> mono = call.get();
		CompletableFuture<T> result = new CompletableFuture<>();
		Disposable subscription = mono.subscribe(result::complete, result::completeExceptionally,
				() -> result.complete(null));
		try {
			return result.get(this.timeoutNanos, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			if (!giveUp(result, subscription, ex)) {
				return answered(method, result, noAnswer);
			}
			throw noAnswer.exception("the waiting thread was interrupted; the call was cancelled", ex);
		}
		catch (TimeoutException ex) {
			if (!giveUp(result, subscription, ex)) {
				return answered(method, result, noAnswer);
			}
			throw noAnswer.exception("no answer within " + this.timeout + ", the time limit of " + this.blockingClient
					+ "; the call was cancelled", ex);
		}
		catch (ExecutionException ex) {
			throw rethrown(method, ex.getCause(), noAnswer);
		}
	}

	/**
	 * Stop waiting, unless the answer came meanwhile. The time limit (or an interrupt)
	 * and the answer can come at the same moment, after {@code get} gave up but before
	 * this runs: the future is completed by whichever comes first, so that an answer that
	 * did come (a token with a rotated refresh token, say) is never thrown away, and one
	 * that comes later is never half taken. This window cannot be hit on purpose from a
	 * test; the order is decided by the future alone.
	 * @return whether the call was given up and cancelled; {@code false} when it had
	 * answered
	 */
	private static boolean giveUp(CompletableFuture<?> result, Disposable subscription, Exception reason) {
		if (!result.completeExceptionally(reason)) {
			return false;
		}
		subscription.dispose();
		return true;
	}

	private <T> @Nullable T answered(String method, CompletableFuture<T> result, NoAnswer noAnswer) {
		try {
			return result.getNow(null);
		}
		catch (CompletionException ex) {
			throw rethrown(method, ex.getCause(), noAnswer);
		}
	}

	private RuntimeException rethrown(String method, @Nullable Throwable error, NoAnswer noAnswer) {
		if (error == null) {
			return noAnswer.exception("the call failed without a cause", null);
		}
		Throwable cause = Exceptions.unwrap(error);
		if (cause instanceof Error fatal) {
			throw fatal;
		}
		if (!(cause instanceof RuntimeException unchecked)) {
			return noAnswer.exception("the call failed with " + cause.getClass().getName(), cause);
		}
		// as Reactor's block() does: the error was made on another thread, this says
		// where it was waited for
		unchecked.addSuppressed(new Exception(this.blockingClient + "." + method + " waited here"));
		return unchecked;
	}

	@Override
	public String toString() {
		return "BlockingCalls[" + this.blockingClient + ", timeout=" + this.timeout + "]";
	}

	/**
	 * Makes the exception of a call that ended without an answer of the API: the blocking
	 * client's time limit passed, the waiting thread was interrupted, or the call failed
	 * with a checked exception or completed empty. A blocking client throws its vendor's
	 * "no answer" exception (status {@code 0}), so that callers catch one type.
	 */
	@FunctionalInterface
	public interface NoAnswer {

		/**
		 * Make the exception.
		 * @param reason what happened, without a secret
		 * @param cause the cause, or {@code null}
		 * @return the exception to throw
		 */
		RuntimeException exception(String reason, @Nullable Throwable cause);

	}

}
