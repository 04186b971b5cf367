package dev.ippool.apiserver.registry.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable set of field paths, as structured-merge-diff's {@code fieldpath.Set}: a trie whose nodes are path
 * elements in FieldsV1 form ({@code f:name}, {@code k:{...}}, {@code v:...}, {@code i:N}) and may each be a member.
 * It reads and writes the FieldsV1 JSON of {@code managedFields}, where a member with children is {@code ".": {}}.
 */
public final class FieldSet {

    public static final FieldSet EMPTY = new FieldSet(false, Map.of());
    /** A member with no children: a leaf field. */
    private static final FieldSet LEAF = new FieldSet(true, Map.of());

    private final boolean member;
    private final Map<String, FieldSet> children;

    private FieldSet(boolean member, Map<String, FieldSet> children) {
        this.member = member;
        this.children = children;
    }

    public static FieldSet of(List<List<String>> paths) {
        Builder b = new Builder();
        paths.forEach(b::add);
        return b.build();
    }

    public boolean isEmpty() {
        return !member && children.isEmpty();
    }

    public boolean contains(List<String> path) {
        FieldSet node = this;
        for (String e : path) {
            node = node.children.get(e);
            if (node == null) {
                return false;
            }
        }
        return node.member;
    }

    /** Member paths in sorted order (the order kube lists conflicts in). */
    public List<List<String>> paths() {
        List<List<String>> out = new ArrayList<>();
        collect(new ArrayList<>(), out);
        return out;
    }

    private void collect(List<String> prefix, List<List<String>> out) {
        if (member && !prefix.isEmpty()) {
            out.add(List.copyOf(prefix));
        }
        children.forEach((k, child) -> {
            prefix.add(k);
            child.collect(prefix, out);
            prefix.remove(prefix.size() - 1);
        });
    }

    public FieldSet union(FieldSet other) {
        return combine(this, other, Op.UNION);
    }

    public FieldSet difference(FieldSet other) {
        return combine(this, other, Op.DIFFERENCE);
    }

    public FieldSet intersection(FieldSet other) {
        return combine(this, other, Op.INTERSECTION);
    }

    private enum Op {
        UNION, DIFFERENCE, INTERSECTION;

        boolean test(boolean a, boolean b) {
            return switch (this) {
                case UNION -> a || b;
                case DIFFERENCE -> a && !b;
                case INTERSECTION -> a && b;
            };
        }
    }

    /**
     * Sets are immutable, so a combination shares every subtree the other side does not touch: a pool's 65,536
     * owned allocations minus one changed field costs a copy of one sorted map and one lookup, not 65,536 merges.
     */
    private static FieldSet combine(FieldSet a, FieldSet b, Op op) {
        if (a == b) {
            return op == Op.DIFFERENCE ? EMPTY : a;
        }
        if (b.isEmpty()) {
            return op == Op.INTERSECTION ? EMPTY : a;
        }
        if (a.isEmpty()) {
            return op == Op.UNION ? b : EMPTY;
        }
        boolean member = op.test(a.member, b.member);
        TreeMap<String, FieldSet> children;
        if (op == Op.INTERSECTION) {
            children = new TreeMap<>();
            Map<String, FieldSet> small = a.children.size() <= b.children.size() ? a.children : b.children;
            for (String k : small.keySet()) {
                FieldSet x = a.children.get(k);
                FieldSet y = b.children.get(k);
                if (x != null && y != null) {
                    putIfNotEmpty(children, k, combine(x, y, op));
                }
            }
        } else {
            // start from the larger side of a union (it is symmetric), from a for a difference
            boolean swap = op == Op.UNION && a.children.size() < b.children.size();
            FieldSet base = swap ? b : a;
            FieldSet other = swap ? a : b;
            children = new TreeMap<>(base.children);
            for (Map.Entry<String, FieldSet> e : other.children.entrySet()) {
                FieldSet mine = base.children.get(e.getKey());
                if (mine == null) {
                    if (op == Op.UNION) {
                        putIfNotEmpty(children, e.getKey(), e.getValue());
                    }
                } else {
                    FieldSet c = swap ? combine(e.getValue(), mine, op) : combine(mine, e.getValue(), op);
                    if (c.isEmpty()) {
                        children.remove(e.getKey());
                    } else {
                        children.put(e.getKey(), c);
                    }
                }
            }
        }
        return of(member, children);
    }

    private static void putIfNotEmpty(Map<String, FieldSet> children, String key, FieldSet set) {
        if (!set.isEmpty()) {
            children.put(key, set);
        }
    }

    /** The FieldsV1 JSON of this set as a tree (objects kept sorted as built, so writing them never re-sorts). */
    public ObjectNode toFieldsV1() {
        return FieldsV1.tree(this);
    }

    /** The set read from FieldsV1 JSON: a tree, or the value node {@link FieldsV1#node} put in an object. */
    public static FieldSet fromFieldsV1(JsonNode fields) {
        return FieldsV1.read(fields);
    }

    boolean member() {
        return member;
    }

    Map<String, FieldSet> children() {
        return children;
    }

    /** A set with that root; the childless ones are shared, as a pool names three leaves per allocation. */
    static FieldSet of(boolean member, Map<String, FieldSet> children) {
        if (children.isEmpty()) {
            return member ? LEAF : EMPTY;
        }
        return new FieldSet(member, children);
    }

    /** {@code fieldpath.Path.String()}: {@code .spec.allocations.1}, {@code [uid="x"]}, {@code [="v"]}. */
    public static String render(List<String> path) {
        StringBuilder b = new StringBuilder();
        for (String e : path) {
            String body = e.substring(2);
            switch (e.charAt(0)) {
                case 'f' -> b.append('.').append(body);
                case 'v' -> b.append("[=").append(body).append(']');
                case 'i' -> b.append('[').append(body).append(']');
                default -> b.append('[').append(renderKey(body)).append(']');
            }
        }
        return b.toString();
    }

    /** {@code {"uid":"x"}} → {@code uid="x"}. */
    private static String renderKey(String json) {
        String inner = json.substring(1, json.length() - 1);
        return inner.replaceAll("\"([^\"]+)\":", "$1=");
    }

    @Override
    public boolean equals(Object o) {
        // sets share subtrees, so identity first: a pool's unchanged allocations compare without a walk
        return o == this || o instanceof FieldSet f && f.member == member && f.children.equals(children);
    }

    @Override
    public int hashCode() {
        return children.hashCode() * 31 + (member ? 1 : 0);
    }

    @Override
    public String toString() {
        return paths().stream().map(FieldSet::render).toList().toString();
    }

    /** Collects paths; a set is built once, then never changes. */
    public static final class Builder {
        private final Node root = new Node();

        private static final class Node {
            boolean member;
            final TreeMap<String, Node> children = new TreeMap<>();

            FieldSet freeze() {
                TreeMap<String, FieldSet> c = new TreeMap<>();
                children.forEach((k, n) -> c.put(k, n.freeze()));
                return of(member, c);
            }
        }

        public Builder add(List<String> path) {
            Node n = root;
            for (String e : path) {
                n = n.children.computeIfAbsent(e, k -> new Node());
            }
            n.member = true;
            return this;
        }

        public FieldSet build() {
            return root.freeze();
        }
    }
}
