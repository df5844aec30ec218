package io.tokenkit.restclient;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.testsupport.LoopbackTokenApi;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenManager;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The concurrency scenarios of the RestClient interceptor against a loopback token
 * endpoint and API, run by many threads at once: the subclasses say which threads and how
 * many.
 */
abstract class InterceptorConcurrencyScenarios {

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final AtomicInteger replays = new AtomicInteger();

	private LoopbackTokenApi api;

	private RestClient restClient;

	/**
	 * Return how many threads call at once.
	 * @return the number of threads
	 */
	abstract int threads();

	/**
	 * Return an unstarted thread that runs the task.
	 * @param task the task
	 * @return the thread
	 */
	abstract Thread newThread(Runnable task);

	@BeforeEach
	void start() throws Exception {
		this.api = new LoopbackTokenApi();
		TokenManager manager = this.api.manager(this.clock);
		TokenEventListener replayCounter = new TokenEventListener() {
			@Override
			public void retried(String registrationId) {
				InterceptorConcurrencyScenarios.this.replays.incrementAndGet();
			}
		};
		this.restClient = restClient(this.api, manager, replayCounter);
	}

	/**
	 * Make calls through a client of its own, one answered at once and one that the API
	 * rejects with {@code 401} and the interceptor replays, so that the classes of both
	 * paths are loaded before the threads start: a virtual thread that loads a class
	 * while another holds the class loader's lock is pinned, once per class, whatever
	 * TokenKit's own code does.
	 * @throws Exception on failure
	 */
	static void warmUp() throws Exception {
		try (LoopbackTokenApi api = new LoopbackTokenApi()) {
			RestClient client = restClient(api, api.manager(MutableClock.at("2026-11-23T10:00:00Z")),
					TokenEventListener.NONE);
			assertThat(client.post().uri("/api").body("warm-up").retrieve().body(String.class)).isEqualTo("ok warm-up");
			api.reject("token-1", 1);
			assertThat(client.post().uri("/api").body("replayed").retrieve().body(String.class))
				.isEqualTo("ok replayed");
			assertThat(api.rejections()).isEqualTo(1);
		}
	}

	private static RestClient restClient(LoopbackTokenApi api, TokenManager manager, TokenEventListener listener) {
		HttpClient httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		return RestClient.builder()
			.requestFactory(new JdkClientHttpRequestFactory(httpClient))
			.baseUrl(api.baseUrl())
			.requestInterceptor(new BearerTokenClientHttpRequestInterceptor(manager, "orders", listener))
			.build();
	}

	@AfterEach
	void stop() {
		this.api.close();
	}

	@Test
	void interceptWhenManyThreadsFindNoTokenThenOneTokenCall() throws Exception {
		List<String> answers = callAtOnce(threads());
		assertThat(answers).hasSize(threads()).allSatisfy((answer) -> assertThat(answer).startsWith("ok body-"));
		assertThat(this.api.tokenCalls()).isEqualTo(1);
	}

	@Test
	void interceptWhenManyThreadsFindTokenExpiredThenOneTokenCall() throws Exception {
		assertThat(callAtOnce(1)).containsExactly("ok body-0");
		this.clock.advance(Duration.ofSeconds(301));
		List<String> answers = callAtOnce(threads());
		assertThat(answers).hasSize(threads()).allSatisfy((answer) -> assertThat(answer).startsWith("ok body-"));
		assertThat(this.api.tokenCalls()).isEqualTo(2);
	}

	@Test
	void interceptWhenManyConcurrent401sWithSameTokenThenOneRefreshAndEveryRequestReplayed() throws Exception {
		assertThat(callAtOnce(1)).containsExactly("ok body-0");
		this.api.reject("token-1", threads());
		List<String> answers = callAtOnce(threads());
		assertThat(answers).hasSize(threads()).allSatisfy((answer) -> assertThat(answer).startsWith("ok body-"));
		assertThat(this.api.rejections()).isEqualTo(threads());
		assertThat(this.api.tokenCalls()).isEqualTo(2);
		assertThat(this.replays.get()).isEqualTo(threads());
		assertThat(this.api.apiCalls()).isEqualTo(1 + 2 * threads());
	}

	@Test
	void interceptWhenAReplacementThatWorkedForManyReplaysIsRejectedLaterThenOneMoreTokenCall() throws Exception {
		assertThat(callAtOnce(1)).containsExactly("ok body-0");
		this.api.reject("token-1", threads());
		assertThat(callAtOnce(threads())).hasSize(threads())
			.allSatisfy((answer) -> assertThat(answer).startsWith("ok body-"));
		assertThat(this.api.tokenCalls()).isEqualTo(2);
		// token-2 worked for every replay; now the API's keys rotate and it is rejected
		// too
		this.api.reject("token-2", threads());
		assertThat(callAtOnce(threads())).hasSize(threads())
			.allSatisfy((answer) -> assertThat(answer).startsWith("ok body-"));
		assertThat(this.api.tokenCalls()).isEqualTo(3);
		assertThat(this.replays.get()).isEqualTo(2 * threads());
	}

	/**
	 * Post {@code body-<i>} from {@code count} threads released at once, and return the
	 * answers; fail with the first error.
	 */
	private List<String> callAtOnce(int count) throws Exception {
		CountDownLatch ready = new CountDownLatch(count);
		CountDownLatch go = new CountDownLatch(1);
		ConcurrentLinkedQueue<String> answers = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String body = "body-" + i;
			threads.add(newThread(() -> {
				ready.countDown();
				try {
					go.await();
					answers.add(this.restClient.post().uri("/api").body(body).retrieve().body(String.class));
				}
				catch (Throwable ex) {
					errors.add(ex);
				}
			}));
		}
		threads.forEach(Thread::start);
		assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
		go.countDown();
		for (Thread thread : threads) {
			thread.join(TimeUnit.SECONDS.toMillis(60));
		}
		assertThat(errors).isEmpty();
		return new ArrayList<>(answers);
	}

}
