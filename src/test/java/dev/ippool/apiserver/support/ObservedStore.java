package dev.ippool.apiserver.support;

import dev.ippool.apiserver.storage.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.BiConsumer;

/** A {@link Store} in front of a real one that lets a test see (and replace the arguments of) every call. */
public final class ObservedStore {

    private ObservedStore() {
    }

    /**
     * {@code target}, with {@code onCall} told each call's method name and arguments first; it may replace an
     * argument in the array (a watch's listener, say) before the call goes on to {@code target}.
     */
    public static Store of(Store target, BiConsumer<String, Object[]> onCall) {
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    onCall.accept(method.getName(), args);
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
