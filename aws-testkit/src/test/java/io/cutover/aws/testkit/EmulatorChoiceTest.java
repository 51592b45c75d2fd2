package io.cutover.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EmulatorChoiceTest {
    private static final String IMAGE = "localstack/localstack-pro:4.0";

    @Test
    void anEndpointInTheEnvironmentIsUsedWithoutAskingForDocker() {
        AtomicBoolean askedDocker = new AtomicBoolean();
        EmulatorChoice choice = EmulatorChoice.resolve(
                Map.of(
                        "AWS_ENDPOINT_URL",
                        "http://127.0.0.1:5000",
                        "AWS_REGION",
                        "eu-west-1",
                        "AWS_ACCESS_KEY_ID",
                        "k",
                        "AWS_SECRET_ACCESS_KEY",
                        "s",
                        "CUTOVER_AWS_EMULATOR",
                        "moto",
                        "LOCALSTACK_AUTH_TOKEN",
                        "t"),
                Map.of(),
                IMAGE,
                () -> askedDocker.getAndSet(true));

        assertThat(choice)
                .isEqualTo(new EmulatorChoice.UseEndpoint(
                        URI.create("http://127.0.0.1:5000"),
                        "eu-west-1",
                        "k",
                        "s",
                        Optional.of(EmulatorEndpoint.Flavor.MOTO)));
        assertThat(askedDocker).isFalse();
    }

    @Test
    void theSdkSystemPropertyWinsOverTheEnvironmentAndTheFlavorIsLeftToDetection() {
        EmulatorChoice choice = EmulatorChoice.resolve(
                Map.of("AWS_ENDPOINT_URL", "http://a:1"), Map.of("aws.endpointUrl", "http://b:2"), IMAGE, () -> false);

        assertThat(choice)
                .isEqualTo(new EmulatorChoice.UseEndpoint(
                        URI.create("http://b:2"), "us-east-1", "test", "test", Optional.empty()));
    }

    @Test
    void aLocalStackTokenWithDockerStartsLocalStack() {
        EmulatorChoice choice = EmulatorChoice.resolve(
                Map.of("LOCALSTACK_AUTH_TOKEN", "tok", "CUTOVER_LOCALSTACK_IMAGE", "my/localstack:1"),
                Map.of(),
                IMAGE,
                () -> true);

        assertThat(choice).isEqualTo(new EmulatorChoice.StartLocalStack("my/localstack:1", "tok", "us-east-1"));
    }

    @Test
    void aLocalStackTokenWithoutDockerSkipsAndSaysDockerIsMissing() {
        EmulatorChoice choice =
                EmulatorChoice.resolve(Map.of("LOCALSTACK_AUTH_TOKEN", "tok"), Map.of(), IMAGE, () -> false);

        assertThat(choice).isInstanceOf(EmulatorChoice.Skip.class);
        assertThat(((EmulatorChoice.Skip) choice).reason()).contains("no Docker engine");
    }

    @Test
    void nothingConfiguredSkipsAndSaysHowToConfigureAnEmulator() {
        EmulatorChoice choice = EmulatorChoice.resolve(Map.of("AWS_ENDPOINT_URL", " "), Map.of(), IMAGE, () -> true);

        assertThat(choice).isInstanceOf(EmulatorChoice.Skip.class);
        assertThat(((EmulatorChoice.Skip) choice).reason()).contains("AWS_ENDPOINT_URL", "LOCALSTACK_AUTH_TOKEN");
    }

    @Test
    void withoutAnEndpointMotoIsStartedFromAVenvInTheUsersCache() {
        EmulatorChoice choice = EmulatorChoice.resolve(
                Map.of("XDG_CACHE_HOME", "/home/u/.cache", "AWS_REGION", "eu-west-1"),
                Map.of(),
                IMAGE,
                () -> true,
                Optional.of(Path.of("/usr/bin/python3")));

        assertThat(choice)
                .isEqualTo(new EmulatorChoice.StartMoto(
                        Path.of("/usr/bin/python3"),
                        Path.of("/home/u/.cache/cutover/moto-venv-" + MotoLauncher.VERSION),
                        MotoLauncher.VERSION,
                        "eu-west-1"));
    }

    @Test
    void withoutPythonTheSkipSaysExactlyWhatToInstall() {
        EmulatorChoice choice = EmulatorChoice.resolve(Map.of(), Map.of(), IMAGE, () -> true, Optional.empty());

        assertThat(((EmulatorChoice.Skip) choice).reason())
                .contains(
                        "no python3 on the PATH",
                        "apt-get install python3 python3-venv",
                        "moto[server]==" + MotoLauncher.VERSION,
                        "AWS_ENDPOINT_URL");
    }

    @Test
    void startingMotoCanBeTurnedOff() {
        EmulatorChoice choice = EmulatorChoice.resolve(
                Map.of("CUTOVER_START_MOTO", "false"),
                Map.of(),
                IMAGE,
                () -> true,
                Optional.of(Path.of("/usr/bin/python3")));

        assertThat(((EmulatorChoice.Skip) choice).reason()).contains("CUTOVER_START_MOTO=false");
    }

    @Test
    void pythonIsFoundOnThePathOrAsNamed(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path bin = java.nio.file.Files.createDirectories(dir.resolve("bin"));
        Path python = bin.resolve("python3");
        java.nio.file.Files.writeString(python, "#!/bin/sh\n");
        python.toFile().setExecutable(true);

        assertThat(MotoLauncher.findPython(Map.of("PATH", dir.resolve("empty") + java.io.File.pathSeparator + bin)))
                .contains(python);
        assertThat(MotoLauncher.findPython(Map.of("PATH", dir.resolve("empty").toString())))
                .isEmpty();
        assertThat(MotoLauncher.findPython(Map.of("PATH", "", "PYTHON", python.toString())))
                .contains(python);
    }
}
