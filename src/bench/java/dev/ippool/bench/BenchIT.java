package dev.ippool.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The whole benchmark in miniature (tiny sizes and windows) against the packaged service, run by failsafe after
 * {@code package} so the harness cannot rot. Timings are never asserted: only that every scenario ran, wrote its
 * entry and saw no failure (no 429 or 5xx, no lost or doubled watch event, no duplicate allocation, clean 413s).
 */
class BenchIT {

    @Test
    @DisplayName("every scenario runs in smoke mode, results.json and results.md are written, nothing failed")
    void smoke() throws Exception {
        Path out = Path.of("target", "bench-smoke");
        Bench.run(Mode.smoke(), out);
        JsonNode written = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        List<String> names = written.path("scenarios").findValuesAsText("name");
        assertThat(names).containsExactly(
                "B0-raw-txn-256", "B0-raw-txn-256-stored-watched", "B0-raw-txn-serial-stored-watched-p50",
                "B0-raw-txn-serial-p50",
                "B0-raw-get-serializable-64", "B0-raw-get-linearizable-64",
                "B0-raw-get-38k-64", "B0-raw-get-txn-serial", "B0-raw-get-txn-32-one-key", "B1-post-256",
                "B1-ceiling-proxy-post-256", "B2-create-serial-p50", "B2-ceiling-proxy-create-serial-p50",
                "B2-update-serial-p99", "B2-ceiling-proxy-update-serial-p99", "B3-get-cache-small",
                "B3-get-cache-256", "B3-get-consistent",
                "B3-ceiling-proxy-get-consistent", "B3-http-ceiling-livez", "B4-list-20-small-cache",
                "B4-list-20-small-raw-range", "B4-list-20-small-consistent", "B4-list-5x256-cache",
                "B4-list-5x256-raw-range", "B4-list-5x256-consistent", "B7-allocate-1", "B7-allocate-8",
                "B7-allocate-32", "B5-watch-10-delivery-p99", "B5-watch-10-at-20-writes-delivery-p99",
                "B5-ceiling-fanout-10-at-20-writes-delivery-p99", "B5-ceiling-fanout-10-delivery-p99",
                "B6-idle-watches-50-heap", "B8-pool-8192-roundtrip-p99", "B8-over-limit-413",
                "B8-raw-roundtrip-65536-p99", "B8-pool-65536-roundtrip-p99", "B9-startup-first-get",
                "B9-ceiling-proxy-startup-first-get", "B9-ceiling-quarkus-startup-first-get");
        for (JsonNode s : written.path("scenarios")) {
            assertThat(s.path("failures").asLong()).as(s.path("name").asText()).isZero();
            assertThat(s.path("operations").asLong()).as(s.path("name").asText()).isPositive();
            assertThat(s.has("value") && s.has("unit") && s.has("baseline") && s.has("ratio") && s.has("target")
                    && s.has("pass")).isTrue();
        }
        assertThat(written.path("facts").path("B5-watch-10-etcd-watchers-during").asDouble())
                .isEqualTo(written.path("facts").path("B5-watch-10-etcd-watchers-before").asDouble());
        assertThat(written.path("facts").path("B7-allocations-left").asInt()).isEqualTo(256);
        // the stored form carries managedFields, so it is larger than the POSTed body; every write was watched
        assertThat(written.path("facts").path("B0-raw-txn-256-stored-watched-value-bytes").asInt())
                .isGreaterThan(Http.pool("b0-stored", 1).length());
        assertThat(written.path("facts").path("B0-raw-txn-stored-watched-events").asLong())
                .isGreaterThanOrEqualTo(scenario(written, "B0-raw-txn-256-stored-watched").path("operations").asLong()
                        + scenario(written, "B0-raw-txn-serial-stored-watched-p50").path("operations").asLong());
        assertThat(written.path("facts").has("B2-create-serial-p50-over-stored-watched-ms")).isTrue();
        // B1's POSTs ran in turns with the bare proxy's and R_txn's txn, and are set against the latter; each turn's
        // cores cover its own blocks
        assertThat(scenario(written, "B1-post-256").path("baseline").asDouble())
                .isPositive().isEqualTo(written.path("facts").path("B1-raw-txn-256-alongside").asDouble());
        assertThat(scenario(written, "B1-ceiling-proxy-post-256").path("baseline").asDouble())
                .isEqualTo(written.path("facts").path("B1-raw-txn-256-alongside").asDouble());
        assertThat(written.path("facts").path("B1-raw-txn-256-alongside-failures").asLong()).isZero();
        assertThat(written.path("facts").path("B1-raw-txn-256-alongside-etcd-cpu-cores").asDouble()).isPositive();
        assertThat(written.path("facts").path("B1-post-256-service-cpu-cores").asDouble()).isPositive();
        assertThat(written.path("facts").path("B3-get-cache-small-jit-settle-seconds").asDouble()).isPositive();
        // B2's creates ran in turns with the bare proxy's and R_txn1's txn, and are set against the latter
        assertThat(scenario(written, "B2-create-serial-p50").path("baseline").asDouble())
                .isPositive().isEqualTo(written.path("facts").path("B2-raw-txn-serial-alongside-p50").asDouble());
        assertThat(written.path("facts").path("B2-raw-txn-serial-alongside-failures").asLong()).isZero();
        // its time over that R_txn1, split between the bare proxy's share and the API's
        assertThat(written.path("facts").path("B2-ceiling-proxy-create-serial-p50-over-txn1-ms").asDouble()
                + written.path("facts").path("B2-create-serial-p50-over-proxy-ms").asDouble())
                .isCloseTo(scenario(written, "B2-create-serial-p50").path("value").asDouble()
                        - scenario(written, "B2-create-serial-p50").path("baseline").asDouble(), within(1e-9));
        assertThat(written.path("storage").size()).isGreaterThanOrEqualTo(6);
        // the next group starts once etcd and the service are quiet; the compactions are physical, so B1's removed
        // pools are gone from etcd's file when it is defragmented (with logical ones it kept 99 % of its size)
        for (JsonNode s : written.path("storage")) {
            assertThat(written.path("facts").has(s.path("after").asText() + "-quiet-seconds")).isTrue();
        }
        JsonNode afterB1 = written.path("storage").get(1);
        assertThat(afterB1.path("after").asText()).isEqualTo("B1");
        assertThat(afterB1.path("dbSizeDefragmentedBytes").asLong())
                .isLessThan(afterB1.path("dbSizeBytes").asLong() / 2);
        assertThat(written.path("machine").path("nproc").asInt()).isPositive();
        assertThat(Files.readString(out.resolve("results.md"))).startsWith("| scenario | value |");
    }

    private static JsonNode scenario(JsonNode written, String name) {
        for (JsonNode s : written.path("scenarios")) {
            if (s.path("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no scenario " + name);
    }
}
