package dev.ippool.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's scenarios in miniature against the test server and its etcd, so the harness cannot rot.
 * Timings are never asserted: only that every scenario ran, wrote its entry and saw no failure.
 */
@QuarkusTest
class BenchSmokeTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    @DisplayName("every scenario runs (tiny windows), results.json and results.md are written, no request failed")
    void smoke() throws Exception {
        String etcd = ConfigProvider.getConfig().getValue("ippool.etcd.endpoints", String.class).split(",")[0];
        Path out = Files.createTempDirectory("bench-smoke-");
        Results results = new Results(new ObjectMapper().createObjectNode().put("mode", "smoke"));
        // at most 16 in flight: the test server keeps the default in-flight limits
        new Scenarios(etcd, root.toString(), null, 100, 200, results, 16).run();
        results.write(out);
        JsonNode written = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        List<String> names = written.path("scenarios").findValuesAsText("name");
        assertThat(names).containsExactly("B0-raw-txn-256", "B0-raw-txn-serial-p50", "B0-raw-get-serializable-64",
                "B0-raw-get-linearizable-64", "B0-raw-get-38k-64", "B1-post-256", "B2-create-serial-p50",
                "B2-update-serial-p99", "B3-get-cache-small", "B3-get-cache-256", "B3-get-consistent",
                "B7-allocate-1", "B7-allocate-8");
        for (JsonNode s : written.path("scenarios")) {
            assertThat(s.path("failures").asLong()).as(s.path("name").asText()).isZero();
            assertThat(s.path("operations").asLong()).as(s.path("name").asText()).isPositive();
            assertThat(s.has("value") && s.has("unit") && s.has("baseline") && s.has("ratio") && s.has("target")
                    && s.has("pass")).isTrue();
        }
        assertThat(written.path("machine").path("nproc").asInt()).isPositive();
        assertThat(Files.readString(out.resolve("results.md"))).startsWith("| scenario | value |");
    }
}
