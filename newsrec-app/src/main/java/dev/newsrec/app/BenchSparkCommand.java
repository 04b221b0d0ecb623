package dev.newsrec.app;

import dev.newsrec.bench.BenchEnvironment;
import dev.newsrec.core.UserException;
import dev.newsrec.spark.SparkBench;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code newsrec bench spark}: Spark scoring on local[1] and local[2] against single-process predict. */
@Command(name = "spark", mixinStandardHelpOptions = true,
    description = {"Impressions/s of 'newsrec spark score' on local[1] and local[2] against the single-process",
        "'newsrec predict' path, same machine, run and split (both encode only the news the impressions",
        "need), with the ratio to the single process and the speed-up from 1 to 2 cores. Meant for the",
        "large synthetic preset (376,471 dev impressions) and a PLM-NR run on the bundled MiniLM."})
public final class BenchSparkCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, description = "Run folder of a neural model (e.g. PLM-NR on MiniLM)")
  Path run;

  @Option(names = "--data", description = "Split folder with news.tsv and behaviors.tsv (default: ${DEFAULT-VALUE})")
  Path data = Path.of("data", "synth-large", "dev");

  @Option(names = "--max-impressions", description = "Score only the first N impressions, to size the run (0: all; default: ${DEFAULT-VALUE})")
  long maxImpressions = 0;

  @Option(names = "--masters", split = ",", description = "Spark settings to measure (default: local[1],local[2])")
  List<String> masters = List.of("local[1]", "local[2]");

  @Override
  public Integer call() {
    if (maxImpressions < 0) throw new UserException("--max-impressions: 0 or more, found " + maxImpressions);
    BenchEnvironment.print(System.out);
    int code = SparkBench.run(new SparkBench.Options(run, data, maxImpressions, masters), System.out);
    BenchEnvironment.print(System.out);
    return code;
  }
}
