package dev.ippool.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.storage.etcd.EtcdProcess;
import dev.ippool.apiserver.support.Scratch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * The benchmark ({@code ./mvnw -Pbench verify}; {@code -Dbench.quick=true} for short windows,
 * {@code -Dbench.only=B5-B6} for some groups of scenarios): a private etcd, the
 * packaged service started as deployed in its own JVM, and this JVM as the load generator. Writes
 * target/bench/results.json and results.md.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Mode mode = Mode.fromSystemProperties();
        Results results = run(mode, Path.of(System.getProperty("bench.out", "target/bench")));
        System.out.println(results.table());
    }

    /**
     * Runs every scenario in {@code mode}; writes the results under {@code out} and returns them. The service's
     * token file, log, audit log (about 1 GB after a full run) and B9's archives go to {@code out/work}, emptied
     * first: beside the results they describe, and removed by {@code ./mvnw clean} rather than left in /tmp.
     */
    static Results run(Mode mode, Path out) throws Exception {
        Path work = out.resolve("work").toAbsolutePath();
        Scratch.delete(work);
        Files.createDirectories(work);
        String token = "bench-" + Instant.now().toEpochMilli();
        Files.writeString(work.resolve("tokens.csv"), token + ",bench,1,\"system:masters\"\n");
        try (EtcdProcess etcd = EtcdProcess.startTemporary();
                Service service = Service.start(Service.deployed(etcd.clientUrl(), work, Map.of()),
                        work.resolve("service.log"))) {
            service.awaitReady();
            ObjectNode config = new ObjectMapper().createObjectNode();
            service.env().forEach((k, v) -> config.put(k, k.contains("TOKEN") ? "(file)" : v));
            config.put("jvmOptions", String.join(" ", Service.JVM_OPTIONS)).put("profile", "prod")
                    .put("mode", mode.name()).put("warmupMillis", mode.warmupMillis())
                    .put("measureMillis", mode.measureMillis()).put("etcd", "etcd " + etcdVersion())
                    .put("workDirectory", work.toString());
            Results results = new Results(config);
            Bed bed = new Bed(etcd.clientUrl(), etcd.pid(), service, token, mode, results);
            try {
                group(results, "B0-B3", () -> new CoreScenarios(bed).run());
                group(results, "B4", () -> new ListScenarios(bed).run());
                group(results, "B7", () -> new AllocationScenarios(bed).run());
                group(results, "B5-B6", () -> new WatchScenarios(bed).run());
                group(results, "B8-B9", () -> new ScaleScenarios(bed, work).run());
            } finally {
                bed.close();
                results.write(out);
            }
            return results;
        }
    }

    private interface Group {
        void run() throws Exception;
    }

    /** Runs a group of scenarios; if it breaks off, that is recorded as a failed entry and the run goes on. */
    private static void group(Results results, String ids, Group group) {
        String only = System.getProperty("bench.only", "");
        if (!only.isEmpty() && !java.util.Arrays.asList(only.split(",")).contains(ids)) {
            return;
        }
        long started = System.nanoTime();
        try {
            group.run();
            // a full run has 20 minutes: where they go
            results.fact(ids + "-group-seconds", (System.nanoTime() - started) / 1e9);
        } catch (Exception e) {
            e.printStackTrace();
            results.add(ids + "-error: " + e, 0, "error", 0, "completes", new Load.Outcome(0, 0, 0, 0, 1), false);
        }
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
