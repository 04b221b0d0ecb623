package dev.newsrec.nn.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.newsrec.nn.train.Fixtures.Example;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Per-step managers keep memory flat: no arrays pile up on the model's manager, resident memory stays put. */
class TrainerMemoryTest {
  private static int threads;

  @org.junit.jupiter.api.BeforeAll
  static void oneThread() {
    threads = Fixtures.singleThread();
  }

  @org.junit.jupiter.api.AfterAll
  static void restoreThreads() {
    Fixtures.restoreThreads(threads);
  }


  static long residentKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D+", ""));
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void residentMemoryAndModelArraysStayFlatOver1000Steps() throws Exception {
    List<Example> data = Fixtures.regression(256, 3);
    long[] rssKb = new long[2];
    int[] modelArrays = new int[3];
    try (NDManager modelManager = NDManager.newBaseManager()) {
      TinyModel model = TinyModel.create(modelManager, 1, Fixtures.IN, 64, 1, 0.1f);
      modelArrays[0] = modelManager.getManagedArrays().size();
      TrainListener probe = (t, e) -> {
        try {
          // collecting every 100 steps keeps the Java heap at its small steady size, so what is
          // measured is native memory (tensors), not the young generation growing between collections
          if (e.step() % 100 == 0) System.gc();
          if (e.step() == 100) {
            rssKb[0] = residentKb();
            modelArrays[1] = modelManager.getManagedArrays().size();
          } else if (e.step() == 1000) {
            rssKb[1] = residentKb();
            modelArrays[2] = modelManager.getManagedArrays().size();
          }
        } catch (IOException ex) {
          throw new java.io.UncheckedIOException(ex);
        }
      };
      try (AdamW opt = AdamW.builder().learningRate(1e-3).build(model);
          Trainer<List<Example>> trainer = Trainer.builder(model, Fixtures.mse(model), new ShuffledBatches<>(data, 32, 1, true))
              .optimizer(opt).schedule(LrSchedule.linearWarmupDecay(1000, 0.1)).totalSteps(1000)
              .maxGradNorm(1.0).listener(probe).build()) {
        trainer.train();
      }
    }
    long growthMb = (rssKb[1] - rssKb[0]) / 1024;
    System.out.printf("VmRSS step 100: %d MB, step 1000: %d MB, model arrays %d/%d/%d%n", rssKb[0] / 1024,
        rssKb[1] / 1024, modelArrays[0], modelArrays[1], modelArrays[2]);
    assertThat(modelArrays[1]).isEqualTo(modelArrays[0]);
    assertThat(modelArrays[2]).isEqualTo(modelArrays[0]);
    assertThat(growthMb).isLessThan(30);
  }
}
