package dev.ippool.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the machine's cores went during a scenario: each named process's CPU time (from /proc) and this load
 * generator's, in cores, and how busy the whole machine was. On 2 shared cores a throughput is a split of them
 * between etcd, the server and the generator; these facts show the split.
 *
 * <p>A measurement runs from {@link #measure} to {@link #record}, or over several windows ({@link #paused},
 * {@link #resume}, {@link #pause}) when a load runs in blocks taking turns with others' loads: each turn's figures
 * then cover its own blocks only.
 */
final class Cpu {

    private final Map<String, Long> processes;
    /** Per process: CPU seconds and JIT seconds at the start of the open window, then spent in closed ones. */
    private final Map<String, Double> before = new LinkedHashMap<>();
    private final Map<String, Double> jitBefore = new LinkedHashMap<>();
    private final Map<String, Double> spent = new LinkedHashMap<>();
    private final Map<String, Double> jitSpent = new LinkedHashMap<>();
    private long[] machineBefore;
    private final long[] machineSpent = new long[2];
    private double generatorBefore;
    private double generatorSpent;
    private long startedNanos;
    private long wallNanos;
    private boolean open;

    private Cpu(Map<String, Long> processes) {
        this.processes = processes;
        for (String name : processes.keySet()) {
            spent.put(name, 0.0);
            jitSpent.put(name, 0.0);
        }
    }

    /** Starts measuring the processes by name → pid (this generator is always measured). */
    static Cpu measure(Map<String, Long> processes) throws IOException {
        Cpu cpu = new Cpu(processes);
        cpu.resume();
        return cpu;
    }

    /** A measurement of the processes by name → pid whose first window opens with {@link #resume}. */
    static Cpu paused(Map<String, Long> processes) {
        return new Cpu(processes);
    }

    /** Opens a window. */
    void resume() {
        try {
            for (Map.Entry<String, Long> p : processes.entrySet()) {
                before.put(p.getKey(), Service.cpuSeconds(p.getValue()));
                jitBefore.put(p.getKey(), Service.jitCpuSeconds(p.getValue()));
            }
            machineBefore = machine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        generatorBefore = generator();
        startedNanos = System.nanoTime();
        open = true;
    }

    /** Closes the open window, adding what it saw to the measurement. */
    void pause() {
        try {
            for (Map.Entry<String, Long> p : processes.entrySet()) {
                spent.merge(p.getKey(), Service.cpuSeconds(p.getValue()) - before.get(p.getKey()), Double::sum);
                jitSpent.merge(p.getKey(), Service.jitCpuSeconds(p.getValue()) - jitBefore.get(p.getKey()),
                        Double::sum);
            }
            long[] now = machine();
            machineSpent[0] += now[0] - machineBefore[0];
            machineSpent[1] += now[1] - machineBefore[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        generatorSpent += generator() - generatorBefore;
        wallNanos += System.nanoTime() - startedNanos;
        open = false;
    }

    /**
     * Records {@code id-<name>-cpu-cores} per process (and {@code id-<name>-jit-cpu-cores}, its JIT compiler
     * threads' share, for a JVM), {@code id-generator-cpu-cores} and {@code id-machine-busy}, over the windows so
     * far (the open one included, which this closes).
     */
    void record(Results results, String id) {
        if (open) {
            pause();
        }
        double wall = wallNanos / 1e9;
        for (String name : processes.keySet()) {
            results.fact(id + "-" + name + "-cpu-cores", spent.get(name) / wall);
            if (jitSpent.get(name) > 0) {
                results.fact(id + "-" + name + "-jit-cpu-cores", jitSpent.get(name) / wall);
            }
        }
        results.fact(id + "-generator-cpu-cores", generatorSpent / wall);
        results.fact(id + "-machine-busy", 1 - (double) machineSpent[1] / Math.max(1, machineSpent[0]));
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
