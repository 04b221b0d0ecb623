package dev.newsrec.app;

import dev.newsrec.nn.runtime.Experiment;

import dev.newsrec.core.config.ConfigTree;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.metrics.Metrics;
import dev.newsrec.core.metrics.Prediction;
import dev.newsrec.core.mind.MindFolder;
import dev.newsrec.core.mind.MindReader;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import dev.newsrec.core.run.RunFolder;
import dev.newsrec.core.synth.OracleFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code newsrec quickstart}: the whole loop without any download: synthetic world, training,
 * official metrics, and the world's oracle as the ceiling.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = "Generate the small synthetic world, train the models, evaluate them and the oracle, print the table.")
public final class QuickstartCommand implements Callable<Integer> {
  /** The models the quickstart trains, as configs under configs/. */
  static final List<String> CONFIGS = List.of("configs/synth/random.yaml",
      "configs/synth/popularity.yaml", "configs/nrms/quickstart.yaml", "configs/plmnr/synth.yaml",
      "configs/punr/quickstart.yaml", "configs/ip2/quickstart.yaml");

  @Option(names = "--models", split = ",", description = "Only these models (default: random, popularity, nrms, plmnr, punr, ip2)")
  List<String> models;

  @Option(names = "--data", description = "World folder (default: ${DEFAULT-VALUE}; generated if absent)")
  Path data = Path.of("data/synth-small");

  @Option(names = "--seed", description = "Seed of the world when it is generated (default: ${DEFAULT-VALUE})")
  long seed = 42;

  @Option(names = "--runs", description = "Parent folder of the quickstart's run folders (default: runs/quickstart-TIMESTAMP)")
  Path runs;

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    Path parent = runs != null ? runs : Path.of("runs", "quickstart-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    record Job(String config, ConfigTree tree) {}
    Map<String, Job> jobs = new LinkedHashMap<>();
    for (String config : CONFIGS) {
      ConfigTree tree = ConfigTree.load(Main.home().resolve(config))
          .set("data.train=" + data.resolve("train"))
          .set("data.dev=" + data.resolve("dev"));
      String name = tree.root().path("model").path("type").asText();
      if (models == null || models.contains(name)) jobs.put(name, new Job(config, tree));
    }
    RunFolder.checkAll(parent, jobs.keySet()); // before the world is generated and any training
    if (!Files.isRegularFile(data.resolve("dev").resolve(MindFolder.BEHAVIORS))) {
      System.err.println("quickstart: generating the small synthetic world in " + data);
      int code = Main.run("data", "synth", "--preset", "small", "--seed", Long.toString(seed),
          "--out", data.toString());
      if (code != 0) return code;
    } else {
      System.err.println("quickstart: using the world in " + data);
    }
    List<ResultsTable.Row> rows = new ArrayList<>();
    for (Map.Entry<String, Job> e : jobs.entrySet()) {
      System.err.println("quickstart: training " + e.getKey());
      Experiment.Outcome o = Experiment.run(e.getValue().tree(), parent.resolve(e.getKey()),
          List.of("quickstart", e.getValue().config()), System.err, Reports::write);
      rows.add(ResultsTable.row(e.getKey(), o.metrics()));
    }
    MindFolder dev = MindFolder.of(data.resolve("dev"));
    Impressions devImps = MindReader.readBehaviors(dev.behaviors(), null, ReadOptions.STRICT, new ReadReport());
    double[] oracle = OracleFile.read(data.resolve("dev").resolve(OracleFile.FILE_NAME), devImps);
    // ranked as a prediction.txt of these scores would be, like every row of the table
    rows.add(ResultsTable.row("oracle", Metrics.evaluate(devImps, Prediction.fromScores(devImps, oracle))));
    System.out.println();
    System.out.println("Dev metrics on " + data + " (x100, official MIND definitions); runs in " + parent);
    System.out.print(ResultsTable.render(rows));
    System.err.printf("quickstart: done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
