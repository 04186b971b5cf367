package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.BASE;
import static dev.ippool.apiserver.support.Api.create;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.poolJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Hostile input, seeded so a failure reproduces ({@code -Dfuzz.seed=N}): 1,200 generated requests of every verb
 * and content type with broken, type-swapped, huge, deep, non-UTF-8, duplicate-key and YAML-bomb bodies, odd
 * names, namespaces, selectors, continue tokens and resource versions. Every answer is below 500 — except
 * kube's 504 ResourceVersionTooLarge for a version ahead of the store — the server stays up, and objects the
 * fuzzer never targets stay byte-identical.
 */
@QuarkusTest
class FuzzTest {

    private static final int REQUESTS = 1200;
    private static final String[] METHODS = {"GET", "GET", "POST", "PUT", "PATCH", "PATCH", "DELETE", "HEAD"};
    private static final String[] TYPES = {"application/json", "application/yaml", "application/merge-patch+json",
        "application/json-patch+json", "application/apply-patch+yaml", "application/strategic-merge-patch+json",
        "text/plain", "application/vnd.kubernetes.protobuf", "", "application/json; charset=utf-16"};
    private static final String[] NAMES = {"p", "pool-1", "..", "%2e%2e", "a%2Fb", "UPPER", "x".repeat(300), "-a",
        "a.b", "%00", "ok", "%E2%98%83", "p%3Fx%3Dy", ""};

    @TestHTTPResource("/")
    URL root;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    @DisplayName("1,200 hostile requests: no 5xx but ResourceVersionTooLarge, server up, bystanders untouched")
    void hostileRequests() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261201L);
        Random random = new Random(seed);
        System.out.println("fuzz seed " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        String bystanders = freshNamespace();
        List<String> before = new ArrayList<>();
        for (String name : new String[] {"a", "b"}) {
            create(bystanders, poolJson(name, "10.9.0.0/24", "{\"1\":{\"id\":\"c\",\"podref\":\"x/y\"}}"))
                    .then().statusCode(201);
            before.add(get(BASE + "/namespaces/" + bystanders + "/ippools/" + name));
        }
        String target = freshNamespace();
        create(target, poolJson("p", "10.0.0.0/24", "{}")).then().statusCode(201);

        for (int i = 0; i < REQUESTS; i++) {
            String method = METHODS[random.nextInt(METHODS.length)];
            String path = path(random, target);
            String type = TYPES[random.nextInt(TYPES.length)];
            byte[] body = method.equals("GET") || method.equals("HEAD") ? new byte[0] : body(random);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "")
                    + path)).timeout(Duration.ofSeconds(30))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            if (!type.isEmpty()) {
                request.header("Content-Type", type);
            }
            if (random.nextInt(10) == 0) {
                request.header("Accept", random.nextBoolean() ? "application/json;as=Table;v=v1;g=meta.k8s.io"
                        : "application/vnd.kubernetes.protobuf;q=0.9,text/html");
            }
            HttpResponse<String> response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                    .get(60, java.util.concurrent.TimeUnit.SECONDS);
            String what = "seed " + seed + " request " + i + ": " + method + " " + path + " (" + type + ", "
                    + body.length + " bytes) -> " + response.statusCode() + " " + abbreviate(response.body());
            if (response.statusCode() == 504) {
                // HEAD has no body: the same request as GET must show why
                String why = method.equals("HEAD") ? http.send(HttpRequest.newBuilder(response.uri()).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body() : response.body();
                JsonNode status = json.readTree(why);
                assertThat(status.path("reason").asText()).as(what).isEqualTo("Timeout");
                assertThat(status.path("details").path("causes").get(0).path("reason").asText()).as(what)
                        .isEqualTo("ResourceVersionTooLarge");
                assertThat(status.path("message").asText()).as(what)
                        .startsWith("Timeout: Too large resource version: ");
            } else {
                assertThat(response.statusCode()).as(what).isBetween(200, 499);
            }
        }

        assertThat(get("/livez")).isEqualTo("ok");
        assertThat(get(BASE + "/namespaces/" + bystanders + "/ippools/a")).isEqualTo(before.get(0));
        assertThat(get(BASE + "/namespaces/" + bystanders + "/ippools/b")).isEqualTo(before.get(1));
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "")
                + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static String path(Random r, String ns) {
        String name = r.nextInt(3) == 0 ? NAMES[r.nextInt(NAMES.length)] : "p";
        String namespace = r.nextInt(4) == 0 ? NAMES[r.nextInt(NAMES.length)] : ns;
        String base = switch (r.nextInt(12)) {
            case 0 -> BASE + "/ippools";
            case 1 -> BASE + "/namespaces/" + namespace + "/ippools";
            // a watch streams until its timeout: one second, first, so no later timeoutSeconds overrides it
            case 2 -> BASE + "/watch/namespaces/" + namespace + "/ippools/" + name + "?timeoutSeconds=1";
            case 3 -> BASE + "/namespaces/" + namespace + "/ippools/" + name + "/status";
            case 4 -> "/apis/whereabouts.cni.cncf.io/v2/namespaces/" + namespace + "/ippools";
            case 5 -> "/apis/../api/v1/namespaces/" + namespace;
            default -> BASE + "/namespaces/" + namespace + "/ippools/" + name;
        };
        String query = query(r);
        return base.contains("?") ? base + query.replaceFirst("^\\?", "&") : base + query;
    }

    private static String query(Random r) {
        List<String> params = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            params.add(switch (r.nextInt(16)) {
                case 0 -> "labelSelector=" + pick(r, "a%3Db", "a+in+(", "!!", "a%3D%3D%3Db", "x,y+notin+(a,b)",
                        "%25ZZ", "a" + "%2C".repeat(50));
                case 1 -> "fieldSelector=" + pick(r, "metadata.name%3Dp", "spec.range%3Dx", "metadata.name",
                        "a%3Db%3Dc", "metadata.namespace!%3D");
                case 2 -> "continue=" + pick(r, "abc", "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6OTk5OTk5OTk5LCJzdGFydCI6InAifQ",
                        "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTEsInN0YXJ0IjoiLi4vIn0", "%25%25", "e30");
                case 3 -> "resourceVersion=" + pick(r, "0", "-1", "abc", "99999999999999999999", "1", "");
                case 4 -> "resourceVersionMatch=" + pick(r, "Exact", "NotOlderThan", "Bogus");
                case 5 -> "limit=" + pick(r, "1", "-5", "x", "99999999999999999999");
                case 6 -> "watch=" + pick(r, "false", "0") ;
                case 7 -> "dryRun=" + pick(r, "All", "Some", "");
                case 8 -> "fieldValidation=" + pick(r, "Strict", "Warn", "Ignore", "strict");
                case 9 -> "fieldManager=" + pick(r, "m", "%01", "x".repeat(200));
                case 10 -> "force=" + pick(r, "true", "maybe");
                case 11 -> "gracePeriodSeconds=" + pick(r, "-1", "x", "5");
                case 12 -> "propagationPolicy=" + pick(r, "Orphan", "Nope");
                case 13 -> "timeoutSeconds=" + pick(r, "-1", "x");
                case 14 -> "includeObject=" + pick(r, "None", "Bogus");
                default -> "pretty=" + pick(r, "true", "x");
            });
        }
        return params.isEmpty() ? "" : "?" + String.join("&", params);
    }

    private static String pick(Random r, String... values) {
        return values[r.nextInt(values.length)];
    }

    private static byte[] body(Random r) {
        String valid = "{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":\"IPPool\",\"metadata\":{\"name\":"
                + "\"p\"},\"spec\":{\"range\":\"10.0.0.0/24\",\"allocations\":{\"1\":{\"id\":\"c\",\"podref\":\"x/y\"}}}}";
        return switch (r.nextInt(14)) {
            case 0 -> valid.substring(0, r.nextInt(valid.length())).getBytes(StandardCharsets.UTF_8);
            case 1 -> valid.replace("\"10.0.0.0/24\"", pick(r, "7", "[]", "{}", "null", "true"))
                    .getBytes(StandardCharsets.UTF_8);
            case 2 -> valid.replace("{\"1\":{\"id\":\"c\",\"podref\":\"x/y\"}}", pick(r, "[]", "\"x\"", "{\"1\":7}",
                    "{\"1\":{\"id\":7}}")).getBytes(StandardCharsets.UTF_8);
            case 3 -> valid.replace("{\"name\":\"p\"}", pick(r, "\"x\"", "[]", "{\"name\":7}",
                    "{\"name\":\"p\",\"labels\":{\"a\":{}}}", "{\"name\":\"p\",\"finalizers\":\"x\"}"))
                    .getBytes(StandardCharsets.UTF_8);
            case 4 -> valid.replace("\"c\"", "\"" + "x".repeat(r.nextInt(3_500_000)) + "\"")
                    .getBytes(StandardCharsets.UTF_8);
            case 5 -> ("[".repeat(r.nextBoolean() ? 5000 : 100_000)).getBytes(StandardCharsets.UTF_8);
            case 6 -> ("{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000)).getBytes(StandardCharsets.UTF_8);
            case 7 -> {
                byte[] b = valid.getBytes(StandardCharsets.UTF_8);
                b[b.length / 2] = (byte) 0xC3;
                b[b.length / 2 + 1] = (byte) 0x28;
                yield b;
            }
            case 8 -> valid.replace("\"kind\":\"IPPool\"", "\"kind\":\"IPPool\",\"kind\":\"IPPool\",\"spec\":{}")
                    .getBytes(StandardCharsets.UTF_8);
            case 9 -> ("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                    + "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                    + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                    + "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n")
                    .getBytes(StandardCharsets.UTF_8);
            case 10 -> "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"1\"},{\"op\":\"add\","
                    .concat("\"path\":\"/spec/allocations/~1..~1\",\"value\":{}},{\"op\":\"move\",\"from\":\"/spec\","
                    + "\"path\":\"/spec/x\"}]").getBytes(StandardCharsets.UTF_8);
            case 11 -> {
                byte[] b = new byte[r.nextInt(2000)];
                r.nextBytes(b);
                yield b;
            }
            case 12 -> ("{\"metadata\":{\"name\":\"p\",\"resourceVersion\":\"" + pick(r, "1", "x", "99999999999")
                    + "\"},\"spec\":{\"range\":\"10.0.0.0/24\",\"allocations\":{}}}").getBytes(StandardCharsets.UTF_8);
            default -> valid.getBytes(StandardCharsets.UTF_8);
        };
    }
}
