package dev.ippool.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** {@code results.json} (one entry per scenario) and a Markdown table, with the machine they came from. */
final class Results {

    private final ObjectMapper json = new ObjectMapper();
    private final ObjectNode root = json.createObjectNode();
    private final ArrayNode scenarios = root.putArray("scenarios");
    private final ArrayNode storage = root.putArray("storage");
    private final ObjectNode facts = root.putObject("facts");
    private final StringBuilder table = new StringBuilder("| scenario | value | unit | baseline | ratio | target | pass |"
            + " failures |\n|---|---|---|---|---|---|---|---|\n");

    Results(ObjectNode configuration) {
        ObjectNode machine = root.putObject("machine");
        machine.put("nproc", Runtime.getRuntime().availableProcessors());
        machine.put("loadAverage", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        machine.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        root.set("configuration", configuration);
    }

    void add(String name, double value, String unit, double baseline, String target, Load.Outcome outcome) {
        add(name, value, unit, baseline, target, outcome, null);
    }

    void add(String name, double value, String unit, double baseline, String target, Load.Outcome outcome,
            Boolean pass) {
        boolean passed = (pass == null || pass) && outcome.failures() == 0;
        ObjectNode s = scenarios.addObject();
        s.put("name", name).put("value", value).put("unit", unit).put("baseline", baseline)
                .put("ratio", baseline == 0 ? 0 : value / baseline).put("target", target).put("pass", passed)
                .put("p50Millis", outcome.p50Millis()).put("p99Millis", outcome.p99Millis())
                .put("operations", outcome.operations()).put("failures", outcome.failures());
        table.append(String.format(Locale.ROOT, "| %s | %.2f | %s | %.2f | %.2f | %s | %s | %d |%n", name, value, unit,
                baseline, baseline == 0 ? 0 : value / baseline, target, passed ? "yes" : "no", outcome.failures()));
        System.out.printf(Locale.ROOT, "%s: %.2f %s (p50 %.2f ms, p99 %.2f ms, %d ops, %d failures)%n", name, value,
                unit, outcome.p50Millis(), outcome.p99Millis(), outcome.operations(), outcome.failures());
    }

    /** etcd's database size after a scenario, before and after the harness compacted and defragmented it. */
    void storage(String after, long before, long defragmented) {
        storage.addObject().put("after", after).put("dbSizeBytes", before).put("dbSizeDefragmentedBytes",
                defragmented);
        System.out.printf("etcd after %s: %.1f MB, %.1f MB defragmented%n", after, before / 1e6, defragmented / 1e6);
    }

    /** A measured fact that is not a scenario of its own (sizes, counts), kept with the results. */
    void fact(String name, double value) {
        facts.put(name, value);
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("results.json").toFile(), root);
        Files.writeString(dir.resolve("results.md"), table.toString());
    }

    String table() {
        return table.toString();
    }

    int size() {
        return scenarios.size();
    }
}
