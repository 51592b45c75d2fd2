package io.cutover.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One deployment of an application: the things a cutover reads, copies and finally retires. Its
 * {@code name} is the unit of locking: one cutover per environment at a time.
 *
 * @param name a stable name for the deployment, e.g. {@code openboxes-prod}
 * @param stack the infrastructure stack that runs it today ("blue")
 * @param databases its databases; each gets a final snapshot at decommission, always
 * @param volumes its data volumes (ids such as {@code vol-0abc...})
 * @param dns the record users reach it by, if a cutover moves traffic by DNS
 * @param address the static address users reach it by (an Elastic IP allocation), if it moves by address
 * @param roleArn the CloudFormation service role Cutover passes to CreateStack, UpdateStack (its change sets) and
 *     DeleteStack, so that CloudFormation acts with the role's rights instead of the caller's
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record Environment(
        String name,
        String stack,
        List<Database> databases,
        List<String> volumes,
        Optional<DnsRecord> dns,
        Optional<String> address,
        Optional<String> roleArn) {
    public Environment {
        Objects.requireNonNull(name, "environment name");
        databases = databases == null ? List.of() : List.copyOf(databases);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        dns = dns == null ? Optional.empty() : dns;
        address = address == null ? Optional.empty() : address;
        roleArn = roleArn == null ? Optional.empty() : roleArn;
    }

    public Environment(
            String name,
            String stack,
            List<Database> databases,
            List<String> volumes,
            Optional<DnsRecord> dns,
            Optional<String> address) {
        this(name, stack, databases, volumes, dns, address, Optional.empty());
    }

    public static Environment of(String name, String stack) {
        return new Environment(name, stack, List.of(), List.of(), Optional.empty(), Optional.empty());
    }

    public Environment withDatabase(Database db) {
        var dbs = new java.util.ArrayList<>(databases);
        dbs.add(db);
        return new Environment(name, stack, dbs, volumes, dns, address, roleArn);
    }

    public Environment withVolume(String volumeId) {
        var vols = new java.util.ArrayList<>(volumes);
        vols.add(volumeId);
        return new Environment(name, stack, databases, vols, dns, address, roleArn);
    }

    public Environment withDns(DnsRecord record) {
        return new Environment(name, stack, databases, volumes, Optional.of(record), address, roleArn);
    }

    public Environment withAddress(String allocationId) {
        return new Environment(name, stack, databases, volumes, dns, Optional.of(allocationId), roleArn);
    }

    /** The CloudFormation service role to pass to CreateStack, UpdateStack and DeleteStack. */
    public Environment withRoleArn(String arn) {
        return new Environment(name, stack, databases, volumes, dns, address, Optional.of(arn));
    }

    /**
     * A database of the environment.
     *
     * @param ownedByStack true when the stack's template creates it (deleting the stack deletes it), false
     *     when it lives beside the stack
     */
    public record Database(Kind kind, String id, boolean ownedByStack) {
        /**
         * Whether a database is a single instance or a cluster; snapshots and restores differ between them. A
         * value of the plan that the provider SPI ({@code io.cutover.spi.DatabaseProvider}) takes too.
         */
        public enum Kind {
            INSTANCE,
            CLUSTER
        }

        public Database {
            Objects.requireNonNull(kind, "database kind: give instance or cluster");
        }

        /** From a plan file: {@code ownedByStack} is true unless it says otherwise. */
        @com.fasterxml.jackson.annotation.JsonCreator
        static Database fromFile(
                @com.fasterxml.jackson.annotation.JsonProperty("kind") Kind kind,
                @com.fasterxml.jackson.annotation.JsonProperty("id") String id,
                @com.fasterxml.jackson.annotation.JsonProperty("ownedByStack") Boolean ownedByStack) {
            return new Database(kind, id, ownedByStack == null || ownedByStack);
        }

        public static Database instance(String id) {
            return new Database(Kind.INSTANCE, id, true);
        }

        public static Database cluster(String id) {
            return new Database(Kind.CLUSTER, id, true);
        }
    }

    /** A DNS record by zone, name and type; {@code setIdentifier} names blue's record when weighted. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record DnsRecord(String zoneId, String name, String type, Optional<String> setIdentifier) {
        public DnsRecord {
            setIdentifier = setIdentifier == null ? Optional.empty() : setIdentifier;
        }

        public static DnsRecord of(String zoneId, String name, String type) {
            return new DnsRecord(zoneId, name, type, Optional.empty());
        }

        public DnsRecord weighted(String blueSetIdentifier) {
            return new DnsRecord(zoneId, name, type, Optional.of(blueSetIdentifier));
        }
    }
}
