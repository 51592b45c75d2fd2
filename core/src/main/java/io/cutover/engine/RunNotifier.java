package io.cutover.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Expressions;
import io.cutover.plan.Notifications;
import io.cutover.plan.Plan;
import io.cutover.spi.NotificationProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a plan's {@link Notifications} about the events people wait for: a gate waiting for an approval, the
 * downtime window opening and closing, a failed step, a rollback and the end. It sends on the engine's thread
 * and each send waits at most the plan's notification timeout, so that the notification of a gate or of the end
 * has gone out before the cutover settles (a process that exits then would lose one sent in the background).
 * A send that fails is logged and becomes a {@link CutoverEvent.NotificationFailed} warning; it never reaches
 * the cutover.
 */
final class RunNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(RunNotifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** SNS refuses a longer subject. */
    static final int MAX_SUBJECT = 100;

    private final Plan plan;
    private final Supplier<NotificationProvider> provider;
    private final Function<Expressions.Ref, Optional<String>> secrets;

    RunNotifier(
            Plan plan, Supplier<NotificationProvider> provider, Function<Expressions.Ref, Optional<String>> secrets) {
        this.plan = plan;
        this.provider = provider;
        this.secrets = secrets;
    }

    /** Whether people hear about {@code e}. */
    static boolean notable(CutoverEvent e) {
        return e instanceof CutoverEvent.GateWaiting
                || e instanceof CutoverEvent.DowntimeStarted
                || e instanceof CutoverEvent.DowntimeEnded
                || e instanceof CutoverEvent.StepFailed
                || e instanceof CutoverEvent.RollbackStarted
                || e instanceof CutoverEvent.RunSettled;
    }

    /** Sends {@code e} to each of the plan's channels; the events that say how each send went. */
    List<CutoverEvent> send(CutoverEvent e) {
        Notifications n = plan.notifications();
        if (!notable(e) || (n.snsTopic().isEmpty() && n.webhook().isEmpty())) {
            return List.of();
        }
        String text = "Cutover " + plan.id() + " of " + plan.environment().name() + ": " + e.describe();
        String about = e.describe();
        List<CutoverEvent> out = new ArrayList<>();
        n.snsTopic()
                .ifPresent(topic -> out.add(attempt(
                        e,
                        "SNS topic " + topic,
                        about,
                        () -> provider.get().publish(topic, subject(e), text, n.limit()))));
        n.webhook()
                .ifPresent(hook -> out.add(attempt(e, webhookName(hook), about, () -> {
                    String url = resolve(hook);
                    try {
                        provider.get()
                                .post(
                                        URI.create(url),
                                        JSON.writeValueAsString(java.util.Map.of("text", text)),
                                        n.limit());
                    } catch (RuntimeException ex) {
                        // A webhook's URL is its credential: it never reaches a message.
                        throw new IllegalStateException(
                                String.valueOf(ex.getMessage()).replace(url, "<webhook URL>"));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                        throw new IllegalStateException("the message cannot be written as JSON", ex);
                    }
                })));
        return out;
    }

    private CutoverEvent attempt(CutoverEvent e, String channel, String about, Runnable send) {
        try {
            send.run();
            return new CutoverEvent.NotificationSent(e.runId(), e.at(), channel, about);
        } catch (RuntimeException ex) {
            String reason = String.valueOf(ex.getMessage());
            LOG.warn("[{}] could not notify {} of '{}': {}", e.runId(), channel, about, reason);
            return new CutoverEvent.NotificationFailed(e.runId(), e.at(), channel, about, reason);
        }
    }

    private String resolve(String hook) {
        return Expressions.resolve(hook, ref -> secrets.apply(ref));
    }

    /** The webhook as messages name it: its secret reference, or only its host (the path holds its credential). */
    static String webhookName(String hook) {
        if (hook.contains("${")) {
            return "webhook " + hook;
        }
        try {
            return "webhook at " + URI.create(hook).getHost();
        } catch (IllegalArgumentException e) {
            return "webhook";
        }
    }

    /** A subject SNS accepts: printable ASCII, one line, at most 100 characters. */
    String subject(CutoverEvent e) {
        String kind = e instanceof CutoverEvent.GateWaiting
                ? "waiting for approval"
                : e instanceof CutoverEvent.DowntimeStarted
                        ? "downtime started"
                        : e instanceof CutoverEvent.DowntimeEnded
                                ? "downtime ended"
                                : e instanceof CutoverEvent.StepFailed
                                        ? "step failed"
                                        : e instanceof CutoverEvent.RollbackStarted
                                                ? "rolling back"
                                                : ((CutoverEvent.RunSettled) e)
                                                        .status()
                                                        .replace('_', ' ');
        String s = ("Cutover " + plan.environment().name() + ": " + kind).replaceAll("[^\\x20-\\x7E]", "?");
        return s.length() <= MAX_SUBJECT ? s : s.substring(0, MAX_SUBJECT);
    }
}
