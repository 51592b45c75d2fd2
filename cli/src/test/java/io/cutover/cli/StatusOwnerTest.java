package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** What `cutover status` says about the process driving a cutover. */
class StatusOwnerTest {
    private static final String HOST =
            ManagementFactory.getRuntimeMXBean().getName().replaceAll("^[^@]*@", "");

    @Test
    void aLiveProcessOnThisHostIsAlive() {
        long me = ProcessHandle.current().pid();
        assertThat(StatusCommand.owner(me + "@" + HOST, ProcessHandle::of))
                .isEqualTo("process " + me + " on this host (" + HOST + "), alive");
    }

    @Test
    void aProcessThatIsGoneIsNotRunning() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertThat(StatusCommand.owner(p.pid() + "@" + HOST, ProcessHandle::of)).endsWith("not running");
    }

    @Test
    void aProcessOnAnotherHostCannotBeTold() {
        assertThat(StatusCommand.owner("42@elsewhere.example", ProcessHandle::of))
                .isEqualTo("process 42 on host elsewhere.example (another host: cannot tell whether it is alive)");
    }

    @Test
    void anOwnerNamedOtherwiseIsShownAsItIs() {
        assertThat(StatusCommand.owner("machine-b", ProcessHandle::of)).isEqualTo("machine-b");
    }
}
