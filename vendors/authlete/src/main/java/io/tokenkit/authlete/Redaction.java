package io.tokenkit.authlete;

import java.lang.reflect.RecordComponent;
import java.util.Set;

/**
 * Writes the {@code toString()} of the request and response records: fields that are set,
 * with token values and user identifiers replaced by {@code (redacted)}.
 */
final class Redaction {

	private Redaction() {
	}

	static String toString(Record record, Set<String> redacted) {
		StringBuilder result = new StringBuilder(record.getClass().getSimpleName()).append('[');
		boolean first = true;
		for (RecordComponent component : record.getClass().getRecordComponents()) {
			Object value;
			try {
				value = component.getAccessor().invoke(record);
			}
			catch (ReflectiveOperationException ex) {
				value = "?";
			}
			if (value == null) {
				continue;
			}
			if (!first) {
				result.append(", ");
			}
			first = false;
			result.append(component.getName())
				.append('=')
				.append(redacted.contains(component.getName()) ? "(redacted)" : value);
		}
		return result.append(']').toString();
	}

}
