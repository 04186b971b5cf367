package dev.ippool.apiserver.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories and files that are removed when the test JVM exits. The CI machine is reused between
 * runs, and a test's tokens, certificates, kubeconfig caches and Prometheus data would otherwise stay in
 * {@code /tmp} after every {@code ./mvnw verify}. Deleting at exit rather than after each test keeps what a failed
 * test wrote until the run ends, which is when Surefire's report points at it.
 */
public final class Scratch {

    private Scratch() {
    }

    /** A new empty directory whose name starts with {@code prefix}. */
    public static Path directory(String prefix) {
        try {
            return removedAtExit(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new empty file named {@code prefix}…{@code suffix}. */
    public static Path file(String prefix, String suffix) {
        try {
            return removedAtExit(Files.createTempFile(prefix, suffix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path removedAtExit(Path path) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(path), "scratch-cleanup"));
        return path;
    }

    /** Deletes {@code root} and everything under it; what cannot be deleted (already gone) is skipped. */
    public static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a file removed under us while walking: what is left is removed by the next run's cleanup
        }
    }
}
