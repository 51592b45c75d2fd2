package io.cutover.tck;

import io.cutover.state.FileStateStore;
import io.cutover.state.StateStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store: every {@link #newStore()} is another process on the same directory. */
class FileStateStoreContractTest extends StateStoreContract {
    @TempDir
    Path dir;

    @Override
    protected StateStore newStore() {
        return FileStateStore.in(dir);
    }
}
