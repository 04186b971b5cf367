package dev.ippool.apiserver.http;

import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.config.StartAhead;
import dev.ippool.apiserver.discovery.Discovery;
import dev.ippool.apiserver.kinds.Catalog;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one {@link Codec} and the discovery documents of the application. */
@Singleton
public class CodecProducer {

    @Produces
    @Singleton
    Codec codec(StartAhead ahead) {
        return ahead.codec();
    }

    @Produces
    @Singleton
    Discovery discovery() {
        return new Discovery(Catalog.standard());
    }
}
