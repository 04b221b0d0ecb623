package dev.newsrec.nn.rec;

import dev.newsrec.core.UserException;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.train.ModelWeights;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code init_from: RUN_DIR}: a run starts from another run's weights, matched by parameter name,
 * so one pre-trained encoder serves many fine-tuning configs. The weights are the run's last
 * finished pre-training stage's, else its trained model's; a stage folder may be named directly.
 */
public final class InitFrom {
  private InitFrom() {}

  /** The weights file init_from names: a run, a run's stage folder, or a trained model folder. */
  public static Path weights(Path run) {
    if (Files.isRegularFile(run.resolve(Stages.DONE)) && Files.isRegularFile(run.resolve(Stages.WEIGHTS))) {
      return run.resolve(Stages.WEIGHTS);
    }
    Path stages = run.resolve(NeuralSpec.PRETRAINING);
    if (Files.isDirectory(stages)) {
      try (Stream<Path> s = Files.list(stages)) {
        List<Path> done = s.filter(p -> Files.isRegularFile(p.resolve(Stages.DONE))).sorted().toList();
        if (!done.isEmpty()) return done.get(done.size() - 1).resolve(Stages.WEIGHTS);
      } catch (IOException e) {
        throw new UserException("init_from: cannot list " + stages + ": " + e.getMessage());
      }
    }
    for (Path model : new Path[] {run.resolve("model"), run}) {
      if (Files.isRegularFile(model.resolve(NeuralRecommender.WEIGHTS))) return model.resolve(NeuralRecommender.WEIGHTS);
    }
    throw new UserException("init_from: " + run + " holds no finished pre-training stage ("
        + NeuralSpec.PRETRAINING + "/*/" + Stages.DONE + ") and no trained model (model/"
        + NeuralRecommender.WEIGHTS + ")");
  }

  /** Loads what matches by name into model and logs what was loaded, what is new, what unused. */
  public static ModelWeights.LoadResult load(NewsRecModel model, Path run, Consumer<String> log) {
    Path file = weights(run);
    ModelWeights.LoadResult r;
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
      r = ModelWeights.load(model, in, false);
    } catch (IOException e) {
      throw new UserException("init_from: cannot load " + file + ": " + e.getMessage());
    }
    if (r.loaded().isEmpty()) {
      throw new UserException("init_from: " + file + " has no parameter of this model's names (it has "
          + r.unexpected().size() + " others, e.g. " + head(r.unexpected()) + ")");
    }
    log.accept(String.format(Locale.ROOT, "init_from %s: loaded %d parameters; %d new (initialised here)%s; %d in the file unused%s",
        file, r.loaded().size(), r.missing().size(), r.missing().isEmpty() ? "" : ": " + head(r.missing()),
        r.unexpected().size(), r.unexpected().isEmpty() ? "" : ": " + head(r.unexpected())));
    return r;
  }

  private static String head(List<String> names) {
    int n = Math.min(8, names.size());
    return String.join(", ", names.subList(0, n)) + (names.size() > n ? ", ... (" + (names.size() - n) + " more)" : "");
  }
}
