package dev.ippool.apiserver.http;

import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.ResourceDefinition;
import dev.ippool.apiserver.config.IppoolConfig;
import dev.ippool.apiserver.kinds.Catalog;
import dev.ippool.apiserver.registry.Deleter;
import dev.ippool.apiserver.registry.Lister;
import dev.ippool.apiserver.registry.Names;
import dev.ippool.apiserver.registry.ResourceRegistry;
import dev.ippool.apiserver.registry.Views;
import dev.ippool.apiserver.registry.Watches;
import dev.ippool.apiserver.storage.Store;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The registries of every served resource, built once from the {@link Catalog}. */
@Singleton
public class Registries {

    /** Everything the HTTP layer needs for one resource. */
    public record Entry(ResourceRegistry registry, Lister lister, Deleter deleter, Watches watches, Views views) {
        public ResourceDefinition definition() {
            return registry.definition();
        }
    }

    private final List<Entry> entries;
    /** By "group/version/plural": every request looks its resource up. */
    private final Map<String, Entry> byPath;

    public Registries(Store store, Codec codec, IppoolConfig config) {
        Catalog catalog = Catalog.standard();
        Names names = new Names();
        this.entries = catalog.resources().stream().map(definition -> {
            ResourceRegistry registry = new ResourceRegistry(definition, store, codec, names, Clock.systemUTC(),
                    config.etcd().keyPrefix());
            Lister lister = new Lister(registry);
            return new Entry(registry, lister, new Deleter(registry, lister), new Watches(registry),
                    new Views(definition, Clock.systemUTC()));
        }).toList();
        this.byPath = entries.stream().collect(Collectors.toUnmodifiableMap(e -> path(e.definition().group(),
                e.definition().version(), e.definition().plural()), e -> e));
    }

    private static String path(String group, String version, String plural) {
        return group + "/" + version + "/" + plural;
    }

    public List<Entry> entries() {
        return entries;
    }

    public Optional<Entry> find(String group, String version, String plural) {
        return Optional.ofNullable(byPath.get(path(group, version, plural)));
    }
}
