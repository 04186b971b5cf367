package dev.ippool.apiserver.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.security.Rbac;
import dev.ippool.apiserver.security.RequestInfo;
import dev.ippool.apiserver.security.User;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The kustomize overlay renders (with the real kubectl) into what an aggregated deployment needs. */
class ManifestTest {

    private final Codec codec = new Codec();

    private List<JsonNode> render(String dir) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("kubectl", "kustomize", dir).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("kubectl (v1.32) is not on PATH; install it to render the manifests", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<JsonNode> docs = new ArrayList<>();
        codec.yamlMapper().readerFor(JsonNode.class).readValues(out).forEachRemaining(d -> docs.add((JsonNode) d));
        return docs;
    }

    private static JsonNode find(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)
                && d.path("metadata").path("name").asText().startsWith(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @Test
    @DisplayName("k8s/overlays/apiservice: APIService for the group-version, front-proxy settings, RBAC policy")
    void apiserviceOverlay() throws Exception {
        List<JsonNode> docs = render("k8s/overlays/apiservice");
        JsonNode apiService = find(docs, "APIService", "v1alpha1.whereabouts.cni.cncf.io");
        assertThat(apiService.path("spec").path("group").asText()).isEqualTo("whereabouts.cni.cncf.io");
        assertThat(apiService.path("spec").path("version").asText()).isEqualTo("v1alpha1");
        assertThat(apiService.path("spec").path("service").path("name").asText()).isEqualTo("ippool-apiserver");
        assertThat(apiService.path("spec").path("service").path("namespace").asText()).isEqualTo("ippool-system");
        JsonNode env = find(docs, "Deployment", "ippool-apiserver").path("spec").path("template").path("spec")
                .path("containers").get(0).path("env");
        List<String> names = new ArrayList<>();
        env.forEach(e -> names.add(e.path("name").asText()));
        assertThat(names).contains("IPPOOL_TLS_CERT_FILE", "IPPOOL_AUTH_RBAC_FILE",
                "IPPOOL_AUTH_REQUESTHEADER_CLIENT_CA", "IPPOOL_AUTH_REQUESTHEADER_ALLOWED_NAMES");
        find(docs, "RoleBinding", "ippool-apiserver-auth-reader");

        String policy = find(docs, "ConfigMap", "ippool-apiserver-rbac").path("data").path("policy.yaml").asText();
        assertThat(policy).isEqualTo(Files.readString(Path.of("k8s/base/rbac-policy.yaml")));
        Rbac rbac = Rbac.parse(policy, codec.yamlMapper());
        User cni = new User("system:serviceaccount:kube-system:whereabouts", "", List.of("system:serviceaccounts"));
        String base = "/apis/whereabouts.cni.cncf.io/v1alpha1/namespaces/kube-system/";
        assertThat(rbac.allows(cni, RequestInfo.parse("PATCH", base + "ippools/p", false))).isTrue();
        assertThat(rbac.allows(cni, RequestInfo.parse("POST", base + "overlappingrangeipreservations", false))).isTrue();
        User nodeSlice = new User("system:serviceaccount:kube-system:whereabouts-controller", "", List.of());
        assertThat(rbac.allows(nodeSlice, RequestInfo.parse("PUT", base + "nodeslicepools/n", false))).isTrue();
        assertThat(rbac.allows(nodeSlice, RequestInfo.parse("PATCH", base + "ippools/p", false))).isFalse();
    }

    @Test
    @DisplayName("k8s: Deployment (2+ replicas, probes, resources, non-root, read-only root), Services, PDBs, etcd"
            + " StatefulSet with PVCs, secrets, scrape annotations; ServiceMonitor overlay; dashboard")
    void base() throws Exception {
        List<JsonNode> docs = render("k8s");
        JsonNode deployment = find(docs, "Deployment", "ippool-apiserver");
        JsonNode pod = deployment.path("spec").path("template");
        JsonNode container = pod.path("spec").path("containers").get(0);
        assertThat(deployment.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/livez");
        assertThat(container.path("resources").path("requests").has("memory")).isTrue();
        assertThat(pod.path("spec").path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(pod.path("spec").path("topologySpreadConstraints")).isNotEmpty();
        assertThat(pod.path("metadata").path("annotations").path("prometheus.io/scrape").asText()).isEqualTo("true");
        JsonNode service = find(docs, "Service", "ippool-apiserver");
        List<String> ports = new ArrayList<>();
        service.path("spec").path("ports").forEach(p -> ports.add(p.path("name").asText()));
        assertThat(ports).containsExactly("https", "metrics");
        find(docs, "PodDisruptionBudget", "ippool-apiserver");
        find(docs, "Secret", "ippool-apiserver-tokens");
        find(docs, "Secret", "ippool-apiserver-tls");
        find(docs, "ServiceAccount", "ippool-apiserver");
        JsonNode etcd = find(docs, "StatefulSet", "ippool-etcd");
        assertThat(etcd.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(etcd.path("spec").path("volumeClaimTemplates")).hasSize(1);
        assertThat(find(docs, "Service", "ippool-etcd").path("spec").path("clusterIP").asText()).isEqualTo("None");

        List<JsonNode> monitored = render("k8s/overlays/servicemonitor");
        assertThat(find(monitored, "ServiceMonitor", "ippool-apiserver").path("spec").path("endpoints").get(0)
                .path("path").asText()).isEqualTo("/metrics");
        assertThat(find(monitored, "PrometheusRule", "ippool-apiserver").toString())
                .contains("whereabouts_ippool_utilization_ratio");
        JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                Files.readString(Path.of("k8s/grafana/ippool-apiserver-dashboard.json")));
        assertThat(dashboard.toString()).contains("apiserver_request_total", "apiserver_request_duration_seconds_bucket",
                "apiserver_longrunning_requests", "whereabouts_ippool_utilization_ratio");
    }
}
