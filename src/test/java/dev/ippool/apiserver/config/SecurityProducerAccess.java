package dev.ippool.apiserver.config;

import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.security.Guard;

/** Lets tests outside the package build a {@link Guard} the way the application does. */
public final class SecurityProducerAccess {

    private SecurityProducerAccess() {
    }

    public static Guard guard(IppoolConfig config, Codec codec) {
        return new SecurityProducer().guard(config, codec, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }
}
