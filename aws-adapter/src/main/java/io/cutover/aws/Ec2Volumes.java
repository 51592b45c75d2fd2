package io.cutover.aws;

import io.cutover.spi.ApiService;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.spi.VolumeProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;

/** {@link VolumeProvider} over EBS. */
final class Ec2Volumes implements VolumeProvider {
    private final Ec2Client ec2;
    private final AwsCalls calls;

    Ec2Volumes(Ec2Client ec2, AwsCalls calls) {
        this.ec2 = ec2;
        this.calls = calls;
    }

    @Override
    public VolumeDescription describe(String volumeId) {
        return calls
                .call(
                        ApiService.EC2_DESCRIBE,
                        "DescribeVolumes",
                        "volume '" + volumeId + "'",
                        () -> ec2.describeVolumes(r -> r.volumeIds(volumeId)).volumes())
                .stream()
                .findFirst()
                .map(Ec2Volumes::volume)
                .orElseThrow(() -> ProviderException.notFound("DescribeVolumes", "volume '" + volumeId + "'"));
    }

    @Override
    public String createSnapshot(String volumeId, String description, Map<String, String> tags) {
        // Tags in the same call: a snapshot without them could not be found again after a crash (its id is
        // chosen by EC2), and would be left behind.
        return calls.call(
                        ApiService.EC2_MUTATE,
                        "CreateSnapshot",
                        "volume '" + volumeId + "'",
                        () -> ec2.createSnapshot(r -> r.volumeId(volumeId)
                                .description(description)
                                .tagSpecifications(tagSpecifications(ResourceType.SNAPSHOT, tags))))
                .snapshotId();
    }

    @Override
    public List<VolumeSnapshotDescription> findSnapshots(Map<String, String> tags) {
        List<Filter> filters = new ArrayList<>();
        tags.forEach((k, v) ->
                filters.add(Filter.builder().name("tag:" + k).values(v).build()));
        List<VolumeSnapshotDescription> found = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            var page = calls.call(
                    ApiService.EC2_DESCRIBE,
                    "DescribeSnapshots",
                    null,
                    () -> ec2.describeSnapshots(
                            r -> r.ownerIds("self").filters(filters).nextToken(token)));
            page.snapshots().forEach(s -> found.add(snapshot(s)));
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        return found;
    }

    @Override
    public VolumeSnapshotDescription describeSnapshot(String snapshotId) {
        return calls
                .call(
                        ApiService.EC2_DESCRIBE,
                        "DescribeSnapshots",
                        "snapshot '" + snapshotId + "'",
                        () -> ec2.describeSnapshots(r -> r.snapshotIds(snapshotId))
                                .snapshots())
                .stream()
                .findFirst()
                .map(Ec2Volumes::snapshot)
                .orElseThrow(() -> ProviderException.notFound("DescribeSnapshots", "snapshot '" + snapshotId + "'"));
    }

    @Override
    public void deleteSnapshot(String snapshotId) {
        ignoreNotFound(() -> calls.run(
                ApiService.EC2_MUTATE,
                "DeleteSnapshot",
                "snapshot '" + snapshotId + "'",
                () -> ec2.deleteSnapshot(r -> r.snapshotId(snapshotId))));
    }

    private static void ignoreNotFound(Runnable call) {
        try {
            call.run();
        } catch (ProviderException e) {
            if (e.kind() != FailureKind.NOT_FOUND) {
                throw e;
            }
        }
    }

    // ---- mapping, package-private for the unit tests ----

    static VolumeDescription volume(Volume v) {
        Optional<String> attached = v.attachments().stream()
                .filter(a -> "attached".equals(a.stateAsString()) || "attaching".equals(a.stateAsString()))
                .map(VolumeAttachment::instanceId)
                .findFirst();
        return new VolumeDescription(
                v.volumeId(),
                volumeStatus(v.stateAsString()),
                Optional.ofNullable(v.size()).orElse(0),
                v.availabilityZone(),
                attached,
                Optional.ofNullable(v.snapshotId()).filter(s -> !s.isEmpty()),
                tagMap(v.tags()));
    }

    static VolumeSnapshotDescription snapshot(Snapshot s) {
        return new VolumeSnapshotDescription(
                s.snapshotId(),
                s.volumeId(),
                snapshotStatus(s.stateAsString()),
                progress(s.progress()),
                tagMap(s.tags()));
    }

    static Status volumeStatus(String state) {
        if (state == null) {
            return Status.PENDING;
        }
        switch (state) {
            case "creating":
                return Status.PENDING;
            case "available":
                return Status.AVAILABLE;
            case "in-use":
                return Status.IN_USE;
            case "deleting":
            case "deleted":
                return Status.DELETED;
            case "error":
            default:
                return Status.ERROR;
        }
    }

    static Status snapshotStatus(String state) {
        if (state == null) {
            return Status.PENDING;
        }
        switch (state) {
            case "pending":
                return Status.PENDING;
            case "completed":
                return Status.COMPLETED;
            case "recoverable":
            case "recovering":
                return Status.PENDING;
            case "error":
            default:
                return Status.ERROR;
        }
    }

    /** EC2 reports progress as a string such as "87%" (or an empty string before it starts). */
    static int progress(String progress) {
        if (progress == null) {
            return 0;
        }
        String digits = progress.replace("%", "").trim();
        try {
            return digits.isEmpty() ? 0 : Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> m = new LinkedHashMap<>();
        tags.forEach(t -> m.put(t.key(), t.value()));
        return m;
    }

    /** None for no tags: EC2 rejects a tag specification without tags. */
    static List<TagSpecification> tagSpecifications(ResourceType type, Map<String, String> tags) {
        return tags.isEmpty() ? List.of() : List.of(tagSpecification(type, tags));
    }

    static TagSpecification tagSpecification(ResourceType type, Map<String, String> tags) {
        return TagSpecification.builder()
                .resourceType(type)
                .tags(tags.entrySet().stream()
                        .map(e -> Tag.builder()
                                .key(e.getKey())
                                .value(e.getValue())
                                .build())
                        .toList())
                .build();
    }
}
