package dev.ippool.apiserver.storage.etcd;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private single-member etcd on free loopback ports, for dev mode and tests: never 2379, never a shared data
 * directory. Uses the {@code etcd} binary on PATH (Debian's {@code etcd-server}).
 */
public final class EtcdProcess implements AutoCloseable {

    public static final String INSTALL_HINT =
            "etcd not found on PATH: install it with `apt-get install etcd-server` (Debian/Ubuntu), then retry";

    private Process process;
    private final Path dataDir;
    private final boolean deleteDataDir;
    private final String clientUrl;

    private EtcdProcess(Process process, Path dataDir, boolean deleteDataDir, String clientUrl) {
        this.process = process;
        this.dataDir = dataDir;
        this.deleteDataDir = deleteDataDir;
        this.clientUrl = clientUrl;
    }

    /** Starts etcd with its data in a new temporary directory that {@link #close()} deletes. */
    public static EtcdProcess startTemporary() {
        return startTemporary(List.of());
    }

    /** As {@link #startTemporary()}, with more etcd flags (the benchmark raises {@code --max-request-bytes}). */
    public static EtcdProcess startTemporary(List<String> extraArgs) {
        try {
            return start(Files.createTempDirectory("ippool-etcd-"), true, extraArgs);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a data directory for etcd", e);
        }
    }

    /** Starts etcd with its data under {@code dataDir}, which is kept on close. */
    public static EtcdProcess startIn(Path dataDir) {
        return start(dataDir, false, List.of());
    }

    private static EtcdProcess start(Path dataDir, boolean deleteDataDir, List<String> extraArgs) {
        String binary = findOnPath("etcd", System.getenv().getOrDefault("PATH", ""));
        IllegalStateException last = null;
        // Free ports can be taken between probing and binding; a couple of attempts cover that race.
        for (int attempt = 0; attempt < 3; attempt++) {
            int clientPort = freePort();
            int peerPort = freePort();
            String clientUrl = "http://127.0.0.1:" + clientPort;
            String peerUrl = "http://127.0.0.1:" + peerPort;
            try {
                Files.createDirectories(dataDir);
                Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
                List<String> command = new java.util.ArrayList<>(List.of(binary,
                        "--name", "ippool",
                        "--data-dir", dataDir.resolve("member-data").toString(),
                        "--listen-client-urls", clientUrl,
                        "--advertise-client-urls", clientUrl,
                        "--listen-peer-urls", peerUrl,
                        "--initial-advertise-peer-urls", peerUrl,
                        "--initial-cluster", "ippool=" + peerUrl,
                        // room for the benchmark's large pools; the service compacts, etcd does not on its own
                        "--quota-backend-bytes", "8589934592",
                        "--logger", "zap", "--log-level", "error"));
                command.addAll(extraArgs);
                Process process = launch(command, log);
                EtcdProcess etcd = new EtcdProcess(process, dataDir, deleteDataDir, clientUrl);
                etcd.command = command;
                etcd.log = log;
                if (etcd.awaitHealthy(Duration.ofSeconds(30))) {
                    return etcd;
                }
                process.destroyForcibly();
                last = new IllegalStateException("etcd did not become healthy on " + clientUrl + "; see " + log);
            } catch (IOException e) {
                last = new IllegalStateException("cannot start etcd", e);
            }
        }
        throw last;
    }

    private List<String> command;
    private Path log;

    private static Process launch(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Stops etcd and starts it again on the same ports and data: what an etcd restart looks like to clients. */
    public void restart() {
        stop();
        start();
    }

    /** Stops etcd (the data stays); {@link #start} brings it back. */
    public void stop() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a stopped etcd again on the same ports and data, and waits until it is healthy. */
    public void start() {
        try {
            process = launch(command, log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart etcd", e);
        }
        if (!awaitHealthy(Duration.ofSeconds(30))) {
            throw new IllegalStateException("etcd did not come back on " + clientUrl);
        }
    }

    public String clientUrl() {
        return clientUrl;
    }

    /** The running etcd's process id (the benchmark reads its CPU time). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (deleteDataDir) {
            deleteRecursively(dataDir);
            deleteRecursively(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
        }
    }

    private boolean awaitHealthy(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(clientUrl + "/health"))
                .timeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"true\"")) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The executable {@code name} in a PATH-style list of directories, or the install hint as an error. */
    static String findOnPath(String name, String path) {
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(INSTALL_HINT);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temp directory is harmless
        }
    }
}
