package dev.ippool.apiserver.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns {@code ippool.tls.*} (PEM files, as kube-apiserver's --tls-cert-file, --tls-private-key-file and
 * --client-ca-file) into the Quarkus TLS registry and HTTP settings: HTTPS with TLS 1.2+, certificates reloaded
 * from disk, client certificates requested and verified against the client CA, and no plain HTTP unless
 * {@code ippool.tls.allow-plain-http} is true.
 */
public class TlsConfigSource implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String cert = value(context, "ippool.tls.cert-file");
        String key = value(context, "ippool.tls.key-file");
        String clientCa = value(context, "ippool.tls.client-ca-file");
        String proxyCa = value(context, "ippool.auth.requestheader-client-ca");
        if (cert.isEmpty() || key.isEmpty()) {
            return List.of();
        }
        Map<String, String> props = new HashMap<>();
        props.put("quarkus.tls.key-store.pem.ippool.cert", cert);
        props.put("quarkus.tls.key-store.pem.ippool.key", key);
        props.put("quarkus.tls.protocols", "TLSv1.3,TLSv1.2");
        String reload = value(context, "ippool.tls.reload-interval");
        props.put("quarkus.tls.reload-period", reload.isEmpty() ? "1m" : reload);
        // TLS verifies against both CAs; the Guard then tells user certificates from the front proxy's
        String trusted = String.join(",", java.util.stream.Stream.of(clientCa, proxyCa).filter(f -> !f.isEmpty())
                .toList());
        if (!trusted.isEmpty()) {
            props.put("quarkus.tls.trust-store.pem.certs", trusted);
            props.put("quarkus.http.ssl.client-auth", "request");
        }
        boolean plain = value(context, "ippool.tls.allow-plain-http").equalsIgnoreCase("true");
        props.put("quarkus.http.insecure-requests", plain ? "enabled" : "disabled");
        return List.of(new PropertiesConfigSource(props, "ippool-tls", 275));
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null ? "" : v.getValue().trim();
    }
}
