package dev.ippool.apiserver.security;

import java.util.List;

/** An authenticated identity, as kube's {@code user.Info}. */
public record User(String name, String uid, List<String> groups) {

    public static final String AUTHENTICATED = "system:authenticated";
    public static final String UNAUTHENTICATED = "system:unauthenticated";
    public static final String MASTERS = "system:masters";

    /** Who a request without credentials is, when anonymous requests are allowed. */
    public static final User ANONYMOUS = new User("system:anonymous", "", List.of(UNAUTHENTICATED));

    public User {
        groups = List.copyOf(groups);
    }

    /** Every authenticated user is also in system:authenticated, as kube adds it. */
    static User authenticated(String name, String uid, List<String> groups) {
        List<String> all = new java.util.ArrayList<>(groups);
        if (!all.contains(AUTHENTICATED)) {
            all.add(AUTHENTICATED);
        }
        return new User(name, uid, all);
    }

    public boolean isAnonymous() {
        return groups.contains(UNAUTHENTICATED);
    }
}
