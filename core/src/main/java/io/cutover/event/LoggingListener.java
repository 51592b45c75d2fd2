package io.cutover.event;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes every event as one log line through SLF4J (logger {@code io.cutover.events}). */
public final class LoggingListener implements CutoverListener {
    private static final Logger LOG = LoggerFactory.getLogger("io.cutover.events");

    @Override
    public void on(CutoverEvent event) {
        if (event instanceof CutoverEvent.StepFailed
                || event instanceof CutoverEvent.CompensationFailed
                || event instanceof CutoverEvent.NotificationFailed) {
            LOG.warn("[{}] {}", event.runId(), event.describe());
        } else if (event instanceof CutoverEvent.StepProgressed || event instanceof CutoverEvent.StepRetrying) {
            LOG.debug("[{}] {}", event.runId(), event.describe());
        } else {
            LOG.info("[{}] {}", event.runId(), event.describe());
        }
    }
}
