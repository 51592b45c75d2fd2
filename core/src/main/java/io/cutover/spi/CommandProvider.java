package io.cutover.spi;

import com.google.common.base.Preconditions;
import io.cutover.plan.StepSpec.Shell;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs scripts on the application's machines (AWS Systems Manager Run Command on AWS): one send, then describe
 * calls the engine schedules; nothing here waits for a script to finish.
 *
 * <p>A send carries a comment derived from the plan and step ids, unique to the cutover: a step that crashed
 * between its send and the record of the command's id finds the command again with {@link #find} and never
 * sends it twice.
 */
public interface CommandProvider {
    /** The running instances that carry every one of {@code tags}, by id (sorted). */
    List<String> instances(Map<String, String> tags);

    /** Sends the script to the instances; returns the command's id. */
    String send(CommandRequest request);

    /** The command sent at or after {@code since} with exactly this comment, if any. */
    Optional<String> find(String comment, Instant since);

    /** The command's invocation on each of {@code instanceIds}, in that order. */
    List<Invocation> invocations(String commandId, List<String> instanceIds);

    /**
     * A script to run.
     *
     * @param comment identifies the command (at most {@link #MAX_COMMENT} characters); {@link #find} matches it
     * @param executionTimeout how long the script may run on an instance before it is stopped
     */
    record CommandRequest(
            List<String> instanceIds, Shell shell, String script, String comment, Duration executionTimeout) {
        public static final int MAX_COMMENT = 100;

        public CommandRequest {
            instanceIds = List.copyOf(instanceIds);
            Preconditions.checkArgument(!instanceIds.isEmpty(), "a command needs an instance");
            Preconditions.checkNotNull(shell, "shell");
            Preconditions.checkNotNull(script, "script");
            Preconditions.checkArgument(
                    comment != null && comment.length() <= MAX_COMMENT, "comment '%s' is over 100 characters", comment);
        }
    }

    /** Where an invocation stands. */
    enum Status {
        PENDING,
        IN_PROGRESS,
        SUCCESS,
        FAILED,
        TIMED_OUT,
        CANCELLED;

        public boolean finished() {
            return this != PENDING && this != IN_PROGRESS;
        }
    }

    /**
     * The script's run on one instance: its status, its exit code (-1 until it finished) and what it printed
     * (standard output, then standard error; the provider may have cut it).
     */
    record Invocation(String instanceId, Status status, int exitCode, String output) {
        public Invocation {
            Preconditions.checkNotNull(instanceId, "instanceId");
            Preconditions.checkNotNull(status, "status");
            output = output == null ? "" : output;
        }
    }
}
