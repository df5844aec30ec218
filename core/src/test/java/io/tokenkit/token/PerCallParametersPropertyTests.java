package io.tokenkit.token;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.ParameterTokenEndpoint;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token is never served for a scope, audience or resource it was not issued for: over
 * random parameter sets (given in any order, with repeats) and random interleavings of
 * requests, replacements of rejected tokens, removals and the passing of time, every
 * token a {@link TokenManager} answers is checked against what the loopback token
 * endpoint issued it for.
 */
class PerCallParametersPropertyTests {

	private static final List<String> SCOPES = List.of("a", "b", "c");

	private static final List<String> AUDIENCES = List.of("https://x.example", "https://y.example");

	private static final List<String> RESOURCES = List.of("https://r1.example/", "https://r2.example/api");

	private static ParameterTokenEndpoint endpoint;

	@BeforeContainer
	static void start() throws IOException {
		endpoint = new ParameterTokenEndpoint();
	}

	@AfterContainer
	static void stop() {
		endpoint.close();
	}

	@Property(tries = 60)
	void everyTokenServedWasIssuedForTheParametersOfItsKey(@ForAll("steps") List<List<Step>> rounds) {
		MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");
		TokenManager manager = endpoint.manager(clock);
		for (List<Step> round : rounds) {
			// the steps of a round run at once, in whatever order the threads take them;
			// a
			// removal fails the acquisitions it overtakes, the only failure there may be
			boolean removes = round.stream().anyMatch((step) -> step.kind() == Kind.REMOVE_ALL);
			Flux.fromIterable(round)
				.flatMap((step) -> run(manager, clock, step).subscribeOn(Schedulers.parallel())
					.onErrorResume((ex) -> removes && ex instanceof TokenAcquisitionException, (ex) -> Mono.empty()),
						round.size())
				.blockLast(Duration.ofSeconds(20));
		}
	}

	private Mono<Void> run(TokenManager manager, MutableClock clock, Step step) {
		TokenKey key = TokenKey.of("orders").withParameters(step.parameters());
		return switch (step.kind()) {
			case GET -> manager.getToken(key).doOnNext((token) -> check(key, token)).then();
			case REJECT -> manager.getToken(key)
				.doOnNext((token) -> check(key, token))
				.flatMap((token) -> manager.reacquire(key, token))
				.doOnNext((token) -> check(key, token))
				// the replay with the replacement is accepted
				.doOnNext((token) -> manager.replayed(key, token, true))
				.then();
			case REMOVE_ALL -> manager.removeAll("orders", null);
			case ADVANCE -> Mono.fromRunnable(() -> clock.advance(Duration.ofSeconds(step.seconds())));
		};
	}

	private static void check(TokenKey key, AccessToken token) {
		TokenParameters asked = key.parameters();
		TokenParameters expected = asked.getScopes().isEmpty() ? TokenParameters.builder()
			.scopes(List.of("default"))
			.audiences(asked.getAudiences())
			.resources(asked.getResources())
			.build() : asked;
		TokenParameters issued = endpoint.issuedFor(token.getTokenValue());
		// each set on its own: the check does not lean on the equality under test
		assertThat(issued.getScopes()).as("scopes the token was issued for").isEqualTo(expected.getScopes());
		assertThat(issued.getAudiences()).as("audiences the token was issued for").isEqualTo(expected.getAudiences());
		assertThat(issued.getResources()).as("resources the token was issued for").isEqualTo(expected.getResources());
	}

	@Provide
	Arbitrary<List<List<Step>>> steps() {
		Arbitrary<Step> step = Arbitraries.frequencyOf(
				net.jqwik.api.Tuple.of(6, parameters().map((parameters) -> new Step(Kind.GET, parameters, 0))),
				net.jqwik.api.Tuple.of(2, parameters().map((parameters) -> new Step(Kind.REJECT, parameters, 0))),
				net.jqwik.api.Tuple.of(1, Arbitraries.just(new Step(Kind.REMOVE_ALL, TokenParameters.NONE, 0))),
				net.jqwik.api.Tuple.of(1,
						Arbitraries.integers()
							.between(0, 320)
							.map((seconds) -> new Step(Kind.ADVANCE, TokenParameters.NONE, seconds))));
		return step.list().ofMinSize(1).ofMaxSize(12).list().ofMinSize(1).ofMaxSize(6);
	}

	/** Parameters given in any order and with repeats, which must not matter. */
	private static Arbitrary<TokenParameters> parameters() {
		Arbitrary<List<String>> scopes = Arbitraries.of(SCOPES).list().ofMaxSize(4);
		Arbitrary<List<String>> audiences = Arbitraries.of(AUDIENCES).list().ofMaxSize(3);
		Arbitrary<List<String>> resources = Arbitraries.of(RESOURCES).list().ofMaxSize(3);
		return Combinators.combine(scopes, audiences, resources)
			.as((s, a, r) -> TokenParameters.builder()
				.scopes(new ArrayList<>(s))
				.audiences(new ArrayList<>(a))
				.resources(new ArrayList<>(r))
				.build());
	}

	enum Kind {

		GET, REJECT, REMOVE_ALL, ADVANCE

	}

	record Step(Kind kind, TokenParameters parameters, int seconds) {
	}

}
