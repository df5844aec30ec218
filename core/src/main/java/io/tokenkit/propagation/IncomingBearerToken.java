package io.tokenkit.propagation;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Reads the bearer token of the request being served: the token a service forwards to the
 * next API or exchanges for one meant for it. {@link #fromRequest()}, the default, reads
 * it through Spring Security when the application has it, else from the request's
 * {@code Authorization} header.
 * <p>
 * {@link #read()} runs on the caller's thread (a servlet request),
 * {@link #readReactive()} in the caller's reactive chain (a WebFlux request). Neither
 * blocks, and neither logs what it reads.
 */
public interface IncomingBearerToken {

	/**
	 * Return the bearer token of the request the calling thread serves.
	 * @return the token, or {@code null} when there is none
	 */
	@Nullable String read();

	/**
	 * Return the bearer token of the request the subscribing chain serves; by default
	 * {@link #read()} at subscription.
	 * @return the token, or empty when there is none
	 */
	default Mono<String> readReactive() {
		return Mono.fromSupplier(this::read);
	}

	/**
	 * Return the reader of the request being served: Spring Security's
	 * {@code SecurityContextHolder} or {@code ReactiveSecurityContextHolder} when they
	 * hold an authentication made from an OAuth 2.0 token (a resource server's
	 * {@code JwtAuthenticationToken} or {@code BearerTokenAuthentication}), else the
	 * {@code Authorization: Bearer} header of the servlet request bound to the thread
	 * ({@code RequestContextHolder}) or of the WebFlux exchange in the reactive context
	 * ({@code ServerWebExchangeContextFilter}); always the same instance.
	 * @return the reader
	 */
	static IncomingBearerToken fromRequest() {
		return RequestBearerToken.INSTANCE;
	}

}
