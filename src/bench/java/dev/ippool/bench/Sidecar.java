package dev.ippool.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A yardstick server ({@link FanOutCeiling}, {@link ProxyCeiling}) in its own JVM, started like the service (the
 * Deployment's memory flags) from this harness's class path, ready once it prints {@code listening}.
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
                .toString(), "-XX:MaxRAM=1g", "-XX:MaxRAMPercentage=75", "-cp", classPath(), main.getName(),
                Integer.toString(port)));
        command.addAll(List.of(args));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Sidecar sidecar = new Sidecar(process, "http://127.0.0.1:" + port, started);
        String first = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (!"listening".equals(first)) {
            sidecar.close();
            throw new IllegalStateException(main.getSimpleName() + " did not start: " + first);
        }
        return sidecar;
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

    /** This harness's class path: under {@code exec:java} the classes come from a loader, not the JVM's own path. */
    private static String classPath() {
        List<String> entries = new ArrayList<>();
        for (ClassLoader l = Sidecar.class.getClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof java.net.URLClassLoader urls) {
                for (java.net.URL u : urls.getURLs()) {
                    entries.add(Path.of(URI.create(u.toString())).toString());
                }
            }
        }
        entries.add(System.getProperty("java.class.path"));
        return String.join(java.io.File.pathSeparator, entries);
    }
}
