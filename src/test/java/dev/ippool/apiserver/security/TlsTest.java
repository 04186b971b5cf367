package dev.ippool.apiserver.security;

import static dev.ippool.apiserver.support.Api.BASE;
import static dev.ippool.apiserver.support.Api.eventually;
import static dev.ippool.apiserver.support.Api.poolJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ippool.apiserver.support.Scratch;
import dev.ippool.apiserver.support.TestPki;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** HTTPS from PEM files, client certificates as identities (CN user, O groups), no plain HTTP, reloads. */
@QuarkusTest
@TestProfile(TlsTest.Https.class)
class TlsTest {

    static final Path DIR;
    static final TestPki PKI = new TestPki("ippool-test-ca");
    static final TestPki STRANGER = new TestPki("someone-else");
    static final TestPki PROXY = new TestPki("front-proxy-ca");

    static {
        DIR = Scratch.directory("ippool-tls-");
    }

    /** TLS on, a client CA, RBAC letting group team-x read; anonymous requests not allowed. */
    public static class Https implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            TestPki.Issued server = PKI.server();
            TestPki.writePem(DIR.resolve("server.crt"), server.cert());
            TestPki.writePem(DIR.resolve("server.key"), server.key());
            TestPki.writePem(DIR.resolve("ca.crt"), PKI.caCert());
            TestPki.writePem(DIR.resolve("proxy-ca.crt"), PROXY.caCert());
            try {
                Files.writeString(DIR.resolve("rbac.yaml"), """
                        kind: ClusterRole
                        metadata: {name: read}
                        rules: [{apiGroups: ["*"], resources: ["*"], verbs: [get, list, watch]}]
                        ---
                        kind: ClusterRoleBinding
                        metadata: {name: team-x}
                        roleRef: {kind: ClusterRole, name: read}
                        subjects: [{kind: Group, name: team-x}]
                        """);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("ippool.auth.requestheader-client-ca", DIR.resolve("proxy-ca.crt").toString(),
                    "ippool.auth.requestheader-allowed-names", "front-proxy-client",
                    "ippool.tls.cert-file", DIR.resolve("server.crt").toString(),
                    "ippool.tls.key-file", DIR.resolve("server.key").toString(),
                    "ippool.tls.client-ca-file", DIR.resolve("ca.crt").toString(),
                    "ippool.tls.reload-interval", "1s",
                    "ippool.auth.allow-anonymous", "false",
                    "ippool.auth.rbac-file", DIR.resolve("rbac.yaml").toString());
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    private HttpResponse<String> send(SSLContext ssl, String method, String path, String body) throws Exception {
        return send(ssl, method, path, body, new String[0]);
    }

    private HttpResponse<String> send(SSLContext ssl, String method, String path, String body, String... headers)
            throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(https.toString().replaceAll("/$", "") + path))
                .header("Content-Type", "application/json");
        if (headers.length > 0) {
            r.headers(headers);
        }
        r.method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("a client certificate is the identity (CN user, O groups); none and no token is 401")
    void clientCertificates() throws Exception {
        assertThat(https.getProtocol()).isEqualTo("https");
        SSLContext alice = PKI.clientContext(PKI.client("CN=alice,O=team-x"));
        assertThat(send(alice, "GET", BASE + "/ippools", null).statusCode()).isEqualTo(200);
        HttpResponse<String> denied = send(alice, "POST", BASE + "/namespaces/ns/ippools",
                poolJson("p", "10.0.0.0/24", "{}"));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("User \\\"alice\\\" cannot create resource \\\"ippools\\\"");
        HttpResponse<String> anonymous = send(PKI.clientContext(null), "GET", BASE + "/ippools", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                + "\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}\n");
    }

    @Test
    @DisplayName("front proxy: X-Remote-User/Group honoured only with the proxy CA's certificate and an allowed CN")
    void frontProxy() throws Exception {
        String[] asBob = {"X-Remote-User", "bob", "X-Remote-Group", "team-x", "X-Remote-Group", "other"};
        SSLContext proxy = PKI.clientContext(PROXY.client("CN=front-proxy-client"));
        assertThat(send(proxy, "GET", BASE + "/ippools", null, asBob).statusCode()).isEqualTo(200);
        HttpResponse<String> bobWrites = send(proxy, "POST", BASE + "/namespaces/ns/ippools",
                poolJson("p", "10.0.0.0/24", "{}"), asBob);
        assertThat(bobWrites.statusCode()).isEqualTo(403);
        assertThat(bobWrites.body()).contains("User \\\"bob\\\" cannot create");
        // the proxy certificate without a user header is nobody
        assertThat(send(proxy, "GET", BASE + "/ippools", null).statusCode()).isEqualTo(401);

        String[] asMaster = {"X-Remote-User", "root", "X-Remote-Group", "system:masters"};
        SSLContext wrongName = PKI.clientContext(PROXY.client("CN=not-the-proxy"));
        assertThat(send(wrongName, "POST", BASE + "/namespaces/ns/ippools", poolJson("q", "10.0.0.0/24", "{}"),
                asMaster).statusCode()).isEqualTo(401);
        SSLContext alice = PKI.clientContext(PKI.client("CN=alice,O=team-x"));
        HttpResponse<String> aliceClaims = send(alice, "POST", BASE + "/namespaces/ns/ippools",
                poolJson("q", "10.0.0.0/24", "{}"), asMaster);
        assertThat(aliceClaims.statusCode()).isEqualTo(403);
        assertThat(aliceClaims.body()).contains("User \\\"alice\\\"");
        assertThat(send(PKI.clientContext(null), "GET", BASE + "/ippools", null, asMaster).statusCode())
                .isEqualTo(401);
    }

    @Test
    @DisplayName("a certificate from another CA fails the handshake; plain HTTP is not served")
    void refusals() throws Exception {
        SSLContext stranger = PKI.clientContext(STRANGER.client("CN=mallory,O=system:masters"));
        Throwable failed = catchThrowable(() -> send(stranger, "GET", BASE + "/ippools", null));
        assertThat(failed).isInstanceOf(IOException.class);
        Throwable plain = catchThrowable(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + Integer.getInteger("quarkus.http.test-port", 8081) + "/livez"))
                .build(), HttpResponse.BodyHandlers.ofString()));
        assertThat(plain).isInstanceOf(ConnectException.class);
    }

    @Test
    @DisplayName("new certificate files are picked up without a restart")
    void reload() throws Exception {
        SSLContext alice = PKI.clientContext(PKI.client("CN=alice,O=team-x"));
        BigInteger before = serial(alice);
        TestPki.Issued next = PKI.server();
        TestPki.writePem(DIR.resolve("server.key"), next.key());
        TestPki.writePem(DIR.resolve("server.crt"), next.cert());
        assertThat(eventually(20, () -> {
            try {
                return serial(alice).equals(next.cert().getSerialNumber());
            } catch (Exception e) {
                return false;
            }
        })).as("serving the new certificate (was serial %s)", before).isTrue();
    }

    private BigInteger serial(SSLContext ssl) throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().sslContext(ssl).build().send(HttpRequest.newBuilder(
                URI.create(https.toString().replaceAll("/$", "") + "/livez")).build(),
                HttpResponse.BodyHandlers.ofString());
        return ((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }
}
