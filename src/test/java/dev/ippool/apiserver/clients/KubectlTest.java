package dev.ippool.apiserver.clients;

import static dev.ippool.apiserver.support.Api.freshNamespace;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ippool.apiserver.support.Kubectl;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The real kubectl (v1.32) against the service, through a plain kubeconfig; asserts on kubectl's own output. */
@QuarkusTest
class KubectlTest {

    @TestHTTPResource("/")
    URL root;

    private Kubectl kubectl;
    private String ns;

    @BeforeEach
    void kubeconfig() {
        ns = freshNamespace();
        kubectl = new Kubectl(root.toString().replaceAll("/$", ""), ns);
    }

    private static String pool(String name, String range, String tier) {
        return "apiVersion: whereabouts.cni.cncf.io/v1alpha1\nkind: IPPool\nmetadata:\n  name: " + name + "\n"
                + "  labels:\n    tier: " + tier + "\nspec:\n  range: " + range + "\n  allocations:\n"
                + "    \"1\": {id: c1, podref: default/pod-1}\n    \"2\": {id: c2, podref: default/pod-2, ifname: eth0}\n";
    }

    /** Output lines split on runs of spaces: kubectl pads columns to the widest cell. */
    private static List<List<String>> table(String out) {
        return out.lines().map(l -> Arrays.asList(l.trim().split("\\s+"))).toList();
    }

    @Test
    @DisplayName("discovery, create with strict validation, get (Table, wide, -l, -A, --chunk-size), -o yaml/json/"
            + "jsonpath/name, explain")
    void readAndCreate() throws Exception {
        assertThat(table(kubectl.run("api-resources", "--api-group=whereabouts.cni.cncf.io").ok().out()))
                .containsExactly(List.of("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"),
                        List.of("ippools", "whereabouts.cni.cncf.io/v1alpha1", "true", "IPPool"),
                        List.of("nodeslicepools", "whereabouts.cni.cncf.io/v1alpha1", "true", "NodeSlicePool"),
                        List.of("overlappingrangeipreservations", "whereabouts.cni.cncf.io/v1alpha1", "true",
                                "OverlappingRangeIPReservation"));
        kubectl.file("a.yaml", pool("pool-a", "10.10.0.0/24", "gold"));
        kubectl.file("b.yaml", pool("pool-b", "10.20.0.0/28", "silver"));
        assertThat(kubectl.run("create", "-f", "a.yaml").ok().out())
                .isEqualTo("ippool.whereabouts.cni.cncf.io/pool-a created\n");
        assertThat(kubectl.run("create", "-f", "b.yaml").ok().out())
                .isEqualTo("ippool.whereabouts.cni.cncf.io/pool-b created\n");
        kubectl.file("bad.yaml", pool("pool-x", "10.30.0.0/24", "gold") + "  bogus: 1\n");
        Kubectl.Result bad = kubectl.run("create", "-f", "bad.yaml");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("Error from server (BadRequest): error when creating \"bad.yaml\": IPPool in"
                + " version \"v1alpha1\" cannot be handled as a IPPool: strict decoding error: unknown field"
                + " \"spec.bogus\"\n");

        List<List<String>> rows = table(kubectl.run("get", "ippools").ok().out());
        assertThat(rows.get(0)).containsExactly("NAME", "RANGE", "ALLOCATED", "CAPACITY", "AGE");
        assertThat(rows.get(1).subList(0, 4)).containsExactly("pool-a", "10.10.0.0/24", "2", "254");
        assertThat(rows.get(2).subList(0, 4)).containsExactly("pool-b", "10.20.0.0/28", "2", "14");
        assertThat(rows).hasSize(3);
        List<List<String>> wide = table(kubectl.run("get", "ippools", "-o", "wide").ok().out());
        assertThat(wide.get(0)).containsExactly("NAME", "RANGE", "ALLOCATED", "CAPACITY", "AGE", "UTILIZATION");
        assertThat(wide.get(2).get(5)).isEqualTo("14.3%");
        assertThat(table(kubectl.run("get", "ippools", "-l", "tier=gold").ok().out())).hasSize(2)
                .element(1).extracting(r -> r.get(0)).isEqualTo("pool-a");
        List<List<String>> all = table(kubectl.run("get", "ippools", "-A").ok().out());
        assertThat(all.get(0)).startsWith("NAMESPACE", "NAME");
        assertThat(all).anySatisfy(r -> assertThat(r.subList(0, 2)).containsExactly(ns, "pool-b"));
        assertThat(table(kubectl.run("get", "ippools", "--chunk-size=1").ok().out())).hasSize(3);

        assertThat(kubectl.run("get", "ippool", "pool-a", "-o", "yaml").ok().out())
                .contains("kind: IPPool\n").contains("  range: 10.10.0.0/24\n").contains("  namespace: " + ns + "\n");
        JsonNode json = new ObjectMapper().readTree(kubectl.run("get", "ippool", "pool-b", "-o", "json").ok().out());
        assertThat(json.path("spec").path("allocations").path("2").path("ifname").asText()).isEqualTo("eth0");
        assertThat(kubectl.run("get", "ippools", "-o", "jsonpath={.items[*].spec.range}").ok().out())
                .isEqualTo("10.10.0.0/24 10.20.0.0/28");
        assertThat(kubectl.run("get", "ippools", "-o", "name").ok().out()).isEqualTo(
                "ippool.whereabouts.cni.cncf.io/pool-a\nippool.whereabouts.cni.cncf.io/pool-b\n");
        assertThat(kubectl.run("explain", "ippools.spec.allocations").ok().out())
                .contains("FIELD: allocations <map[string]Object>").contains("podref\t<string> -required-");
    }

    @Test
    @DisplayName("apply (client-side, then a changed file, then unchanged), patch --type=merge|json, edit, delete")
    void writes() {
        kubectl.file("c.yaml", pool("pool-c", "10.30.0.0/24", "gold"));
        assertThat(kubectl.run("apply", "-f", "c.yaml").ok().out())
                .isEqualTo("ippool.whereabouts.cni.cncf.io/pool-c created\n");
        kubectl.file("c.yaml", pool("pool-c", "10.30.0.0/24", "silver"));
        assertThat(kubectl.run("apply", "-f", "c.yaml").ok().out())
                .isEqualTo("ippool.whereabouts.cni.cncf.io/pool-c configured\n");
        assertThat(kubectl.run("apply", "-f", "c.yaml").ok().out())
                .isEqualTo("ippool.whereabouts.cni.cncf.io/pool-c unchanged\n");
        assertThat(kubectl.run("get", "ippool", "pool-c", "-o",
                "jsonpath={.metadata.labels.tier} {.metadata.annotations.kubectl\\.kubernetes\\.io/"
                        + "last-applied-configuration}").ok().out())
                .startsWith("silver {\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":\"IPPool\"");

        assertThat(kubectl.run("patch", "ippool", "pool-c", "--type=merge", "-p",
                "{\"spec\":{\"range\":\"10.31.0.0/24\"}}").ok().out())
                .isEqualTo("ippool.whereabouts.cni.cncf.io/pool-c patched\n");
        assertThat(kubectl.run("patch", "ippool", "pool-c", "--type=json", "-p",
                "[{\"op\":\"add\",\"path\":\"/spec/allocations/5\",\"value\":{\"id\":\"c5\",\"podref\":\"ns/p5\"}}]")
                .ok().out()).isEqualTo("ippool.whereabouts.cni.cncf.io/pool-c patched\n");
        Kubectl.Result failedTest = kubectl.run("patch", "ippool", "pool-c", "--type=json", "-p",
                "[{\"op\":\"test\",\"path\":\"/spec/range\",\"value\":\"10.99.0.0/24\"}]");
        assertThat(failedTest.exit()).isEqualTo(1);
        assertThat(failedTest.err()).isEqualTo("The request is invalid: the server rejected our request due to an"
                + " error in our request\n");

        assertThat(kubectl.run(Map.of("EDITOR", "sed -i s/10.31.0.0/10.32.0.0/"), "edit", "ippool", "pool-c").ok()
                .out()).isEqualTo("ippool.whereabouts.cni.cncf.io/pool-c edited\n");
        assertThat(kubectl.run("get", "ippool", "pool-c", "-o", "jsonpath={.spec.range} {.spec.allocations.5.id}")
                .ok().out()).isEqualTo("10.32.0.0/24 c5");

        assertThat(kubectl.run("delete", "ippool", "pool-c").ok().out())
                .isEqualTo("ippool.whereabouts.cni.cncf.io \"pool-c\" deleted\n");
        Kubectl.Result gone = kubectl.run("get", "ippool", "pool-c");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).isEqualTo("Error from server (NotFound): ippools.whereabouts.cni.cncf.io \"pool-c\""
                + " not found\n");
    }

    @Test
    @DisplayName("get -w --output-watch-events: the listed pool, then MODIFIED and DELETED as they happen")
    void watch() throws Exception {
        kubectl.file("d.yaml", pool("pool-d", "10.40.0.0/24", "gold"));
        kubectl.run("create", "-f", "d.yaml").ok();
        try (Kubectl.Running watch = kubectl.start("get", "ippools", "-w", "--output-watch-events")) {
            assertThat(watch.nextLine().trim().split("\\s+")).containsExactly("EVENT", "NAME", "RANGE", "ALLOCATED",
                    "CAPACITY", "AGE");
            assertThat(watch.nextLine().trim().split("\\s+")).startsWith("ADDED", "pool-d", "10.40.0.0/24", "2");
            kubectl.run("patch", "ippool", "pool-d", "--type=json", "-p",
                    "[{\"op\":\"remove\",\"path\":\"/spec/allocations/1\"}]").ok();
            assertThat(watch.nextLine().trim().split("\\s+")).startsWith("MODIFIED", "pool-d", "10.40.0.0/24", "1");
            kubectl.run("delete", "ippool", "pool-d").ok();
            assertThat(watch.nextLine().trim().split("\\s+")).startsWith("DELETED", "pool-d");
        }
    }

    @Test
    @DisplayName("apply --server-side: creates, conflicts with another manager's field, --force-conflicts takes it")
    void serverSideApply() {
        kubectl.file("e.yaml", pool("pool-e", "10.50.0.0/24", "gold"));
        assertThat(kubectl.run("apply", "--server-side", "-f", "e.yaml").ok().out())
                .isEqualTo("ippool.whereabouts.cni.cncf.io/pool-e serverside-applied\n");
        kubectl.run("patch", "ippool", "pool-e", "--type=merge", "-p", "{\"spec\":{\"range\":\"10.51.0.0/24\"}}")
                .ok();
        Kubectl.Result conflict = kubectl.run("apply", "--server-side", "-f", "e.yaml");
        assertThat(conflict.exit()).isEqualTo(1);
        assertThat(conflict.err()).startsWith("error: Apply failed with 1 conflict: conflict with \"kubectl-patch\""
                + " using whereabouts.cni.cncf.io/v1alpha1: .spec.range\n");
        assertThat(kubectl.run("apply", "--server-side", "--force-conflicts", "-f", "e.yaml").ok().out())
                .isEqualTo("ippool.whereabouts.cni.cncf.io/pool-e serverside-applied\n");
        assertThat(kubectl.run("get", "ippool", "pool-e", "-o",
                "jsonpath={.spec.range} {.metadata.managedFields[*].manager}").ok().out())
                .isEqualTo("10.50.0.0/24 kubectl");
    }
}
