package io.tokenkit.sample.sandbox;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Security of the stand-ins. The vendor sandboxes check credentials themselves, the way
 * each vendor does (SAASUSSIGV1 signature, client authentication, {@code x-access-token},
 * service access token), so Spring Security lets them through; everything else is Spring
 * Authorization Server's endpoints and the orders API, a JWT resource server that needs
 * the {@code orders.read} scope.
 */
@Configuration(proxyBeanMethods = false)
class StandInsSecurityConfiguration {

	@Bean
	@Order(1)
	SecurityFilterChain sandboxSecurityFilterChain(HttpSecurity http) throws Exception {
		http.securityMatcher("/saasus/**", "/gmo-aozora/**", "/authlete/**")
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.disable())
			.requestCache((cache) -> cache.disable())
			.sessionManagement((session) -> session.disable());
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain authorizationServerSecurityFilterChain(HttpSecurity http) throws Exception {
		http.oauth2AuthorizationServer(Customizer.withDefaults())
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/api/orders/**")
				.hasAuthority("SCOPE_orders.read")
				.anyRequest()
				.authenticated())
			.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()))
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

}
