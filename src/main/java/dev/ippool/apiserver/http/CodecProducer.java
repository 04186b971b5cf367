package dev.ippool.apiserver.http;

import dev.ippool.apiserver.api.Codec;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one {@link Codec} of the application. */
@Singleton
public class CodecProducer {

    @Produces
    @Singleton
    Codec codec() {
        return new Codec();
    }
}
