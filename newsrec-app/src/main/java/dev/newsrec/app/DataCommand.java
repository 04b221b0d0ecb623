package dev.newsrec.app;

import picocli.CommandLine.Command;

/** {@code newsrec data ...}: generate, check and describe MIND-format data. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Generate, check and describe MIND-format data folders.",
    subcommands = {CheckCommand.class, SynthCommand.class, AdressaCommand.class})
public final class DataCommand {}
