package io.cutover.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * The data-disk re-sync without a stack update: the {@code replace-volume} step ({@link ReplaceVolume}), its builder
 * ({@code Steps.replaceVolume("replace-disk")}) and the checks of its fields, which plan files share.
 */
public final class DataDisks {
    /**
     * AWS's price of fast snapshot restore in US East (N. Virginia): $0.75 for each hour it is enabled, for each
     * snapshot and each Availability Zone (a "DSU-hour"), billed per minute with a minimum of one hour (AWS
     * whitepaper How AWS Pricing Works, Amazon EBS: "The price of one FSR DSU-hour is $0.75 per Availability Zone
     * (pricing based on us-east-1)"; Amazon EBS user guide, Configure fast snapshot restore). Other regions differ.
     */
    public static final String FAST_SNAPSHOT_RESTORE_PRICE =
            "$0.75 per hour for the snapshot in that zone (US East; per minute, at least one hour)";

    private DataDisks() {}

    /**
     * Puts other data on green's machine in place of green's data volume {@code volume} (e.g.
     * {@code ${green.outputs.DataVolumeId}}), in one of two ways:
     *
     * <ul>
     *   <li>{@code snapshot} (e.g. {@code ${snap-final-vol.snapshotId}}): creates a volume from the snapshot in the
     *       volume's Availability Zone, of its size and type (or {@code volumeType}). With {@code fastSnapshotRestore},
     *       fast snapshot restore is enabled for the snapshot in that zone first and the volume is created fully
     *       initialized (warm before traffic) instead of loading its blocks lazily; it takes 60 minutes per TiB of the
     *       snapshot to optimize and is billed (see {@link DataDisks#FAST_SNAPSHOT_RESTORE_PRICE}); the step disables
     *       it again once the volume is created.
     *   <li>{@code copyOf} (blue's data volume, e.g. {@code vol-0123456789abcdef0}): copies that volume as it is when
     *       the step runs (EC2 CopyVolumes: a crash-consistent point-in-time copy, created immediately, usable at once
     *       while its blocks are copied in the background). No snapshot is made or waited for, so after the freeze
     *       this is the quickest way to give green blue's last write. A copy stays in its source's zone: green's
     *       instance must be in blue's volume's zone, which the step checks before it changes anything.
     * </ul>
     *
     * Either way it then detaches green's volume and attaches the new one to the same instance at the same device.
     * The new volume is recorded before it is created and carries the cutover's tags; the undo puts green's volume
     * back and deletes the new one, never green's nor blue's. Outputs {@code volumeId}, {@code replacedVolumeId},
     * {@code instance}, {@code device}.
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record ReplaceVolume(
            StepId id,
            List<StepId> dependsOn,
            String volume,
            String snapshot,
            boolean fastSnapshotRestore,
            Optional<String> volumeType,
            Optional<String> copyOf)
            implements StepSpec {
        public ReplaceVolume {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            volumeType = volumeType == null ? Optional.empty() : volumeType;
            copyOf = copyOf == null ? Optional.empty() : copyOf;
        }

        /** From a plan file, where {@code fastSnapshotRestore} may be left out (false). */
        @com.fasterxml.jackson.annotation.JsonCreator
        static ReplaceVolume fromFile(
                @com.fasterxml.jackson.annotation.JsonProperty("id") StepId id,
                @com.fasterxml.jackson.annotation.JsonProperty("dependsOn") List<StepId> dependsOn,
                @com.fasterxml.jackson.annotation.JsonProperty("volume") String volume,
                @com.fasterxml.jackson.annotation.JsonProperty("snapshot") String snapshot,
                @com.fasterxml.jackson.annotation.JsonProperty("fastSnapshotRestore") Boolean fastSnapshotRestore,
                @com.fasterxml.jackson.annotation.JsonProperty("volumeType") Optional<String> volumeType,
                @com.fasterxml.jackson.annotation.JsonProperty("copyOf") Optional<String> copyOf) {
            return new ReplaceVolume(
                    id,
                    dependsOn,
                    volume,
                    snapshot,
                    fastSnapshotRestore != null && fastSnapshotRestore,
                    volumeType,
                    copyOf);
        }

        /** From a snapshot, as before volume copies. */
        public ReplaceVolume(
                StepId id,
                List<StepId> dependsOn,
                String volume,
                String snapshot,
                boolean fastSnapshotRestore,
                Optional<String> volumeType) {
            this(id, dependsOn, volume, snapshot, fastSnapshotRestore, volumeType, Optional.empty());
        }
    }

    /**
     * Green's volume and one source (a snapshot or a volume to copy) are given, as ids of their shapes unless they
     * hold references.
     */
    public static void check(ReplaceVolume s, Validation v) {
        v.present(s.volume(), "volume", "green's data volume, e.g. ${green.outputs.DataVolumeId}");
        if (s.volume() != null && !s.volume().isBlank()) {
            v.identifier(s.volume(), Identifiers::checkVolumeId, "volume");
        }
        boolean hasSnapshot = s.snapshot() != null && !s.snapshot().isBlank();
        if (s.copyOf().isPresent()) {
            String src = s.copyOf().get();
            if (src.isBlank()) {
                v.problem("copyOf", "is empty; give blue's data volume, e.g. vol-0123456789abcdef0");
            } else {
                v.identifier(src, Identifiers::checkVolumeId, "copyOf");
            }
            if (hasSnapshot) {
                v.problem(
                        "copyOf",
                        "is given with snapshot " + s.snapshot() + "; the new volume comes from one of them: keep"
                                + " copyOf to copy blue's volume as it is (quickest after the freeze), or snapshot");
            }
            if (s.fastSnapshotRestore()) {
                v.problem(
                        "fastSnapshotRestore",
                        "applies to volumes made from a snapshot; a volume copy (copyOf) cannot use it (Amazon EBS:"
                                + " fast snapshot restore is not supported for volume copies): remove it");
            }
            checkType(s, v);
            checkAgainstThePlan(s, src, v);
            return;
        }
        v.present(
                s.snapshot(),
                "snapshot",
                "the volume snapshot to put on green, e.g. ${snap-final-vol.snapshotId}, or copyOf: blue's data"
                        + " volume to copy");
        if (s.snapshot() != null && !s.snapshot().isBlank() && !Validation.refers(s.snapshot())) {
            if (!s.snapshot().matches("snap-([0-9a-f]{8}|[0-9a-f]{17})")) {
                v.problem(
                        "snapshot",
                        s.snapshot() + " is not an EBS snapshot id; expected 'snap-' and 8 or 17 lower-case hex"
                                + " digits, e.g. snap-0123456789abcdef0, or a reference such as"
                                + " ${snap-final-vol.snapshotId}");
            }
        }
        checkType(s, v);
    }

    /**
     * In a plan: green's volume is not one of blue's, the copy is of one of blue's volumes and not of green's, and
     * it is made only after writes stopped (the step depends on the one that starts the downtime), so that the copy
     * holds blue's last write.
     */
    private static void checkAgainstThePlan(ReplaceVolume s, String src, Validation v) {
        if (v.plan() == null) {
            return;
        }
        List<String> blue = v.environment().volumes();
        String volume = s.volume() == null ? "" : s.volume();
        if (blue.contains(volume)) {
            v.problem(
                    "volume",
                    volume + " is blue's data volume (environment.volumes); name green's volume, the one to replace,"
                            + " e.g. ${green.outputs.DataVolumeId}, and blue's in copyOf");
        }
        if (src.equals(volume)) {
            v.problem("copyOf", "is green's volume itself; copyOf names blue's data volume, e.g. " + blue);
        } else if (!Validation.refers(src) && !blue.contains(src)) {
            v.problem(
                    "copyOf",
                    src + " is not one of blue's data volumes " + blue + "; copyOf copies blue's disk: name it, or"
                            + " list it in environment.volumes");
        }
        if (!v.afterDowntimeStarts(s.id())) {
            v.problem(
                    "dependsOn",
                    "a copy of blue's volume must be made after writes stop, or green misses the last ones: make"
                            + " the step depend on the step that starts the downtime (downtime: STARTS), e.g."
                            + " dependsOn: [freeze]");
        }
    }

    private static void checkType(ReplaceVolume s, Validation v) {
        s.volumeType()
                .filter(t -> !t.matches("gp2|gp3|io1|io2|st1|sc1|standard"))
                .ifPresent(t -> v.problem(
                        "volumeType", t + " is not an EBS volume type; one of gp2, gp3, io1, io2, st1, sc1, standard"));
    }

    /** Builds a {@link ReplaceVolume}. */
    public static final class Builder extends Steps.StepBuilder<Builder, ReplaceVolume> {
        private String volume;
        private String snapshot;
        private boolean fastSnapshotRestore;
        private String volumeType;
        private String copyOf;

        Builder(String id) {
            super(id);
        }

        /** Green's data volume to replace, e.g. {@code ${green.outputs.DataVolumeId}} (required). */
        public Builder volume(String volume) {
            this.volume = volume;
            return this;
        }

        /** The snapshot whose data green gets, e.g. {@code ${snap-final-vol.snapshotId}} (this or {@link #copyOf}). */
        public Builder snapshot(String snapshot) {
            this.snapshot = snapshot;
            return this;
        }

        /**
         * Copies this volume (blue's data volume) instead of using a snapshot: EC2 CopyVolumes, in the volume's own
         * zone, which green's instance must share.
         */
        public Builder copyOf(String volume) {
            this.copyOf = volume;
            return this;
        }

        /** Creates the volume fully initialized through fast snapshot restore (billed; see the record). */
        public Builder fastSnapshotRestore(boolean on) {
            this.fastSnapshotRestore = on;
            return this;
        }

        /** The new volume's type; green's volume's by default. */
        public Builder volumeType(String type) {
            this.volumeType = type;
            return this;
        }

        @Override
        void check(Validation v) {
            DataDisks.check(create(StepId.of("x"), List.of()), v);
        }

        @Override
        ReplaceVolume create(StepId id, List<StepId> dependsOn) {
            return new ReplaceVolume(
                    id,
                    dependsOn,
                    volume,
                    snapshot,
                    fastSnapshotRestore,
                    Optional.ofNullable(volumeType),
                    Optional.ofNullable(copyOf));
        }
    }
}
