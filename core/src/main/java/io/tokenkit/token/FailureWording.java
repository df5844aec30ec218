package io.tokenkit.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Words every failure the {@link TokenManager} hands its callers: what went wrong and
 * what to do, naming the registration and never a subject or a token. Each call builds a
 * new exception, as callers add suppressed exceptions to what they get.
 */
final class FailureWording {

	private FailureWording() {
	}

	/**
	 * A registration id that the manager does not know.
	 * @param registrationId the id asked for
	 * @param known the ids the manager knows
	 * @return the exception
	 */
	static IllegalArgumentException unknownRegistration(String registrationId, Set<String> known) {
		return new IllegalArgumentException(
				"No TokenKit registration '" + registrationId + "'; known: " + known + ". Add tokenkit.registrations."
						+ registrationId + ".* to the configuration or use one of the known ids.");
	}

	/**
	 * A key that cools down after failures in a row.
	 * @param registrationId the registration
	 * @param failures the failures in a row
	 * @param coolDownUntil the end of the cool-down, in epoch milliseconds
	 * @param now the time now, in epoch milliseconds
	 * @param last the last failure
	 * @return the exception
	 */
	static TokenCoolDownException coolDown(String registrationId, int failures, long coolDownUntil, long now,
			Throwable last) {
		Instant next = Instant.ofEpochMilli(coolDownUntil);
		return new TokenCoolDownException(registrationId, next,
				"Token acquisition for registration '" + registrationId + "' failed " + failures
						+ ((failures == 1) ? " time" : " times in a row") + "; no token call until " + next + " (in "
						+ Math.max(1, (coolDownUntil - now + 999) / 1000) + "s). Last failure: " + last.getMessage(),
				last);
	}

	/**
	 * A key that rests with no failure of its own to show.
	 * @param registrationId the registration
	 * @return the exception
	 */
	static TokenAcquisitionException rejectedAgain(String registrationId) {
		return new TokenAcquisitionException(registrationId, "rejected again");
	}

	/**
	 * A key whose refresh token was refused as dead by its token endpoint.
	 * @param key the key
	 * @param refusal the refusal
	 * @return the exception
	 */
	static ReauthorizationRequiredException reauthorizationRequired(TokenKey key, Throwable refusal) {
		String id = key.registrationId();
		return new ReauthorizationRequiredException(id, "Registration '" + id + "' needs a new authorization"
				+ ((key.subject() != null) ? " for this subject" : "")
				+ ": its refresh token was refused as invalid, expired or revoked. No token call is made until a "
				+ "new token is saved with TokenManager.save"
				+ ((key.subject() == null) ? " or the application's refresh token is replaced" : ""), refusal);
	}

	/**
	 * A key whose refresh token a shared store holds marked as dead
	 * ({@link DeadTokenChainException}); the cause names where the mark was found.
	 * @param dead what the store signalled
	 * @return the exception
	 */
	static ReauthorizationRequiredException deadChain(DeadTokenChainException dead) {
		TokenKey key = dead.getKey();
		String id = key.registrationId();
		return new ReauthorizationRequiredException(id,
				"Registration '" + id + "' needs a new authorization"
						+ ((key.subject() != null) ? " for this subject" : "")
						+ ": its refresh token was refused. No token call is made until a new token is "
						+ "saved with TokenManager.save",
				new TokenAcquisitionException(id, dead.getWhere()));
	}

	/**
	 * A source that had nothing to acquire from: a user with no token, or a key without a
	 * subject for a registration with no application credential.
	 * @param key the key
	 * @param answer the source's answer
	 * @return the exception
	 */
	static TokenAcquisitionException nothingToAcquire(TokenKey key, Throwable answer) {
		String id = key.registrationId();
		if (key.subject() != null) {
			String message = answer.getMessage();
			return new NoTokenForSubjectException(id,
					(message != null) ? message
							: "Registration '" + id + "' has no token for this subject: complete the user's "
									+ "authorization and save the token with TokenManager.save first",
					answer);
		}
		return new SubjectRequiredException(id, "Registration '" + id
				+ "' has no application token to acquire: this request names no subject, or the registration has no "
				+ "application credential configured (e.g. tokenkit.registrations." + id + ".refresh-token). "
				+ "For a user's token set the request attribute '" + TokenRequestAttributes.SUBJECT
				+ "', with .attributes(TokenRequestAttributes.subject(userId)) on the request, or pass TokenKey.of(\""
				+ id + "\", userId) to the TokenManager; for the application token configure its credential. "
				+ "The token source said: " + answer.getMessage(), answer);
	}

	/**
	 * An acquisition that ran longer than its time limit and was abandoned.
	 * @param registrationId the registration
	 * @param abandonTimeout the time limit of one acquisition
	 * @param timeout the timeout
	 * @return the exception
	 */
	static TokenAcquisitionException abandoned(String registrationId, Duration abandonTimeout, Throwable timeout) {
		return new TokenAcquisitionException(
				registrationId, "The token source of registration '" + registrationId + "' did not finish within "
						+ abandonTimeout + " and was abandoned; check that its token endpoint " + "is reachable",
				timeout);
	}

	/**
	 * An acquisition that failed with an error TokenKit does not know.
	 * @param registrationId the registration
	 * @param error the error
	 * @return the exception
	 */
	static TokenAcquisitionException failed(String registrationId, Throwable error) {
		return new TokenAcquisitionException(registrationId,
				"Could not acquire a token for registration '" + registrationId + "' ("
						+ error.getClass().getSimpleName() + "); the key cools down, then the next request tries again",
				error);
	}

	/**
	 * A caller that waited longer than the acquire timeout; the acquisition goes on.
	 * @param registrationId the registration
	 * @param acquireTimeout the acquire timeout
	 * @return the exception
	 */
	static TokenAcquisitionException notAnswered(String registrationId, Duration acquireTimeout) {
		return new TokenAcquisitionException(registrationId,
				"The token source of registration '" + registrationId + "' did not answer within " + acquireTimeout
						+ "; the acquisition goes on and its token will be stored. Check that the token "
						+ "endpoint is reachable and answers in time");
	}

	/**
	 * A token removed while it was being acquired.
	 * @param registrationId the registration
	 * @return the exception
	 */
	static TokenAcquisitionException removedWhileAcquired(String registrationId) {
		return new TokenAcquisitionException(registrationId, "The token of registration '" + registrationId
				+ "' was removed while it was being acquired; the next request acquires a new one");
	}

	/**
	 * A token source that completed without a token.
	 * @param registrationId the registration
	 * @return the exception
	 */
	static TokenAcquisitionException noToken(String registrationId) {
		return new TokenAcquisitionException(registrationId,
				"The token source of registration '" + registrationId + "' completed without a token");
	}

	/**
	 * The log line of a replay rejected with {@code 401} after a reacquisition.
	 * @param registrationId the registration
	 * @param unauthorizedUntil the end of the key's 401 cool-down, in epoch milliseconds
	 * @return the message
	 */
	static String replayRejected(String registrationId, long unauthorizedUntil) {
		return "A request of registration '" + registrationId
				+ "' rejected with 401 was replayed with a new token, and that was rejected with 401 too; until "
				+ Instant.ofEpochMilli(unauthorizedUntil)
				+ " a 401 goes to the caller and no token call is made. Check that the token fits the API "
				+ "(audience, scopes).";
	}

}
