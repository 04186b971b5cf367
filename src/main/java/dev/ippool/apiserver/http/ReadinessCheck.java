package dev.ippool.apiserver.http;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Quarkus' /q/health/ready says what /readyz says. */
@Readiness
@Singleton
public class ReadinessCheck implements HealthCheck {

    private final Probes probes;

    public ReadinessCheck(Probes probes) {
        this.probes = probes;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("readyz").status(probes.ready()).build();
    }
}
