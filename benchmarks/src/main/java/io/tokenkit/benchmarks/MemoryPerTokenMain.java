package io.tokenkit.benchmarks;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import org.openjdk.jol.info.GraphLayout;

/**
 * Benchmark 4: memory per cached per-user token. Saves 100,000 per-user tokens
 * (43-character opaque access and refresh tokens, 8-character subjects) through
 * {@link TokenManager#save} into an {@link InMemoryTokenStore}, then walks the store's
 * object graph with JOL: retained bytes per token are
 * {@code (totalSize(full store) - totalSize(empty store)) / count}, the strings included.
 * <p>
 * Arguments: the output directory, then optionally the token count.
 */
public final class MemoryPerTokenMain {

	private static final int GOAL_BYTES = 600;

	private MemoryPerTokenMain() {
	}

	/**
	 * Run the benchmark.
	 * @param args the output directory, then optionally the token count
	 */
	public static void main(String[] args) {
		Output output = new Output(args[0]);
		int count = (args.length > 1) ? Integer.parseInt(args[1]) : 100_000;
		InMemoryTokenStore store = new InMemoryTokenStore();
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("bank", new StaticTokenSource("unused"))),
				store, Clock.systemUTC(), TokenEventListener.NONE, TokenManager.DEFAULT_ACQUIRE_TIMEOUT);
		long empty = GraphLayout.parseInstance(store).totalSize();

		SecureRandom random = new SecureRandom();
		Instant now = Instant.now();
		for (int i = 0; i < count; i++) {
			String subject = Output.format("u%07d", i);
			AccessToken token = AccessToken.withValue(opaque(random))
				.refreshToken(opaque(random))
				.issuedAt(now)
				.expiresAt(now.plus(Duration.ofHours(1)))
				.build();
			manager.save(TokenKey.of("bank", subject), token).block();
		}
		if (store.size() != count) {
			throw new IllegalStateException("Expected " + count + " tokens in the store, found " + store.size());
		}
		GraphLayout full = GraphLayout.parseInstance(store);
		double perToken = (full.totalSize() - empty) / (double) count;
		String footprint = full.toFootprint();
		System.out.println(footprint);

		StringBuilder md = new StringBuilder();
		md.append(Output.format("%,d per-user tokens (43-character access and refresh tokens, 8-character subjects) "
				+ "saved with `TokenManager.save` into `InMemoryTokenStore`; measured with JOL "
				+ "`GraphLayout.parseInstance(store).totalSize()`.%n%n", count));
		md.append("| measure | value |\n|---|---:|\n");
		md.append(Output.format("| empty store, bytes | %,d |%n", empty));
		md.append(Output.format("| full store, bytes | %,d |%n", full.totalSize()));
		md.append(Output.format("| retained bytes per token | %.1f |%n", perToken));
		md.append("\nWhere the bytes go (JOL footprint of the full store):\n\n```\n")
			.append(footprint.strip())
			.append("\n```\n\n");
		md.append(Output.format("Goal: at most %d retained bytes per per-user token: %s (%.1f).%n", GOAL_BYTES,
				Output.met(perToken <= GOAL_BYTES), perToken));
		output.write("memory.md", md);
	}

	/** A 43-character opaque token: 32 random bytes in unpadded base64url. */
	private static String opaque(SecureRandom random) {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
