package dev.ippool.bench;

import dev.ippool.apiserver.storage.etcd.EtcdProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) started as deployed, in its own JVM: production
 * profile, token file, the shipped RBAC policy, audit log to a file, the image's JVM options (the same argument
 * file its entrypoint reads), and the Deployment's 1 GiB memory limit as the JVM would see it in the container
 * ({@code -XX:MaxRAM=1g}).
 */
final class Service implements AutoCloseable {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    /** The JVM options of the image (Dockerfile.jvm's entrypoint reads this file as {@code java @jvm.options}). */
    static final Path OPTIONS_FILE = Path.of("src/main/docker/jvm.options");
    /** The image's JVM options, and the Deployment's 1 GiB memory limit as the JVM would see it in the container. */
    static final List<String> JVM_OPTIONS = jvmOptions();

    private final Process process;
    private final Map<String, String> env;
    private final int port;
    private final int management;
    private final long startedNanos;
    private final HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The container's memory limit, then the argument file's options as the java launcher reads them. */
    private static List<String> jvmOptions() {
        List<String> options = new java.util.ArrayList<>(List.of("-XX:MaxRAM=1g"));
        try {
            for (String line : Files.readAllLines(OPTIONS_FILE)) {
                String flags = line.replaceFirst("#.*", "").trim();
                if (!flags.isEmpty()) {
                    options.addAll(List.of(flags.split("\\s+")));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the benchmark runs from the project's root: " + OPTIONS_FILE, e);
        }
        return List.copyOf(options);
    }

    private Service(Process process, Map<String, String> env, int port, int management, long startedNanos) {
        this.process = process;
        this.env = env;
        this.port = port;
        this.management = management;
        this.startedNanos = startedNanos;
    }

    /** The deployed configuration against {@code etcdUrl}, with {@code extra} settings on top. */
    static Map<String, String> deployed(String etcdUrl, Path work, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("ETCD_ENDPOINTS", etcdUrl,
                "IPPOOL_AUTH_TOKEN_FILE", work.resolve("tokens.csv").toString(),
                "IPPOOL_AUTH_RBAC_FILE", Path.of("k8s/base/rbac-policy.yaml").toAbsolutePath().toString(),
                "IPPOOL_AUDIT_FILE", work.resolve("audit.log").toString(),
                "IPPOOL_LIMITS_MAX_MUTATING_IN_FLIGHT", "512",
                "IPPOOL_LIMITS_MAX_READONLY_IN_FLIGHT", "1024",
                "IPPOOL_ETCD_COMPACTION_INTERVAL", "10s"));
        env.putAll(extra);
        return env;
    }

    /** Starts the service; returns once the process runs (see {@link #awaitReady}). */
    static Service start(Map<String, String> env, Path log) throws IOException {
        return start(env, log, List.of());
    }

    /** As above, with JVM options added to the deployed ones. */
    static Service start(Map<String, String> env, Path log, List<String> jvmOptions) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the benchmark runs the packaged service "
                    + "(./mvnw -Pbench verify packages it first)");
        }
        int port = EtcdProcess.freePort();
        int management = EtcdProcess.freePort();
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString()));
        command.addAll(JVM_OPTIONS);
        // e.g. -Dbench.service.jvm="-XX:StartFlightRecording=filename=service.jfr" to profile the service
        command.addAll(jvmOptions);
        String extra = System.getProperty("bench.service.jvm", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(management));
        long started = System.nanoTime();
        return new Service(pb.start(), env, port, management, started);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Map<String, String> env() {
        return env;
    }

    /** Waits for /readyz; returns the milliseconds since the process was started. */
    double awaitReady() throws Exception {
        return awaitOk(url() + "/readyz", null);
    }

    /** Polls {@code url} (with the token) until it answers 200; returns the milliseconds since the start. */
    double awaitOk(String url, String token) throws Exception {
        return awaitOk(process, startedNanos, probe, url, token);
    }

    /** Polls {@code url} until it answers 200 while {@code process} runs; returns the ms since {@code startedNanos}. */
    static double awaitOk(Process process, long startedNanos, HttpClient probe, String url, String token)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the process exited with " + process.exitValue());
            }
            try {
                HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
                if (token != null) {
                    r.header("Authorization", "Bearer " + token);
                }
                if (probe.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - startedNanos) / 1e6;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(url + " did not answer 200 in 90 s");
    }

    /** Resident set size of the service's process, from /proc. */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + process.pid());
    }

    /** CPU time the service's process has used so far (user + system), from /proc. */
    double cpuSeconds() throws IOException {
        return cpuSeconds(process.pid());
    }

    long pid() {
        return process.pid();
    }

    /**
     * CPU time the JIT compiler threads of JVM {@code pid} have used so far, from /proc (0 for a process without
     * them, such as etcd). On 2 cores C2 compiling a server's hot paths takes tens of seconds of CPU under load.
     */
    static double jitCpuSeconds(long pid) throws IOException {
        double seconds = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    seconds += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
                }
            }
        }
        return seconds;
    }

    /** CPU time process {@code pid} has used so far (user + system), from /proc. */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields 14 and 15 of stat (utime, stime), counted after the command name; clock ticks are 100 Hz
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** Live heap: a full GC in the service (jcmd), then the heap the JVM reports on /metrics. */
    double heapAfterGcBytes() throws Exception {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor();
        return metric("jvm_memory_used_bytes{area=\"heap\"");
    }

    /** The sum of every series of a metric whose line starts with {@code prefix} on the management /metrics. */
    double metric(String prefix) throws Exception {
        String text = probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
