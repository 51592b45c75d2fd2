package io.cutover.tck;

import io.cutover.state.InMemoryStateStore;
import io.cutover.state.StateStore;
import org.junit.jupiter.api.BeforeEach;

/** The in-memory store of simulations: one instance per test, shared by every "process" of it. */
class InMemoryStateStoreContractTest extends StateStoreContract {
    private InMemoryStateStore store;

    @BeforeEach
    void fresh() {
        store = new InMemoryStateStore();
    }

    @Override
    protected StateStore newStore() {
        return store;
    }
}
