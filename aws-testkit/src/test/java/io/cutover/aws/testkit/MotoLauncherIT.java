package io.cutover.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MotoLauncherIT {
    @Test
    void motoStartsFromThePinnedVenvAnswersAndIsGoneOnceClosed() {
        EmulatorChoice choice = EmulatorChoice.resolve(
                System.getenv(), java.util.Map.of(), "unused", () -> false, MotoLauncher.findPython(System.getenv()));
        assertThat(choice).as("python3 is needed to build (see README)").isInstanceOf(EmulatorChoice.StartMoto.class);

        MotoLauncher.Running moto = new MotoLauncher.Running((EmulatorChoice.StartMoto) choice);
        try {
            assertThat(EmulatorHttp.detect(moto.endpoint.endpoint())).isEqualTo(EmulatorEndpoint.Flavor.MOTO);
            assertThat(moto.endpoint.endpoint().toString()).startsWith("http://127.0.0.1:");
        } finally {
            moto.close();
        }

        assertThat(moto.alive()).isFalse();
        assertThat(EmulatorHttp.answersAtAll(moto.endpoint.endpoint(), "/moto-api/data.json"))
                .isFalse();
        assertThat(Optional.of(((EmulatorChoice.StartMoto) choice).venv().resolve("bin/moto_server")))
                .hasValueSatisfying(p -> assertThat(p).isExecutable());
    }
}
