package dev.ippool.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A yardstick server ({@link FanOutCeiling}, {@link ProxyCeiling}) in its own JVM, started like the service (the
 * image's JVM options and the Deployment's memory limit) from the harness classes and the service's libraries,
 * ready once it prints {@code listening}.
 */
final class Sidecar implements AutoCloseable {

    private final Process process;
    private final String url;
    private final long startedNanos;
    private final HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Sidecar(Process process, String url, long startedNanos) {
        this.process = process;
        this.url = url;
        this.startedNanos = startedNanos;
    }

    /** Starts {@code main} with a free port as its first argument, then {@code args}; waits until it listens. */
    static Sidecar start(Class<?> main, String... args) throws Exception {
        int port = dev.ippool.apiserver.storage.etcd.EtcdProcess.freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(Service.JVM_OPTIONS);
        command.addAll(List.of("-cp", classPath(), main.getName(), Integer.toString(port)));
        command.addAll(List.of(args));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Sidecar sidecar = new Sidecar(process, "http://127.0.0.1:" + port, started);
        // libraries may log first (SLF4J finds the service's JBoss provider unusable outside Quarkus)
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder before = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.equals("listening")) {
                return sidecar;
            }
            before.append(line).append('\n');
        }
        sidecar.close();
        throw new IllegalStateException(main.getSimpleName() + " did not start:\n" + before);
    }

    String url() {
        return url;
    }

    long pid() {
        return process.pid();
    }

    /** Polls {@code path} until it answers 200; returns the milliseconds since the process was started. */
    double awaitOk(String path) throws Exception {
        return Service.awaitOk(process, startedNanos, probe, url + path, null);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    /**
     * The harness's classes and the service's own libraries (the packaged {@code lib/main}): the same jars as the
     * service, no more (the test class path holds hundreds, which slowed a start by a third).
     */
    private static String classPath() throws Exception {
        List<String> entries = new ArrayList<>();
        entries.add(Path.of(Sidecar.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        Path libs = Service.JAR.resolveSibling("lib").resolve("main");
        try (var jars = java.nio.file.Files.list(libs)) {
            jars.map(Path::toString).filter(j -> j.endsWith(".jar")).sorted().forEach(entries::add);
        }
        return String.join(java.io.File.pathSeparator, entries);
    }
}
