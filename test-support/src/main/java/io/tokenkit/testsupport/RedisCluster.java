package io.tokenkit.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * Starts a three-master Redis Cluster of real {@code redis-server}s (the Debian package
 * {@code redis-server}, as {@link RedisServer}) on free loopback ports for the tests of
 * one class: each node in a temporary folder of its own, no persistence, joined by
 * {@code redis-cli --cluster create} with no replicas, ready once every node reports
 * {@code cluster_state:ok}. Afterwards it stops the nodes and deletes their folders.
 */
public final class RedisCluster implements BeforeAllCallback, AfterAllCallback {

	private static final int NODES = 3;

	private final List<Process> processes = new ArrayList<>();

	private final List<Integer> ports = new ArrayList<>();

	private Path directory;

	/**
	 * Return the ports of the masters.
	 * @return the ports
	 */
	public List<Integer> ports() {
		return List.copyOf(this.ports);
	}

	/**
	 * Return the nodes as {@code spring.data.redis.cluster.nodes} takes them.
	 * @return {@code 127.0.0.1:port} of each master, comma-separated
	 */
	public String nodes() {
		return this.ports.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		this.directory = Files.createTempDirectory("tokenkit-redis-cluster");
		String server = findExecutable("redis-server");
		for (int i = 0; i < NODES; i++) {
			int port = freePort();
			Path node = Files.createDirectory(this.directory.resolve(Integer.toString(port)));
			this.ports.add(port);
			this.processes.add(new ProcessBuilder(server, "--port", Integer.toString(port), "--bind", "127.0.0.1",
					"--cluster-enabled", "yes", "--cluster-config-file", node.resolve("nodes.conf").toString(), "--dir",
					node.toString(), "--appendonly", "no", "--save", "")
				.redirectErrorStream(true)
				.redirectOutput(node.resolve("server.log").toFile())
				.start());
		}
		for (int port : this.ports) {
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
				try (Socket socket = new Socket("127.0.0.1", port)) {
					return true;
				}
			});
		}
		List<String> create = new ArrayList<>(List.of(findExecutable("redis-cli"), "--cluster", "create"));
		this.ports.forEach((port) -> create.add("127.0.0.1:" + port));
		create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
		Process creating = new ProcessBuilder(create).redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("create.log").toFile())
			.start();
		if (!creating.waitFor(30, TimeUnit.SECONDS) || creating.exitValue() != 0) {
			creating.destroyForcibly();
			throw new IOException("redis-cli --cluster create failed: "
					+ Files.readString(this.directory.resolve("create.log"), StandardCharsets.UTF_8));
		}
		for (int port : this.ports) {
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> cli(port, "cluster", "info").contains("cluster_state:ok"));
		}
	}

	/**
	 * Run a {@code redis-cli} command against one node.
	 * @param port the node's port
	 * @param arguments the command and its arguments
	 * @return what it printed
	 * @throws Exception if it cannot be run
	 */
	public String cli(int port, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(
				List.of(findExecutable("redis-cli"), "-h", "127.0.0.1", "-p", Integer.toString(port)));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor(10, TimeUnit.SECONDS);
		return output;
	}

	/**
	 * Return the port of the master that serves a key's slot.
	 * @param key the key
	 * @return the master's port
	 * @throws Exception if the nodes cannot be asked
	 */
	public int masterOf(String key) throws Exception {
		int slot = Integer.parseInt(cli(this.ports.get(0), "cluster", "keyslot", key).trim());
		for (String line : cli(this.ports.get(0), "cluster", "nodes").split("\n")) {
			String[] fields = line.trim().split(" ");
			if (fields.length < 9 || !fields[2].contains("master")) {
				continue;
			}
			for (int i = 8; i < fields.length; i++) {
				String[] range = fields[i].split("-");
				int from = Integer.parseInt(range[0]);
				int to = (range.length > 1) ? Integer.parseInt(range[1]) : from;
				if (slot >= from && slot <= to) {
					String address = fields[1].split("@")[0];
					return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
				}
			}
		}
		throw new IllegalStateException("No master serves slot " + slot);
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		for (Process process : this.processes) {
			process.destroy();
		}
		for (Process process : this.processes) {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		this.processes.clear();
		if (this.directory != null) {
			try (Stream<Path> files = Files.walk(this.directory)) {
				files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
		}
	}

	private static int freePort() throws IOException {
		// a cluster node also listens on its port + 10000
		while (true) {
			try (ServerSocket socket = new ServerSocket(0)) {
				int port = socket.getLocalPort();
				if (port + 10_000 <= 65_535) {
					try (ServerSocket bus = new ServerSocket(port + 10_000)) {
						return port;
					}
					catch (IOException ex) {
						// the bus port is taken: try another
					}
				}
			}
		}
	}

	private static String findExecutable(String name) throws IOException {
		for (String candidate : new String[] { "/usr/bin/" + name, "/usr/local/bin/" + name }) {
			if (new File(candidate).canExecute()) {
				return candidate;
			}
		}
		throw new IOException(name
				+ " is not installed: run 'apt-get install redis-server' (the build does before the tests: ./mvnw -B test)");
	}

}
