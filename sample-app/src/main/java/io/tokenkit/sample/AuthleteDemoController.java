package io.tokenkit.sample;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import io.tokenkit.authlete.AuthleteClient;
import io.tokenkit.authlete.GrantType;
import io.tokenkit.authlete.TokenCreateRequest;
import io.tokenkit.authlete.TokenListRequest;
import io.tokenkit.authlete.TokenRevokeRequest;
import io.tokenkit.authlete.TokenStatus;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Authlete token management with the {@link AuthleteClient} TokenKit configures from
 * {@code tokenkit.authlete.*}: {@code POST /demo/authlete} creates an access token for a
 * demo user, lists the user's tokens, revokes the new one and lists again. The created
 * token is shown masked; the list shows only counts.
 */
@RestController
class AuthleteDemoController {

	private static final String DEMO_SUBJECT = "demo-user";

	private static final String DEMO_CLIENT = "1000";

	private final AuthleteClient authlete;

	AuthleteDemoController(AuthleteClient authlete) {
		this.authlete = authlete;
	}

	/**
	 * {@code POST /demo/authlete}: create → list → revoke → list.
	 * @return the steps and their outcomes
	 */
	@PostMapping("/demo/authlete")
	Mono<Map<String, Object>> createListRevoke() {
		Map<String, Object> result = new LinkedHashMap<>();
		TokenListRequest mine = TokenListRequest.builder()
			.subject(DEMO_SUBJECT)
			.clientIdentifier(DEMO_CLIENT)
			.tokenStatus(TokenStatus.VALID)
			.build();
		return this.authlete
			.createAccessToken(TokenCreateRequest.builder(GrantType.AUTHORIZATION_CODE)
				.clientIdentifier(DEMO_CLIENT)
				.subject(DEMO_SUBJECT)
				.scopes(List.of("profile", "orders.read"))
				.accessTokenDuration(Duration.ofMinutes(5))
				.build())
			.flatMap((created) -> {
				Map<String, Object> step = new LinkedHashMap<>();
				step.put("action", String.valueOf(created.action()));
				step.put("accessToken", TokenView.mask(String.valueOf(created.accessToken())));
				step.put("expiresAt", String.valueOf(created.expiresAt()));
				step.put("scopes", created.scopes());
				result.put("create", step);
				return this.authlete.listAccessTokens(mine).flatMap((listed) -> {
					result.put("listBeforeRevoke", Map.of("totalCount", listed.totalCount()));
					return this.authlete
						.revokeTokens(TokenRevokeRequest.accessToken(String.valueOf(created.accessToken())));
				});
			})
			.flatMap((revoked) -> {
				result.put("revoke",
						Map.of("resultCode", String.valueOf(revoked.resultCode()), "count", revoked.count()));
				return this.authlete.listAccessTokens(mine);
			})
			.map((listed) -> {
				result.put("listAfterRevoke", Map.of("totalCount", listed.totalCount()));
				return result;
			});
	}

}
