package dev.ippool.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.storage.etcd.EtcdProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmark ({@code ./mvnw -Pbench verify}; {@code -Dbench.quick=true} for a short run): a private etcd, the
 * packaged service started as deployed (production profile, token file, RBAC, audit log to a file, mutating
 * in-flight limit 512) in its own JVM, and this JVM as the load generator. Writes target/bench/results.json and
 * results.md.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Boolean.getBoolean("bench.quick");
        long warmup = Long.getLong("bench.warmup.ms", quick ? 2_000 : 10_000);
        long measure = Long.getLong("bench.measure.ms", quick ? 4_000 : 20_000);
        Path out = Path.of(System.getProperty("bench.out", "target/bench"));
        Path work = Files.createTempDirectory("ippool-bench-");
        String token = "bench-" + Instant.now().toEpochMilli();
        Files.writeString(work.resolve("tokens.csv"), token + ",bench,1,\"system:masters\"\n");
        try (EtcdProcess etcd = EtcdProcess.startTemporary()) {
            int port = EtcdProcess.freePort();
            int management = EtcdProcess.freePort();
            Map<String, String> env = Map.of("ETCD_ENDPOINTS", etcd.clientUrl(),
                    "QUARKUS_HTTP_PORT", Integer.toString(port),
                    "QUARKUS_MANAGEMENT_PORT", Integer.toString(management),
                    "IPPOOL_AUTH_TOKEN_FILE", work.resolve("tokens.csv").toString(),
                    "IPPOOL_AUTH_RBAC_FILE", Path.of("k8s/base/rbac-policy.yaml").toAbsolutePath().toString(),
                    "IPPOOL_AUDIT_FILE", work.resolve("audit.log").toString(),
                    "IPPOOL_LIMITS_MAX_MUTATING_IN_FLIGHT", "512",
                    "IPPOOL_LIMITS_MAX_READONLY_IN_FLIGHT", "1024",
                    "IPPOOL_ETCD_COMPACTION_INTERVAL", "10s");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-jar", "target/quarkus-app/quarkus-run.jar"));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve("service.log").toFile());
            pb.environment().putAll(env);
            Process service = pb.start();
            try {
                String url = "http://127.0.0.1:" + port;
                awaitReady(url);
                ObjectNode config = new ObjectMapper().createObjectNode();
                env.forEach((k, v) -> config.put(k, k.contains("TOKEN") ? "(file)" : v));
                config.put("profile", "prod").put("warmupMillis", warmup).put("measureMillis", measure)
                        .put("etcd", "etcd " + etcdVersion());
                Results results = new Results(config);
                new Scenarios(etcd.clientUrl(), url, token, warmup, measure, results, Integer.MAX_VALUE).run();
                results.write(out);
                System.out.println(results.table());
            } finally {
                service.destroy();
                service.waitFor();
            }
        }
    }

    private static void awaitReady(String url) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/readyz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the service did not become ready in 60 s");
    }

    private static String etcdVersion() {
        try {
            Process p = new ProcessBuilder("etcd", "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
            p.waitFor();
            return v.replace("etcd Version: ", "");
        } catch (Exception e) {
            return "unknown";
        }
    }
}
