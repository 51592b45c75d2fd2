package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.spi.ApiService;
import io.cutover.spi.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The budget's turns when tokens are scarce, in virtual time: the oldest cutover's call first, whatever the
 * order the calls came in; one service's queue never holds back another's; a refund lets the next go at once.
 */
class RateBudgetOrderTest {
    private final VirtualScheduler time = VirtualScheduler.startingAt(Instant.EPOCH);
    // Route 53 as AWS: 5 a second, burst 5; CloudFormation 4 a second, burst 1 here so that it is scarce at once.
    private final RateBudget budget = RateBudget.of(Map.of(
            ApiService.ROUTE53, RateLimit.of(5, 5),
            ApiService.CLOUDFORMATION, RateLimit.of(1, 4)));
    private final List<String> made = new ArrayList<>();

    private RateBudget.Priority cutover(int startedSecond, int order) {
        return new RateBudget.Priority(Instant.EPOCH.plusSeconds(startedSecond), order);
    }

    private void ask(String what, String service, int calls, RateBudget.Priority p) {
        budget.acquire(
                Map.of(service, calls),
                p,
                time,
                () -> made.add(what + "@" + time.now().toEpochMilli()));
    }

    @Test
    void whenTokensAreScarceTheOldestCutoversNextCallGoesFirst() {
        ask("drain", RateBudget.ROUTE53, 5, cutover(0, 0));
        time.runUntilIdle();
        // Asked youngest first; tokens come back one every 200 ms.
        ask("preflight of cutover 9", RateBudget.ROUTE53, 1, cutover(0, 9));
        ask("switch of cutover 5", RateBudget.ROUTE53, 1, cutover(0, 5));
        ask("switch of cutover 1", RateBudget.ROUTE53, 1, cutover(0, 1));
        time.runUntilIdle();

        assertThat(made)
                .containsExactly(
                        "drain@0", "switch of cutover 1@200", "switch of cutover 5@400", "preflight of cutover 9@600");
    }

    @Test
    void aCallWaitingForRoute53DoesNotHoldBackAnotherServicesCall() {
        ask("drain", RateBudget.ROUTE53, 5, cutover(0, 0));
        time.runUntilIdle();
        ask("route53 of the oldest", RateBudget.ROUTE53, 1, cutover(0, 0));
        ask("cloudformation of a younger", RateBudget.CLOUDFORMATION, 1, cutover(10, 1));
        time.runUntilIdle();

        assertThat(made).containsExactly("drain@0", "cloudformation of a younger@0", "route53 of the oldest@200");
    }

    @Test
    void aRefundedTokenLetsTheNextCallGoAtOnce() {
        ask("drain", RateBudget.ROUTE53, 5, cutover(0, 0));
        time.runUntilIdle();
        ask("next", RateBudget.ROUTE53, 1, cutover(0, 1));
        time.schedule(Duration.ofMillis(50), () -> budget.refund(Map.of(RateBudget.ROUTE53, 1), time.now()));
        time.runUntilIdle();

        assertThat(made).containsExactly("drain@0", "next@50");
    }

    @Test
    void aWithdrawnRequestIsNeverGranted() {
        ask("drain", RateBudget.ROUTE53, 5, cutover(0, 0));
        time.runUntilIdle();
        Scheduler.Cancellable superseded =
                budget.acquire(Map.of(RateBudget.ROUTE53, 1), cutover(0, 1), time, () -> made.add("superseded"));
        ask("other", RateBudget.ROUTE53, 1, cutover(0, 2));
        superseded.cancel();
        time.runUntilIdle();

        assertThat(made).containsExactly("drain@0", "other@200");
        assertThat(budget.waiting()).isZero();
    }

    @Test
    void aPollOfAnOperationUnderWayGoesAfterTheNextPhaseOfCutoversUpToTenMinutesYounger() {
        // Cutover A started at 0 s and is polling its snapshot; B started 5 minutes later and is about to start its
        // clone; C started 11 minutes after A and is about to start too. One Route 53 token comes back at a time.
        RateBudget.Priority a = cutover(0, 0);
        RateBudget.Priority b = cutover(5 * 60, 1);
        RateBudget.Priority c = cutover(11 * 60, 2);
        ask("drain", RateBudget.ROUTE53, 5, a);
        time.runUntilIdle();
        ask("start of C", RateBudget.ROUTE53, 1, StepCalls.turn(c, false));
        ask("poll of A", RateBudget.ROUTE53, 1, StepCalls.turn(a, true));
        ask("start of B", RateBudget.ROUTE53, 1, StepCalls.turn(b, false));
        ask("start of A's next phase", RateBudget.ROUTE53, 1, StepCalls.turn(a, false));
        time.runUntilIdle();

        assertThat(made)
                .containsExactly(
                        "drain@0", "start of A's next phase@200", "start of B@400", "poll of A@600", "start of C@800");
    }
}
