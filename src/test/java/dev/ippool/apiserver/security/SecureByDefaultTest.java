package dev.ippool.apiserver.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.config.IppoolConfig;
import dev.ippool.apiserver.config.SecurityProducerAccess;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Outside dev and test, no way to authenticate and no explicit allow-anonymous means no start. */
class SecureByDefaultTest {

    private static IppoolConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(IppoolConfig.class)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(values).build();
        return config.getConfigMapping(IppoolConfig.class);
    }

    @Test
    @DisplayName("production defaults refuse to start, naming the settings; allow-anonymous starts")
    void refusesWithoutAuthentication() {
        assertThatThrownBy(() -> SecurityProducerAccess.guard(config(Map.of()), new Codec()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no authentication configured: set ippool.auth.token-file (IPPOOL_AUTH_TOKEN_FILE) or a"
                        + " client CA (ippool.tls.client-ca-file), or explicitly ippool.auth.allow-anonymous=true");
        Guard open = SecurityProducerAccess.guard(config(Map.of("ippool.auth.allow-anonymous", "true")), new Codec());
        assertThat(open.authenticate(null, null).user()).isEqualTo(User.ANONYMOUS);
        assertThat(open.authenticate("Bearer x", null).unauthorized()).isTrue();
    }
}
