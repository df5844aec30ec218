package io.tokenkit.authlete;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * Rich authorization request details (RFC 9396) of a token, as Authlete's
 * {@code AuthzDetails}.
 *
 * @param elements the elements, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuthorizationDetails(@Nullable List<Element> elements) {

	public AuthorizationDetails {
		elements = (elements != null) ? List.copyOf(elements) : null;
	}

	/**
	 * Create details of the given elements.
	 * @param elements the elements
	 * @return the details
	 */
	public static AuthorizationDetails of(Element... elements) {
		return new AuthorizationDetails(List.of(elements));
	}

	/**
	 * One element of {@link AuthorizationDetails}.
	 *
	 * @param type the type of the element (required by Authlete)
	 * @param locations the locations, or {@code null}
	 * @param actions the actions, or {@code null}
	 * @param dataTypes the data types, or {@code null}
	 * @param identifier the identifier, or {@code null}
	 * @param privileges the privileges, or {@code null}
	 * @param otherFields the JSON text of the non-standard members, or {@code null}
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Element(@Nullable String type, @Nullable List<String> locations, @Nullable List<String> actions,
			@Nullable List<String> dataTypes, @Nullable String identifier, @Nullable List<String> privileges,
			@Nullable String otherFields) {

		public Element {
			locations = (locations != null) ? List.copyOf(locations) : null;
			actions = (actions != null) ? List.copyOf(actions) : null;
			dataTypes = (dataTypes != null) ? List.copyOf(dataTypes) : null;
			privileges = (privileges != null) ? List.copyOf(privileges) : null;
		}

		/**
		 * Create an element with only its type.
		 * @param type the type
		 * @return the element
		 */
		public static Element ofType(String type) {
			return new Element(type, null, null, null, null, null, null);
		}

	}

}
