package io.cutover.bench;

import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.StepSpec.TemplateRef;
import io.cutover.plan.Strategies;
import io.cutover.simulator.CloudSimulation;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * The plan a campaign seed runs, of one of the shapes the product supports: the parallel upgrade (with or
 * without a rehearsal, an approval gate, weighted DNS, a lower TTL, a short verify) or the in-place update
 * (maintenance mode, a backup of the database, the stack updated through a change set, a verify).
 */
final class CampaignPlans {
    private CampaignPlans() {}

    /**
     * What was drawn: the plan, its shape in words, whether it updates blue in place, and the gate draw (as
     * drawn, even where the shape has no gate: later draws depend on it).
     */
    record Drawn(Plan plan, String shape, boolean inPlace, boolean gate) {}

    /**
     * Whether a seed runs the in-place update: one seed in ten, chosen by the seed's last digit and not by a
     * draw, so that every other seed draws exactly what it drew before the shape existed (its replay holds).
     */
    static boolean inPlace(long seed) {
        return Math.floorMod(seed, 10) == 7;
    }

    /** Whether blue's record is a Route 53 alias (unless weighted): one seed in ten, by its last digit. */
    static boolean alias(long seed) {
        return Math.floorMod(seed, 10) == 1;
    }

    static Drawn draw(long seed, Random r, World w, World.App app, boolean weighted) {
        boolean rehearsal = r.nextDouble() < 0.5;
        boolean gate = r.nextDouble() < 0.15;
        Strategies.ParallelUpgrade up = w.upgrade(app).bake(Duration.ofMinutes(10 + r.nextInt(50)));
        String shape = rehearsal ? "with rehearsal" + (gate ? ", approval gate" : "") : "without rehearsal";
        if (!rehearsal) {
            up.withoutRehearsal();
        }
        if (gate && rehearsal) {
            up.approveBeforeFreeze();
        }
        if (weighted) {
            up.weighted(List.of(25, 128, 255));
            shape += ", weighted DNS";
        }
        if (r.nextDouble() < 0.2) {
            up.lowerTtlTo(30);
            shape += ", TTL 30 s";
        }
        if (r.nextDouble() < 0.2) {
            up.verifyTimeout(Duration.ofMinutes(5 + r.nextInt(20)));
            shape += ", short verify";
        }
        if (alias(seed) && !weighted) {
            shape += ", alias DNS";
        }
        if (inPlace(seed)) {
            String endpoint =
                    w.cloud.stack(app.blueStack()).orElseThrow().outputs().get("Endpoint");
            Plan plan = Strategies.inPlaceUpdate(app.planId(), app.env)
                    .template(TemplateRef.ofBody(CloudSimulation.sampleTemplate()))
                    .parameter("AppVersion", "2.0")
                    .check(Check.Http.of("http://" + endpoint + "/health"))
                    .maintenanceMode("freeze-" + app.index, "unfreeze-" + app.index)
                    .build();
            return new Drawn(plan, "in-place update", true, gate);
        }
        return new Drawn(up.build(), shape, false, gate);
    }
}
