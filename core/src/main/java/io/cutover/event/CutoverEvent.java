package io.cutover.event;

import io.cutover.plan.StepId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Everything that happens to a cutover, in the order it happened: delivered to every
 * {@link CutoverListener} of the engine. {@code at} is the engine's clock (virtual in simulations).
 */
public sealed interface CutoverEvent {
    String runId();

    Instant at();

    /** A one-line description for logs and plain progress output. */
    String describe();

    record RunStarted(String runId, Instant at, String environment, int steps) implements CutoverEvent {
        @Override
        public String describe() {
            return "cutover " + runId + " of " + environment + " started (" + steps + " steps)";
        }
    }

    record RunResumed(String runId, Instant at, String environment) implements CutoverEvent {
        @Override
        public String describe() {
            return "cutover " + runId + " of " + environment + " resumed from its stored state";
        }
    }

    record StepStarted(String runId, Instant at, StepId step, String kind, String change) implements CutoverEvent {
        @Override
        public String describe() {
            return step + " started: " + change;
        }
    }

    record StepProgressed(String runId, Instant at, StepId step, String progress, Duration nextCheckIn)
            implements CutoverEvent {
        @Override
        public String describe() {
            return step + ": " + progress;
        }
    }

    /** A call was throttled or failed transiently; the engine calls again later. */
    record StepRetrying(String runId, Instant at, StepId step, String reason, Duration retryIn)
            implements CutoverEvent {
        @Override
        public String describe() {
            return step + ": " + reason + "; retrying in " + retryIn.toSeconds() + "s";
        }
    }

    record StepSucceeded(String runId, Instant at, StepId step, Duration took, Map<String, String> outputs)
            implements CutoverEvent {
        @Override
        public String describe() {
            return step + " done in " + Durations.format(took) + (outputs.isEmpty() ? "" : " " + outputs);
        }
    }

    record StepFailed(String runId, Instant at, StepId step, String reason) implements CutoverEvent {
        @Override
        public String describe() {
            return step + " FAILED: " + reason;
        }
    }

    record CompensationStarted(String runId, Instant at, StepId step, String change) implements CutoverEvent {
        @Override
        public String describe() {
            return step + " compensating: " + change;
        }
    }

    record StepCompensated(String runId, Instant at, StepId step) implements CutoverEvent {
        @Override
        public String describe() {
            return step + " compensated";
        }
    }

    record CompensationFailed(String runId, Instant at, StepId step, String reason) implements CutoverEvent {
        @Override
        public String describe() {
            return step + " could not be compensated: " + reason;
        }
    }

    record GateWaiting(String runId, Instant at, StepId gate, String prompt) implements CutoverEvent {
        @Override
        public String describe() {
            return "gate " + gate + " waiting: " + prompt + " (approve '" + gate + "' to continue)";
        }
    }

    record GateApproved(String runId, Instant at, StepId gate) implements CutoverEvent {
        @Override
        public String describe() {
            return "gate " + gate + " approved";
        }
    }

    record DowntimeStarted(String runId, Instant at, StepId by) implements CutoverEvent {
        @Override
        public String describe() {
            return "downtime started (" + by + ")";
        }
    }

    record DowntimeEnded(String runId, Instant at, StepId by, Duration window) implements CutoverEvent {
        @Override
        public String describe() {
            return "downtime ended (" + by + ") after " + Durations.format(window);
        }
    }

    record RollbackStarted(String runId, Instant at, String reason, boolean afterSwitch) implements CutoverEvent {
        @Override
        public String describe() {
            return (afterSwitch ? "rolling back: moving users back to blue: " : "rolling back: removing green: ")
                    + reason;
        }
    }

    /** A notification of the plan's {@code notifications} went out ({@code channel}: the topic or webhook). */
    record NotificationSent(String runId, Instant at, String channel, String about) implements CutoverEvent {
        @Override
        public String describe() {
            return "notified " + channel + ": " + about;
        }
    }

    /** A warning: a notification could not be sent; the cutover goes on regardless. */
    record NotificationFailed(String runId, Instant at, String channel, String about, String reason)
            implements CutoverEvent {
        @Override
        public String describe() {
            return "WARNING: could not notify " + channel + " (" + about + "): " + reason + "; the cutover goes on";
        }
    }

    record RunSettled(String runId, Instant at, String status, String summary) implements CutoverEvent {
        @Override
        public String describe() {
            return "cutover " + runId + " " + status + ": " + summary;
        }
    }
}
