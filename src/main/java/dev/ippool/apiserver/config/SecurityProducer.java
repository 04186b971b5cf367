package dev.ippool.apiserver.config;

import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.security.Guard;
import dev.ippool.apiserver.security.Rbac;
import dev.ippool.apiserver.security.Reloading;
import dev.ippool.apiserver.security.TokenFile;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Builds the {@link Guard} from {@code ippool.auth.*}: secure by default, the service refuses to start with no
 * way to authenticate unless anonymous requests are explicitly allowed (dev and test profiles allow them).
 */
@Singleton
public class SecurityProducer {

    private static final Logger LOG = Logger.getLogger(SecurityProducer.class);

    private final ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "auth-reload");
        t.setDaemon(true);
        return t;
    });

    @Produces
    @Singleton
    Guard guard(IppoolConfig config, Codec codec, MeterRegistry meters) {
        IppoolConfig.Auth auth = config.auth();
        long interval = auth.reloadInterval().toMillis();
        Reloading<TokenFile> tokens = auth.tokenFile().map(f -> new Reloading<>(Path.of(f), TokenFile::parse,
                reloader, interval, counted(meters, "tokens"))).orElse(null);
        Reloading<Rbac> rbac = auth.rbacFile().map(f -> new Reloading<>(Path.of(f),
                text -> Rbac.parse(text, codec.yamlMapper()), reloader, interval, counted(meters, "rbac")))
                .orElse(null);
        List<X509Certificate> clientCas = config.tls().clientCaFile().map(SecurityProducer::certificates)
                .orElse(List.of());
        List<X509Certificate> proxyCas = auth.requestheaderClientCa().map(SecurityProducer::certificates)
                .orElse(List.of());
        boolean authenticates = tokens != null || !clientCas.isEmpty() || !proxyCas.isEmpty();
        if (!authenticates && !auth.allowAnonymous()) {
            throw new IllegalStateException("no authentication configured: set ippool.auth.token-file"
                    + " (IPPOOL_AUTH_TOKEN_FILE) or a client CA (ippool.tls.client-ca-file), or explicitly"
                    + " ippool.auth.allow-anonymous=true");
        }
        if (config.tls().certFile().isEmpty() && !io.quarkus.runtime.LaunchMode.current().isDevOrTest()) {
            LOG.warn("serving plain HTTP: set ippool.tls.cert-file and ippool.tls.key-file for HTTPS");
        }
        if (auth.allowAnonymous() && rbac == null) {
            LOG.warn("*** anonymous requests may do everything: ippool.auth.allow-anonymous is true and no"
                    + " ippool.auth.rbac-file is set ***");
        } else if (rbac == null) {
            LOG.warn("no ippool.auth.rbac-file: every authenticated user may do everything");
        }
        return new Guard(tokens == null ? null : tokens::get, rbac == null ? null : rbac::get,
                auth.allowAnonymous(), clientCas, proxyCas,
                new java.util.HashSet<>(auth.requestheaderAllowedNames().orElse(List.of())));
    }

    /** {@code ippool_auth_file_reloads_total{file, result}}: a file that stopped parsing is otherwise silent. */
    private static Consumer<Reloading.Outcome> counted(MeterRegistry meters, String file) {
        return outcome -> meters.counter("ippool.auth.file.reloads", "file", file,
                "result", outcome.name().toLowerCase(java.util.Locale.ROOT)).increment();
    }

    private static List<X509Certificate> certificates(String pemFile) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(Path.of(pemFile))) {
            return java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> (X509Certificate) c).toList();
        } catch (java.io.IOException | java.security.cert.CertificateException e) {
            throw new IllegalStateException("cannot read certificates from " + pemFile + ": " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void stop() {
        reloader.shutdownNow();
    }
}
