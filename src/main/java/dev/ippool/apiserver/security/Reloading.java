package dev.ippool.apiserver.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A file parsed once and again whenever its bytes change, checked on a background thread so request threads
 * only read a reference. A file that stops parsing keeps the last good version in force (and says so).
 */
public final class Reloading<T> {

    private static final Logger LOG = Logger.getLogger(Reloading.class);

    private final Path path;
    private final Function<String, T> parser;
    private final AtomicReference<T> current = new AtomicReference<>();
    private byte[] lastBytes;

    /** Parses now (a bad file fails start-up) and then every {@code intervalMillis}. */
    public Reloading(Path path, Function<String, T> parser, ScheduledExecutorService scheduler, long intervalMillis) {
        this.path = path;
        this.parser = parser;
        try {
            load(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
        }
        scheduler.scheduleWithFixedDelay(this::check, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void load(byte[] bytes) {
        current.set(parser.apply(new String(bytes, StandardCharsets.UTF_8)));
        lastBytes = bytes;
    }

    private void check() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            LOG.errorf("%s could not be read, keeping the previous version: %s", path, e.getClass().getSimpleName());
            return;
        }
        if (Arrays.equals(bytes, lastBytes)) {
            return;
        }
        try {
            load(bytes);
            LOG.infof("reloaded %s", path);
        } catch (RuntimeException e) {
            lastBytes = bytes;
            // never log the content: a token file holds secrets
            LOG.errorf("%s is not valid, keeping the previous version: %s", path,
                    e instanceof IllegalArgumentException ? e.getMessage() : e.getClass().getSimpleName());
        }
    }

    public T get() {
        return current.get();
    }
}
