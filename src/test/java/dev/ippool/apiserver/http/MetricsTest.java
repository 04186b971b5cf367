package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.BASE;
import static dev.ippool.apiserver.support.Api.create;
import static dev.ippool.apiserver.support.Api.eventually;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.metric;
import static dev.ippool.apiserver.support.Api.metrics;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.poolJson;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ippool.apiserver.support.WatchClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** kube-apiserver's metric names, labels and values after known requests; pool utilisation; promtool clean. */
@QuarkusTest
class MetricsTest {

    private static final String G = "group=\"whereabouts.cni.cncf.io\"";

    @TestHTTPResource("/")
    URL root;

    private static String requests(String verb, String scope, String code, String dryRun) {
        return "apiserver_request_total{code=\"" + code + "\",component=\"apiserver\",dry_run=\"" + dryRun + "\"," + G
                + ",resource=\"ippools\",scope=\"" + scope + "\",subresource=\"\",verb=\"" + verb
                + "\",version=\"v1alpha1\"}";
    }

    @Test
    @DisplayName("a /24 pool with 3 allocations: allocated 3, capacity 254, ratio 3/254; Telekom's name too; gone when deleted")
    void poolUtilisation() throws Exception {
        String ns = freshNamespace();
        create(ns, poolJson("m", "10.0.0.0/24", "{\"1\":{\"id\":\"a\",\"podref\":\"x/a\"},\"2\":{\"id\":\"b\","
                + "\"podref\":\"x/b\"},\"3\":{\"id\":\"c\",\"podref\":\"x/c\"}}")).then().statusCode(201);
        String labels = "{namespace=\"" + ns + "\",pool=\"m\",range=\"10.0.0.0/24\"}";
        assertThat(eventually(10, () -> metrics().contains("whereabouts_ippool_allocated_addresses" + labels)))
                .isTrue();
        assertThat(metric("whereabouts_ippool_allocated_addresses" + labels)).isEqualTo(3.0);
        assertThat(metric("whereabouts_ippool_capacity_addresses" + labels)).isEqualTo(254.0);
        assertThat(metric("whereabouts_ippool_utilization_ratio" + labels)).isEqualTo(3.0 / 254);
        assertThat(metric("whereabouts_ippool_allocations{pool=\"m\"}")).isGreaterThanOrEqualTo(3.0);
        request().contentType("application/json-patch+json")
                .body("[{\"op\":\"remove\",\"path\":\"/spec/allocations/1\"}]").patch(pool(ns, "m")).then()
                .statusCode(200);
        assertThat(eventually(10, () -> metric("whereabouts_ippool_allocated_addresses" + labels) == 2.0)).isTrue();
        assertThat(metrics()).contains("# TYPE whereabouts_ippool_utilization_ratio gauge\n");

        request().delete(pool(ns, "m")).then().statusCode(200);
        assertThat(eventually(10, () -> !metrics().contains(labels))).as("a deleted pool's series are gone").isTrue();
    }

    @Test
    @DisplayName("apiserver_request_total by verb (incl. APPLY), scope, code and dry_run; durations; etcd; storage")
    void requestMetrics() {
        String ns = freshNamespace();
        double posts = metricOrZero(requests("POST", "namespace", "201", ""));
        double gets = metricOrZero(requests("GET", "resource", "404", ""));
        double lists = metricOrZero(requests("LIST", "cluster", "200", ""));
        double applies = metricOrZero(requests("APPLY", "resource", "201", ""));
        double dry = metricOrZero(requests("POST", "namespace", "201", "All"));
        create(ns, poolJson("p", "10.0.0.0/24", "{}")).then().statusCode(201);
        request().get(pool(ns, "missing")).then().statusCode(404);
        request().get(BASE + "/ippools").then().statusCode(200);
        request().contentType("application/apply-patch+yaml").body("apiVersion: whereabouts.cni.cncf.io/v1alpha1\n"
                + "kind: IPPool\nspec: {range: 10.1.0.0/24, allocations: {}}\n").patch(pool(ns, "a") + "?fieldManager=m")
                .then().statusCode(201);
        request().contentType("application/json").body(poolJson("d", "10.0.0.0/24", "{}"))
                .post(pools(ns) + "?dryRun=All").then().statusCode(201);
        assertThat(metric(requests("POST", "namespace", "201", ""))).isEqualTo(posts + 1);
        assertThat(metric(requests("GET", "resource", "404", ""))).isEqualTo(gets + 1);
        assertThat(metric(requests("LIST", "cluster", "200", ""))).isEqualTo(lists + 1);
        assertThat(metric(requests("APPLY", "resource", "201", ""))).isEqualTo(applies + 1);
        assertThat(metric(requests("POST", "namespace", "201", "All"))).isEqualTo(dry + 1);
        String text = metrics();
        assertThat(text).contains("apiserver_request_duration_seconds_bucket{component=\"apiserver\",dry_run=\"\","
                + G + ",resource=\"ippools\",scope=\"namespace\",subresource=\"\",verb=\"POST\",version=\"v1alpha1\","
                + "le=\"0.005\"}");
        assertThat(text).contains("apiserver_request_sli_duration_seconds_count{");
        assertThat(text).contains("apiserver_current_inflight_requests{request_kind=\"mutating\"}");
        assertThat(metric("etcd_request_duration_seconds_count{operation=\"create\",type=\"ippools."
                + "whereabouts.cni.cncf.io\"}")).isPositive();
        assertThat(metric("apiserver_storage_objects{resource=\"ippools.whereabouts.cni.cncf.io\"}")).isPositive();
    }

    @Test
    @DisplayName("watches: long-running gauge while open, events counted with their sizes")
    void watchMetrics() throws Exception {
        String ns = freshNamespace();
        create(ns, poolJson("w", "10.0.0.0/24", "{}")).then().statusCode(201);
        String open = "apiserver_longrunning_requests{component=\"apiserver\"," + G + ",resource=\"ippools\","
                + "scope=\"\",subresource=\"\",verb=\"WATCH\",version=\"v1alpha1\"}";
        String events = "apiserver_watch_events_total{" + G + ",kind=\"IPPool\",version=\"v1alpha1\"}";
        double before = metric(events);
        try (WatchClient watch = WatchClient.open(root.toString().replaceAll("/$", ""), pools(ns) + "?watch=true")) {
            watch.next();
            assertThat(metric(open)).isGreaterThanOrEqualTo(1.0);
            assertThat(metric(events)).isGreaterThanOrEqualTo(before + 1);
        }
        assertThat(metrics()).contains("apiserver_watch_events_sizes_count{" + G + ",kind=\"IPPool\"");
    }

    @Test
    @DisplayName("promtool check metrics finds nothing wrong with our own metrics")
    void promtoolClean() throws Exception {
        int port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.management.test-port", Integer.class).orElse(9001);
        String scraped = io.restassured.RestAssured.given().port(port).get("/metrics").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/plain; version=0.0.4")).extract().asString();
        String ours = scraped.lines().filter(l -> l.matches("^(# (HELP|TYPE) )?(apiserver|etcd|whereabouts)_.*"))
                .reduce("", (a, b) -> a + b + "\n");
        Process p;
        try {
            p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("promtool is not on PATH: apt-get install prometheus", e);
        }
        p.getOutputStream().write(ours.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEmpty();
        assertThat(p.exitValue()).isZero();
    }

    @Test
    @DisplayName("the JVM's metrics are those Quarkus's JVM binder gives, bound after the start (metrics.JvmMetrics)")
    void jvmMetrics() throws Exception {
        // every family Quarkus's binder gave, but the GC pause timer, which appears with the first collection
        List<String> families = List.of("jvm_buffer_count_buffers", "jvm_buffer_memory_used_bytes",
                "jvm_buffer_total_capacity_bytes", "jvm_classes_loaded_classes", "jvm_classes_loaded_count_classes_total",
                "jvm_classes_unloaded_classes_total", "jvm_gc_live_data_size_bytes", "jvm_gc_max_data_size_bytes",
                "jvm_gc_memory_allocated_bytes_total", "jvm_gc_memory_promoted_bytes_total", "jvm_gc_overhead",
                "jvm_info_total", "jvm_memory_committed_bytes", "jvm_memory_max_bytes", "jvm_memory_usage_after_gc",
                "jvm_memory_used_bytes", "jvm_threads_daemon_threads", "jvm_threads_live_threads",
                "jvm_threads_peak_threads", "jvm_threads_started_threads_total", "jvm_threads_states_threads");
        assertThat(eventually(10, () -> metrics().contains("\njvm_info_total{"))).isTrue();
        String scraped = metrics();
        assertThat(families).allSatisfy(family -> assertThat(scraped).containsPattern("\n" + family + "[{ ]"));
        assertThat(scraped).contains("jvm_memory_used_bytes{area=\"heap\"");
    }

    private static double metricOrZero(String series) {
        try {
            return metric(series);
        } catch (AssertionError e) {
            return 0;
        }
    }
}
