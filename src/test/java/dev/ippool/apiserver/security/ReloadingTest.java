package dev.ippool.apiserver.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks are run by hand (the scheduled one is an hour away), so each moment of a rewrite is chosen. */
class ReloadingTest {

    private final ScheduledExecutorService never = Executors.newSingleThreadScheduledExecutor();
    private final List<Reloading.Outcome> outcomes = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        never.shutdownNow();
    }

    private Reloading<TokenFile> tokens(Path file) {
        return new Reloading<>(file, TokenFile::parse, never, 3_600_000, outcomes::add);
    }

    @Test
    @DisplayName("a file caught between truncation and write is not loaded: a change needs two equal reads")
    void halfWritten() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens.csv"), "t1,alice,1\n");
        Reloading<TokenFile> tokens = tokens(file);
        Files.writeString(file, ""); // what a check sees in the middle of `echo ... > tokens.csv`
        tokens.check();
        Files.writeString(file, "t1,alice,1\nt2,bob,2\n");
        tokens.check();
        assertThat(tokens.get().find("t1").name()).isEqualTo("alice");
        assertThat(tokens.get().find("t2")).isNull();
        assertThat(outcomes).isEmpty();
        tokens.check();
        assertThat(tokens.get().find("t2").name()).isEqualTo("bob");
        assertThat(outcomes).containsExactly(Reloading.Outcome.LOADED);
        tokens.check();
        assertThat(outcomes).containsExactly(Reloading.Outcome.LOADED);
    }

    @Test
    @DisplayName("an invalid file keeps the previous version, is reported once, and a fixed file loads")
    void invalid() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens.csv"), "t1,alice,1\n");
        Reloading<TokenFile> tokens = tokens(file);
        Files.writeString(file, "not,enough\n");
        tokens.check();
        tokens.check();
        tokens.check();
        assertThat(tokens.get().find("t1").name()).isEqualTo("alice");
        assertThat(outcomes).containsExactly(Reloading.Outcome.INVALID);
        Files.writeString(file, "t3,carol,3\n");
        tokens.check();
        tokens.check();
        assertThat(tokens.get().find("t1")).isNull();
        assertThat(tokens.get().find("t3").name()).isEqualTo("carol");
        assertThat(outcomes).containsExactly(Reloading.Outcome.INVALID, Reloading.Outcome.LOADED);
    }

    @Test
    @DisplayName("a missing file keeps the previous version and counts as unreadable; a bad first file fails start")
    void unreadable() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens.csv"), "t1,alice,1\n");
        Reloading<TokenFile> tokens = tokens(file);
        Files.delete(file);
        tokens.check();
        assertThat(tokens.get().find("t1").name()).isEqualTo("alice");
        assertThat(outcomes).containsExactly(Reloading.Outcome.UNREADABLE);
        Files.writeString(file, "bad\n");
        assertThatThrownBy(() -> tokens(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token file line 1: needs at least 3 columns (token,user,uid)");
    }
}
