package io.tokenkit.propagation;

import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AbstractOAuth2Token;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;

/**
 * The {@link IncomingBearerToken#fromRequest()} reader: Spring Security's authentication
 * first, the request's {@code Authorization} header only when there is no authentication
 * at all (an authentication that is not a bearer one, such as a session login, gives no
 * token). Spring Security and the Servlet API are optional: each is read only when it is
 * on the class path.
 */
final class RequestBearerToken implements IncomingBearerToken {

	static final RequestBearerToken INSTANCE = new RequestBearerToken();

	private static final ClassLoader loader = RequestBearerToken.class.getClassLoader();

	private static final boolean SPRING_SECURITY = ClassUtils
		.isPresent("org.springframework.security.core.context.SecurityContextHolder", loader)
			&& ClassUtils.isPresent("org.springframework.security.oauth2.core.AbstractOAuth2Token", loader);

	private static final boolean SERVLET = ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest", loader);

	private static final String BEARER = "bearer ";

	private RequestBearerToken() {
	}

	@Override
	public @Nullable String read() {
		if (SPRING_SECURITY) {
			SecurityContext context = SecurityContextHolder.getContext();
			if (SpringSecurity.hasAuthentication(context)) {
				// never the raw header of a request Spring Security authenticated
				// otherwise (a session login, Basic, anonymous): nothing validated it
				return SpringSecurity.tokenOf(context);
			}
		}
		return SERVLET ? Servlet.header() : null;
	}

	@Override
	public Mono<String> readReactive() {
		Mono<String> header = Mono
			.deferContextual((context) -> Mono.justOrEmpty(ServerWebExchangeContextFilter.getExchange(context)
				.map((exchange) -> bearer(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION)))
				.orElse(null)))
			// a caller that blocks on the request's thread (WebClient in a servlet
			// application) subscribes there: its thread-bound request is read last
			.switchIfEmpty(Mono.fromSupplier(this::read));
		return SPRING_SECURITY ? SpringSecurity.reactive(header) : header;
	}

	/**
	 * Return the token of an {@code Authorization} header with the {@code Bearer} scheme
	 * (any case, RFC 6750 §2.1).
	 */
	static @Nullable String bearer(@Nullable String header) {
		if (header == null || header.length() <= BEARER.length()
				|| !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
			return null;
		}
		String token = header.substring(BEARER.length()).strip();
		return token.isEmpty() ? null : token;
	}

	@Override
	public String toString() {
		return "IncomingBearerToken[request]";
	}

	/**
	 * Reads Spring Security's context; loaded only when Spring Security is present.
	 */
	private static final class SpringSecurity {

		static @Nullable String tokenOf(@Nullable SecurityContext context) {
			Authentication authentication = (context != null) ? context.getAuthentication() : null;
			if (authentication == null || !authentication.isAuthenticated()) {
				return null;
			}
			// JwtAuthenticationToken and BearerTokenAuthentication hold the token they
			// were made from as their credentials
			Object credentials = authentication.getCredentials();
			if (credentials instanceof AbstractOAuth2Token token) {
				return token.getTokenValue();
			}
			return (authentication.getPrincipal() instanceof AbstractOAuth2Token token) ? token.getTokenValue() : null;
		}

		static boolean hasAuthentication(@Nullable SecurityContext context) {
			return context != null && context.getAuthentication() != null;
		}

		/**
		 * The token of the reactive context's authentication, none when it is not a
		 * bearer one, and {@code otherwise} only without an authentication.
		 */
		static Mono<String> reactive(Mono<String> otherwise) {
			return ReactiveSecurityContextHolder.getContext()
				.filter(SpringSecurity::hasAuthentication)
				.map((context) -> Optional.ofNullable(tokenOf(context)))
				.switchIfEmpty(otherwise.map(Optional::of))
				.flatMap(Mono::justOrEmpty);
		}

	}

	/**
	 * Reads the servlet request bound to the thread; loaded only when the Servlet API is
	 * present.
	 */
	private static final class Servlet {

		static @Nullable String header() {
			RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
			if (attributes instanceof ServletRequestAttributes servlet) {
				HttpServletRequest request = servlet.getRequest();
				return bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
			}
			return null;
		}

	}

}
