package io.cutover.cli;

import picocli.CommandLine.Option;

/** {@code --output}: text for people, or JSON lines for scripts (the schema is in cli/README.md). */
final class OutputOption {
    @Option(
            names = "--output",
            defaultValue = "text",
            description = "text (a live display on a terminal, plain lines otherwise) or json (JSON lines on "
                    + "standard output, one schema with a schemaVersion; everything else on standard error)")
    Options.Output output = Options.Output.text;
}
