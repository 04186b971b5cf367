package dev.ippool.apiserver.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A file parsed once and again whenever its bytes change, checked on a background thread so request threads
 * only read a reference. A file that stops parsing keeps the last good version in force (and says so).
 *
 * <p>Changed bytes are loaded only once two checks in a row read the same bytes. A file rewritten in place
 * ({@code echo > tokens.csv}, most editors) is truncated before it is written; a check that falls between the
 * two would otherwise load an empty token file, which is valid and locks every user out until the next check.
 * A Secret or ConfigMap volume swaps its files atomically and costs one extra interval.
 */
public final class Reloading<T> {

    /** What a check did with changed bytes; each is counted, so operators can alert on a file that stopped parsing. */
    public enum Outcome { LOADED, INVALID, UNREADABLE }

    private static final Logger LOG = Logger.getLogger(Reloading.class);

    private final Path path;
    private final Function<String, T> parser;
    private final Consumer<Outcome> outcomes;
    private final AtomicReference<T> current = new AtomicReference<>();
    // touched only by the scheduler's one thread after the constructor
    private byte[] lastBytes;
    private byte[] pendingBytes;

    /** Parses now (a bad file fails start-up) and then every {@code intervalMillis}. */
    public Reloading(Path path, Function<String, T> parser, ScheduledExecutorService scheduler, long intervalMillis,
            Consumer<Outcome> outcomes) {
        this.path = path;
        this.parser = parser;
        this.outcomes = outcomes;
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

    /** One check; package-private so a test can run checks at the moments it chooses. */
    void check() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            LOG.errorf("%s could not be read, keeping the previous version: %s", path, e.getClass().getSimpleName());
            outcomes.accept(Outcome.UNREADABLE);
            return;
        }
        if (Arrays.equals(bytes, lastBytes)) {
            pendingBytes = null;
            return;
        }
        if (!Arrays.equals(bytes, pendingBytes)) {
            pendingBytes = bytes; // maybe half-written: wait for the next check to read the same
            return;
        }
        pendingBytes = null;
        try {
            load(bytes);
            LOG.infof("reloaded %s", path);
            outcomes.accept(Outcome.LOADED);
        } catch (RuntimeException e) {
            lastBytes = bytes;
            // never log the content: a token file holds secrets
            LOG.errorf("%s is not valid, keeping the previous version: %s", path,
                    e instanceof IllegalArgumentException ? e.getMessage() : e.getClass().getSimpleName());
            outcomes.accept(Outcome.INVALID);
        }
    }

    public T get() {
        return current.get();
    }
}
