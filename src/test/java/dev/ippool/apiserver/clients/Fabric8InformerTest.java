package dev.ippool.apiserver.clients;

import static dev.ippool.apiserver.support.Api.create;
import static dev.ippool.apiserver.support.Api.createPool;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.poolJson;
import static dev.ippool.apiserver.support.Api.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** fabric8's SharedIndexInformer (its default Vert.x transport) lists and follows IPPools unmodified. */
@QuarkusTest
class Fabric8InformerTest {

    private static final ResourceDefinitionContext IPPOOLS = new ResourceDefinitionContext.Builder()
            .withGroup("whereabouts.cni.cncf.io").withVersion("v1alpha1").withPlural("ippools").withKind("IPPool")
            .withNamespaced(true).build();

    @TestHTTPResource("/")
    URL root;

    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

    private String next() throws InterruptedException {
        String event = events.poll(20, TimeUnit.SECONDS);
        assertThat(event).as("an informer event within 20 s").isNotNull();
        return event;
    }

    @Test
    @DisplayName("informer: the listed pool, then a create, an update and a delete, each once and in order")
    void informerFollowsChanges() throws Exception {
        String ns = freshNamespace();
        String listed = createPool(ns, "listed");
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(root.toString()).withNamespace(ns)
                .withRequestTimeout(10_000).withWatchReconnectInterval(100).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
                SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(IPPOOLS)
                        .inNamespace(ns).inform(new ResourceEventHandler<>() {
                            @Override
                            public void onAdd(GenericKubernetesResource obj) {
                                events.add("ADD " + describe(obj));
                            }

                            @Override
                            public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource obj) {
                                events.add("UPDATE " + describe(old) + " -> " + describe(obj));
                            }

                            @Override
                            public void onDelete(GenericKubernetesResource obj, boolean unknownFinalState) {
                                events.add("DELETE " + describe(obj) + (unknownFinalState ? " unknown" : ""));
                            }
                        }, 0)) {
            assertThat(next()).isEqualTo("ADD listed@" + listed);
            informer.start().toCompletableFuture().get(20, TimeUnit.SECONDS);

            String created = create(ns, poolJson("p", "10.0.0.0/24", "{}")).then().statusCode(201).extract()
                    .path("metadata.resourceVersion");
            assertThat(next()).isEqualTo("ADD p@" + created);
            String updated = request().contentType("application/merge-patch+json")
                    .body("{\"spec\":{\"allocations\":{\"1\":{\"id\":\"c1\",\"podref\":\"ns/pod\"}}}}")
                    .patch(pool(ns, "p")).then().statusCode(200).extract().path("metadata.resourceVersion");
            assertThat(next()).isEqualTo("UPDATE p@" + created + " -> p@" + updated);
            request().delete(pool(ns, "p")).then().statusCode(200);
            // DELETED carries the last state at the deletion's own revision, which the delete Status does not name
            assertThat(next()).matches("DELETE p@\\d+").isNotEqualTo("DELETE p@" + updated);
            assertThat(informer.isWatching()).isTrue();
            assertThat(informer.getStore().list()).extracting(o -> o.getMetadata().getName()).containsExactly("listed");
            assertThat(events.poll(500, TimeUnit.MILLISECONDS)).as("no further events").isNull();
        }
    }

    private static String describe(GenericKubernetesResource obj) {
        return obj.getMetadata().getName() + "@" + obj.getMetadata().getResourceVersion();
    }
}
