package io.tokenkit.propagation;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the request reader takes for the incoming token when Spring Security is present:
 * the token of a bearer authentication, never the raw header of a request Spring Security
 * authenticated some other way.
 */
class IncomingBearerTokenTests {

	@AfterEach
	void clear() {
		SecurityContextHolder.clearContext();
		RequestContextHolder.resetRequestAttributes();
	}

	@Test
	void readWhenSessionAuthenticationAndBearerHeaderThenNoToken() {
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of()));
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.addHeader("Authorization", "Bearer mallory-token");
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
		assertThat(IncomingBearerToken.fromRequest().read()).isNull();
	}

	@Test
	void readWhenNoAuthenticationThenBearerHeader() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.addHeader("Authorization", "Bearer plain-token");
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
		assertThat(IncomingBearerToken.fromRequest().read()).isEqualTo("plain-token");
	}

	@Test
	void readReactiveWhenSessionAuthenticationAndBearerHeaderThenNoToken() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/orders").header("Authorization", "Bearer mallory-token"));
		String read = IncomingBearerToken.fromRequest()
			.readReactive()
			.contextWrite(ReactiveSecurityContextHolder
				.withAuthentication(UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of())))
			.contextWrite((context) -> context.put(ServerWebExchangeContextFilter.EXCHANGE_CONTEXT_ATTRIBUTE, exchange))
			.block();
		assertThat(read).isNull();
		String withoutAuthentication = IncomingBearerToken.fromRequest()
			.readReactive()
			.contextWrite((context) -> context.put(ServerWebExchangeContextFilter.EXCHANGE_CONTEXT_ATTRIBUTE, exchange))
			.switchIfEmpty(Mono.just("none"))
			.block();
		assertThat(withoutAuthentication).isEqualTo("mallory-token");
	}

}
