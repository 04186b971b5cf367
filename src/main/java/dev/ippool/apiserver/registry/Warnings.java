package dev.ippool.apiserver.registry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The {@code Warning} headers of one request, de-duplicated in order, as kube's warning recorder keeps them. */
public final class Warnings {

    private final Set<String> messages = new LinkedHashSet<>();

    public void add(String message) {
        messages.add(message);
    }

    public List<String> messages() {
        return new ArrayList<>(messages);
    }
}
