package io.cutover.bench;

import io.cutover.engine.Engine;
import io.cutover.fleet.Fleet;
import io.cutover.fleet.FleetFiles;
import io.cutover.plan.file.PlanFile;
import io.cutover.plan.file.PlanFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How long reading, validating and previewing take for large inputs: a plan file of 10,000 steps (a chain in
 * which every step reads an output of the one before) and a fleet file of 10,000 environments. Prints the
 * figures at 1,000, 2,000, 5,000 and 10,000 so that the growth can be seen (linear: ten times the input, about
 * ten times the time).
 *
 * <pre>{@code ./mvnw -q -pl benchmarks -am -DskipTests package exec:java -Dexec.mainClass=io.cutover.bench.ValidationBenchmark}</pre>
 */
public final class ValidationBenchmark {
    private ValidationBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("cutover-validation-bench");
        // One warm-up round, so that class loading and the JIT are not counted as the first size's time.
        plan(dir, 500);
        fleet(dir, 500);
        System.out.println("size     plan: read+validate  preview   fleet: read+validate (every environment's plan)");
        for (int n : new int[] {1_000, 2_000, 5_000, 10_000}) {
            long[] p = plan(dir, n);
            long f = fleet(dir, n);
            System.out.printf("%6d   %12d ms  %7d ms   %12d ms%n", n, p[0], p[1], f);
        }
    }

    /** Milliseconds to read and validate, and to preview, a plan of {@code n} steps. */
    static long[] plan(Path dir, int n) throws IOException {
        StringBuilder sb = new StringBuilder("""
                id: big
                environment:
                  name: shop
                  stack: shop-blue
                  databases: [{kind: instance, id: shop-db}]
                steps:
                """);
        for (int i = 0; i < n / 2; i++) {
            sb.append("  - {kind: snapshot-database, id: snap-")
                    .append(i)
                    .append(", database: {kind: instance, id: shop-db}")
                    .append(i == 0 ? "" : ", dependsOn: [restore-" + (i - 1) + "]")
                    .append("}\n");
            sb.append("  - {kind: restore-database, id: restore-")
                    .append(i)
                    .append(", dependsOn: [snap-")
                    .append(i)
                    .append("], source: {kind: instance, id: shop-db}, snapshot: \"${snap-")
                    .append(i)
                    .append(".snapshotId}\", newId: shop-copy-")
                    .append(i)
                    .append("}\n");
        }
        Path file = dir.resolve("plan-" + n + ".yaml");
        Files.writeString(file, sb);
        long t0 = System.nanoTime();
        PlanFile pf = PlanFiles.load(file);
        long t1 = System.nanoTime();
        String preview = Engine.preview(pf.plan());
        long t2 = System.nanoTime();
        if (pf.plan().steps().size() != n || preview.isEmpty()) {
            throw new IllegalStateException("the plan has " + pf.plan().steps().size() + " steps, not " + n);
        }
        return new long[] {(t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000};
    }

    /** Milliseconds to read and validate a fleet of {@code n} environments sharing one plan file. */
    static long fleet(Path dir, int n) throws IOException {
        Files.writeString(dir.resolve("upgrade.yaml"), """
                id: up
                environment:
                  name: "${fleet.environment}"
                  stack: "${fleet.environment}-blue"
                  databases: [{kind: instance, id: "${fleet.environment}-db"}]
                  dns: {zoneId: Z0TENANTS, name: "${fleet.environment}.example.com", type: CNAME}
                strategy:
                  parallelUpgrade:
                    greenStack: "${fleet.environment}-green"
                    template: {url: "https://my-bucket.s3.eu-west-1.amazonaws.com/app.json"}
                    snapshotParameters: {DBSnapshotIdentifier: "${fleet.environment}-db"}
                    checks: [{type: http, url: "https://${green.outputs.Endpoint}/health"}]
                    bake: 2h
                """);
        StringBuilder sb = new StringBuilder("id: big\nplan: upgrade.yaml\nwaves: [1, 5%, rest]\nenvironments:\n");
        for (int i = 0; i < n; i++) {
            sb.append("  - {name: t").append(i).append(", region: eu-west-1}\n");
        }
        Path file = dir.resolve("fleet-" + n + ".yaml");
        Files.writeString(file, sb);
        long t0 = System.nanoTime();
        Fleet fleet = FleetFiles.load(file);
        long t1 = System.nanoTime();
        if (fleet.environments().size() != n) {
            throw new IllegalStateException(
                    "the fleet has " + fleet.environments().size() + " environments");
        }
        return (t1 - t0) / 1_000_000;
    }
}
