package io.cutover.aws;

import io.cutover.spi.ApiService;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.spi.StackProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.ExecutionStatus;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.ResourceStatus;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.Tag;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;
import software.amazon.awssdk.services.cloudformation.model.ValidateTemplateResponse;

/** {@link StackProvider} over CloudFormation. */
final class CfnStacks implements StackProvider {
    private static final ApiService API = ApiService.CLOUDFORMATION;
    private static final String STACK_TYPE = "AWS::CloudFormation::Stack";

    private final CloudFormationClient cfn;
    private final AwsCalls calls;

    CfnStacks(CloudFormationClient cfn, AwsCalls calls) {
        this.cfn = cfn;
        this.calls = calls;
    }

    @Override
    public StackDescription describe(String stackName) {
        Stack stack = describeStack(stackName);
        StackState state = stateOf(stack.stackStatus(), stack.stackStatusAsString());
        String reason = Optional.ofNullable(stack.stackStatusReason()).orElse("");
        if (state == StackState.ROLLED_BACK || state == StackState.FAILED) {
            // The stack's own reason is usually "The following resource(s) failed to create: [Db]"; what a person
            // needs is why Db failed, which only the events say.
            Optional<StackEvent> cause = firstFailure(events(stackName));
            if (cause.isPresent()) {
                StackEvent e = cause.get();
                reason = (reason.isEmpty() ? "" : reason + "; ") + "first failure: " + e.logicalResourceId() + " ("
                        + e.resourceType() + ") " + e.status() + ": " + e.reason();
            }
        }
        return new StackDescription(
                stack.stackName(),
                stack.stackId(),
                state,
                operationOf(stack.stackStatusAsString()),
                stack.stackStatusAsString(),
                reason,
                parameters(stack.parameters()),
                outputs(stack.outputs()),
                tags(stack.tags()));
    }

    private Stack describeStack(String stackName) {
        List<Stack> stacks = calls.call(
                API,
                "DescribeStacks",
                "stack '" + stackName + "'",
                () -> cfn.describeStacks(r -> r.stackName(stackName)).stacks());
        if (stacks.isEmpty()) {
            throw ProviderException.notFound("DescribeStacks", "stack '" + stackName + "'");
        }
        return stacks.get(0);
    }

    @Override
    public String templateBody(String stackName) {
        // ORIGINAL, not PROCESSED: the body must be one that CreateChangeSet accepts again, transforms and all.
        return calls.call(
                        API,
                        "GetTemplate",
                        "stack '" + stackName + "'",
                        () -> cfn.getTemplate(r -> r.stackName(stackName).templateStage(TemplateStage.ORIGINAL)))
                .templateBody();
    }

    @Override
    public TemplateSummary validate(Template template) {
        ValidateTemplateResponse response = calls.call(
                API,
                "ValidateTemplate",
                null,
                () -> cfn.validateTemplate(r -> {
                    template.body().ifPresent(r::templateBody);
                    template.url().ifPresent(r::templateURL);
                }));
        return templateSummary(response);
    }

    @Override
    public void create(StackRequest request) {
        try {
            calls.run(
                    API,
                    "CreateStack",
                    "stack '" + request.stackName() + "'",
                    () -> cfn.createStack(r -> {
                        request.template().body().ifPresent(r::templateBody);
                        request.template().url().ifPresent(r::templateURL);
                        r.stackName(request.stackName())
                                .parameters(parameterList(request.parameters()))
                                .tags(tagList(request.tags()))
                                .capabilitiesWithStrings(request.capabilities())
                                .clientRequestToken(request.clientToken());
                        request.roleArn().ifPresent(r::roleARN);
                    }));
        } catch (ProviderException e) {
            // AWS answers a repeated CreateStack with the same token by AlreadyExists only when the token differs;
            // the events carry the token, so a repeat of our own call is recognised and treated as done.
            if (e.kind() != FailureKind.ALREADY_EXISTS
                    || !createdWithToken(request.stackName(), request.clientToken())) {
                throw e;
            }
        }
    }

    private boolean createdWithToken(String stackName, String token) {
        return calls
                .call(
                        API,
                        "DescribeStackEvents",
                        "stack '" + stackName + "'",
                        () -> cfn.describeStackEvents(r -> r.stackName(stackName))
                                .stackEvents())
                .stream()
                .anyMatch(e -> token.equals(e.clientRequestToken())
                        && STACK_TYPE.equals(e.resourceType())
                        && e.resourceStatus() == ResourceStatus.CREATE_IN_PROGRESS);
    }

    @Override
    public void createChangeSet(StackRequest request, String changeSetName) {
        calls.run(
                API,
                "CreateChangeSet",
                "stack '" + request.stackName() + "'",
                () -> cfn.createChangeSet(r -> {
                    request.template().body().ifPresent(r::templateBody);
                    request.template().url().ifPresent(r::templateURL);
                    r.stackName(request.stackName())
                            .changeSetName(changeSetName)
                            .changeSetType(ChangeSetType.UPDATE)
                            .parameters(parameterList(request.parameters()))
                            .tags(tagList(request.tags()))
                            .capabilitiesWithStrings(request.capabilities())
                            .clientToken(request.clientToken());
                    request.roleArn().ifPresent(r::roleARN);
                }));
    }

    @Override
    public ChangeSetDescription describeChangeSet(String stackName, String changeSetName) {
        String subject = "change set '" + changeSetName + "' of stack '" + stackName + "'";
        List<DescribeChangeSetResponse> pages = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            DescribeChangeSetResponse page = calls.call(
                    API,
                    "DescribeChangeSet",
                    subject,
                    () -> cfn.describeChangeSet(r ->
                            r.stackName(stackName).changeSetName(changeSetName).nextToken(token)));
            pages.add(page);
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        return changeSet(pages);
    }

    @Override
    public void deleteChangeSet(String stackName, String changeSetName) {
        try {
            calls.run(
                    API,
                    "DeleteChangeSet",
                    "change set '" + changeSetName + "'",
                    () -> cfn.deleteChangeSet(r -> r.stackName(stackName).changeSetName(changeSetName)));
        } catch (ProviderException e) {
            if (e.kind() != FailureKind.NOT_FOUND) {
                throw e;
            }
        }
    }

    @Override
    public String detectDrift(String stackName) {
        return calls.call(
                        API,
                        "DetectStackDrift",
                        "stack '" + stackName + "'",
                        () -> cfn.detectStackDrift(r -> r.stackName(stackName)))
                .stackDriftDetectionId();
    }

    @Override
    public Drift drift(String stackName, String detectionId) {
        var status = calls.call(
                API,
                "DescribeStackDriftDetectionStatus",
                "stack '" + stackName + "'",
                () -> cfn.describeStackDriftDetectionStatus(r -> r.stackDriftDetectionId(detectionId)));
        if (status.detectionStatus()
                == software.amazon.awssdk.services.cloudformation.model.StackDriftDetectionStatus
                        .DETECTION_IN_PROGRESS) {
            return Drift.pending();
        }
        List<DriftedResource> drifted = new ArrayList<>();
        calls.run(
                API,
                "DescribeStackResourceDrifts",
                "stack '" + stackName + "'",
                () -> cfn
                        .describeStackResourceDriftsPaginator(r -> r.stackName(stackName)
                                .stackResourceDriftStatusFiltersWithStrings("MODIFIED", "DELETED"))
                        .stream()
                        .flatMap(page -> page.stackResourceDrifts().stream())
                        .forEach(d -> drifted.add(new DriftedResource(
                                d.logicalResourceId(), d.resourceType(), d.stackResourceDriftStatusAsString()))));
        String text = status.stackDriftStatusAsString()
                + (status.detectionStatusReason() == null
                                || status.detectionStatusReason().isBlank()
                        ? ""
                        : ", " + status.detectionStatusReason());
        return new Drift(true, text, drifted);
    }

    @Override
    public void executeChangeSet(String stackName, String changeSetName, String clientToken) {
        calls.run(
                API,
                "ExecuteChangeSet",
                "change set '" + changeSetName + "' of stack '" + stackName + "'",
                () -> cfn.executeChangeSet(
                        r -> r.stackName(stackName).changeSetName(changeSetName).clientRequestToken(clientToken)));
    }

    @Override
    public void delete(String stackName, List<String> retainResources, String clientToken) {
        delete(stackName, retainResources, clientToken, Optional.empty());
    }

    @Override
    public void delete(String stackName, List<String> retainResources, String clientToken, Optional<String> roleArn) {
        Stack stack;
        try {
            stack = describeStack(stackName);
        } catch (ProviderException e) {
            if (e.kind() == FailureKind.NOT_FOUND) {
                return;
            }
            throw e;
        }
        // CloudFormation accepts RetainResources only for a stack in DELETE_FAILED; on any other stack it rejects
        // the whole call. Resources to keep on a first delete need "DeletionPolicy: Retain" in the template.
        boolean retain = !retainResources.isEmpty() && stack.stackStatus() == StackStatus.DELETE_FAILED;
        calls.run(
                API,
                "DeleteStack",
                "stack '" + stackName + "'",
                () -> cfn.deleteStack(r -> {
                    r.stackName(stackName).clientRequestToken(clientToken);
                    roleArn.ifPresent(r::roleARN);
                    if (retain) {
                        r.retainResources(retainResources);
                    }
                }));
    }

    @Override
    public List<StackEvent> events(String stackName) {
        List<StackEvent> events = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            var page = calls.call(
                    API,
                    "DescribeStackEvents",
                    "stack '" + stackName + "'",
                    () -> cfn.describeStackEvents(r -> r.stackName(stackName).nextToken(token)));
            page.stackEvents()
                    .forEach(e -> events.add(new StackEvent(
                            e.eventId(),
                            e.logicalResourceId(),
                            e.resourceType(),
                            e.resourceStatusAsString(),
                            failed(e.resourceStatusAsString()),
                            Optional.ofNullable(e.resourceStatusReason()).orElse(""),
                            e.timestamp())));
            next = page.nextToken();
            // One page (100 events) covers the latest operation; older pages are history the engine never reads.
        } while (next != null && events.size() < 100);
        // The service already answers newest first; sorting keeps that promise for emulators that do not.
        events.sort((a, b) -> b.timestamp().compareTo(a.timestamp()));
        return events;
    }

    // ---- mapping, package-private for the unit tests ----

    /** Whether a resource status is a failure (CREATE_FAILED, UPDATE_FAILED, DELETE_FAILED, ...). */
    static boolean failed(String resourceStatus) {
        return resourceStatus != null && resourceStatus.endsWith("_FAILED");
    }

    static StackState stateOf(StackStatus status, String raw) {
        String s = raw == null ? String.valueOf(status) : raw;
        if (s.endsWith("_IN_PROGRESS")) {
            return StackState.IN_PROGRESS;
        }
        if (s.equals("DELETE_FAILED")) {
            return StackState.DELETE_FAILED;
        }
        if (s.endsWith("_FAILED")) {
            return StackState.FAILED;
        }
        switch (s) {
            case "CREATE_COMPLETE":
            case "UPDATE_COMPLETE":
            case "IMPORT_COMPLETE":
                return StackState.COMPLETE;
            case "ROLLBACK_COMPLETE":
            case "UPDATE_ROLLBACK_COMPLETE":
            case "IMPORT_ROLLBACK_COMPLETE":
                return StackState.ROLLED_BACK;
            case "DELETE_COMPLETE":
                return StackState.DELETED;
            default:
                // A status AWS added after this adapter was written: say so rather than guess it is fine.
                return StackState.FAILED;
        }
    }

    /**
     * The earliest resource failure of the latest operation: events come newest first, and the operation
     * starts at the newest stack-level *_IN_PROGRESS event that a user initiated.
     */
    /** The operation a CloudFormation status belongs to (its first word; IMPORT_* counts as an update). */
    static StackProvider.StackOperation operationOf(String raw) {
        String s = raw == null ? "" : raw;
        if (s.startsWith("DELETE")) {
            return StackProvider.StackOperation.DELETE;
        }
        if (s.startsWith("UPDATE") || s.startsWith("IMPORT")) {
            return StackProvider.StackOperation.UPDATE;
        }
        if (s.startsWith("ROLLBACK")) {
            return StackProvider.StackOperation.ROLLBACK;
        }
        // CREATE_* and REVIEW_IN_PROGRESS (a stack made by a change set of type CREATE, not yet executed)
        return StackProvider.StackOperation.CREATE;
    }

    static Optional<StackEvent> firstFailure(List<StackEvent> newestFirst) {
        StackEvent first = null;
        for (StackEvent e : newestFirst) {
            boolean stackLevel = STACK_TYPE.equals(e.resourceType());
            if (stackLevel
                    && ("CREATE_IN_PROGRESS".equals(e.status()) || "UPDATE_IN_PROGRESS".equals(e.status()))
                    && (first != null || "User Initiated".equals(e.reason()))) {
                break;
            }
            if (!stackLevel && e.failed()) {
                first = e;
            }
        }
        return Optional.ofNullable(first);
    }

    static TemplateSummary templateSummary(ValidateTemplateResponse response) {
        Map<String, Optional<String>> params = new LinkedHashMap<>();
        java.util.Set<String> noEcho = new java.util.TreeSet<>();
        response.parameters().forEach(p -> {
            params.put(p.parameterKey(), Optional.ofNullable(p.defaultValue()));
            if (Boolean.TRUE.equals(p.noEcho())) {
                noEcho.add(p.parameterKey());
            }
        });
        return new TemplateSummary(params, noEcho);
    }

    static ChangeSetDescription changeSet(List<DescribeChangeSetResponse> pages) {
        DescribeChangeSetResponse first = pages.get(0);
        String reason = Optional.ofNullable(first.statusReason()).orElse("");
        StackProvider.ChangeSetStatus status;
        if (first.status() == software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus.FAILED
                || first.executionStatus() == ExecutionStatus.EXECUTE_FAILED
                || first.executionStatus() == ExecutionStatus.OBSOLETE) {
            // CloudFormation fails a change set that changes nothing; that is an answer, not an error. Its
            // reason is the only place that says so (two wordings, for templates and for parameters).
            status = reason.contains("didn't contain changes") || reason.contains("No updates")
                    ? StackProvider.ChangeSetStatus.NO_CHANGES
                    : StackProvider.ChangeSetStatus.FAILED;
        } else if (first.status()
                        == software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus.CREATE_COMPLETE
                && first.executionStatus() == ExecutionStatus.AVAILABLE) {
            status = StackProvider.ChangeSetStatus.READY;
        } else {
            status = StackProvider.ChangeSetStatus.PENDING;
        }
        List<ResourceChange> changes = new ArrayList<>();
        for (DescribeChangeSetResponse page : pages) {
            for (Change c : page.changes()) {
                if (c.resourceChange() != null) {
                    var rc = c.resourceChange();
                    changes.add(new ResourceChange(
                            rc.actionAsString(),
                            rc.logicalResourceId(),
                            rc.resourceType(),
                            Optional.ofNullable(rc.replacementAsString()).orElse("")));
                }
            }
        }
        return new ChangeSetDescription(first.changeSetName(), status, reason, changes, parameters(first.parameters()));
    }

    static Map<String, String> parameters(List<Parameter> parameters) {
        Map<String, String> m = new LinkedHashMap<>();
        // NoEcho parameters come back as "****"; they are still reported so a caller sees they are set.
        parameters.forEach(p ->
                m.put(p.parameterKey(), Optional.ofNullable(p.parameterValue()).orElse("")));
        return m;
    }

    static Map<String, String> outputs(List<Output> outputs) {
        Map<String, String> m = new LinkedHashMap<>();
        outputs.forEach(
                o -> m.put(o.outputKey(), Optional.ofNullable(o.outputValue()).orElse("")));
        return m;
    }

    static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> m = new LinkedHashMap<>();
        tags.forEach(t -> m.put(t.key(), t.value()));
        return m;
    }

    private static List<Parameter> parameterList(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(e -> Parameter.builder()
                        .parameterKey(e.getKey())
                        .parameterValue(e.getValue())
                        .build())
                .toList();
    }

    private static List<Tag> tagList(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }
}
