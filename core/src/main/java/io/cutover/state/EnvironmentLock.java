package io.cutover.state;

import java.time.Instant;

/** Who is cutting an environment over: the run, the process that started it, and since when. */
public record EnvironmentLock(String environment, String runId, String owner, Instant since) {}
