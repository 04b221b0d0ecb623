package dev.newsrec.app;

import dev.newsrec.nn.runtime.Experiment;

import dev.newsrec.core.UserException;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.io.AtomicFiles;
import dev.newsrec.core.metrics.Metrics;
import dev.newsrec.core.metrics.Prediction;
import dev.newsrec.core.metrics.PredictionFile;
import dev.newsrec.core.metrics.ScoresFile;
import dev.newsrec.nn.ModelManifest;
import dev.newsrec.nn.infer.NewsScoring;
import dev.newsrec.nn.infer.NewsVectorFile;
import dev.newsrec.nn.infer.Scorer;
import dev.newsrec.nn.rec.NeuralRecommender;
import dev.newsrec.core.mind.MindFolder;
import dev.newsrec.core.mind.MindReader;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import dev.newsrec.core.model.Recommender;
import dev.newsrec.core.run.RunFolder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code newsrec predict --run RUN --data DIR --out FILE [--scores FILE]}: the leaderboard file for any split. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Rank the candidates of a MIND-format split with a trained run; writes prediction.txt or prediction.zip.")
public final class PredictCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, description = "Run folder made by 'newsrec train'")
  Path runDir;

  @Option(names = "--data", required = true, description = "Split folder with news.tsv and behaviors.tsv (labels optional)")
  Path data;

  @Option(names = "--out", required = true, description = "prediction.txt, a .zip holding prediction.txt, or - for standard output")
  Path out;

  @Option(names = "--scores", description = "Also write the raw score of every candidate: ImpressionID<TAB>s1 s2 ... (candidate order)")
  Path scores;

  @Option(names = "--vectors", description = "Also write the news vectors of the split's news.tsv (neural models), stamped with the model's checksum: the format 'newsrec serve' and Spark read")
  Path vectors;

  @Option(names = "--lenient", description = "Skip and count bad lines instead of stopping (the prediction then lacks their impressions)")
  boolean lenient;

  @Override
  public Integer call() {
    AtomicFiles.checkCanCreate(out); // before the model and the data are loaded
    if (scores != null) AtomicFiles.checkCanCreate(scores);
    if (vectors != null) AtomicFiles.checkCanCreate(vectors);
    if (Files.isDirectory(out)) throw new UserException("--out " + out + " is a directory, not a file");
    RunFolder run = RunFolder.open(runDir);
    Recommender model = Experiment.loadModel(run);
    if (vectors != null && !(model instanceof NeuralRecommender)) {
      throw new UserException("--vectors: a " + model.type() + " model has no news vectors");
    }
    MindFolder folder = MindFolder.of(data);
    ReadOptions read = lenient ? ReadOptions.LENIENT : ReadOptions.STRICT;
    List<String> notes = new ArrayList<>();
    NewsCorpus corpus = MindFolder.corpus(List.of(folder), read, notes);
    ReadReport report = new ReadReport();
    Impressions imps = MindReader.readBehaviors(folder.behaviors(), corpus, read, report);
    String summary = report.summary(folder.behaviors().toString());
    if (!summary.isEmpty()) notes.add(summary);
    notes.forEach(n -> System.err.println("note: " + n));
    float[] raw = model.score(imps);
    Prediction prediction = Prediction.fromScores(imps, raw);
    PredictionFile.write(out, prediction);
    if (vectors != null) {
      NewsScoring scoring = ((NeuralRecommender) model).scoring(corpus);
      int[] all = java.util.stream.IntStream.range(0, corpus.size()).toArray();
      List<float[]> v = new ArrayList<>();
      try (Scorer s = scoring.scorer()) {
        s.newsVectors(all);
        for (int n : all) v.add(s.newsVector(n));
      }
      List<String> ids = new ArrayList<>();
      for (int n : all) ids.add(corpus.id(n));
      NewsVectorFile.write(vectors, ModelManifest.checksum(run.file(RunFolder.MODEL)), model.type(), ids, v);
      System.err.printf("wrote %s (%d news vectors)%n", vectors, ids.size());
    }
    if (scores != null) {
      ScoresFile.write(scores, imps, raw);
      System.err.printf("wrote %s (raw scores)%n", scores);
    }
    System.err.printf("wrote %s (%d impressions)%n", out, imps.size());
    if (report.skippedLines() > 0) {
      // a file the leaderboard and evaluate reject: say so, with the counts, instead of exiting quietly
      System.err.printf("warning: %d of %d lines of %s were skipped (--lenient), so %s lacks their "
          + "impressions; 'newsrec evaluate' against that file and the leaderboard will reject it%n",
          report.skippedLines(), report.linesRead(), folder.behaviors(), out);
    }
    if (imps.labelled()) {
      // the file goes to standard output alone when it is the output
      PrintStream table = AtomicFiles.isStandardOutput(out) ? System.err : System.out;
      table.print(ResultsTable.render(List.of(ResultsTable.row(run.dir().getFileName().toString(),
          Metrics.evaluate(imps, prediction)))));
    }
    return 0;
  }
}
