package io.cutover.simulator;

import io.cutover.spi.FailureKind;
import io.cutover.spi.NotificationProvider;
import io.cutover.spi.ProviderException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * SNS and webhooks, simulated: every notification is recorded, so a rehearsal shows what people would hear and
 * when. {@code Publish} and {@code POST webhook} fail when a fault says so ({@link Faults#failNext}).
 */
final class SimNotifications implements NotificationProvider {
    private final SimWorld world;
    private final List<SimulatedCloud.Notification> sent = new ArrayList<>();

    SimNotifications(SimWorld world) {
        this.world = world;
    }

    @Override
    public void publish(String topicArn, String subject, String message, Duration timeout) {
        synchronized (world) {
            call("Publish", "SNS topic " + topicArn);
            if (subject.length() > 100) {
                throw ProviderException.of(
                        FailureKind.PERMANENT, "Publish", "Subject must be less than 100 characters long");
            }
            sent.add(new SimulatedCloud.Notification(world.now(), "sns", topicArn, subject, message));
        }
    }

    @Override
    public void post(URI url, String json, Duration timeout) {
        synchronized (world) {
            call("POST webhook", "the webhook");
            sent.add(new SimulatedCloud.Notification(world.now(), "webhook", url.toString(), "", json));
        }
    }

    private void call(String operation, String what) {
        world.count(operation);
        FailureKind fault = world.faults.callFault(operation);
        if (fault != null) {
            throw ProviderException.of(
                    fault,
                    operation,
                    what + " did not answer (injected " + fault.name().toLowerCase() + ")");
        }
    }

    List<SimulatedCloud.Notification> sent() {
        return List.copyOf(sent);
    }
}
