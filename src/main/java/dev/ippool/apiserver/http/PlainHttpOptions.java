package dev.ippool.apiserver.http;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.inject.Singleton;

/**
 * kube-apiserver (Go's net/http) speaks HTTP/2 only over TLS and answers an {@code Upgrade: h2c} request with
 * plain HTTP/1.1; so do we. Clients that try h2c by default (Java's HttpClient) therefore see the same protocol,
 * and each plain-HTTP watch keeps its own connection as it does against kube.
 */
@Singleton
public class PlainHttpOptions implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
