package dev.ippool.apiserver.metrics;

import dev.ippool.apiserver.security.RequestInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * kube-apiserver's request and watch metrics under their own names, labels and label values, so the
 * kubernetes-mixin dashboards, alerts and SLO rules read this service as they read kube-apiserver.
 */
@Singleton
public class ApiMetrics {

    /** apiserver_request_duration_seconds' buckets in kube 1.32. */
    private static final Duration[] BUCKETS = seconds(0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5,
            2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60);

    private final MeterRegistry registry;

    public ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos((long) (values[i] * 1e9));
        }
        return out;
    }

    /** kube's metrics verb: GET, LIST, WATCH, POST, PUT, PATCH, APPLY, DELETE, DELETECOLLECTION. */
    public static String verb(RequestInfo info, boolean apply) {
        return switch (info.verb()) {
            case "create" -> "POST";
            case "update" -> "PUT";
            case "patch" -> apply ? "APPLY" : "PATCH";
            default -> info.verb().toUpperCase(Locale.ROOT);
        };
    }

    /** resource (one named object), namespace, or cluster. */
    public static String scope(RequestInfo info) {
        if (!info.name().isEmpty()) {
            return "resource";
        }
        return info.namespace().isEmpty() ? "cluster" : "namespace";
    }

    /** One finished resource request. */
    public void request(RequestInfo info, boolean apply, boolean dryRun, int code, long nanos) {
        if (!info.resourceRequest()) {
            return;
        }
        RequestMeters m = requestMeters.computeIfAbsent(new RequestKey(verb(info, apply), info.apiGroup(),
                info.apiVersion(), info.resource(), info.subresource(), scope(info), dryRun, code), this::meters);
        m.total().increment();
        if (m.duration() != null) {
            m.duration().record(nanos, TimeUnit.NANOSECONDS);
            m.sli().record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The label values of one request series; its meters are built once, not on every request. */
    private record RequestKey(String verb, String group, String version, String resource, String subresource,
            String scope, boolean dryRun, int code) {
    }

    /** Watches are long-running: counted, never in the latency histograms (as kube). */
    private record RequestMeters(Counter total, Timer duration, Timer sli) {
    }

    private final Map<RequestKey, RequestMeters> requestMeters = new ConcurrentHashMap<>();

    private RequestMeters meters(RequestKey k) {
        Tags tags = Tags.of("verb", k.verb(), "group", k.group(), "version", k.version(), "resource", k.resource(),
                "subresource", k.subresource(), "scope", k.scope(), "component", "apiserver",
                "dry_run", k.dryRun() ? "All" : "");
        Counter total = Counter.builder("apiserver_request").tags(tags).tag("code", Integer.toString(k.code()))
                .description("Counter of apiserver requests broken out for each verb, dry run value, group,"
                        + " version, resource, scope, component, and HTTP response code.")
                .register(registry);
        if (k.verb().equals("WATCH")) {
            return new RequestMeters(total, null, null);
        }
        String help = "Response latency distribution in seconds for each verb, dry run value, group, version,"
                + " resource, subresource, scope and component.";
        return new RequestMeters(total,
                Timer.builder("apiserver_request_duration_seconds").tags(tags).serviceLevelObjectives(BUCKETS)
                        .description(help).register(registry),
                Timer.builder("apiserver_request_sli_duration_seconds").tags(tags).serviceLevelObjectives(BUCKETS)
                        .description(help).register(registry));
    }

    /** apiserver_current_inflight_requests{request_kind}. */
    public void inFlight(AtomicInteger readOnly, AtomicInteger mutating) {
        Gauge.builder("apiserver_current_inflight_requests", readOnly, AtomicInteger::get)
                .tag("request_kind", "readOnly").description("Maximal number of currently used inflight request"
                        + " limit of this apiserver per request kind in last second.").register(registry);
        Gauge.builder("apiserver_current_inflight_requests", mutating, AtomicInteger::get)
                .tag("request_kind", "mutating").register(registry);
    }

    /** Per-resource watch meters: events sent, their sizes, terminated (evicted) watchers, open watches. */
    public Watch watch(String group, String version, String kind, String resource, IntSupplier openWatches) {
        Tags gvk = Tags.of("group", group, "version", version, "kind", kind);
        Gauge.builder("apiserver_longrunning_requests", openWatches::getAsInt)
                .tags("verb", "WATCH", "group", group, "version", version, "resource", resource, "scope", "",
                        "subresource", "", "component", "apiserver")
                .description("Gauge of all active long-running apiserver requests broken out by verb, group,"
                        + " version, resource, scope and component.").register(registry);
        return new Watch(Counter.builder("apiserver_watch_events").tags(gvk)
                .description("Number of events sent in watch clients").register(registry),
                DistributionSummary.builder("apiserver_watch_events_sizes").tags(gvk)
                        .serviceLevelObjectives(1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072)
                        .description("Watch event size distribution in bytes").register(registry),
                Counter.builder("apiserver_terminated_watchers").tags("group", group, "resource", resource)
                        .description("Counter of watchers closed due to unresponsiveness broken by resource type.")
                        .register(registry));
    }

    /** The meters of one resource's watches. */
    public record Watch(Counter events, DistributionSummary sizes, Counter terminated) {
        public void sent(int bytes) {
            events.increment();
            sizes.record(bytes);
        }
    }
}
