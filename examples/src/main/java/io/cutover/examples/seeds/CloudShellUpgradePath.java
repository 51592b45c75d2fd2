package io.cutover.examples.seeds;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudShell's upgrade-path rules as code (seed 000): an upgrade is supported from any GA or patch version
 * starting with 6.x GA; a patch is installed on its GA version only (on anything else it may corrupt the
 * database); a major or minor change needs a new licence, a patch does not; no downgrade.
 *
 * <p>The one source of these rules: the Java seed program calls {@link #check}, and the plan files run this
 * file as a program (a JDK runs a single source file: {@code java CloudShellUpgradePath.java '2022.2 GA' '2023.3
 * GA'}), which exits 0 when the path is supported and 1, with the reason, when it is not.
 */
public final class CloudShellUpgradePath {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\s+(GA|patch(?:\\s+\\d+)?)");

    /** A CloudShell version such as {@code 2022.2 GA} or {@code 2023.3 patch 2}. */
    public record Version(int major, int minor, boolean ga) {
        public static Version parse(String text) {
            Matcher m = VERSION.matcher(text.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "'" + text + "' is not a CloudShell version; write e.g. '2023.3 GA' " + "or '2023.3 patch 2'");
            }
            return new Version(
                    Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(2)),
                    m.group(3).equals("GA"));
        }

        @Override
        public String toString() {
            return major + "." + minor + (ga ? " GA" : " patch");
        }
    }

    /** The verdict on an upgrade path. */
    public sealed interface Verdict {
        record Supported(boolean newLicenceNeeded) implements Verdict {}

        record Refused(String reason) implements Verdict {}
    }

    private CloudShellUpgradePath() {}

    public static Verdict check(Version from, Version to) {
        if (from.major() < 6) {
            return new Verdict.Refused(
                    "upgrades are supported from 6.x GA or later; " + from + " is older: contact " + "Quali Support");
        }
        if (to.major() < from.major() || (to.major() == from.major() && to.minor() < from.minor())) {
            return new Verdict.Refused(to + " is older than " + from + "; CloudShell does not downgrade");
        }
        boolean sameRelease = from.major() == to.major() && from.minor() == to.minor();
        if (!to.ga() && !(sameRelease && from.ga())) {
            return new Verdict.Refused("a patch is installed on its GA version only (" + to.major() + "." + to.minor()
                    + " GA); installing it on " + from + " may corrupt the database");
        }
        return new Verdict.Supported(!sameRelease);
    }

    public static Optional<String> refusal(String from, String to) {
        Verdict v = check(Version.parse(from), Version.parse(to));
        return v instanceof Verdict.Refused r ? Optional.of(r.reason()) : Optional.empty();
    }

    /** {@code FROM TO}: exit 0 and "supported; ..." when supported, 1 and "refused: ..." when not, 2 on bad input. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: java CloudShellUpgradePath.java FROM TO   e.g. '2022.2 GA' '2023.3 GA'");
            System.exit(2);
        }
        Verdict v;
        try {
            v = check(Version.parse(args[0]), Version.parse(args[1]));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (v instanceof Verdict.Refused r) {
            System.out.println("refused: " + r.reason());
            System.exit(1);
        }
        System.out.println(
                ((Verdict.Supported) v).newLicenceNeeded()
                        ? "supported; a new licence is needed (" + args[0] + " to " + args[1]
                                + " changes the major or minor" + " version)"
                        : "supported; no new licence is needed");
    }
}
