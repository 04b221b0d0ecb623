package dev.newsrec.nn.rec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.newsrec.core.UserException;
import dev.newsrec.core.config.ConfigTree;
import dev.newsrec.core.io.AtomicFiles;
import dev.newsrec.core.mind.HistoriesFile;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import dev.newsrec.core.model.TrainContext;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.train.ModelWeights;
import dev.newsrec.nn.train.TrainRandom;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a config's pre-training stages in order on a freshly built model. Each stage works in
 * its own folder ({@code pretraining/NN-name/}: checkpoints, metrics.jsonl, exports) and ends
 * by saving the model's weights there ({@value #WEIGHTS}) and then {@value #DONE}; a stage
 * whose folder is done is loaded instead of run again, so a resumed run and the other seeds of a
 * multi-seed run reuse it.
 */
final class Stages<O extends NeuralOptions> {
  static final String WEIGHTS = "model.params";
  static final String DONE = "stage.json";

  private final NeuralModel<O> model;
  private final O options;

  Stages(NeuralModel<O> model, O options) {
    this.model = model;
    this.options = options;
  }

  void run(NewsRecModel net, NewsInputs inputs, PlmTokenizer tokenizer, TrainContext ctx) {
    JsonNode list = ctx.pretraining();
    if (list == null || !list.isArray() || list.isEmpty()) return;
    List<Path> earlier = new ArrayList<>();
    List<int[]> histories = null;
    String chain = "";
    for (int k = 0; k < list.size(); k++) {
      final int i = k;
      JsonNode entry = list.get(i);
      String name = entry.path("stage").asText();
      PretrainingStage<O, ?> stage = model.stages().stream().filter(s -> s.name().equals(name))
          .findFirst().orElseThrow(() -> new UserException("pretraining[" + i + "].stage: model "
              + model.type() + " has no stage '" + name + "'"));
      Object opts = ConfigTree.bind(entry, "pretraining[" + i + "]", stage.optionsType(), "config");
      Path dir = ctx.pretrainingDir().resolve(NeuralSpec.PRETRAINING)
          .resolve(String.format(Locale.ROOT, "%02d-%s", i + 1, name));
      StageOptions so = (StageOptions) opts;
      long seed = so.seed() != null ? so.seed() : ctx.pretrainingSeed();
      // A stage is reused only when it and every stage before it had these settings.
      String fingerprint = chain + entry + " seed " + seed + " model " + options;
      chain = fingerprint + " | ";
      if (Files.isRegularFile(dir.resolve(DONE))) {
        String made = made(dir);
        if (!fingerprint.equals(made)) {
          throw new UserException("stage " + name + ": " + dir + " was made with other settings ("
              + made + "); this run has " + fingerprint + ". Use another --out, or delete the folder to pre-train again");
        }
        try {
          ModelWeights.load(net, dir.resolve(WEIGHTS));
        } catch (IOException e) {
          throw new UserException("stage " + name + ": cannot load " + dir.resolve(WEIGHTS) + ": " + e.getMessage());
        }
        ctx.log().accept("stage " + (i + 1) + " " + name + ": done in " + dir + ", weights loaded");
        earlier.add(dir);
        continue;
      }
      if (histories == null) histories = histories(inputs, ctx);
      ctx.log().accept(String.format(Locale.ROOT, "stage %d %s (seed %d) -> %s", i + 1, name, seed, dir));
      long t0 = System.nanoTime();
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + dir, e);
      }
      Engines.seed(TrainRandom.derive(seed, -4 - i));
      run(stage, opts, net, new StageContext(ctx.train(), histories, inputs, tokenizer, ctx.folders(),
          List.copyOf(earlier), dir, seed, ctx.log()));
      ModelWeights.save(net, dir.resolve(WEIGHTS));
      var done = JSON.createObjectNode().put("stage", name).put("index", i + 1).put("seed", seed)
          .put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0).put("settings", fingerprint);
      AtomicFiles.writeString(dir.resolve(DONE), done.toString() + "\n");
      ctx.log().accept(String.format(Locale.ROOT, "stage %d %s: done in %.1f s", i + 1, name,
          (System.nanoTime() - t0) / 1e9));
      earlier.add(dir);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /** The settings a finished stage folder was made with. */
  private static String made(Path dir) {
    try {
      return JSON.readTree(dir.resolve(DONE).toFile()).path("settings").asText();
    } catch (IOException e) {
      throw new UserException("cannot read " + dir.resolve(DONE) + ": " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private <S extends StageOptions> void run(PretrainingStage<O, S> stage, Object opts,
      NewsRecModel net, StageContext sc) {
    stage.run(options, (S) opts, net, sc);
  }

  /** Histories of users without impressions: the train folder's histories.tsv, when it has one. */
  private static List<int[]> histories(NewsInputs inputs, TrainContext ctx) {
    if (ctx.folders().isEmpty()) return List.of();
    Path file = ctx.folders().get(0).resolve(HistoriesFile.FILE_NAME);
    if (!Files.isRegularFile(file)) return List.of();
    ReadReport report = new ReadReport();
    HistoriesFile.Histories h = HistoriesFile.read(file, inputs.corpus(), ReadOptions.STRICT, report);
    String s = report.summary(file.toString());
    if (!s.isEmpty()) ctx.log().accept("note: " + s);
    ctx.log().accept("histories.tsv: " + h.size() + " users without impressions");
    return h.histories();
  }
}
