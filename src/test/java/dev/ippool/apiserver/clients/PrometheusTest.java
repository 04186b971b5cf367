package dev.ippool.apiserver.clients;

import static dev.ippool.apiserver.support.Api.create;
import static dev.ippool.apiserver.support.Api.eventually;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.poolJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ippool.apiserver.storage.etcd.EtcdProcess;
import dev.ippool.apiserver.support.Scratch;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A real Prometheus (apt-get install prometheus) scrapes the management port and answers a pool query. */
@QuarkusTest
class PrometheusTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    @DisplayName("Prometheus scrapes /metrics; its query API returns the pool's allocated-addresses gauge")
    void scrapedByPrometheus() throws Exception {
        String ns = freshNamespace();
        create(ns, poolJson("scraped", "10.7.0.0/24", "{\"1\":{\"id\":\"a\",\"podref\":\"x/a\"},\"2\":{\"id\":\"b\","
                + "\"podref\":\"x/b\"}}")).then().statusCode(201);
        int management = ConfigProvider.getConfig().getOptionalValue("quarkus.management.test-port", Integer.class)
                .orElse(9001);
        int port = EtcdProcess.freePort();
        Path dir = Scratch.directory("prometheus-");
        Files.writeString(dir.resolve("prometheus.yml"), "global: {scrape_interval: 1s}\nscrape_configs:\n"
                + "- job_name: ippool-apiserver\n  metrics_path: /metrics\n  static_configs:\n"
                + "  - targets: ['127.0.0.1:" + management + "']\n");
        Process prometheus;
        try {
            prometheus = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("prometheus is not on PATH: apt-get install prometheus", e);
        }
        try {
            String query = "whereabouts_ippool_allocated_addresses{namespace=\"" + ns + "\",pool=\"scraped\"}";
            URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                    + URLEncoder.encode(query, StandardCharsets.UTF_8));
            assertThat(eventually(90, () -> value(uri) != null)).as("Prometheus log: %s", dir.resolve("prometheus.log"))
                    .isTrue();
            assertThat(value(uri)).isEqualTo("2");
        } finally {
            prometheus.destroy();
            prometheus.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** The first result's value, or null while Prometheus has none. */
    private String value(URI query) {
        try {
            JsonNode r = json.readTree(http.send(HttpRequest.newBuilder(query).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            JsonNode result = r.path("data").path("result");
            return result.isEmpty() ? null : result.get(0).path("value").get(1).asText();
        } catch (Exception e) {
            return null;
        }
    }
}
