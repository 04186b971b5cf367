package dev.ippool.apiserver.security;

import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.poolJson;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static dev.ippool.apiserver.support.Api.status;
import static dev.ippool.apiserver.support.Api.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ippool.apiserver.support.Scratch;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Bearer tokens (401), RBAC (403 with kube's texts), probes, reloads and the audit line, on a live server. */
@QuarkusTest
@TestProfile(SecurityTest.Secured.class)
class SecurityTest {

    static final Path DIR;
    static final String GROUP = "whereabouts.cni.cncf.io";

    static {
        DIR = Scratch.directory("ippool-auth-");
    }

    static final String TOKENS = "admin-token,admin,1,\"system:masters\"\n"
            + "bob-token,bob,2,\"team-b\"\n"
            + "carol-token,carol,3\n"
            + "sa-token,system:serviceaccount:kube-system:whereabouts,4,"
            + "\"system:serviceaccounts,system:serviceaccounts:kube-system\"\n";

    static final String RBAC = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: ippool-reader}
            rules:
            - {apiGroups: [whereabouts.cni.cncf.io], resources: [ippools], verbs: [get, list, watch]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: readers}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ippool-reader}
            subjects:
            - {kind: Group, name: team-b}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: writer, namespace: team-a}
            rules:
            - {apiGroups: [whereabouts.cni.cncf.io], resources: [ippools], verbs: [create, update, patch, delete]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: carol-writes, namespace: team-a}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: writer}
            subjects:
            - {kind: User, name: carol}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: one-pool, namespace: team-c}
            rules:
            - {apiGroups: ["*"], resources: ["*"], resourceNames: [only-this], verbs: [get]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: carol-one, namespace: team-c}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: one-pool}
            subjects:
            - {kind: User, name: carol}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: whereabouts}
            rules:
            - {apiGroups: [whereabouts.cni.cncf.io], resources: [ippools], verbs: ["*"]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: whereabouts, namespace: kube-system}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: whereabouts}
            subjects:
            - {kind: ServiceAccount, name: whereabouts, namespace: kube-system}
            """;

    /** A token file, an RBAC file and an audit file in a temp dir; anonymous requests not allowed. */
    public static class Secured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.writeString(DIR.resolve("tokens.csv"), TOKENS);
                Files.writeString(DIR.resolve("rbac.yaml"), RBAC);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("ippool.auth.allow-anonymous", "false",
                    "ippool.auth.token-file", DIR.resolve("tokens.csv").toString(),
                    "ippool.auth.rbac-file", DIR.resolve("rbac.yaml").toString(),
                    "ippool.auth.reload-interval", "100ms",
                    "ippool.metrics.require-auth", "true",
                    "ippool.audit.file", DIR.resolve("audit.log").toString());
        }
    }

    private static RequestSpecification as(String token) {
        return request().header("Authorization", "Bearer " + token);
    }

    private static String forbidden(String user, String verb, String ns, String name) {
        String scope = ns == null ? " at the cluster scope" : " in the namespace \"" + ns + "\"";
        String subject = "ippools." + GROUP + (name == null ? "" : " \"" + name + "\"");
        return status(403, "Forbidden", subject + " is forbidden: User \"" + user + "\" cannot " + verb
                + " resource \"ippools\" in API group \"" + GROUP + "\"" + scope, "{"
                + (name == null ? "" : "\"name\":\"" + name + "\",") + "\"group\":\"" + GROUP
                + "\",\"kind\":\"ippools\"}");
    }

    private static final String UNAUTHORIZED = status(401, "Unauthorized", "Unauthorized", null);

    @Test
    @DisplayName("no or bad credentials: 401 Unauthorized on every verb, discovery and /version; probes stay open")
    void unauthenticated() {
        for (String token : new String[] {null, "wrong"}) {
            RequestSpecification r = token == null ? request() : as(token);
            r.get(pools("team-a")).then().statusCode(401).body(equalTo(UNAUTHORIZED));
            (token == null ? request() : as(token)).get("/apis").then().statusCode(401).body(equalTo(UNAUTHORIZED));
            (token == null ? request() : as(token)).get("/version").then().statusCode(401);
            (token == null ? request() : as(token)).contentType("application/json")
                    .body(poolJson("p", "10.0.0.0/24", "{}")).post(pools("team-a")).then().statusCode(401)
                    .body(equalTo(UNAUTHORIZED));
            (token == null ? request() : as(token)).delete(pool("team-a", "p")).then().statusCode(401);
            (token == null ? request() : as(token)).delete(pools("team-a")).then().statusCode(401);
            (token == null ? request() : as(token)).contentType("application/json")
                    .body(poolJson("p", "10.0.0.0/24", "{}")).put(pool("team-a", "p")).then().statusCode(401)
                    .body(equalTo(UNAUTHORIZED));
            (token == null ? request() : as(token)).contentType("application/merge-patch+json").body("{}")
                    .patch(pool("team-a", "p")).then().statusCode(401);
            (token == null ? request() : as(token)).get("/openapi/v3").then().statusCode(401);
            (token == null ? request() : as(token)).get(pools("team-a") + "?watch=true").then().statusCode(401);
        }
        request().header("Authorization", "Basic YWRtaW46YWRtaW4=").get(pools("x")).then().statusCode(401);
        request().get("/livez").then().statusCode(200).contentType("text/plain; charset=utf-8").body(equalTo("ok"));
        request().get("/livez?verbose").then().statusCode(200).header("Cache-Control", "no-cache, private")
                .header("X-Content-Type-Options", "nosniff").body(equalTo("[+]ping ok\nlivez check passed\n"));
        request().get("/readyz?verbose").then().statusCode(200)
                .body(equalTo("[+]ping ok\n[+]etcd ok\n[+]informer-sync ok\nreadyz check passed\n"));
        request().get("/healthz").then().statusCode(200).body(equalTo("ok"));
        request().port(org.eclipse.microprofile.config.ConfigProvider.getConfig().getOptionalValue("quarkus.management.test-port", Integer.class).orElse(9001)).get("/q/health").then().statusCode(200);
    }

    @Test
    @DisplayName("RBAC: cluster roles, roles, groups, users, service accounts, resourceNames; kube's 403 texts")
    void rbac() {
        as("admin-token").contentType("application/json").body(poolJson("only-this", "10.0.0.0/24", "{}"))
                .post(pools("team-c")).then().statusCode(201);
        as("admin-token").contentType("application/json").body(poolJson("other", "10.0.0.0/24", "{}"))
                .post(pools("team-c")).then().statusCode(201);

        // bob reads everywhere through his group's ClusterRoleBinding, writes nowhere
        as("bob-token").get("/apis/" + GROUP + "/v1alpha1/ippools").then().statusCode(200);
        as("bob-token").get(pool("team-c", "other")).then().statusCode(200);
        as("bob-token").contentType("application/json").body(poolJson("p", "10.0.0.0/24", "{}"))
                .post(pools("kube-system")).then().statusCode(403)
                .body(equalTo(forbidden("bob", "create", "kube-system", null)));
        as("bob-token").delete(pool("team-c", "other")).then().statusCode(403)
                .body(equalTo(forbidden("bob", "delete", "team-c", "other")));
        as("bob-token").contentType("application/merge-patch+json").body("{}").patch(pool("team-c", "other"))
                .then().statusCode(403).body(equalTo(forbidden("bob", "patch", "team-c", "other")));
        as("bob-token").contentType("application/json").body(poolJson("other", "10.0.0.0/24", "{}"))
                .put(pool("team-c", "other")).then().statusCode(403)
                .body(equalTo(forbidden("bob", "update", "team-c", "other")));
        as("bob-token").delete(pools("team-c")).then().statusCode(403)
                .body(equalTo(forbidden("bob", "deletecollection", "team-c", null)));
        as("bob-token").get("/apis").then().statusCode(200);

        // carol writes in team-a only, reads one named pool in team-c, nothing at the cluster scope
        as("carol-token").contentType("application/json").body(poolJson("p", "10.0.0.0/24", "{}"))
                .post(pools("team-a")).then().statusCode(201);
        as("carol-token").contentType("application/json").body(poolJson("p", "10.0.0.0/24", "{}"))
                .post(pools("team-b")).then().statusCode(403)
                .body(equalTo(forbidden("carol", "create", "team-b", null)));
        as("carol-token").get("/apis/" + GROUP + "/v1alpha1/ippools").then().statusCode(403)
                .body(equalTo(forbidden("carol", "list", null, null)));
        as("carol-token").get(pool("team-c", "only-this")).then().statusCode(200);
        as("carol-token").get(pool("team-c", "other")).then().statusCode(403)
                .body(equalTo(forbidden("carol", "get", "team-c", "other")));
        as("carol-token").get(pools("team-a") + "?watch=true&timeoutSeconds=1").then().statusCode(403)
                .body(equalTo(forbidden("carol", "watch", "team-a", null)));

        // the Whereabouts service account: everything in kube-system, nothing elsewhere
        as("sa-token").contentType("application/json").body(poolJson("wa", "10.0.0.0/24", "{}"))
                .post(pools("kube-system")).then().statusCode(201);
        as("sa-token").contentType("application/merge-patch+json").body("{\"metadata\":{\"labels\":{\"a\":\"b\"}}}")
                .patch(pool("kube-system", "wa")).then().statusCode(200);
        as("sa-token").get(pools("team-a")).then().statusCode(403).body(equalTo(forbidden(
                "system:serviceaccount:kube-system:whereabouts", "list", "team-a", null)));
    }

    @Test
    @DisplayName("token and RBAC files are reloaded when they change; an invalid one keeps the previous in force")
    void reloads() throws Exception {
        as("dave-token").get(pools("team-d")).then().statusCode(401);
        Files.writeString(DIR.resolve("tokens.csv"), TOKENS + "dave-token,dave,5\n");
        assertThat(eventually(10, () -> as("dave-token").get(pools("team-d")).statusCode() == 403)).isTrue();
        Files.writeString(DIR.resolve("rbac.yaml"), RBAC + """
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: dave-reads, namespace: team-d}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ippool-reader}
                subjects:
                - {kind: User, name: dave}
                """);
        assertThat(eventually(10, () -> as("dave-token").get(pools("team-d")).statusCode() == 200)).isTrue();
        double invalid = reloads("tokens", "invalid");
        Files.writeString(DIR.resolve("tokens.csv"), "not,enough\n");
        // wait until the service has read the invalid file and refused it, then dave must still be in
        assertThat(eventually(10, () -> reloads("tokens", "invalid") == invalid + 1)).isTrue();
        as("dave-token").get(pools("team-d")).then().statusCode(200);
        Files.writeString(DIR.resolve("tokens.csv"), TOKENS);
        assertThat(eventually(10, () -> as("dave-token").get(pools("team-d")).statusCode() == 401)).isTrue();
        assertThat(reloads("tokens", "loaded")).isGreaterThanOrEqualTo(2);
        assertThat(reloads("rbac", "loaded")).isGreaterThanOrEqualTo(1);
    }

    /** {@code ippool_auth_file_reloads_total} for a file and result; 0 before the first one (no series yet). */
    private static double reloads(String file, String result) {
        int port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.management.test-port", Integer.class).orElse(9001);
        String series = "ippool_auth_file_reloads_total{file=\"" + file + "\",result=\"" + result + "\"}";
        return as("admin-token").port(port).get("/metrics").then().statusCode(200).extract().asString()
                .replace(",}", "}").lines().filter(l -> l.startsWith(series)).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
    }

    @Test
    @DisplayName("one audit line per request: ID, user, groups, verb, resource, namespace, name, code, latency")
    void auditLine() throws Exception {
        Response r = as("bob-token").get(pool("team-b", "missing"));
        r.then().statusCode(404);
        String id = r.header("Audit-Id");
        ObjectMapper json = new ObjectMapper();
        assertThat(eventually(10, () -> auditLine(id) != null)).isTrue();
        JsonNode line = json.readTree(auditLine(id));
        assertThat(line.path("user").asText()).isEqualTo("bob");
        assertThat(line.path("groups").toString()).isEqualTo("[\"team-b\",\"system:authenticated\"]");
        assertThat(line.path("verb").asText()).isEqualTo("get");
        assertThat(line.path("resource").asText()).isEqualTo("ippools");
        assertThat(line.path("namespace").asText()).isEqualTo("team-b");
        assertThat(line.path("name").asText()).isEqualTo("missing");
        assertThat(line.path("code").asInt()).isEqualTo(404);
        assertThat(line.path("latencyMs").isNumber()).isTrue();
        assertThat(line.path("sourceIP").asText()).isEqualTo("127.0.0.1");
        assertThat(line.path("userAgent").asText()).isEqualTo("ippool-tests/1.0");
        assertThat(Files.readString(DIR.resolve("audit.log"))).doesNotContain("bob-token");
    }

    private static String auditLine(String id) {
        try {
            return Files.readAllLines(DIR.resolve("audit.log")).stream().filter(l -> l.contains(id)).findFirst()
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    @DisplayName("metrics with require-auth: 401 without a token, 403 without a /metrics rule, 200 for masters")
    void metricsRequireAuth() {
        int port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.management.test-port", Integer.class).orElse(9001);
        request().port(port).get("/metrics").then().statusCode(401).body(equalTo(UNAUTHORIZED));
        request().port(port).get("/q/metrics").then().statusCode(401);
        as("bob-token").port(port).get("/metrics").then().statusCode(403).body(equalTo(status(403, "Forbidden",
                "forbidden: User \"bob\" cannot get path \"/metrics\"", "{}")));
        as("admin-token").port(port).get("/metrics").then().statusCode(200);
    }
}
