package dev.ippool.apiserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How the Authorization header is read: scheme, whitespace, token. */
class BearerHeaderTest {

    private final Guard guard = new Guard(() -> TokenFile.parse("t0k3n,alice,1\n"), null, false);

    private String user(String header) {
        Guard.Identity identity = guard.authenticate(header, null);
        return identity.unauthorized() ? null : identity.user().name();
    }

    @Test
    @DisplayName("the bearer scheme in any case, then any whitespace, then the token (surrounding blanks ignored)")
    void accepted() {
        assertThat(user("Bearer t0k3n")).isEqualTo("alice");
        assertThat(user("bearer t0k3n")).isEqualTo("alice");
        assertThat(user("BEARER\tt0k3n")).isEqualTo("alice");
        assertThat(user("  Bearer   t0k3n  ")).isEqualTo("alice");
    }

    @Test
    @DisplayName("another scheme, no token, no separator or a wrong token: 401")
    void refused() {
        assertThat(user("Basic t0k3n")).isNull();
        assertThat(user("Bearer")).isNull();
        assertThat(user("Bearer   ")).isNull();
        assertThat(user("Bearert0k3n")).isNull();
        assertThat(user("Bearer t0k3n2")).isNull();
        assertThat(user("Bearer t0k3n extra")).isNull();
    }
}
