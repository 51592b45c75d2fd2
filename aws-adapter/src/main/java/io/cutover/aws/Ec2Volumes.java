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
    public Optional<Initialization> initialization(String volumeId) {
        return calls
                .call(
                        ApiService.EC2_DESCRIBE,
                        "DescribeVolumeStatus",
                        "volume '" + volumeId + "'",
                        () -> ec2.describeVolumeStatus(r -> r.volumeIds(volumeId))
                                .volumeStatuses())
                .stream()
                .findFirst()
                .flatMap(st -> Optional.ofNullable(st.initializationStatusDetails()))
                .filter(d -> d.progress() != null && d.progress() < 100)
                .map(d -> new Initialization(
                        (int) Math.max(0, d.progress()),
                        Optional.ofNullable(d.estimatedTimeToCompleteInSeconds())
                                .map(java.time.Duration::ofSeconds)));
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

    @Override
    public String createVolume(NewVolume n) {
        // Tags and the client token in the same call: a repeated call (a lost answer, a resumed run) returns the
        // volume the first one made, and a volume made without its answer is still found by its tags.
        return calls.call(
                        ApiService.EC2_MUTATE,
                        "CreateVolume",
                        "snapshot '" + n.snapshotId() + "'",
                        () -> ec2.createVolume(r -> {
                            r.snapshotId(n.snapshotId())
                                    .availabilityZone(n.availabilityZone())
                                    .clientToken(n.clientToken())
                                    .tagSpecifications(tagSpecifications(ResourceType.VOLUME, n.tags()));
                            n.volumeType().ifPresent(r::volumeType);
                            n.performance().iops().ifPresent(r::iops);
                            n.performance().throughputMiBps().ifPresent(r::throughput);
                            if (n.sizeGb() > 0) {
                                r.size(n.sizeGb());
                            }
                        }))
                .volumeId();
    }

    @Override
    public String copyVolume(VolumeCopy c) {
        // As createVolume: tags and the client token in the same call, so a repeated call (a lost answer, a resumed
        // run) returns the copy the first one made, and a copy made without its answer is still found by its tags.
        // No zone to give: EC2 makes the copy in its source's Availability Zone.
        var answer = calls.call(
                ApiService.EC2_MUTATE,
                "CopyVolumes",
                "volume '" + c.sourceVolumeId() + "'",
                () -> ec2.copyVolumes(r -> {
                    r.sourceVolumeId(c.sourceVolumeId())
                            .clientToken(c.clientToken())
                            .tagSpecifications(tagSpecifications(ResourceType.VOLUME, c.tags()));
                    c.volumeType().ifPresent(r::volumeType);
                    c.performance().iops().ifPresent(r::iops);
                    c.performance().throughputMiBps().ifPresent(r::throughput);
                    if (c.sizeGb() > 0) {
                        r.size(c.sizeGb());
                    }
                }));
        return answer.volumes().stream()
                .map(Volume::volumeId)
                .filter(id -> id != null && !id.isEmpty())
                .findFirst()
                .orElseThrow(() -> ProviderException.of(
                        FailureKind.PERMANENT,
                        "CopyVolumes",
                        "EC2 answered without the copy of volume '" + c.sourceVolumeId() + "'; find it by its tags "
                                + c.tags()));
    }

    @Override
    public List<VolumeDescription> findVolumes(Map<String, String> tags) {
        List<Filter> filters = new ArrayList<>();
        tags.forEach((k, v) ->
                filters.add(Filter.builder().name("tag:" + k).values(v).build()));
        List<VolumeDescription> found = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            var page = calls.call(
                    ApiService.EC2_DESCRIBE,
                    "DescribeVolumes",
                    null,
                    () -> ec2.describeVolumes(r -> r.filters(filters).nextToken(token)));
            page.volumes().forEach(v -> found.add(volume(v)));
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        return found;
    }

    @Override
    public void attachVolume(String volumeId, String instanceId, String device) {
        calls.run(
                ApiService.EC2_MUTATE,
                "AttachVolume",
                "volume '" + volumeId + "'",
                () -> ec2.attachVolume(
                        r -> r.volumeId(volumeId).instanceId(instanceId).device(device)));
    }

    @Override
    public void detachVolume(String volumeId, String instanceId) {
        calls.run(
                ApiService.EC2_MUTATE,
                "DetachVolume",
                "volume '" + volumeId + "'",
                () -> ec2.detachVolume(r -> r.volumeId(volumeId).instanceId(instanceId)));
    }

    @Override
    public void deleteVolume(String volumeId) {
        ignoreNotFound(() -> calls.run(
                ApiService.EC2_MUTATE,
                "DeleteVolume",
                "volume '" + volumeId + "'",
                () -> ec2.deleteVolume(r -> r.volumeId(volumeId))));
    }

    @Override
    public void enableFastSnapshotRestore(String snapshotId, String availabilityZone) {
        var answer = calls.call(
                ApiService.EC2_MUTATE,
                "EnableFastSnapshotRestores",
                "snapshot '" + snapshotId + "'",
                () -> ec2.enableFastSnapshotRestores(
                        r -> r.sourceSnapshotIds(snapshotId).availabilityZones(availabilityZone)));
        // EC2 answers 200 with the failures listed item by item.
        answer.unsuccessful().stream().findFirst().ifPresent(u -> {
            throw ProviderException.of(
                    FailureKind.INVALID_REQUEST,
                    "EnableFastSnapshotRestores",
                    u.fastSnapshotRestoreStateErrors().stream()
                            .map(e -> e.availabilityZone() + ": " + e.error().message())
                            .findFirst()
                            .orElse("not enabled for " + snapshotId));
        });
    }

    @Override
    public void disableFastSnapshotRestore(String snapshotId, String availabilityZone) {
        calls.run(
                ApiService.EC2_MUTATE,
                "DisableFastSnapshotRestores",
                "snapshot '" + snapshotId + "'",
                () -> ec2.disableFastSnapshotRestores(
                        r -> r.sourceSnapshotIds(snapshotId).availabilityZones(availabilityZone)));
    }

    @Override
    public FastRestoreState describeFastSnapshotRestore(String snapshotId, String availabilityZone) {
        return calls
                .call(
                        ApiService.EC2_DESCRIBE,
                        "DescribeFastSnapshotRestores",
                        "snapshot '" + snapshotId + "'",
                        () -> ec2.describeFastSnapshotRestores(r -> r.filters(
                                        Filter.builder()
                                                .name("snapshot-id")
                                                .values(snapshotId)
                                                .build(),
                                        Filter.builder()
                                                .name("availability-zone")
                                                .values(availabilityZone)
                                                .build()))
                                .fastSnapshotRestores())
                .stream()
                .findFirst()
                .map(f -> fastRestoreState(f.stateAsString()))
                .orElse(FastRestoreState.DISABLED);
    }

    static FastRestoreState fastRestoreState(String state) {
        if (state == null) {
            return FastRestoreState.DISABLED;
        }
        return switch (state) {
            case "enabling" -> FastRestoreState.ENABLING;
            case "optimizing" -> FastRestoreState.OPTIMIZING;
            case "enabled" -> FastRestoreState.ENABLED;
            case "disabling" -> FastRestoreState.DISABLING;
            default -> FastRestoreState.DISABLED;
        };
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
        // A detaching volume names no instance, but stays in-use (its device busy) until EC2 has detached it.
        Optional<VolumeAttachment> attachment = v.attachments().stream()
                .filter(a -> "attached".equals(a.stateAsString()) || "attaching".equals(a.stateAsString()))
                .findFirst();
        return new VolumeDescription(
                v.volumeId(),
                volumeStatus(v.stateAsString()),
                Optional.ofNullable(v.size()).orElse(0),
                v.availabilityZone(),
                attachment.map(VolumeAttachment::instanceId),
                Optional.ofNullable(v.snapshotId()).filter(s -> !s.isEmpty()),
                tagMap(v.tags()),
                attachment.map(VolumeAttachment::device),
                Optional.ofNullable(v.volumeTypeAsString()).filter(t -> !t.isEmpty()),
                new VolumeProvider.Performance(Optional.ofNullable(v.iops()), Optional.ofNullable(v.throughput())));
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
