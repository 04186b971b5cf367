package dev.ippool.bench;

import dev.ippool.apiserver.storage.etcd.EtcdProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * B9's second yardstick: {@code src/bench/quarkus-floor}, Quarkus with the service's extensions and settings that
 * shape a start, answering one JSON GET and nothing else. It starts as the service does in B9: the image's JVM
 * options, the Deployment's memory limit, and a class-data archive trained on a start of its own first. Its time
 * to the first answer is what this stack costs on this machine before any of the service's code runs.
 */
final class QuarkusFloor {

    static final Path JAR = Path.of("target/quarkus-floor/quarkus-app/quarkus-run.jar");
    private static final String GET = "/pools/floor";

    private final Path work;
    private final HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    QuarkusFloor(Path work) {
        this.work = work;
    }

    /**
     * Builds the application with the project's Maven wrapper and the service's Quarkus version (the pom passes it
     * as a system property). Its artifacts are the service's own, already in the local repository.
     */
    void build() throws Exception {
        String version = System.getProperty("bench.quarkus.version", "");
        if (version.isBlank()) {
            throw new IllegalStateException("bench.quarkus.version is not set: run the benchmark through Maven");
        }
        List<String> command = new ArrayList<>(List.of("./mvnw", "-B", "-q", "-f", "src/bench/quarkus-floor/pom.xml",
                "package", "-Dmaven.test.skip=true", "-Dquarkus.platform.version=" + version));
        Path log = work.resolve("quarkus-floor-build.log");
        Process maven = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!maven.waitFor(10, TimeUnit.MINUTES) || maven.exitValue() != 0 || !Files.isRegularFile(JAR)) {
            maven.destroyForcibly();
            throw new IllegalStateException("building src/bench/quarkus-floor failed: see " + log);
        }
    }

    /** Trains the class-data archive the measured starts map, on a start of the floor's own. */
    void train() throws Exception {
        Files.deleteIfExists(archive());
        // as src/main/docker/train-cds.sh trains the service's: a start, its probes, metrics and a first GET
        try (Started training = start("-XX:ArchiveClassesAtExit=" + archive())) {
            training.awaitOk(GET);
            training.send(training.management + "/q/health/ready");
            training.send(training.management + "/q/metrics");
        }
        if (!Files.isRegularFile(archive())) {
            throw new IllegalStateException("the floor's training start wrote no archive: see "
                    + work.resolve("quarkus-floor.log"));
        }
    }

    /** One start with the archive {@link #train} wrote: the milliseconds to its first answer. */
    double start() throws Exception {
        double millis;
        try (Started started = start("-XX:SharedArchiveFile=" + archive())) {
            millis = started.awaitOk(GET);
        }
        if (Files.readString(work.resolve("quarkus-floor.log")).contains("Unable to use shared archive")) {
            throw new IllegalStateException("a floor start did not map its archive: see quarkus-floor.log");
        }
        return millis;
    }

    private Path archive() {
        return work.resolve("quarkus-floor-cds.jsa");
    }

    private Started start(String archiveOption) throws Exception {
        int port = EtcdProcess.freePort();
        int management = EtcdProcess.freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(Service.JVM_OPTIONS);
        command.addAll(List.of(archiveOption, "-jar", JAR.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("quarkus-floor.log").toFile()));
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(management));
        long started = System.nanoTime();
        return new Started(pb.start(), started, "http://127.0.0.1:" + port, "http://127.0.0.1:" + management);
    }

    /** One running start; closing it stops the JVM the way a container stop does (SIGTERM), and waits. */
    private final class Started implements AutoCloseable {
        private final Process process;
        private final long startedNanos;
        private final String url;
        private final String management;

        Started(Process process, long startedNanos, String url, String management) {
            this.process = process;
            this.startedNanos = startedNanos;
            this.url = url;
            this.management = management;
        }

        double awaitOk(String path) throws Exception {
            return Service.awaitOk(process, startedNanos, probe, url + path, null);
        }

        void send(String address) throws Exception {
            probe.send(HttpRequest.newBuilder(URI.create(address)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }
}
