package io.tokenkit.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generators of bad answers for property tests: random JSON values and objects, valid
 * answers with members replaced by values of the wrong type, huge numbers or nested junk,
 * random bytes, and truncated JSON.
 */
public final class JsonArbitraries {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final List<String> ODD_NUMBERS = List.of("0", "-0", "-5", "0.0", "3600.0", "3600.5", "1e17", "1E400",
			"-1e-400", "1e308", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
			"18446744073709551616", "123456789012345678901234567890", "2147483647", "2147483648", "0.000001");

	private static final List<String> ODD_STRINGS = List.of("", " ", "3600", " 60 ", "-5", "0", "1e17",
			"18446744073709551616", "abc", "Bearer", "null", "\u0000", "a\r\nb", "é", "x.y.z", "a.e30.b",
			"eyJhbGciOiJub25lIn0.eyJleHAiOjF9.", "eyJhbGciOiJub25lIn0.eyJleHAiOjk5OTk5OTk5OTk5OX0.",
			"eyJhbGciOiJub25lIn0.eyJleHAiOjE3OTk5OTk5OTl9.c2ln", "OK", "UNKNOWN", "AUTHORIZATION_CODE");

	private JsonArbitraries() {
	}

	/**
	 * Return JSON text of a string.
	 * @param value the string
	 * @return the JSON string literal
	 */
	public static String quote(String value) {
		return json.writeValueAsString(value);
	}

	/**
	 * Return JSON scalars: null, booleans, numbers of every size and form, and strings
	 * (random ones, and ones that look like numbers, tokens or enum names).
	 * @return the scalars as JSON text
	 */
	public static Arbitrary<String> scalar() {
		return Arbitraries.oneOf(Arbitraries.of("null", "true", "false"), Arbitraries.longs().map(String::valueOf),
				Arbitraries.integers().between(-3, 5).map(String::valueOf), Arbitraries.doubles().map(String::valueOf),
				Arbitraries.of(ODD_NUMBERS), Arbitraries.of(ODD_STRINGS).map(JsonArbitraries::quote),
				Arbitraries.strings().all().ofMaxLength(20).map(JsonArbitraries::quote));
	}

	/**
	 * Return JSON values nested up to the given depth.
	 * @param depth the depth of arrays and objects
	 * @param keys the member names objects use, besides random ones
	 * @return the values as JSON text
	 */
	public static Arbitrary<String> value(int depth, List<String> keys) {
		if (depth <= 0) {
			return scalar();
		}
		Arbitrary<String> inner = value(depth - 1, keys);
		Arbitrary<String> array = inner.list().ofMaxSize(3).map((elements) -> "[" + String.join(",", elements) + "]");
		return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, scalar()), net.jqwik.api.Tuple.of(1, array),
				net.jqwik.api.Tuple.of(1, object(depth - 1, keys)));
	}

	/**
	 * Return JSON objects whose members are named from {@code keys} or at random.
	 * @param depth the depth of the member values
	 * @param keys the member names to use most
	 * @return the objects as JSON text
	 */
	public static Arbitrary<String> object(int depth, List<String> keys) {
		Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(keys), Arbitraries.of(keys),
				Arbitraries.strings().ofMaxLength(8));
		Arbitrary<String> member = Combinators.combine(key, value(depth, keys))
			.as((name, value) -> quote(name) + ":" + value);
		return member.list().ofMaxSize(8).map((members) -> "{" + String.join(",", members) + "}");
	}

	/**
	 * Return a valid object with members replaced, removed or added: values of the wrong
	 * type, huge numbers, nested junk.
	 * @param valid the valid object's members, as JSON text by name
	 * @param keys the member names to mutate most
	 * @return the mutated objects as JSON text
	 */
	public static Arbitrary<String> mutated(Map<String, String> valid, List<String> keys) {
		Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(keys), Arbitraries.of(new ArrayList<>(valid.keySet())),
				Arbitraries.strings().alpha().ofMaxLength(6));
		Arbitrary<Mutation> mutation = Combinators.combine(key, value(2, keys), Arbitraries.integers().between(0, 5))
			.as(Mutation::new);
		return mutation.list().ofMinSize(1).ofMaxSize(3).map((mutations) -> {
			Map<String, String> members = new LinkedHashMap<>(valid);
			for (Mutation each : mutations) {
				if (each.kind == 0) {
					members.remove(each.key);
				}
				else {
					members.put(each.key, each.value);
				}
			}
			List<String> text = new ArrayList<>();
			members.forEach((name, value) -> text.add(quote(name) + ":" + value));
			return "{" + String.join(",", text) + "}";
		});
	}

	/**
	 * Return random bytes decoded as UTF-8.
	 * @return the text
	 */
	public static Arbitrary<String> randomBytes() {
		return Arbitraries.bytes()
			.array(byte[].class)
			.ofMaxSize(80)
			.map((bytes) -> new String(bytes, StandardCharsets.UTF_8));
	}

	/**
	 * Return a text cut short at every possible length.
	 * @param text the whole text
	 * @return the truncated texts
	 */
	public static Arbitrary<String> truncated(String text) {
		return Arbitraries.integers().between(0, text.length() - 1).map((length) -> text.substring(0, length));
	}

	private record Mutation(String key, String value, int kind) {
	}

}
