package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.createPool;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The official Kubernetes Python client ({@code python3-kubernetes}) follows a watch of this server. */
@QuarkusTest
class PythonClientWatchTest {

    static final String PYTHON = "/usr/bin/python3";

    @TestHTTPResource("/")
    URL root;

    static void requirePythonClient() throws Exception {
        Process probe = new ProcessBuilder(PYTHON, "-c", "import kubernetes").redirectErrorStream(true).start();
        assertThat(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0)
                .as("the Kubernetes Python client is missing: install it with `apt-get install python3-kubernetes`")
                .isTrue();
    }

    @Test
    @DisplayName("Python's watch.Watch().stream gets the initial ADDEDs, then ADDED and DELETED, and tracks the RV")
    void pythonWatch() throws Exception {
        requirePythonClient();
        String ns = freshNamespace();
        createPool(ns, "a");
        createPool(ns, "b");
        Path script = Path.of("src/test/python/watch_ippools.py").toAbsolutePath();
        assertThat(Files.exists(script)).isTrue();
        Process python = new ProcessBuilder(PYTHON, script.toString(), root.toString().replaceAll("/$", ""), ns, "4")
                .redirectErrorStream(true).start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
            } catch (Exception e) {
                lines.add("READ FAILED " + e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            assertThat(lines.poll(30, TimeUnit.SECONDS)).startsWith("ADDED a ");
            assertThat(lines.poll(10, TimeUnit.SECONDS)).startsWith("ADDED b ");
            String c = createPool(ns, "c");
            request().delete(pool(ns, "a")).then().statusCode(200);
            assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED c " + c);
            String deleted = lines.poll(10, TimeUnit.SECONDS);
            assertThat(deleted).startsWith("DELETED a ");
            String deletionRv = deleted.substring("DELETED a ".length());
            assertThat(Long.parseLong(deletionRv)).isGreaterThan(Long.parseLong(c));
            assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("DONE " + deletionRv);
            assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(python.exitValue()).isZero();
        } finally {
            python.destroyForcibly();
        }
    }
}
