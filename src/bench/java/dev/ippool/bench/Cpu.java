package dev.ippool.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the machine's cores went during a scenario: each named process's CPU time (from /proc) and this load
 * generator's, in cores, and how busy the whole machine was. On 2 shared cores a throughput is a split of them
 * between etcd, the server and the generator; these facts show the split.
 */
final class Cpu {

    private final Map<String, Long> processes;
    private final Map<String, Double> before = new LinkedHashMap<>();
    private final Map<String, Double> jitBefore = new LinkedHashMap<>();
    private final long[] machineBefore;
    private final double generatorBefore;
    private final long startedNanos;

    private Cpu(Map<String, Long> processes) throws IOException {
        this.processes = processes;
        for (Map.Entry<String, Long> p : processes.entrySet()) {
            before.put(p.getKey(), Service.cpuSeconds(p.getValue()));
            jitBefore.put(p.getKey(), Service.jitCpuSeconds(p.getValue()));
        }
        this.machineBefore = machine();
        this.generatorBefore = generator();
        this.startedNanos = System.nanoTime();
    }

    /** Starts measuring the processes by name → pid (this generator is always measured). */
    static Cpu measure(Map<String, Long> processes) throws IOException {
        return new Cpu(processes);
    }

    /**
     * Records {@code id-<name>-cpu-cores} per process (and {@code id-<name>-jit-cpu-cores}, its JIT compiler
     * threads' share, for a JVM), {@code id-generator-cpu-cores} and {@code id-machine-busy}.
     */
    void record(Results results, String id) throws IOException {
        double wall = (System.nanoTime() - startedNanos) / 1e9;
        for (Map.Entry<String, Long> p : processes.entrySet()) {
            results.fact(id + "-" + p.getKey() + "-cpu-cores", (Service.cpuSeconds(p.getValue())
                    - before.get(p.getKey())) / wall);
            double jit = Service.jitCpuSeconds(p.getValue()) - jitBefore.get(p.getKey());
            if (jit > 0) {
                results.fact(id + "-" + p.getKey() + "-jit-cpu-cores", jit / wall);
            }
        }
        results.fact(id + "-generator-cpu-cores", (generator() - generatorBefore) / wall);
        long[] now = machine();
        results.fact(id + "-machine-busy", 1 - (double) (now[1] - machineBefore[1])
                / Math.max(1, now[0] - machineBefore[0]));
    }

    private static double generator() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() / 1e9;
    }

    /** The machine's CPU time so far, all cores, from /proc/stat: {total, idle + iowait} in clock ticks. */
    private static long[] machine() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }
}
