package io.cutover.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cutover.plan.Environment.Database.Kind;
import io.cutover.simulator.CloudSimulation;
import io.cutover.spi.AddressProvider;
import io.cutover.spi.AlarmProvider;
import io.cutover.spi.CloudProvider;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.spi.StackProvider;
import io.cutover.spi.StackProvider.StackRequest;
import io.cutover.spi.StackProvider.Template;
import io.cutover.spi.VolumeProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The provider contract: what the engine relies on from every {@link CloudProvider}, written once. The
 * simulated cloud and the AWS adapter both run it (the adapter against an emulator); where they disagree,
 * AWS's documented behaviour decides. An implementation names the tests its backend cannot pass in
 * {@link #gaps()}, with the reason; those are skipped with that reason, never silently.
 */
public abstract class ProviderContract {
    /** The provider under test. */
    protected abstract CloudProvider cloud();

    /** Lets the backend's time pass until {@code condition} holds (virtual time, or polling real time). */
    protected abstract void awaitUntil(String what, BooleanSupplier condition);

    /** Creates a hosted zone for {@code name}; returns its id. */
    protected abstract String createZone(String name);

    /** Allocates a static address, not attached; returns its allocation id. */
    protected abstract String allocateAddress();

    /**
     * Makes every later delete of the stack fail (a resource that cannot be deleted), or throws
     * {@link UnsupportedOperationException} where the backend cannot; name the test in {@link #gaps()} then.
     */
    protected void makeDeletesFail(String stackName) {
        throw new UnsupportedOperationException("this backend cannot make a delete fail");
    }

    /**
     * Creates the alarm {@code name} in {@code state}, or throws {@link UnsupportedOperationException} where the
     * backend cannot; name the test in {@link #gaps()} then.
     */
    protected void putAlarm(String name, AlarmProvider.AlarmState state) {
        throw new UnsupportedOperationException("this backend cannot create an alarm");
    }

    /**
     * Creates an Aurora cluster {@code id} with at least one instance, available, or throws
     * {@link UnsupportedOperationException} where the backend cannot; name the test in {@link #gaps()} then.
     */
    protected void createAuroraCluster(String id) {
        throw new UnsupportedOperationException("this backend cannot create an Aurora cluster");
    }

    /**
     * The application writes to a volume; returns a mark of what the volume holds afterwards, comparable with
     * {@link #contentOf}. Throws {@link UnsupportedOperationException} where the backend cannot (reading a volume's
     * blocks needs an instance); name the test in {@link #gaps()} then.
     */
    protected long writeTo(String volumeId) {
        throw new UnsupportedOperationException("this backend cannot write to a volume");
    }

    /** A mark of what a volume holds (see {@link #writeTo}). */
    protected long contentOf(String volumeId) {
        throw new UnsupportedOperationException("this backend cannot read a volume");
    }

    /** Tests this backend cannot pass, by method name, with the reason. */
    protected Map<String, String> gaps() {
        return Map.of();
    }

    private TestInfo test;

    @org.junit.jupiter.api.BeforeEach
    void remember(TestInfo info) {
        this.test = info;
        String name =
                info.getTestMethod().map(java.lang.reflect.Method::getName).orElse("");
        String gap = gaps().get(name);
        assumeTrue(gap == null, () -> "skipped on this backend: " + gap);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a stack of the sample application and waits until it is complete. */
    protected StackProvider.StackDescription deployed(String name, Map<String, String> params) {
        StackProvider stacks = cloud().stacks();
        stacks.create(new StackRequest(
                name,
                Template.ofBody(CloudSimulation.sampleTemplate()),
                params,
                Map.of("purpose", "contract"),
                List.of(),
                "token-" + name));
        awaitUntil(
                "stack " + name + " complete",
                () -> stacks.describe(name).state() != StackProvider.StackState.IN_PROGRESS);
        StackProvider.StackDescription d = stacks.describe(name);
        assertThat(d.state()).as(d.rawStatus() + " " + d.reason()).isEqualTo(StackProvider.StackState.COMPLETE);
        return d;
    }

    // ------------------------------------------------------------------------------------------- alarms

    @Test
    void alarmsReadInTheirStatesByNameAndOneThatDoesNotExistIsAbsent() {
        String firing = unique("contract-alarm");
        String quiet = unique("contract-alarm");
        putAlarm(firing, AlarmProvider.AlarmState.ALARM);
        putAlarm(quiet, AlarmProvider.AlarmState.OK);

        assertThat(cloud().alarms().states(List.of(firing, quiet, unique("no-such-alarm"))))
                .containsOnly(
                        Map.entry(firing, AlarmProvider.AlarmState.ALARM),
                        Map.entry(quiet, AlarmProvider.AlarmState.OK));
    }

    // ------------------------------------------------------------------------------------------- stacks

    @Test
    void aCreatedStackCompletesWithItsParametersOutputsAndTags() {
        String name = unique("contract");
        StackProvider.StackDescription d = deployed(name, Map.of("AppVersion", "1.5"));
        assertThat(d.name()).isEqualTo(name);
        assertThat(d.parameters()).containsEntry("AppVersion", "1.5");
        assertThat(d.outputs()).containsKeys("Endpoint", "DatabaseId", "DataVolumeId", "InstanceId");
        assertThat(d.tags()).containsEntry("purpose", "contract");
    }

    @Test
    void repeatingACreateWithItsTokenIsHarmlessAndAnotherTokenIsRefused() {
        String name = unique("contract");
        deployed(name, Map.of());
        StackProvider stacks = cloud().stacks();
        stacks.create(new StackRequest(
                name,
                Template.ofBody(CloudSimulation.sampleTemplate()),
                Map.of(),
                Map.of("purpose", "contract"),
                List.of(),
                "token-" + name));
        assertThatThrownBy(() -> stacks.create(new StackRequest(
                        name,
                        Template.ofBody(CloudSimulation.sampleTemplate()),
                        Map.of(),
                        Map.of(),
                        List.of(),
                        "another-token")))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.ALREADY_EXISTS));
    }

    @Test
    void aStackThatDoesNotExistIsNotFound() {
        assertThatThrownBy(() -> cloud().stacks()
                        .describe(
                                "no-such-stack-" + UUID.randomUUID().toString().substring(0, 6)))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
    }

    @Test
    void aTemplateDeclaresItsParametersAndDefaults() {
        var summary = cloud().stacks().validate(Template.ofBody(CloudSimulation.sampleTemplate()));
        assertThat(summary.parameters())
                .containsEntry("AppVersion", Optional.of("1.0"))
                .containsEntry("DBSnapshotIdentifier", Optional.of(""));
    }

    @Test
    void aTemplateWithoutResourcesIsAnInvalidRequest() {
        assertThatThrownBy(() -> cloud().stacks().validate(Template.ofBody("{\"Resources\": {}}")))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.INVALID_REQUEST));
    }

    @Test
    void theTemplateAStackRunsCanBeReadBack() {
        String name = unique("contract");
        deployed(name, Map.of());
        assertThat(cloud().stacks().templateBody(name)).contains("AWS::RDS::DBInstance");
    }

    @Test
    void aChangeSetIsPreviewedThenExecutedToUpdateComplete() {
        String name = unique("contract");
        deployed(name, Map.of("AppVersion", "1.0"));
        StackProvider stacks = cloud().stacks();
        stacks.createChangeSet(
                new StackRequest(
                        name,
                        Template.ofBody(CloudSimulation.sampleTemplate()),
                        Map.of("AppVersion", "2.0", "InstanceType", "t3.large"),
                        Map.of(),
                        List.of(),
                        "cs-" + name),
                "cs-1");
        awaitUntil(
                "change set ready",
                () -> stacks.describeChangeSet(name, "cs-1").status() != StackProvider.ChangeSetStatus.PENDING);
        var cs = stacks.describeChangeSet(name, "cs-1");
        assertThat(cs.status()).as("%s", cs.reason()).isEqualTo(StackProvider.ChangeSetStatus.READY);
        assertThat(cs.parameters()).containsEntry("AppVersion", "2.0");

        stacks.executeChangeSet(name, "cs-1", "exec-" + name);
        awaitUntil("update complete", () -> stacks.describe(name).state() != StackProvider.StackState.IN_PROGRESS);
        var d = stacks.describe(name);
        assertThat(d.rawStatus()).isEqualTo("UPDATE_COMPLETE");
        assertThat(d.state()).isEqualTo(StackProvider.StackState.COMPLETE);
        assertThat(d.operation()).isEqualTo(StackProvider.StackOperation.UPDATE);
        assertThat(d.parameters()).containsEntry("AppVersion", "2.0").containsEntry("InstanceType", "t3.large");
    }

    @Test
    void aCreatedStackSaysItWasCreated() {
        var d = deployed(unique("contract"), Map.of());
        assertThat(d.state()).isEqualTo(StackProvider.StackState.COMPLETE);
        assertThat(d.operation()).isEqualTo(StackProvider.StackOperation.CREATE);
    }

    @Test
    void aChangeSetThatChangesNothingSaysNoChangesRatherThanFailed() {
        String name = unique("contract");
        deployed(name, Map.of("AppVersion", "1.0"));
        StackProvider stacks = cloud().stacks();
        stacks.createChangeSet(
                new StackRequest(
                        name,
                        Template.ofBody(CloudSimulation.sampleTemplate()),
                        Map.of("AppVersion", "1.0"),
                        Map.of(),
                        List.of(),
                        "same-" + name),
                "cs-same");
        awaitUntil(
                "change set computed",
                () -> stacks.describeChangeSet(name, "cs-same").status() != StackProvider.ChangeSetStatus.PENDING);
        var cs = stacks.describeChangeSet(name, "cs-same");
        assertThat(cs.status()).as("%s", cs.reason()).isEqualTo(StackProvider.ChangeSetStatus.NO_CHANGES);
        assertThat(cs.changes()).isEmpty();
    }

    @Test
    void aStackWhoseDeleteFailsIsDeleteFailedAndItsEventsNameTheResource() {
        String name = unique("contract");
        deployed(name, Map.of());
        makeDeletesFail(name);
        StackProvider stacks = cloud().stacks();
        stacks.delete(name, List.of(), "del-" + name);
        awaitUntil("delete settled", () -> stacks.describe(name).state() != StackProvider.StackState.IN_PROGRESS);

        var d = stacks.describe(name);
        assertThat(d.state()).as(d.rawStatus()).isEqualTo(StackProvider.StackState.DELETE_FAILED);
        assertThat(d.operation()).isEqualTo(StackProvider.StackOperation.DELETE);
        assertThat(stacks.events(name))
                .filteredOn(e -> e.failed() && !e.logicalResourceId().equals(name))
                .isNotEmpty();
    }

    @Test
    void aDeletedStackIsGoneAndDeletingItAgainIsHarmless() {
        String name = unique("contract");
        deployed(name, Map.of());
        StackProvider stacks = cloud().stacks();
        stacks.delete(name, List.of(), "del-" + name);
        awaitUntil("stack gone", () -> {
            try {
                return stacks.describe(name).state() == StackProvider.StackState.DELETED;
            } catch (ProviderException e) {
                return e.kind() == FailureKind.NOT_FOUND;
            }
        });
        stacks.delete(name, List.of(), "del-" + name);
    }

    // ------------------------------------------------------------------------------------------- databases

    @Test
    void aDatabaseSnapshotBecomesAvailableWithItsTagsAndItsIdCannotBeTakenTwice() {
        String db = deployed(unique("contract"), Map.of()).outputs().get("DatabaseId");
        DatabaseProvider dbs = cloud().databases();
        String snap = unique("snap");
        dbs.createSnapshot(Kind.INSTANCE, db, snap, Map.of("cutover:plan", "contract"));
        awaitUntil(
                "snapshot available",
                () -> dbs.describeSnapshot(Kind.INSTANCE, snap).status() == DatabaseProvider.Status.AVAILABLE);
        var s = dbs.describeSnapshot(Kind.INSTANCE, snap);
        assertThat(s.sourceDatabaseId()).isEqualTo(db);
        assertThat(s.tags()).containsEntry("cutover:plan", "contract");
        assertThatThrownBy(() -> dbs.createSnapshot(Kind.INSTANCE, db, snap, Map.of()))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.ALREADY_EXISTS));
    }

    @Test
    void aSnapshotOrDatabaseThatDoesNotExistIsNotFound() {
        assertThatThrownBy(() -> cloud().databases().describeSnapshot(Kind.INSTANCE, unique("nope")))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
        assertThatThrownBy(() -> cloud().databases().describe(Kind.INSTANCE, unique("nope")))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
    }

    @Test
    void aRestoreGivesANewDatabaseAndItsIdCannotBeTakenTwice() {
        String db = deployed(unique("contract"), Map.of()).outputs().get("DatabaseId");
        DatabaseProvider dbs = cloud().databases();
        String snap = unique("snap");
        dbs.createSnapshot(Kind.INSTANCE, db, snap, Map.of());
        awaitUntil(
                "snapshot available",
                () -> dbs.describeSnapshot(Kind.INSTANCE, snap).status() == DatabaseProvider.Status.AVAILABLE);
        String copy = unique("restored");
        dbs.restore(DatabaseProvider.RestoreRequest.of(Kind.INSTANCE, snap, copy, Map.of("cutover:plan", "contract")));
        awaitUntil(
                "restored database available",
                () -> dbs.describe(Kind.INSTANCE, copy).status() == DatabaseProvider.Status.AVAILABLE);
        var d = dbs.describe(Kind.INSTANCE, copy);
        assertThat(d.endpoint()).isPresent();
        assertThat(d.tags()).containsEntry("cutover:plan", "contract");
        assertThatThrownBy(() -> dbs.restore(DatabaseProvider.RestoreRequest.of(Kind.INSTANCE, snap, copy, Map.of())))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.ALREADY_EXISTS));
    }

    @Test
    void aDatabaseDeletedWithAFinalSnapshotLeavesThatSnapshot() {
        String db = deployed(unique("contract"), Map.of()).outputs().get("DatabaseId");
        DatabaseProvider dbs = cloud().databases();
        String snap = unique("source");
        dbs.createSnapshot(Kind.INSTANCE, db, snap, Map.of());
        awaitUntil(
                "snapshot",
                () -> dbs.describeSnapshot(Kind.INSTANCE, snap).status() == DatabaseProvider.Status.AVAILABLE);
        String copy = unique("doomed");
        dbs.restore(DatabaseProvider.RestoreRequest.of(Kind.INSTANCE, snap, copy, Map.of()));
        awaitUntil("copy", () -> dbs.describe(Kind.INSTANCE, copy).status() == DatabaseProvider.Status.AVAILABLE);
        String last = unique("final");
        dbs.delete(Kind.INSTANCE, copy, Optional.of(last));
        awaitUntil("database gone", () -> {
            try {
                return dbs.describe(Kind.INSTANCE, copy).status() == DatabaseProvider.Status.DELETED;
            } catch (ProviderException e) {
                return e.kind() == FailureKind.NOT_FOUND;
            }
        });
        awaitUntil(
                "final snapshot available",
                () -> dbs.describeSnapshot(Kind.INSTANCE, last).status() == DatabaseProvider.Status.AVAILABLE);
        assertThat(dbs.describeSnapshot(Kind.INSTANCE, last).sourceDatabaseId()).isEqualTo(copy);
        dbs.deleteSnapshot(Kind.INSTANCE, last);
        dbs.deleteSnapshot(Kind.INSTANCE, last);
    }

    @Test
    void anAuroraCloneIsANewClusterWithTheRequestsTagsItsIdCannotBeTakenTwiceAndItCanBeDeleted() {
        String source = unique("aurora");
        createAuroraCluster(source);
        DatabaseProvider dbs = cloud().databases();
        assertThat(dbs.latestRestorableTime(Kind.CLUSTER, source)).isPresent();
        String clone = unique("clone");
        dbs.cloneCluster(DatabaseProvider.CloneRequest.of(source, clone, Map.of("cutover:plan", "contract")));
        awaitUntil(
                "clone available",
                () -> dbs.describe(Kind.CLUSTER, clone).status() == DatabaseProvider.Status.AVAILABLE);
        var d = dbs.describe(Kind.CLUSTER, clone);
        assertThat(d.endpoint()).isPresent();
        assertThat(d.tags()).containsEntry("cutover:plan", "contract");
        assertThat(d.memberInstances()).isNotEmpty();
        assertThatThrownBy(() -> dbs.cloneCluster(DatabaseProvider.CloneRequest.of(source, clone, Map.of())))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.ALREADY_EXISTS));
        dbs.delete(Kind.CLUSTER, clone, Optional.empty());
        awaitUntil("clone gone", () -> {
            try {
                return dbs.describe(Kind.CLUSTER, clone).status() == DatabaseProvider.Status.DELETED;
            } catch (ProviderException e) {
                return e.kind() == FailureKind.NOT_FOUND;
            }
        });
        assertThat(dbs.describe(Kind.CLUSTER, source).status()).isEqualTo(DatabaseProvider.Status.AVAILABLE);
    }

    // ------------------------------------------------------------------------------------------- volumes

    @Test
    void aVolumeSnapshotIsTaggedInItsCreateCallAndFoundByItsTags() {
        String vol = deployed(unique("contract"), Map.of()).outputs().get("DataVolumeId");
        VolumeProvider volumes = cloud().volumes();
        assertThat(volumes.describe(vol).id()).isEqualTo(vol);
        String step = unique("step");
        String id = volumes.createSnapshot(vol, "contract", Map.of("cutover:step", step));
        assertThat(volumes.findSnapshots(Map.of("cutover:step", step)))
                .extracting(s -> s.id())
                .containsExactly(id);
        awaitUntil(
                "snapshot completed", () -> volumes.describeSnapshot(id).status() == VolumeProvider.Status.COMPLETED);
        assertThat(volumes.describeSnapshot(id).volumeId()).isEqualTo(vol);
        volumes.deleteSnapshot(id);
        assertThat(volumes.findSnapshots(Map.of("cutover:step", step))).isEmpty();
    }

    /**
     * A copy of the sample application's data volume (CopyVolumes) of the source's type and performance (EC2 makes a
     * copy gp2 unless told), waited for until available.
     */
    private String copied(String source, String token, Map<String, String> tags) {
        VolumeProvider volumes = cloud().volumes();
        var from = volumes.describe(source);
        String type = from.volumeType().orElse("gp3");
        String copy = volumes.copyVolume(new VolumeProvider.VolumeCopy(
                source, Optional.of(type), 0, token, tags, from.performance().forType(type)));
        awaitUntil("copy available", () -> volumes.describe(copy).status() == VolumeProvider.Status.AVAILABLE);
        return copy;
    }

    @Test
    void aVolumeCopyIsInItsSourcesZoneWithTheRequestsTagsAndTheSourcesSizeAndType() {
        String vol = deployed(unique("contract"), Map.of()).outputs().get("DataVolumeId");
        VolumeProvider volumes = cloud().volumes();
        var source = volumes.describe(vol);
        String step = unique("copy");
        String copy = copied(vol, "token-" + step, Map.of("cutover:step", step));

        var d = volumes.describe(copy);
        assertThat(d.availabilityZone()).isEqualTo(source.availabilityZone());
        assertThat(d.tags()).containsEntry("cutover:step", step);
        assertThat(d.sizeGb()).isGreaterThanOrEqualTo(source.sizeGb());
        assertThat(d.volumeType()).isEqualTo(source.volumeType());
        assertThat(d.performance()).isEqualTo(source.performance());
        assertThat(d.attachedInstance()).isEmpty();
        assertThat(volumes.findVolumes(Map.of("cutover:step", step)))
                .extracting(VolumeProvider.VolumeDescription::id)
                .containsExactly(copy);
        assertThat(volumes.describe(vol).attachedInstance()).isEqualTo(source.attachedInstance());
    }

    @Test
    void aRepeatedCopyWithItsClientTokenReturnsTheSameCopy() {
        String vol = deployed(unique("contract"), Map.of()).outputs().get("DataVolumeId");
        String step = unique("copy");
        var request = new VolumeProvider.VolumeCopy(vol, Optional.empty(), 0, "token-" + step, Map.of("k", step));
        String first = cloud().volumes().copyVolume(request);
        assertThat(cloud().volumes().copyVolume(request)).isEqualTo(first);
        assertThat(cloud().volumes().findVolumes(Map.of("k", step))).hasSize(1);
    }

    @Test
    void aCopyHoldsWhatItsSourceHeldWhenTheCallWasMade() {
        String vol = deployed(unique("contract"), Map.of()).outputs().get("DataVolumeId");
        long before = writeTo(vol);
        String copy = copied(vol, unique("token"), Map.of("k", "v"));
        long after = writeTo(vol);

        assertThat(contentOf(copy)).isEqualTo(before);
        assertThat(contentOf(vol)).isEqualTo(after).isNotEqualTo(before);
    }

    @Test
    void aCopyOfAVolumeThatDoesNotExistIsNotFoundAndOneSmallerThanItsSourceIsRefused() {
        VolumeProvider volumes = cloud().volumes();
        assertThatThrownBy(() -> volumes.copyVolume(new VolumeProvider.VolumeCopy(
                        "vol-0123456789abcdef0", Optional.empty(), 0, unique("token"), Map.of("k", "v"))))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
        String vol = deployed(unique("contract"), Map.of()).outputs().get("DataVolumeId");
        int size = volumes.describe(vol).sizeGb();
        assertThatThrownBy(() -> volumes.copyVolume(new VolumeProvider.VolumeCopy(
                        vol, Optional.empty(), size - 1, unique("token"), Map.of("k", "v"))))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.INVALID_REQUEST));
    }

    // ------------------------------------------------------------------------------------------- dns

    @Test
    void anUpsertIsListedAndComesInSync() {
        String zone = createZone(unique("zone") + ".example.com");
        DnsProvider dns = cloud().dns();
        String name = "app." + dns.describeZone(zone);
        String change = dns.upsert(
                zone, List.of(DnsProvider.RecordSet.simple(name, "CNAME", 60, "blue.example.net")), "contract");
        awaitUntil("change in sync", () -> dns.changeStatus(change) == DnsProvider.ChangeStatus.INSYNC);
        assertThat(dns.records(zone, name, "CNAME")).singleElement().satisfies(r -> {
            assertThat(r.values()).containsExactly("blue.example.net");
            assertThat(r.ttl()).isEqualTo(60);
        });
        dns.upsert(zone, List.of(DnsProvider.RecordSet.simple(name, "CNAME", 60, "green.example.net")), "switch");
        assertThat(dns.records(zone, name, "CNAME"))
                .singleElement()
                .satisfies(r -> assertThat(r.values()).containsExactly("green.example.net"));
    }

    @Test
    void aReplaceOfTheRecordAsReadChangesItInOneBatch() {
        String zone = createZone(unique("zone") + ".example.com");
        DnsProvider dns = cloud().dns();
        String name = "app." + dns.describeZone(zone);
        var blue = DnsProvider.RecordSet.simple(name, "CNAME", 60, "blue.example.net");
        dns.upsert(zone, List.of(blue), "contract");
        var read = dns.records(zone, name, "CNAME");
        String change = dns.replace(zone, read, List.of(blue.withValues(List.of("green.example.net"))), "switch");
        awaitUntil("change in sync", () -> dns.changeStatus(change) == DnsProvider.ChangeStatus.INSYNC);
        assertThat(dns.records(zone, name, "CNAME"))
                .singleElement()
                .satisfies(r -> assertThat(r.values()).containsExactly("green.example.net"));
    }

    @Test
    void aReplaceOfARecordChangedSinceItWasReadIsAConflictAndChangesNothing() {
        String zone = createZone(unique("zone") + ".example.com");
        DnsProvider dns = cloud().dns();
        String name = "app." + dns.describeZone(zone);
        var blue = DnsProvider.RecordSet.simple(name, "CNAME", 60, "blue.example.net");
        dns.upsert(zone, List.of(blue), "contract");
        var read = dns.records(zone, name, "CNAME");
        // another process switches the record after we read it
        dns.upsert(zone, List.of(blue.withValues(List.of("other.example.net"))), "another process");
        assertThatThrownBy(
                        () -> dns.replace(zone, read, List.of(blue.withValues(List.of("green.example.net"))), "stale"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CONFLICT));
        assertThat(dns.records(zone, name, "CNAME"))
                .singleElement()
                .satisfies(r -> assertThat(r.values()).containsExactly("other.example.net"));
    }

    @Test
    void aZoneThatDoesNotExistIsNotFound() {
        assertThatThrownBy(() -> cloud().dns().describeZone("Z0000000000NOSUCHZONE"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
    }

    // ------------------------------------------------------------------------------------------- addresses

    @Test
    void anAddressMovesToAnInstance() {
        String instance = deployed(unique("contract"), Map.of()).outputs().get("InstanceId");
        String alloc = allocateAddress();
        AddressProvider addresses = cloud().addresses();
        addresses.associate(alloc, instance);
        assertThat(addresses.describe(alloc).instanceId()).contains(instance);
        assertThat(addresses.describe(alloc).publicIp()).isNotBlank();
    }

    @Test
    void anAddressThatDoesNotExistIsNotFound() {
        assertThatThrownBy(() -> cloud().addresses().describe("eipalloc-00000000000000000"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
    }

    /** The name of the running test, for backends that log it. */
    protected String currentTest() {
        return test == null ? "" : test.getDisplayName();
    }
}
