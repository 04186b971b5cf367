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
}
