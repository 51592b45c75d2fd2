package io.cutover.aws;

import io.cutover.plan.StepSpec.Shell;
import io.cutover.spi.ApiService;
import io.cutover.spi.CommandProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.CommandFilter;
import software.amazon.awssdk.services.ssm.model.CommandFilterKey;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;

/**
 * {@link CommandProvider} over Systems Manager Run Command: {@code AWS-RunShellScript} or
 * {@code AWS-RunPowerShellScript} by {@code SendCommand}, found again by its comment with {@code ListCommands}
 * (narrowed by its {@code InvokedAfter} filter; the comment is matched here, as the API filters by no comment),
 * followed with one {@code GetCommandInvocation} per instance. Instances chosen by tags are the running ones
 * {@code DescribeInstances} finds. The instances must run the SSM agent with an instance profile that lets it
 * reach Systems Manager.
 */
final class SsmCommands implements CommandProvider {
    private final SsmClient ssm;
    private final Optional<Ec2Client> ec2;
    private final AwsCalls calls;

    SsmCommands(SsmClient ssm, Optional<Ec2Client> ec2, AwsCalls calls) {
        this.ssm = ssm;
        this.ec2 = ec2;
        this.calls = calls;
    }

    @Override
    public List<String> instances(Map<String, String> tags) {
        Ec2Client client = ec2.orElseThrow(() -> new IllegalStateException(
                "choosing instances by tags needs an Ec2Client; pass one with AwsCloud.builder().ec2(...)"));
        List<Filter> filters = new ArrayList<>();
        filters.add(
                Filter.builder().name("instance-state-name").values("running").build());
        tags.forEach((k, v) ->
                filters.add(Filter.builder().name("tag:" + k).values(v).build()));
        TreeSet<String> ids = new TreeSet<>();
        calls.run(
                ApiService.EC2_DESCRIBE,
                "DescribeInstances",
                "instances tagged " + tags,
                () -> client.describeInstancesPaginator(r -> r.filters(filters))
                        .reservations()
                        .forEach(res -> res.instances().forEach(i -> ids.add(i.instanceId()))));
        return List.copyOf(ids);
    }

    @Override
    public String send(CommandRequest request) {
        String document = request.shell() == Shell.POWERSHELL ? "AWS-RunPowerShellScript" : "AWS-RunShellScript";
        return calls.call(
                ApiService.SSM,
                "SendCommand",
                "instances " + request.instanceIds(),
                () -> ssm.sendCommand(r -> r.instanceIds(request.instanceIds())
                                .documentName(document)
                                .comment(request.comment())
                                .parameters(Map.of(
                                        "commands",
                                        request.script().lines().toList(),
                                        "executionTimeout",
                                        List.of(String.valueOf(
                                                request.executionTimeout().toSeconds())))))
                        .command()
                        .commandId());
    }

    @Override
    public Optional<String> find(String comment, Instant since) {
        return calls.call(
                ApiService.SSM,
                "ListCommands",
                "commands with comment '" + comment + "'",
                () -> ssm
                        .listCommandsPaginator(r -> r.filters(CommandFilter.builder()
                                .key(CommandFilterKey.INVOKED_AFTER)
                                .value(since.toString())
                                .build()))
                        .commands()
                        .stream()
                        .filter(c -> comment.equals(c.comment()))
                        .filter(c -> c.requestedDateTime() == null
                                || !c.requestedDateTime().isBefore(since))
                        .map(c -> c.commandId())
                        .reduce((a, b) -> b));
    }

    @Override
    public List<Invocation> invocations(String commandId, List<String> instanceIds) {
        List<Invocation> out = new ArrayList<>();
        for (String instance : instanceIds) {
            out.add(calls.call(
                    ApiService.SSM, "GetCommandInvocation", "command " + commandId + " on " + instance, () -> {
                        try {
                            return invocation(
                                    instance,
                                    ssm.getCommandInvocation(
                                            r -> r.commandId(commandId).instanceId(instance)));
                        } catch (InvocationDoesNotExistException e) {
                            // just after the send, the invocation is not registered yet
                            return new Invocation(instance, Status.PENDING, -1, "");
                        }
                    }));
        }
        return out;
    }

    static Invocation invocation(String instance, GetCommandInvocationResponse r) {
        Status status = switch (r.status() == null ? "Pending" : r.statusAsString()) {
            case "Success" -> Status.SUCCESS;
            case "Failed" -> Status.FAILED;
            case "TimedOut" -> Status.TIMED_OUT;
            case "Cancelled" -> Status.CANCELLED;
            case "InProgress", "Cancelling" -> Status.IN_PROGRESS;
            default -> Status.PENDING; // Pending, Delayed
        };
        String out = r.standardOutputContent() == null ? "" : r.standardOutputContent();
        String err = r.standardErrorContent() == null ? "" : r.standardErrorContent();
        return new Invocation(
                instance,
                status,
                r.responseCode() == null ? -1 : r.responseCode(),
                err.isEmpty() ? out : out + (out.isEmpty() || out.endsWith("\n") ? "" : "\n") + err);
    }
}
