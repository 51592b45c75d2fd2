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
    private static final Pattern EC2_ID = Pattern.compile("[a-z]+-([0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?");
    private static final Pattern ZONE_ID = Pattern.compile("[A-Z0-9]{1,32}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern S3_HOST =
            Pattern.compile("(([a-z0-9][a-z0-9.-]*\\.)?s3([.-][a-z0-9-]+)*\\.amazonaws\\.com(\\.cn)?)");

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
            return Optional.of(shorten(id) + " is " + id.length() + " characters long; the limit is 63");
        }
        return rdsShape(id);
    }

    /** A stack name: 1 to 128 letters, digits or hyphens, a letter first (the rule CloudFormation applies). */
    public static Optional<String> checkStackName(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("is missing; give 1 to 128 letters, digits or hyphens, starting with a letter");
        }
        if (name.length() > 128) {
            return Optional.of(shorten(name) + " is " + name.length() + " characters long; the limit is 128");
        }
        if (!STACK_NAME.matcher(name).matches()) {
            return Optional.of(printable(name) + " must start with a letter and hold only letters, digits and hyphens");
        }
        return Optional.empty();
    }

    /** A step id: lower-case letters, digits and hyphens, so that names derived from it are valid everywhere. */
    public static Optional<String> checkStepId(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("is missing; give lower-case letters, digits and hyphens, e.g. 'snapshot-db'");
        }
        if (id.length() > 40) {
            return Optional.of(shorten(id) + " is longer than 40 characters; names derived from it would be too long");
        }
        if (!STEP_ID.matcher(id).matches() || id.contains("--") || id.endsWith("-")) {
            return Optional.of(printable(id) + " must hold only lower-case letters, digits and single hyphens, "
                    + "and not end with a hyphen");
        }
        return Optional.empty();
    }

    /**
     * A DB snapshot identifier: as {@link #checkDatabaseId} but up to 255 characters (RDS's rule for
     * {@code DBSnapshotIdentifier}); a DB cluster snapshot identifier keeps the 63 of a cluster.
     */
    public static Optional<String> checkSnapshotId(String id, boolean cluster) {
        int max = cluster ? 63 : 255;
        if (id == null || id.isEmpty()) {
            return Optional.of("is missing; give 1 to " + max + " letters, digits or hyphens, starting with a letter");
        }
        if (id.length() > max) {
            return Optional.of(shorten(id) + " is " + id.length() + " characters long; the limit is " + max);
        }
        if (id.startsWith("arn:")) {
            // A shared or copied snapshot may be named by its ARN, which RDS accepts where an id is asked for.
            return Optional.empty();
        }
        return rdsShape(id);
    }

    /** RDS's shape for identifiers: a letter first, letters, digits and single hyphens, no hyphen at the end. */
    private static Optional<String> rdsShape(String id) {
        if (!DB_ID.matcher(id).matches()) {
            return Optional.of(printable(id) + " must start with a letter and hold only letters, digits and hyphens");
        }
        if (id.contains("--")) {
            return Optional.of("'" + id + "' contains two hyphens in a row, which RDS rejects");
        }
        if (id.endsWith("-")) {
            return Optional.of("'" + id + "' ends with a hyphen, which RDS rejects");
        }
        return Optional.empty();
    }

    /** An EBS volume id: {@code vol-} and 8 or 17 lower-case hex digits (EC2's two id formats). */
    public static Optional<String> checkVolumeId(String id) {
        return checkEc2Id(id, "vol", "volume id", "vol-0123456789abcdef0");
    }

    /** An Elastic IP allocation id: {@code eipalloc-} and 8 or 17 lower-case hex digits. */
    public static Optional<String> checkAllocationId(String id) {
        return checkEc2Id(id, "eipalloc", "allocation id", "eipalloc-0123456789abcdef0");
    }

    private static Optional<String> checkEc2Id(String id, String prefix, String what, String example) {
        if (id == null || id.isEmpty()) {
            return Optional.of("is missing; give " + what + " such as " + example);
        }
        if (!EC2_ID.matcher(id).matches() || !id.startsWith(prefix + "-")) {
            return Optional.of(shorten(id) + " is not " + (what.startsWith("a") ? "an " : "a ") + what + "; expected '"
                    + prefix + "-' and 8 or 17 lower-case hex digits, e.g. " + example);
        }
        return Optional.empty();
    }

    /**
     * A DNS record name such as {@code app.example.com}: labels of letters, digits, hyphens and underscores,
     * each 1 to 63 characters, not starting or ending with a hyphen, separated by dots, at most 255 characters
     * in all (Route 53's limits); {@code *} only as the whole leftmost label; one trailing dot allowed.
     */
    public static Optional<String> checkDnsName(String name) {
        String fix = "; expected labels of letters, digits and hyphens separated by dots, e.g. app.example.com";
        if (name == null || name.isEmpty()) {
            return Optional.of("is missing" + fix);
        }
        if (name.length() > 255) {
            return Optional.of(shorten(name) + " is " + name.length() + " characters long; a DNS name has at most 255");
        }
        String body = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        String[] labels = body.split("\\.", -1);
        if (labels.length < 2) {
            return Optional.of("'" + name + "' is not a fully qualified DNS name" + fix);
        }
        for (int i = 0; i < labels.length; i++) {
            String l = labels[i];
            if (l.isEmpty()) {
                return Optional.of(shorten(name) + " has an empty label (two dots in a row, or a leading dot)" + fix);
            }
            if (l.length() > 63) {
                return Optional.of(
                        shorten(name) + " has a label of " + l.length() + " characters; a label has at most 63");
            }
            if (l.equals("*")) {
                if (i != 0) {
                    return Optional.of("'" + name + "' has '*' in a middle label; a wildcard replaces only the leftmost"
                            + " label, e.g. *.example.com");
                }
                continue;
            }
            if (!DNS_LABEL.matcher(l).matches()) {
                return Optional.of(shorten(name) + " has the label '" + shorten(l, 63)
                        + "', which holds characters other than letters, digits, hyphens and underscores, or starts"
                        + " or ends with a hyphen" + fix);
            }
        }
        return Optional.empty();
    }

    /** A Route 53 hosted zone id: up to 32 upper-case letters and digits, e.g. {@code Z0123456789ABC}. */
    public static Optional<String> checkHostedZoneId(String id) {
        if (id == null || id.isBlank()) {
            return Optional.of("is missing; give the hosted zone's id, e.g. Z0123456789ABC");
        }
        String bare = id.startsWith("/hostedzone/") ? id.substring("/hostedzone/".length()) : id;
        if (!ZONE_ID.matcher(bare).matches()) {
            return Optional.of(shorten(id) + " is not a hosted zone id; expected up to 32 upper-case letters and"
                    + " digits, e.g. Z0123456789ABC");
        }
        return Optional.empty();
    }

    private static final Pattern ELB_PREFIX =
            Pattern.compile("arn:aws(-[a-z]+)*:elasticloadbalancing:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:");
    private static final Pattern LISTENER =
            Pattern.compile("listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{1,32}/[0-9a-f]{1,32}");
    private static final Pattern RULE =
            Pattern.compile("listener-rule/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{1,32}/[0-9a-f]{1,32}/[0-9a-f]{1,32}");
    private static final Pattern TARGET_GROUP = Pattern.compile("targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{1,32}");

    /**
     * An application load balancer's listener ARN ({@code arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/
     * NAME/ID/ID}) or one of its rules' ({@code ...:listener-rule/app/NAME/ID/ID/ID}). Network and gateway load
     * balancers are refused: their listeners do not forward by weights to several target groups.
     */
    public static Optional<String> checkListenerArn(String arn) {
        String example = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/my-alb/50dc6c495c0c9188"
                + "/f2f7dc8efc522ab2";
        if (arn == null || arn.isBlank()) {
            return Optional.of("is missing; give the listener's ARN (or a rule's), e.g. " + example);
        }
        java.util.regex.Matcher m = ELB_PREFIX.matcher(arn);
        String rest = m.lookingAt() ? arn.substring(m.end()) : null;
        if (rest != null && (rest.startsWith("listener/net/") || rest.startsWith("listener/gwy/"))) {
            return Optional.of(shorten(arn) + " is a network or gateway load balancer's listener, which does not"
                    + " forward by weights; give an application load balancer's listener (listener/app/...)");
        }
        if (rest == null
                || !(LISTENER.matcher(rest).matches() || RULE.matcher(rest).matches())) {
            return Optional.of(shorten(arn) + " is not an application load balancer's listener or rule ARN; expected"
                    + " e.g. " + example + " (a rule: listener-rule/app/NAME/ID/ID/ID)");
        }
        return Optional.empty();
    }

    /** A target group ARN: {@code arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID}. */
    public static Optional<String> checkTargetGroupArn(String arn) {
        String example = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/green/73e2d6bc24d8a067";
        if (arn == null || arn.isBlank()) {
            return Optional.of("is missing; give the target group's ARN, e.g. " + example);
        }
        java.util.regex.Matcher m = ELB_PREFIX.matcher(arn);
        if (!m.lookingAt() || !TARGET_GROUP.matcher(arn.substring(m.end())).matches()) {
            return Optional.of(shorten(arn) + " is not a target group ARN; expected e.g. " + example);
        }
        return Optional.empty();
    }

    /**
     * A template URL: CloudFormation reads templates only from Amazon S3 over HTTPS
     * ({@code https://bucket.s3.region.amazonaws.com/key}, {@code https://s3.region.amazonaws.com/bucket/key}).
     * A URL that holds a reference ({@code ${...}}) is checked for its {@code https://} start only.
     */
    public static Optional<String> checkTemplateUrl(String url) {
        String fix = "; CloudFormation reads templates only from S3 over HTTPS, e.g."
                + " https://my-bucket.s3.eu-west-1.amazonaws.com/app.json";
        if (url == null || url.isBlank()) {
            return Optional.of("is missing" + fix);
        }
        if (url.length() > 1024) {
            return Optional.of("the URL is " + url.length() + " characters long; the limit is 1024");
        }
        if (!url.startsWith("https://")) {
            return Optional.of(shorten(url) + " is not an HTTPS URL" + fix);
        }
        if (url.contains("${")) {
            return Optional.empty();
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            return Optional.of(shorten(url) + " is not a valid URL" + fix);
        }
        String host = uri.getHost();
        if (host == null
                || uri.getUserInfo() != null
                || (uri.getPort() != -1 && uri.getPort() != 443)
                || !S3_HOST.matcher(host.toLowerCase(java.util.Locale.ROOT)).matches()) {
            return Optional.of(shorten(url) + " is not an Amazon S3 URL" + fix);
        }
        if (uri.getPath() == null || uri.getPath().length() < 2) {
            return Optional.of(shorten(url) + " names no template object" + fix);
        }
        return Optional.empty();
    }

    /**
     * An environment's name, which names its lock (a file in the state directory, an item in a table): 1 to
     * 64 letters, digits, hyphens, underscores or dots, starting with a letter or digit. No spaces, control
     * characters or bidirectional marks, so that the same name reads the same everywhere.
     */
    public static Optional<String> checkEnvironmentName(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("is missing; name the deployment, e.g. 'openboxes-prod'");
        }
        if (name.length() > 64) {
            return Optional.of(shorten(name) + " is " + name.length() + " characters long; the limit is 64");
        }
        if (!ENV_NAME.matcher(name).matches()) {
            return Optional.of(printable(name) + " must start with a letter or digit and hold only letters, digits,"
                    + " hyphens, underscores and dots, e.g. 'openboxes-prod'");
        }
        return Optional.empty();
    }

    /** A run id as the command-line tool takes it: a plan id, perhaps with a fleet environment appended. */
    public static Optional<String> checkRunId(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("is missing; give the cutover's run id (its plan id), e.g. 'openboxes-0-9'");
        }
        if (id.length() > PlanValidator.MAX_PLAN_ID) {
            return Optional.of("a run id of " + id.length() + " characters; run ids have at most "
                    + PlanValidator.MAX_PLAN_ID + " (list them with 'cutover status')");
        }
        if (!STEP_ID.matcher(id).matches()) {
            return Optional.of(printable(id) + " is not a run id; run ids hold lower-case letters, digits and"
                    + " hyphens (list them with 'cutover status')");
        }
        return Optional.empty();
    }

    /** A name as messages show it: quoted, cut to 60 characters. */
    static String shorten(String s) {
        return printable(s);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    /** Quoted, at most 60 characters, with control characters and bidirectional marks shown as \\uXXXX. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder("'");
        int shown = 0;
        for (int i = 0; i < s.length() && shown < 60; i++, shown++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > 60) {
            sb.append("...");
        }
        return sb.append("'").toString();
    }
}
