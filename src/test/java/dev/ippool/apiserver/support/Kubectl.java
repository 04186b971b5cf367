package dev.ippool.apiserver.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code kubectl} against the service, with its own kubeconfig and discovery cache in a temp
 * directory. A machine without kubectl fails the test with what to install, never skips it.
 */
public final class Kubectl {

    /** What one kubectl run printed. */
    public record Result(int exit, String out, String err) {
        public Result ok() {
            if (exit != 0) {
                throw new AssertionError("kubectl exited " + exit + ": " + err + out);
            }
            return this;
        }
    }

    private final Path dir;
    private final Path kubeconfig;

    public Kubectl(String server, String namespace) {
        try {
            this.dir = Scratch.directory("kubectl-");
            this.kubeconfig = dir.resolve("config");
            Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: ippool\n  cluster:\n"
                    + "    server: " + server + "\ncontexts:\n- name: ippool\n  context:\n    cluster: ippool\n"
                    + "    namespace: " + namespace + "\ncurrent-context: ippool\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        requireBinary();
    }

    private static void requireBinary() {
        try {
            Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("kubectl --client failed");
            }
        } catch (IOException e) {
            throw new AssertionError("kubectl (v1.32) is not on PATH; install it: https://dl.k8s.io/release/v1.32.4/"
                    + "bin/linux/amd64/kubectl (the CI machine image has it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public Path dir() {
        return dir;
    }

    private ProcessBuilder builder(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig,
                "--cache-dir=" + dir.resolve("cache")));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        return pb;
    }

    public Result run(String... args) {
        return run(Map.of(), args);
    }

    /** Runs to completion (60 s at most). */
    public Result run(Map<String, String> env, String... args) {
        try {
            Process p = builder(env, args).start();
            p.getOutputStream().close();
            var out = p.getInputStream().readAllBytes();
            var err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A long-running kubectl (get -w) whose output lines arrive on a queue. */
    public final class Running implements AutoCloseable {
        private final Process process;
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Running(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    r.lines().forEach(lines::add);
                } catch (IOException | UncheckedIOException e) {
                    // the process was stopped
                }
            }, "kubectl-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** The next line of output; fails after 20 s. */
        public String nextLine() throws InterruptedException {
            String line = lines.poll(20, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("kubectl printed nothing more in 20 s");
            }
            return line;
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    public Running start(String... args) {
        try {
            return new Running(builder(Map.of(), args).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file into kubectl's working directory. */
    public Path file(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
