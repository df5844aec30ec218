package io.tokenkit.discovery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.testsupport.MetadataServer;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.TokenSourceReadiness;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An issuer's metadata fetched once when first asked for, shared by concurrent callers,
 * kept, and after a failure fetched again at most once per cool-down, counted on a real
 * loopback server with a controlled clock.
 */
class IssuerMetadataTests {

	private static final Duration BLOCK = Duration.ofSeconds(10);

	private static final Duration COOL_DOWN = Duration.ofSeconds(30);

	private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);

	private static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";

	private final MetadataServer server = new MetadataServer();

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final ServerMetadataClient client = new ServerMetadataClient(WebClient.create(), TokenCallPolicy.DEFAULT,
			false);

	private String issuer;

	private IssuerMetadata metadata;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.issuer = this.server.url("");
		this.metadata = new IssuerMetadata(this.issuer, this.client::fetch, this.client.longestFetch(), COOL_DOWN,
				this.clock);
	}

	@AfterEach
	void stop() {
		this.server.stop();
	}

	private void answerMetadataAfter(long millis) {
		this.server.answer(OPENID_CONFIGURATION,
				new MockResponse.Builder().code(200)
					.addHeader("Content-Type", "application/json")
					.body("{\"issuer\":\"" + this.issuer + "\",\"token_endpoint\":\"" + this.server.url("/oauth2/token")
							+ "\"}")
					.headersDelay(millis, TimeUnit.MILLISECONDS)
					.build());
	}

	private void failWith503() {
		this.server.answer(OPENID_CONFIGURATION, MetadataServer.json(503, "{}"));
	}

	@Test
	void getWhenNotAskedThenNothingFetched() {
		this.metadata.get();
		assertThat(this.metadata.getIfFetched()).isNull();
		assertThat(this.server.server.getRequestCount()).isZero();
	}

	@Test
	void getWhenManyConcurrentFirstCallersThenOneFetchSharedAndKept() {
		answerMetadataAfter(300);
		List<ServerMetadata> answers = Flux.range(0, 32)
			.flatMap((i) -> this.metadata.get().subscribeOn(Schedulers.parallel()), 32)
			.collectList()
			.block(BLOCK);
		assertThat(answers).hasSize(32).allSatisfy((answer) -> assertThat(answer).isSameAs(answers.get(0)));
		assertThat(this.metadata.get().block(BLOCK)).isSameAs(answers.get(0));
		assertThat(this.server.count(OPENID_CONFIGURATION)).isEqualTo(1);
	}

	@Test
	void getWhenFetchFailedThenFailureAnsweredUntilCoolDownEndsThenOneFetchPerCoolDown() {
		failWith503();
		for (int i = 0; i < 5; i++) {
			assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> this.metadata.get().block(BLOCK))
				.satisfies((ex) -> assertThat(ex.getMetadataStatus()).isEqualTo(503));
		}
		assertThat(this.server.count(OPENID_CONFIGURATION)).isEqualTo(1);
		this.clock.advance(COOL_DOWN.minusMillis(1));
		assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> this.metadata.get().block(BLOCK));
		assertThat(this.server.count(OPENID_CONFIGURATION)).isEqualTo(1);
		this.clock.advance(Duration.ofMillis(1));
		for (int i = 0; i < 5; i++) {
			assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> this.metadata.get().block(BLOCK));
		}
		assertThat(this.server.count(OPENID_CONFIGURATION)).isEqualTo(2);
		answerMetadataAfter(0);
		this.clock.advance(COOL_DOWN);
		assertThat(this.metadata.get().block(BLOCK).issuer()).isEqualTo(this.issuer);
		this.clock.advance(COOL_DOWN.multipliedBy(10));
		assertThat(this.metadata.get().block(BLOCK).issuer()).isEqualTo(this.issuer);
		assertThat(this.server.count(OPENID_CONFIGURATION)).isEqualTo(3);
	}

	@Test
	void getWhenCallerGivesUpThenFetchGoesOnAndIsKept() {
		answerMetadataAfter(200);
		Disposable caller = this.metadata.get().subscribe();
		caller.dispose();
		await().atMost(BLOCK).until(() -> this.metadata.getIfFetched() != null);
		assertThat(this.server.count(OPENID_CONFIGURATION)).isEqualTo(1);
	}

	@Test
	void checkReadinessWhenNotFetchedThenNotReadyAndFetchStartedInBackgroundThenReady() {
		answerMetadataAfter(200);
		TokenSourceReadiness first = this.metadata.checkReadiness();
		assertThat(first.ready()).isFalse();
		assertThat(first.details()).containsEntry("metadata", "missing")
			.containsEntry("issuer", this.issuer)
			.containsEntry("metadataReason", "being fetched");
		await().atMost(BLOCK).until(() -> this.metadata.checkReadiness().ready());
		assertThat(this.metadata.checkReadiness()).isEqualTo(TokenSourceReadiness.READY);
		assertThat(this.server.count(OPENID_CONFIGURATION)).isEqualTo(1);
	}

	@Test
	void checkReadinessWhenFetchFailedThenWhyAndWhenNextWithoutNewFetchDuringCoolDown() {
		failWith503();
		assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> this.metadata.get().block(BLOCK));
		TokenSourceReadiness readiness = this.metadata.checkReadiness();
		assertThat(readiness.ready()).isFalse();
		assertThat(readiness.details()).containsEntry("metadata", "missing")
			.containsEntry("metadataError", "ServerMetadataException")
			.containsEntry("metadataHttpStatus", 503)
			.containsEntry("metadataFetchAfter", "2026-11-23T10:00:30Z");
		assertThat((String) readiness.details().get("metadataReason")).contains("(503)");
		assertThat(this.server.count(OPENID_CONFIGURATION)).isEqualTo(1);
	}

	@Test
	void getWhenFetchThrowsOrEndsEmptyThenFailureNotAHang() {
		IssuerMetadata throwing = new IssuerMetadata(this.issuer, (issuer) -> {
			throw new IllegalStateException("no client");
		}, FETCH_TIMEOUT, COOL_DOWN, this.clock);
		assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> throwing.get().block(BLOCK))
			.withMessageContaining("IllegalStateException");
		IssuerMetadata empty = new IssuerMetadata(this.issuer, (issuer) -> Mono.empty(), FETCH_TIMEOUT, COOL_DOWN,
				this.clock);
		assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> empty.get().block(BLOCK))
			.withMessageContaining("completed without metadata");
	}

	@Test
	void getWhenFetchNeverEndsThenFailureAfterFetchTimeoutAnsweredUntilCoolDownEnds() {
		AtomicInteger fetches = new AtomicInteger();
		IssuerMetadata never = new IssuerMetadata(this.issuer, (issuer) -> {
			fetches.incrementAndGet();
			return Mono.never();
		}, Duration.ofMillis(200), COOL_DOWN, this.clock);
		assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> never.get().block(BLOCK))
			.withMessageContaining("the fetch did not end within 200ms")
			.withMessageContaining("tokenkit.discovery.cool-down");
		assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> never.get().block(BLOCK));
		assertThat(never.checkReadiness().details()).containsEntry("metadataFetchAfter", "2026-11-23T10:00:30Z");
		assertThat(fetches).hasValue(1);
		this.clock.advance(COOL_DOWN);
		assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> never.get().block(BLOCK));
		assertThat(fetches).hasValue(2);
	}

	@Test
	void getWhenFetchThrowsFatalErrorOnAnotherThreadThenFailureAfterFetchTimeout() {
		// A JVM-fatal error thrown in a scheduler's worker is never signalled and may
		// leave
		// the worker unusable: a scheduler of this test's own, not Reactor's shared ones
		Scheduler worker = Schedulers.newSingle("fatal-fetch");
		try {
			IssuerMetadata fatal = new IssuerMetadata(this.issuer,
					(issuer) -> Mono.delay(Duration.ofMillis(10), worker).map((tick) -> {
						throw new NoClassDefFoundError("tools/jackson/databind/JsonNode");
					}), Duration.ofMillis(300), COOL_DOWN, this.clock);
			assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> fatal.get().block(BLOCK))
				.withMessageContaining("did not end within 300ms");
			assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> fatal.get().block(BLOCK));
		}
		finally {
			worker.dispose();
		}
	}

	@Test
	void getWhenFetchThrowsFatalErrorThenFailureNotAHang() {
		IssuerMetadata fatal = new IssuerMetadata(this.issuer, (issuer) -> {
			throw new NoClassDefFoundError("tools/jackson/databind/JsonNode");
		}, FETCH_TIMEOUT, COOL_DOWN, this.clock);
		assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> fatal.get().block(BLOCK))
			.withMessageContaining("NoClassDefFoundError");
		assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> fatal.get().block(BLOCK));
	}

}
