package io.tokenkit.saasus;

/**
 * Which SaaSus token a per-user {@link io.tokenkit.token.AccessToken} carries as its
 * value, and therefore which one the bearer filter sends.
 */
public enum SaasusBearerToken {

	/**
	 * The {@code access_token}: for APIs that accept the SaaSus (Cognito) access token.
	 */
	ACCESS_TOKEN,

	/**
	 * The {@code id_token}: for back ends that follow the SaaSus SDK middleware
	 * convention, which reads {@code Authorization: Bearer <id_token>}. The access token
	 * is then not kept.
	 */
	ID_TOKEN

}
