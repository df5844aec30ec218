package io.tokenkit.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenParameters;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The Redis key layout: a hash tag per user of a registration, a parameter segment, and
 * registration ids that hold braces.
 */
class StoreKeysTests {

	private final StoreKeys keys = new StoreKeys("tokenkit:",
			new SubjectHasher("subject-key-0123456789abcdef0123456789".getBytes(StandardCharsets.UTF_8)));

	@Test
	void redisKeyWhenUserOrApplicationTokenThenHashTagAndParameterSegment() {
		String user = this.keys.redisKey(TokenKey.of("bank", "customer-42"));
		assertThat(user).matches("tokenkit:\\{bank:[0-9a-f]{64}}:-").doesNotContain("customer-42");
		assertThat(this.keys.redisKey(TokenKey.of("orders"))).isEqualTo("tokenkit:{orders}:-");
		assertThat(this.keys.previousLayoutKey(TokenKey.of("orders"))).isEqualTo("tokenkit:orders");
		assertThat(this.keys.previousLayoutKey(TokenKey.of("bank", "customer-42")))
			.isEqualTo("tokenkit:bank:" + user.substring("tokenkit:{bank:".length(), user.length() - "}:-".length()));
		assertThat(this.keys.channel()).isEqualTo("tokenkit:changes");
	}

	@Test
	void redisKeyWhenParametersDifferThenSameSlotForOneUserOfOneRegistration() {
		TokenKey customer = TokenKey.of("bank", "customer-42");
		int slot = slot(this.keys.redisKey(customer));
		for (String parameters : List.of("scope=accounts", "aud=https://api.example.com", "a1b2c3", "-")) {
			assertThat(slot(this.keys.redisKey(customer, parameters))).as(parameters).isEqualTo(slot);
		}
		assertThat(slot(this.keys.redisKey(TokenKey.of("orders"), "scope=orders.read")))
			.isEqualTo(slot(this.keys.redisKey(TokenKey.of("orders"))));
	}

	@Test
	void redisKeyWhenParametersThenTheirHashedCanonicalFormInOneSlotWithTheSubjectsSetOfSegments() {
		TokenKey customer = TokenKey.of("bank", "customer-42");
		TokenKey ab = customer.withParameters(TokenParameters.scopes("accounts.read", "payments"));
		TokenKey ba = customer.withParameters(TokenParameters.scopes("payments", "accounts.read"));
		String redisKey = this.keys.redisKey(ab);
		assertThat(redisKey).isEqualTo(this.keys.redisKey(ba))
			.matches("tokenkit:\\{bank:[0-9a-f]{64}}:[0-9a-f]{64}")
			.doesNotContain("accounts")
			.doesNotContain("customer-42")
			.isNotEqualTo(this.keys.redisKey(customer.withParameters(TokenParameters.scopes("accounts.read"))));
		assertThat(slot(redisKey)).isEqualTo(slot(this.keys.redisKey(customer)));
		assertThat(this.keys.redisKey(customer)).as("keys without parameters keep their name").endsWith("}:-");
		assertThat(this.keys.segment(TokenParameters.NONE)).isEqualTo("-");
		String sets = this.keys.parameterSets("bank", "customer-42");
		assertThat(sets).isEqualTo(this.keys.redisKey(customer, "parameters"));
		assertThat(slot(sets)).isEqualTo(slot(redisKey));
		assertThat(this.keys.parameterSets("orders", null)).isEqualTo("tokenkit:{orders}:parameters");
		assertThat(this.keys.previousLayoutKey(ab)).as("no key with parameters had an older name").isNull();
		assertThat(this.keys.unkeyedKeys(ab)).singleElement()
			.asString()
			.endsWith("}:" + new SubjectHasher(null).hash(ab.parameters().canonical()));
	}

	@Test
	void redisKeyWhenManySubjectsOfOneRegistrationThenSpreadOverSlots() {
		Set<Integer> slots = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			slots.add(slot(this.keys.redisKey(TokenKey.of("bank", "customer-" + i))));
		}
		// 200 random slots out of 16384 coincide only a few times
		assertThat(slots).hasSizeGreaterThan(190);
	}

	@Test
	void redisKeyWhenRegistrationIdHoldsBracesThenTheyAreEncodedAndTheTagStaysWhole() {
		TokenKey braces = TokenKey.of("a}b{c", "customer-42");
		String key = this.keys.redisKey(braces);
		assertThat(key).startsWith("tokenkit:{a%7Db%7Bc:").endsWith("}:-");
		String tag = key.substring(key.indexOf('{') + 1, key.indexOf('}'));
		assertThat(tag).startsWith("a%7Db%7Bc:").hasSize("a%7Db%7Bc:".length() + 64);
		assertThat(slot(key)).isEqualTo(slot(this.keys.redisKey(braces, "scope=x")));
		// an id that looks like an encoded one is another key
		assertThat(this.keys.redisKey(TokenKey.of("a%7Db%7Bc", "customer-42"))).isNotEqualTo(key);
		assertThat(this.keys.redisKey(TokenKey.of("{orders}"))).isEqualTo("tokenkit:{%7Borders%7D}:-");
	}

	@Test
	void previousLayoutKeyWhenRegistrationIdStartsWithABraceThenNoneSoThatNoCurrentNameIsTakenForAnOldOne() {
		assertThat(this.keys.previousLayoutKey(TokenKey.of("{orders}:-"))).isNull();
		assertThat(this.keys.previousLayoutKey(TokenKey.of("{bank", "customer-42"))).isNull();
		assertThat(this.keys.unkeyedKeys(TokenKey.of("{bank", "customer-42"))).hasSize(1)
			.allMatch((name) -> name.startsWith("tokenkit:{"));
		assertThat(this.keys.previousLayoutKey(TokenKey.of("or{ders}"))).isEqualTo("tokenkit:or{ders}");
	}

	@Test
	void redisKeyWhenApplicationIdIsAUserNameThenAnotherName() {
		TokenKey user = TokenKey.of("bank", "customer-42");
		String name = this.keys.redisKey(user);
		String tag = name.substring("tokenkit:{".length(), name.length() - "}:-".length());
		assertThat(this.keys.redisKey(TokenKey.of(tag))).isNotEqualTo(name)
			.isEqualTo("tokenkit:{bank%3A" + tag.substring(5) + "}:-");
	}

	@Test
	void redisKeyWhenIdsAndSubjectsHoldEncodingAndTagCharactersThenTwoKeysNeverShareANameAndTheTagStaysWhole() {
		String alphabet = "ab%{}:7BD253A";
		Random random = new Random(17);
		Map<String, TokenKey> names = new HashMap<>();
		for (int i = 0; i < 20_000; i++) {
			StringBuilder id = new StringBuilder();
			for (int n = 1 + random.nextInt(6); n > 0; n--) {
				id.append(alphabet.charAt(random.nextInt(alphabet.length())));
			}
			String subject = switch (random.nextInt(3)) {
				case 0 -> null;
				case 1 -> "s" + random.nextInt(4);
				default -> id.toString();
			};
			TokenKey key = (subject != null) ? TokenKey.of(id.toString(), subject) : TokenKey.of(id.toString());
			String name = this.keys.redisKey(key);
			TokenKey before = names.putIfAbsent(name, key);
			assertThat(before).as(name)
				.satisfiesAnyOf((other) -> assertThat(other).isNull(), (other) -> assertThat(other).isEqualTo(key));
			assertThat(name.indexOf('}')).as(name).isEqualTo(name.length() - "}:-".length());
			assertThat(name.lastIndexOf('{')).as(name).isEqualTo("tokenkit:".length());
		}
	}

	@Test
	void storeWhenKeyPrefixHoldsABraceThenRefused() {
		for (String prefix : List.of("app{1}:", "app}:", "{")) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new RedisTokenStore(new ReactiveStringRedisTemplate(new LettuceConnectionFactory()),
						prefix, Clock.systemUTC()))
				.withMessageContaining("keyPrefix");
		}
	}

	private static int slot(String key) {
		return SlotHash.getSlot(key);
	}

}
