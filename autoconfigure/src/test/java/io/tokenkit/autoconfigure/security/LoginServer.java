package io.tokenkit.autoconfigure.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A real Spring Authorization Server in the test JVM for logins: authorization code with
 * PKCE for the confidential client {@code bank-app}, no consent, one user, access tokens
 * of three seconds and single-use refresh tokens (each refresh issues a new one and the
 * old one is refused), with an OpenID Connect provider for Spring Security's
 * {@code oauth2Login}, and a JWT-protected {@code /api/hello}. It counts the refresh
 * grants it answered and those it refused.
 */
final class LoginServer implements AutoCloseable {

	static final String USER = "alice.liddell";

	static final String PASSWORD = "rabbit-hole";

	private final ConfigurableApplicationContext context;

	private final String baseUrl;

	private LoginServer(ConfigurableApplicationContext context) {
		this.context = context;
		this.baseUrl = "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	static LoginServer start() {
		String client = "spring.security.oauth2.authorizationserver.client.bank.";
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("spring.main.banner-mode", "off");
		properties.put(client + "registration.client-id", "bank-app");
		properties.put(client + "registration.client-secret", "{noop}bank-secret");
		properties.put(client + "registration.client-authentication-methods", "client_secret_basic");
		properties.put(client + "registration.authorization-grant-types", "authorization_code,refresh_token");
		// a loopback IP: any port of the client applications (RFC 8252)
		properties.put(client + "registration.redirect-uris", "http://127.0.0.1/login/oauth2/code/bank");
		properties.put(client + "registration.scopes", "openid,bank.read");
		properties.put(client + "require-proof-key", "true");
		properties.put(client + "require-authorization-consent", "false");
		properties.put(client + "token.access-token-time-to-live", "3s");
		properties.put(client + "token.reuse-refresh-tokens", "false");
		return new LoginServer(new SpringApplicationBuilder(Application.class).properties(properties).run());
	}

	/**
	 * Return the issuer, whose {@code /api/hello} the resource calls go to.
	 */
	String baseUrl() {
		return this.baseUrl;
	}

	/**
	 * Return the refresh grants answered with a token so far.
	 */
	int refreshes() {
		return this.context.getBean(RefreshGrants.class).answered.get();
	}

	/**
	 * Return the refresh grants refused so far ({@code invalid_grant}).
	 */
	int refused() {
		return this.context.getBean(RefreshGrants.class).refused.get();
	}

	/**
	 * Return the properties of a client application whose Spring Security registration
	 * {@code bank} logs in here and whose TokenKit registration and client {@code bank}
	 * reuse it.
	 */
	Map<String, Object> clientProperties() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("spring.main.banner-mode", "off");
		String registration = "spring.security.oauth2.client.registration.bank.";
		properties.put(registration + "client-id", "bank-app");
		properties.put(registration + "client-secret", "bank-secret");
		properties.put(registration + "authorization-grant-type", "authorization_code");
		properties.put(registration + "redirect-uri", "{baseUrl}/login/oauth2/code/{registrationId}");
		properties.put(registration + "scope", "openid,bank.read");
		properties.put("spring.security.oauth2.client.provider.bank.issuer-uri", this.baseUrl);
		properties.put("tokenkit.registrations.bank.from-spring-security", "true");
		// no refresh ahead of expiry: each expiry is one refresh, when a call finds it
		properties.put("tokenkit.registrations.bank.refresh-skew", "0s");
		properties.put("tokenkit.clients.bank.base-url", this.baseUrl + "/api");
		properties.put("tokenkit.clients.bank.registration", "bank");
		return properties;
	}

	@Override
	public void close() {
		this.context.close();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.oauth2AuthorizationServer((server) -> server.oidc(Customizer.withDefaults()))
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.formLogin(Customizer.withDefaults())
				.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()));
			return http.build();
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(
					User.withUsername(USER).password("{noop}" + PASSWORD).roles("USER").build());
		}

		@Bean
		RefreshGrants refreshGrants() {
			return new RefreshGrants();
		}

		@Bean
		HelloController helloController() {
			return new HelloController();
		}

	}

	/**
	 * Counts the refresh grants of the token endpoint by their answer; first of the
	 * filters, as the token endpoint's own filter answers without going on.
	 */
	static class RefreshGrants implements Filter, Ordered {

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

		final AtomicInteger answered = new AtomicInteger();

		final AtomicInteger refused = new AtomicInteger();

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws IOException, ServletException {
			chain.doFilter(request, response);
			HttpServletRequest http = (HttpServletRequest) request;
			if (http.getRequestURI().endsWith("/oauth2/token")
					&& "refresh_token".equals(request.getParameter("grant_type"))) {
				int status = ((HttpServletResponse) response).getStatus();
				((status == 200) ? this.answered : this.refused).incrementAndGet();
			}
		}

	}

	@RestController
	static class HelloController {

		@GetMapping("/api/hello")
		String hello(@AuthenticationPrincipal Jwt jwt) {
			return "hello " + jwt.getSubject();
		}

	}

}
