package io.cutover.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Infrastructure stacks: a template and its parameters, deployed as one unit (CloudFormation on AWS). */
public interface StackProvider {
    /** The stack now; throws {@link FailureKind#NOT_FOUND} when there is none of that name. */
    StackDescription describe(String stackName);

    /** The template the stack runs now (its body), so that an in-place update can be reverted. */
    String templateBody(String stackName);

    /** The parameters a template declares, with their defaults; rejects a malformed template. */
    TemplateSummary validate(Template template);

    /**
     * Starts creating a stack. Repeating the call with the same {@code clientToken} is harmless; a stack of
     * that name created with another token fails with {@link FailureKind#ALREADY_EXISTS}.
     */
    void create(StackRequest request);

    /**
     * Creates a change set that would update {@code request.stackName()} to the given template and
     * parameters; its changes are read with {@link #describeChangeSet}.
     */
    void createChangeSet(StackRequest request, String changeSetName);

    ChangeSetDescription describeChangeSet(String stackName, String changeSetName);

    /** Starts the update that a ready change set describes. */
    void executeChangeSet(String stackName, String changeSetName, String clientToken);

    /**
     * Starts deleting a stack, keeping the named logical resources. A stack that is already gone is not an
     * error.
     */
    void delete(String stackName, List<String> retainResources, String clientToken);

    /**
     * {@link #delete(String, List, String)} with the CloudFormation service role to delete with, when the plan
     * names one; a provider that has no roles (the simulated cloud) ignores it.
     */
    default void delete(String stackName, List<String> retainResources, String clientToken, Optional<String> roleArn) {
        delete(stackName, retainResources, clientToken);
    }

    /** The stack's events, newest first, as the service reports them. */
    List<StackEvent> events(String stackName);

    /** What to deploy: a template given inline or by URL. */
    record Template(Optional<String> body, Optional<String> url) {
        public Template {
            if (body.isPresent() == url.isPresent()) {
                throw new IllegalArgumentException("a template needs exactly one of a body or a URL");
            }
        }

        public static Template ofBody(String body) {
            return new Template(Optional.of(body), Optional.empty());
        }

        public static Template ofUrl(String url) {
            return new Template(Optional.empty(), Optional.of(url));
        }
    }

    /**
     * A request to create or update a stack; {@code roleArn} is the CloudFormation service role to act with (the
     * caller's rights when empty).
     */
    record StackRequest(
            String stackName,
            Template template,
            Map<String, String> parameters,
            Map<String, String> tags,
            List<String> capabilities,
            String clientToken,
            Optional<String> roleArn) {
        public StackRequest {
            parameters = Map.copyOf(parameters);
            tags = Map.copyOf(tags);
            capabilities = List.copyOf(capabilities);
            roleArn = roleArn == null ? Optional.empty() : roleArn;
        }

        public StackRequest(
                String stackName,
                Template template,
                Map<String, String> parameters,
                Map<String, String> tags,
                List<String> capabilities,
                String clientToken) {
            this(stackName, template, parameters, tags, capabilities, clientToken, Optional.empty());
        }
    }

    /**
     * The parameters a template declares: name to default value (empty when it has none), and those it declares
     * {@code NoEcho} (whose values a stack's description masks, as {@code ****} on AWS).
     */
    record TemplateSummary(Map<String, Optional<String>> parameters, java.util.Set<String> noEcho) {
        public TemplateSummary {
            parameters = Map.copyOf(parameters);
            noEcho = java.util.Set.copyOf(noEcho);
        }

        public TemplateSummary(Map<String, Optional<String>> parameters) {
            this(parameters, java.util.Set.of());
        }
    }

    /**
     * Starts detecting whether a stack's resources drifted from its template; returns the detection's id, read
     * with {@link #drift}. Changes nothing in the stack. A provider that cannot detect drift throws
     * {@link FailureKind#INVALID_REQUEST} naming the missing call.
     */
    default String detectDrift(String stackName) {
        throw ProviderException.of(
                FailureKind.INVALID_REQUEST, "DetectStackDrift", "this provider cannot detect stack drift");
    }

    /** Where a drift detection started by {@link #detectDrift} stands, and what it found once done. */
    default Drift drift(String stackName, String detectionId) {
        throw ProviderException.of(
                FailureKind.INVALID_REQUEST,
                "DescribeStackDriftDetectionStatus",
                "this provider cannot detect stack drift");
    }

    /**
     * A stack's drift: {@code done} once the detection finished; then {@code drifted} lists the resources that
     * differ from the template (logical id, type and how: MODIFIED or DELETED), empty when the stack is in sync.
     */
    record Drift(boolean done, String status, List<DriftedResource> drifted) {
        public Drift {
            drifted = List.copyOf(drifted);
        }

        public static Drift pending() {
            return new Drift(false, "DETECTION_IN_PROGRESS", List.of());
        }
    }

    /** One resource whose properties differ from the stack's template, or that was deleted outside it. */
    record DriftedResource(String logicalResourceId, String resourceType, String status) {}

    /** Deletes a change set that was created only to preview an update (never executed); a missing one is fine. */
    default void deleteChangeSet(String stackName, String changeSetName) {}

    /** Where a stack stands. */
    enum StackState {
        /** Being created, updated, rolled back or deleted: ask again later. */
        IN_PROGRESS,
        /** Created or updated as asked. */
        COMPLETE,
        /** A create or update failed and was rolled back; the stack is not what was asked. */
        ROLLED_BACK,
        /** Failed and not cleanly rolled back; needs a person. */
        FAILED,
        /**
         * A delete failed: the stack still exists with the resources that could not be deleted (deleting it
         * again may retain them).
         */
        DELETE_FAILED,
        /** Deleted. */
        DELETED
    }

    /** The operation a stack is in, or the last one it went through. */
    enum StackOperation {
        /** Being created, or created (CREATE_*, REVIEW_IN_PROGRESS). */
        CREATE,
        /** A failed create being rolled back, or rolled back (ROLLBACK_*). */
        ROLLBACK,
        /** Being updated or imported into, or done with it, rolled back or not (UPDATE_*, IMPORT_*). */
        UPDATE,
        /** Being deleted, deleted, or failed to delete (DELETE_*). */
        DELETE
    }

    /**
     * A stack: where it stands ({@code state}) after or during which {@code operation}. {@code rawStatus} is the
     * provider's own status (e.g. {@code UPDATE_ROLLBACK_COMPLETE}) for messages to a person only; decisions
     * read {@code state} and {@code operation}. {@code reason} is the provider's explanation of the status.
     */
    record StackDescription(
            String name,
            String id,
            StackState state,
            StackOperation operation,
            String rawStatus,
            String reason,
            Map<String, String> parameters,
            Map<String, String> outputs,
            Map<String, String> tags) {
        public StackDescription {
            parameters = Map.copyOf(parameters);
            outputs = Map.copyOf(outputs);
            tags = Map.copyOf(tags);
        }
    }

    /**
     * One event of a stack, e.g. a resource that failed to create and why. {@code failed} says whether the
     * resource's operation failed; {@code status} is the provider's own text, for messages.
     */
    record StackEvent(
            String eventId,
            String logicalResourceId,
            String resourceType,
            String status,
            boolean failed,
            String reason,
            java.time.Instant timestamp) {}

    /** One change a change set would make. */
    record ResourceChange(String action, String logicalResourceId, String resourceType, String replacement) {}

    /** Where a change set stands. */
    enum ChangeSetStatus {
        /** The service is still computing it. */
        PENDING,
        /** Computed, and can be executed. */
        READY,
        /**
         * The template and parameters are those the stack runs already: there is nothing to execute, which is
         * not a failure.
         */
        NO_CHANGES,
        /** It cannot be executed; {@code reason} says why. */
        FAILED
    }

    /** A change set and what it would change. */
    record ChangeSetDescription(
            String name,
            ChangeSetStatus status,
            String reason,
            List<ResourceChange> changes,
            Map<String, String> parameters) {
        public ChangeSetDescription {
            changes = List.copyOf(changes);
            parameters = Map.copyOf(parameters);
        }
    }
}
