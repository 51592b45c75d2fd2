package io.cutover.cli;

import static io.cutover.cli.BadPlanCorpusTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.profiles.ProfileFile;

/** A missing or wrong region or credentials: one line naming it and the fix, exit 2, before any AWS call. */
class AwsSetupTest {
    @TempDir
    Path dir;

    private ProfileFile config(String text) throws Exception {
        Path f = dir.resolve("config");
        Files.writeString(f, text);
        return ProfileFile.builder()
                .content(f)
                .type(ProfileFile.Type.CONFIGURATION)
                .build();
    }

    private static Options options(String region, String profile) {
        Options o = new Options();
        o.region = region;
        o.profile = profile;
        return o;
    }

    @Test
    void theProfilesRegionIsTheRegion() throws Exception {
        ProfileFile pf = config("""
                [profile ops]
                region = eu-central-1
                aws_access_key_id = AKIAEXAMPLE
                aws_secret_access_key = secret
                """);
        assertThat(AwsSetup.check(options(null, "ops"), Map.<String, String>of()::get, pf))
                .isEqualTo("eu-central-1");
        assertThat(AwsSetup.check(options("us-west-2", "ops"), Map.<String, String>of()::get, pf))
                .as("--region wins")
                .isEqualTo("us-west-2");
        assertThat(AwsSetup.check(options(null, "ops"), Map.of("AWS_REGION", "ap-south-1")::get, pf))
                .as("the environment comes before the profile, as in the SDK")
                .isEqualTo("ap-south-1");
    }

    @Test
    void noRegionAnywhereNamesTheThreeWaysToGiveOne() throws Exception {
        ProfileFile pf = config("""
                [profile ops]
                aws_access_key_id = AKIAEXAMPLE
                aws_secret_access_key = secret
                """);
        assertThatThrownBy(() -> AwsSetup.check(options(null, "ops"), Map.<String, String>of()::get, pf))
                .isInstanceOf(AwsSetup.AwsSetupException.class)
                .hasMessage("no AWS region: pass --region (e.g. --region eu-west-1), set AWS_REGION, or set region in "
                        + "profile 'ops' of ~/.aws/config");
    }

    @Test
    void anUnknownProfileOrOneWithoutCredentialsIsNamed() throws Exception {
        ProfileFile pf = config("""
                [profile ops]
                region = eu-west-1
                """);
        assertThatThrownBy(() -> AwsSetup.check(options(null, "opz"), Map.<String, String>of()::get, pf))
                .hasMessageStartingWith("AWS profile 'opz' is not in ~/.aws/config or ~/.aws/credentials (known: ops)");
        assertThatThrownBy(() -> AwsSetup.check(options(null, "ops"), Map.<String, String>of()::get, pf))
                .hasMessageStartingWith("AWS profile 'ops' gives no credentials (")
                .hasMessageEndingWith("`aws sso login --profile ops`")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aMistypedRegionIsRefused() throws Exception {
        assertThatThrownBy(() -> AwsSetup.check(options("eu-wst", null), Map.<String, String>of()::get, config("")))
                .hasMessage("'eu-wst' is not an AWS region name; use one such as eu-west-1 or us-east-1 (--region, "
                        + "AWS_REGION or the profile's region)");
    }

    @Test
    void theCommandPrintsOneLineAndExitsTwo() throws Exception {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
                id: setup-1
                environment: {name: shop-prod, stack: shop-blue}
                steps:
                  - {kind: approval, id: go}
                """);
        String[] r = run("plan", plan.toString(), "--check", "--region", "moon-base-1");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2].strip())
                .isEqualTo("'moon-base-1' is not an AWS region name; use one such as eu-west-1 or "
                        + "us-east-1 (--region, AWS_REGION or the profile's region)");

        String[] p = run("run", plan.toString(), "--profile", "no-such-profile-cutover-test", "--region", "eu-west-1");
        assertThat(p[0]).isEqualTo("2");
        assertThat(p[2].strip())
                .startsWith("AWS profile 'no-such-profile-cutover-test' is not in ~/.aws/config")
                .doesNotContain("\n")
                .doesNotContain("at software.amazon");
    }
}
