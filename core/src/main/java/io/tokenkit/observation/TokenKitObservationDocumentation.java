package io.tokenkit.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * Documents the observations TokenKit makes.
 */
public enum TokenKitObservationDocumentation implements ObservationDocumentation {

	/**
	 * A call to a token or credential endpoint.
	 */
	TOKEN_REQUEST {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultTokenRequestObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeyNames.values();
		}

	};

	/**
	 * Low-cardinality key names of {@link #TOKEN_REQUEST}. None carries a token, subject,
	 * secret or URL.
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/**
		 * The client that made the call: {@code oauth2}, {@code saasus},
		 * {@code gmo-aozora}, {@code authlete}.
		 */
		CLIENT {
			@Override
			public String asString() {
				return "client";
			}
		},

		/** The registration the call was made for, {@code none} for a direct API call. */
		REGISTRATION {
			@Override
			public String asString() {
				return "registration";
			}
		},

		/**
		 * The operation: {@code acquire}, {@code refresh}, {@code exchange},
		 * {@code revoke}, …
		 */
		OPERATION {
			@Override
			public String asString() {
				return "operation";
			}
		},

		/**
		 * The OAuth 2.0 grant type the call sends ({@code client_credentials},
		 * {@code refresh_token}, {@code authorization_code},
		 * {@code urn:ietf:params:oauth:grant-type:token-exchange}, …), {@code none} for a
		 * call that sends none: a revocation, a vendor's own API.
		 */
		GRANT_TYPE {
			@Override
			public String asString() {
				return "grant.type";
			}
		},

		/**
		 * The outcome, as Micrometer's HTTP outcomes: {@code INFORMATIONAL},
		 * {@code SUCCESS}, {@code REDIRECTION}, {@code CLIENT_ERROR},
		 * {@code SERVER_ERROR}, or {@code UNKNOWN} when no answer came.
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		},

		/** The HTTP status code, {@code none} when no response arrived. */
		STATUS {
			@Override
			public String asString() {
				return "status";
			}
		},

		/** The simple class name of the exception, {@code none} when there was none. */
		EXCEPTION {
			@Override
			public String asString() {
				return "exception";
			}
		}

	}

}
