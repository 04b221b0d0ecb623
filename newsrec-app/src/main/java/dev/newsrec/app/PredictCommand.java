package dev.newsrec.app;

import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.metrics.Metrics;
import dev.newsrec.core.metrics.Prediction;
import dev.newsrec.core.metrics.PredictionFile;
import dev.newsrec.core.mind.MindFolder;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.model.Recommender;
import dev.newsrec.core.run.RunFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code newsrec predict --run RUN --data DIR --out FILE}: the leaderboard file for any split. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Rank the candidates of a MIND-format split with a trained run; writes prediction.txt or prediction.zip.")
public final class PredictCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, description = "Run folder made by 'newsrec train'")
  Path runDir;

  @Option(names = "--data", required = true, description = "Split folder with news.tsv and behaviors.tsv (labels optional)")
  Path data;

  @Option(names = "--out", required = true, description = "prediction.txt, or a .zip holding prediction.txt")
  Path out;

  @Option(names = "--lenient", description = "Skip and count bad lines instead of stopping")
  boolean lenient;

  @Override
  public Integer call() {
    RunFolder run = RunFolder.open(runDir);
    Recommender model = Experiment.loadModel(run);
    MindFolder folder = MindFolder.of(data);
    ReadOptions read = lenient ? ReadOptions.LENIENT : ReadOptions.STRICT;
    List<String> notes = new ArrayList<>();
    NewsCorpus corpus = MindFolder.corpus(List.of(folder), read, notes);
    Impressions imps = folder.impressions(corpus, read, notes);
    notes.forEach(n -> System.err.println("note: " + n));
    float[] scores = model.score(imps);
    PredictionFile.write(out, Prediction.fromScores(imps, scores));
    System.err.printf("wrote %s (%d impressions)%n", out, imps.size());
    if (imps.labelled()) {
      System.out.print(ResultsTable.render(List.of(ResultsTable.row(run.dir().getFileName().toString(),
          Metrics.evaluate(imps, scores)))));
    }
    return 0;
  }
}
