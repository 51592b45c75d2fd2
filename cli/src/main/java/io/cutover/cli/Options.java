package io.cutover.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every cutover command shares. */
public final class Options {
  @Option(names = "--state-dir", defaultValue = ".cutover", description = "where cutovers keep their state "
      + "(default: ${DEFAULT-VALUE})")
  Path stateDir;

  @Option(names = "--output", defaultValue = "text", description = "text (a live display on a terminal, log "
      + "lines otherwise) or json (one event per line, then the summary)")
  Output output;

  @Option(names = "--region", description = "AWS region (default: the SDK's chain: AWS_REGION, profile)")
  String region;

  @Option(names = "--profile", description = "AWS profile from the shared config and credentials files")
  String profile;

  @Option(names = "--endpoint-url", description = "send AWS calls here (LocalStack, moto); the SDK's "
      + "AWS_ENDPOINT_URL also works")
  String endpointUrl;

  /** How progress is shown. */
  enum Output {
    text,
    json
  }
}
