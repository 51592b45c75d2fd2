package io.cutover.plan;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The naming rules that the cloud enforces, checked before anything is sent so that a bad name fails the
 * plan, not a call halfway through a cutover. Each check returns the reason a name is rejected.
 */
public final class Identifiers {
    private static final Pattern DB_ID = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");
    private static final Pattern STACK_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");
    private static final Pattern STEP_ID = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern VOLUME_ID = Pattern.compile("vol-[0-9a-f]{8,17}");
    private static final Pattern ALLOCATION_ID = Pattern.compile("eipalloc-[0-9a-f]{8,17}");
    private static final Pattern DNS_NAME =
            Pattern.compile("([A-Za-z0-9_*]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\\.)*[A-Za-z0-9_-]+\\.?");

    private Identifiers() {}

    /**
     * A database instance, cluster or snapshot identifier: 1 to 63 letters, digits or hyphens, a letter
     * first, no two hyphens in a row, no hyphen at the end (the rule RDS applies).
     */
    public static Optional<String> checkDatabaseId(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("is missing; give 1 to 63 letters, digits or hyphens, starting with a letter");
        }
        if (id.length() > 63) {
            return Optional.of("'" + id + "' is " + id.length() + " characters long; the limit is 63");
        }
        if (!DB_ID.matcher(id).matches()) {
            return Optional.of("'" + id + "' must start with a letter and hold only letters, digits and hyphens");
        }
        if (id.contains("--")) {
            return Optional.of("'" + id + "' contains two hyphens in a row, which RDS rejects");
        }
        if (id.endsWith("-")) {
            return Optional.of("'" + id + "' ends with a hyphen, which RDS rejects");
        }
        return Optional.empty();
    }

    /** A stack name: 1 to 128 letters, digits or hyphens, a letter first (the rule CloudFormation applies). */
    public static Optional<String> checkStackName(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("is missing; give 1 to 128 letters, digits or hyphens, starting with a letter");
        }
        if (name.length() > 128) {
            return Optional.of("'" + name + "' is " + name.length() + " characters long; the limit is 128");
        }
        if (!STACK_NAME.matcher(name).matches()) {
            return Optional.of("'" + name + "' must start with a letter and hold only letters, digits and hyphens");
        }
        return Optional.empty();
    }

    /** A step id: lower-case letters, digits and hyphens, so that names derived from it are valid everywhere. */
    public static Optional<String> checkStepId(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("is missing; give lower-case letters, digits and hyphens, e.g. 'snapshot-db'");
        }
        if (id.length() > 40) {
            return Optional.of("'" + id + "' is longer than 40 characters; names derived from it would be too long");
        }
        if (!STEP_ID.matcher(id).matches() || id.contains("--") || id.endsWith("-")) {
            return Optional.of("'" + id + "' must hold only lower-case letters, digits and single hyphens, "
                    + "and not end with a hyphen");
        }
        return Optional.empty();
    }

    /** An EBS-style volume id, such as {@code vol-0abc12345def67890}. */
    public static Optional<String> checkVolumeId(String id) {
        if (id == null || !VOLUME_ID.matcher(id).matches()) {
            return Optional.of("'" + id + "' is not a volume id; expected 'vol-' and 8 or 17 hex digits");
        }
        return Optional.empty();
    }

    /** An Elastic IP allocation id, such as {@code eipalloc-0abc12345def67890}. */
    public static Optional<String> checkAllocationId(String id) {
        if (id == null || !ALLOCATION_ID.matcher(id).matches()) {
            return Optional.of("'" + id + "' is not an allocation id; expected 'eipalloc-' and 8 or 17 hex digits");
        }
        return Optional.empty();
    }

    /** A DNS record name such as {@code app.example.com}. */
    public static Optional<String> checkDnsName(String name) {
        if (name == null
                || name.isEmpty()
                || name.length() > 255
                || !DNS_NAME.matcher(name).matches()) {
            return Optional.of("'" + name + "' is not a DNS name; expected labels of letters, digits and hyphens "
                    + "separated by dots, e.g. app.example.com");
        }
        return Optional.empty();
    }
}
