package dev.ippool.apiserver.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ippool.apiserver.api.Codec;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Request attributes, token files and RBAC rule matching, table-driven, without a server. */
class RbacTest {

    private final Codec codec = new Codec();

    @Test
    @DisplayName("RequestInfo: verbs from method, name and watch; namespaces; /watch paths; non-resource paths")
    void requestInfo() {
        String base = "/apis/whereabouts.cni.cncf.io/v1alpha1";
        Object[][] cases = {
            {"GET", base + "/ippools", false, "list", "", "ippools", ""},
            {"GET", base + "/namespaces/ns/ippools", false, "list", "ns", "ippools", ""},
            {"GET", base + "/namespaces/ns/ippools", true, "watch", "ns", "ippools", ""},
            {"GET", base + "/watch/namespaces/ns/ippools/p", false, "watch", "ns", "ippools", "p"},
            {"GET", base + "/namespaces/ns/ippools/p", false, "get", "ns", "ippools", "p"},
            {"HEAD", base + "/namespaces/ns/ippools/p", false, "get", "ns", "ippools", "p"},
            {"POST", base + "/namespaces/ns/ippools", false, "create", "ns", "ippools", ""},
            {"PUT", base + "/namespaces/ns/ippools/p", false, "update", "ns", "ippools", "p"},
            {"PATCH", base + "/namespaces/ns/ippools/p", false, "patch", "ns", "ippools", "p"},
            {"DELETE", base + "/namespaces/ns/ippools/p", false, "delete", "ns", "ippools", "p"},
            {"DELETE", base + "/namespaces/ns/ippools", false, "deletecollection", "ns", "ippools", ""},
            {"GET", "/api/v1/namespaces/ns", false, "get", "ns", "namespaces", "ns"},
        };
        for (Object[] c : cases) {
            RequestInfo r = RequestInfo.parse((String) c[0], (String) c[1], (Boolean) c[2]);
            assertThat(r.resourceRequest()).as((String) c[1]).isTrue();
            assertThat(List.<Object>of(r.verb(), r.namespace(), r.resource(), r.name())).as(c[0] + " " + c[1])
                    .containsExactly(c[3], c[4], c[5], c[6]);
        }
        for (String path : new String[] {"/apis", "/apis/whereabouts.cni.cncf.io", base, "/version", "/openapi/v3"}) {
            RequestInfo r = RequestInfo.parse("GET", path, false);
            assertThat(r.resourceRequest()).as(path).isFalse();
            assertThat(r.verb()).isEqualTo("get");
        }
    }

    @Test
    @DisplayName("token file: quoted groups, blank lines, system:authenticated added; too few columns rejected")
    void tokenFile() {
        TokenFile f = TokenFile.parse("t1,alice,10,\"a,b\"\n\n t2, bob ,11\n");
        assertThat(f.find("t1")).isEqualTo(new User("alice", "10", List.of("a", "b", "system:authenticated")));
        assertThat(f.find("t2").name()).isEqualTo("bob ");
        assertThat(f.find("t3")).isNull();
        assertThatThrownBy(() -> TokenFile.parse("t1,alice\n")).hasMessage(
                "token file line 1: needs at least 3 columns (token,user,uid)");
    }

    @Test
    @DisplayName("rules: verbs, groups, resources, resourceNames, wildcards, scopes, subjects; masters may all")
    void rules() {
        Rbac rbac = Rbac.parse("""
                kind: List
                items:
                - kind: ClusterRole
                  metadata: {name: all-pools}
                  rules: [{apiGroups: ["*"], resources: [ippools], verbs: ["*"]}]
                - kind: ClusterRole
                  metadata: {name: named}
                  rules: [{apiGroups: [whereabouts.cni.cncf.io], resources: [ippools], resourceNames: [a], verbs: [get]}]
                - kind: ClusterRole
                  metadata: {name: paths}
                  rules: [{nonResourceURLs: ["/metrics", "/debug/*"], verbs: [get]}]
                - kind: ClusterRoleBinding
                  metadata: {name: ops}
                  roleRef: {kind: ClusterRole, name: all-pools}
                  subjects: [{kind: Group, name: ops}]
                - kind: ClusterRoleBinding
                  metadata: {name: metrics}
                  roleRef: {kind: ClusterRole, name: paths}
                  subjects: [{kind: User, name: prom}]
                - kind: RoleBinding
                  metadata: {name: named, namespace: ns1}
                  roleRef: {kind: ClusterRole, name: named}
                  subjects: [{kind: ServiceAccount, name: sa}]
                """, codec.yamlMapper());
        User ops = new User("o", "", List.of("ops"));
        User sa = new User("system:serviceaccount:ns1:sa", "", List.of());
        User prom = new User("prom", "", List.of());
        User root = new User("root", "", List.of("system:masters"));
        String base = "/apis/whereabouts.cni.cncf.io/v1alpha1";
        Object[][] cases = {
            {ops, "DELETE", base + "/namespaces/x/ippools/p", true},
            {ops, "GET", base + "/ippools", true},
            {ops, "GET", "/api/v1/namespaces/x/pods", false},
            {sa, "GET", base + "/namespaces/ns1/ippools/a", true},
            {sa, "GET", base + "/namespaces/ns1/ippools/b", false},
            {sa, "GET", base + "/namespaces/ns2/ippools/a", false},
            {sa, "GET", base + "/namespaces/ns1/ippools", false},
            {prom, "GET", "/metrics", true},
            {prom, "GET", "/debug/pprof", true},
            {prom, "POST", "/metrics", false},
            {prom, "GET", base + "/ippools", false},
            {root, "DELETE", base + "/namespaces/x/ippools", true},
        };
        for (Object[] c : cases) {
            RequestInfo r = RequestInfo.parse((String) c[1], (String) c[2], false);
            assertThat(rbac.allows((User) c[0], r)).as(((User) c[0]).name() + " " + c[1] + " " + c[2])
                    .isEqualTo(c[3]);
        }
        assertThatThrownBy(() -> Rbac.parse("kind: Pod\n", codec.yamlMapper())).hasMessageContaining(
                "unexpected kind Pod");
    }

    @Test
    @DisplayName("anonymous requests (when allowed) are system:anonymous in system:unauthenticated: RBAC decides")
    void anonymous() {
        Rbac rbac = Rbac.parse("""
                kind: ClusterRole
                metadata: {name: read}
                rules: [{apiGroups: ["*"], resources: ["*"], verbs: [get, list]}]
                ---
                kind: RoleBinding
                metadata: {name: public, namespace: public}
                roleRef: {kind: ClusterRole, name: read}
                subjects: [{kind: Group, name: system:unauthenticated}]
                """, codec.yamlMapper());
        Guard guard = new Guard(null, () -> rbac, true);
        User anonymous = guard.authenticate(null, null).user();
        assertThat(anonymous).isEqualTo(User.ANONYMOUS);
        String base = "/apis/whereabouts.cni.cncf.io/v1alpha1";
        assertThat(guard.authorize(anonymous, RequestInfo.parse("GET", base + "/namespaces/public/ippools", false)))
                .isTrue();
        assertThat(guard.authorize(anonymous, RequestInfo.parse("GET", base + "/namespaces/other/ippools", false)))
                .isFalse();
        assertThat(guard.authorize(anonymous, RequestInfo.parse("GET", "/apis", false))).isFalse();
    }
}
