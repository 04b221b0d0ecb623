package dev.newsrec.app;

import dev.newsrec.bench.BenchEnvironment;
import dev.newsrec.bench.EvaluationBench;
import dev.newsrec.bench.PlmBench;
import dev.newsrec.bench.ReadBench;
import dev.newsrec.bench.TrainBench;
import dev.newsrec.core.mind.MindFolder;
import dev.newsrec.serve.bench.ServeBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code newsrec bench ...}: speed and memory against references measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks that print ratios against a reference measured in the same run.",
    subcommands = {BenchCommand.Data.class, BenchCommand.Plm.class, BenchCommand.Train.class, BenchCommand.Serve.class,
        BenchSparkCommand.class})
public final class BenchCommand {

  /** MiniLM forward vs ONNX Runtime, training step vs PyTorch, both vs the machine's matmul. */
  @Command(name = "plm", mixinStandardHelpOptions = true,
      description = {"Bundled MiniLM: forward tokens/s at 64x32 and 8x512 vs ONNX Runtime (same process),",
          "forward+backward (MLM loss + AdamW step) vs the PyTorch reference (newsrec-bench/scripts/torch_reference.py,",
          "same threads and allocator), and achieved FLOP/s vs a 2048x2048 matmul. Ratio lines: higher = newsrec better."})
  public static final class Plm implements Callable<Integer> {
    @Option(names = "--threads", description = "Intra-op threads of every engine (default: ${DEFAULT-VALUE})")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--seconds", description = "Minimum measuring time per case (default: ${DEFAULT-VALUE})")
    double seconds = 10;

    @Option(names = "--no-train", description = "Forward only (skip the training step)")
    boolean noTrain;

    @Override
    public Integer call() {
      BenchEnvironment.print(System.out);
      new PlmBench(threads, seconds).training(!noTrain).run(System.out);
      return 0;
    }
  }

  /** Reading MIND-large-sized behaviours and evaluating MIND-large-dev-sized predictions. */
  @Command(name = "data", mixinStandardHelpOptions = true,
      description = "Read a MIND-large-sized synthetic world (lines/s, heap) and evaluate 376,471 impressions against the Python reference.")
  public static final class Data implements Callable<Integer> {
    @Option(names = "--work", description = "Folder for the generated world and files (default: ${DEFAULT-VALUE}; reused when present)")
    Path work = Path.of(".cache", "bench");

    @Option(names = "--preset", description = "Synthetic world preset to read (default: ${DEFAULT-VALUE})")
    String preset = "large";

    @Option(names = "--heap", description = "-Xmx of the JVM that reads the behaviours (default: ${DEFAULT-VALUE})")
    String heap = "4g";

    @Option(names = "--impressions", description = "Impressions in the evaluation benchmark (default: ${DEFAULT-VALUE}, MIND-large dev)")
    int impressions = 376_471;

    @Option(names = "--seed", description = "Seed of the generated data (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Override
    public Integer call() throws Exception {
      Path world = work.resolve("synth-" + preset + "-seed" + seed);
      if (!Files.isRegularFile(world.resolve("train").resolve(MindFolder.BEHAVIORS))) {
        System.err.println("bench: generating the " + preset + " synthetic world in " + world + " (once)");
        int code = Main.run("data", "synth", "--preset", preset, "--seed", Long.toString(seed),
            "--out", world.toString(), "--force");
        if (code != 0) return code;
      }
      ReadBench.inChildJvm(world.resolve("train"), heap, System.out);
      EvaluationBench.run(work.resolve("eval"), impressions, seed, System.out,
          EvaluateCommand::evaluate);
      return 0;
    }
  }

  /** The HTTP server under open-loop load vs the same requests scored in-process (see {@link ServeBench}). */
  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = {"Start the server on a trained run and drive it over HTTP from an open-loop client at fixed",
          "arrival rates (100 candidates, 50-click histories per request): achieved rate, p50/p99/p99.9, status",
          "counts and resident memory per rate, then twice the highest rate that held p99 < 10 ms; the same",
          "requests scored in-process as the reference. Ratio lines: target / measured, higher = better."})
  public static final class Serve implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run folder of a neural model (e.g. PLM-NR on the bundled MiniLM)")
    Path run;

    @Option(names = "--seed", description = "Seed of a multi-seed run (default: the first)")
    Long seed;

    @Option(names = "--news", arity = "1..*", description = "news.tsv files of the corpus (default: the run's train and dev)")
    List<Path> news = new java.util.ArrayList<>();

    @Option(names = "--vectors", description = "News vector file of the model ('newsrec predict --vectors')")
    Path vectors;

    @Option(names = "--rates", split = ",", description = "Arrival rates, requests/s (default: ${DEFAULT-VALUE})")
    List<Double> rates = List.of(100.0, 250.0, 500.0, 750.0, 1000.0);

    @Option(names = "--seconds", description = "Seconds per rate (default: ${DEFAULT-VALUE})")
    double seconds = 10;

    @Option(names = "--threads", description = "Server scoring threads (default: ${DEFAULT-VALUE})")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--queue", description = "Server queue: auto (sized from the measured service time, as 'newsrec serve') or a count (default: ${DEFAULT-VALUE})")
    String queue = "auto";

    @Option(names = "--candidates", description = "Candidates per request (default: ${DEFAULT-VALUE})")
    int candidates = 100;

    @Option(names = "--history", description = "Clicks per history (default: ${DEFAULT-VALUE})")
    int history = 50;

    @Override
    public Integer call() throws Exception {
      if (rates.isEmpty() || rates.stream().anyMatch(r -> r <= 0)) throw new dev.newsrec.core.UserException("--rates: positive rates, found " + rates);
      if (seconds <= 0) throw new dev.newsrec.core.UserException("--seconds: must be positive, found " + seconds);
      BenchEnvironment.print(System.out);
      return new ServeBench(new ServeBench.Options(run, seed, news, vectors, rates, seconds, threads, ServeCommand.parseQueue(queue), candidates,
          history, 1), System.out).run();
    }
  }

  /** PLM-NR NCE step and evaluation vs PyTorch, peak RSS per setting (see {@link TrainBench}). */
  @Command(name = "train", mixinStandardHelpOptions = true,
      description = {"PLM-NR (bundled MiniLM) NCE training samples/s and evaluation impressions/s on the small",
          "synthetic world with MIND's shapes (K=4, history 50, titles 30 tokens) vs the PyTorch reference",
          "(newsrec-bench/scripts/torch_reference.py, same threads and allocator, interleaved), FLOP/s vs a 2048^2 matmul,",
          "and peak RSS per setting: all layers trainable, and top-1 trainable on cached frozen outputs.",
          "--model punr: PUNR's fine-tuning and behaviour pre-training steps on 512-token user documents vs the",
          "same steps in the PyTorch reference on the same weights and inputs (loss checked first), peak RSS of each.",
          "--model ip2: IP2's fine-tuning step as configs/ip2/mind-small-cpu.yaml runs it (MiniLM frozen, cached;",
          "top1 / all: its top or every layer trainable) and the contrastive stage's step vs the PyTorch reference",
          "on the same weights and inputs (loss checked first), peak RSS, and RSS step after step (--watch-steps)."})
  public static final class Train implements Callable<Integer> {
    @Option(names = "--model", description = "Model: plmnr, punr or ip2 (default: ${DEFAULT-VALUE})")
    String model = "plmnr";

    @Option(names = "--work", description = "Folder of the generated world (default: ${DEFAULT-VALUE}; reused)")
    Path work = Path.of(".cache", "bench");

    @Option(names = "--threads", description = "Intra-op threads (default: ${DEFAULT-VALUE})")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--batch", description = "NCE samples per step (default: plmnr 64, as the papers; ip2 32, as its CPU configs)")
    Integer batch;

    @Option(names = "--micro-batch", description = "Samples per forward/backward (model.training.micro_batch) with all layers trainable (default: ${DEFAULT-VALUE})")
    int microAll = 4;

    @Option(names = "--micro-batch-top1", description = "The same with only the top layer trainable on cached inputs (default: ${DEFAULT-VALUE})")
    int microTop = 16;

    @Option(names = "--rounds", description = "Timed rounds per case, after one warm-up (default: ${DEFAULT-VALUE})")
    int rounds = 3;

    @Option(names = "--eval-impressions", description = "Dev impressions scored per evaluation round (default: ${DEFAULT-VALUE})")
    int evalImpressions = 100;

    @Option(names = "--settings", split = ",", description = "Settings to run: all, top1 (default: all,top1)")
    List<String> settings = List.of("all", "top1");

    @Option(names = "--heap", description = "-Xmx of the child JVMs (default: ${DEFAULT-VALUE})")
    String heap = "4g";

    @Option(names = "--documents", description = "punr: user documents per step (default: ${DEFAULT-VALUE})")
    int documents = 2;

    @Option(names = "--doc-tokens", description = "punr: tokens per user document, at most 512 (default: ${DEFAULT-VALUE}, the paper's)")
    int docTokens = 512;

    @Option(names = "--stages", split = ",", description = "punr: steps to run: finetune, behaviour (default: finetune,behaviour);"
        + " ip2: finetune, top1, all, contrastive (default: finetune,contrastive)")
    List<String> stages;

    @Option(names = "--history", description = "ip2: clicks per history (default: ${DEFAULT-VALUE})")
    int history = 50;

    @Option(names = "--title-tokens", description = "ip2: tokens per title (default: ${DEFAULT-VALUE})")
    int titleTokens = 30;

    @Option(names = "--entities", description = "ip2: entity memory rows (default: ${DEFAULT-VALUE}, the medium synthetic world's entity catalogue)")
    int entities = 17_094;

    @Option(names = "--contrastive-batch", description = "ip2: news per contrastive step (default: ${DEFAULT-VALUE}, the paper's)")
    int contrastiveBatch = 128;

    @Option(names = "--watch-steps", description = "ip2: further steps of the finetune setting after its timed rounds, RSS and DJL's arrays printed along (default: ${DEFAULT-VALUE}; 0 = none)")
    int watchSteps = 10;

    @Override
    public Integer call() throws Exception {
      if (rounds < 1) throw new dev.newsrec.core.UserException("--rounds: at least 1, found " + rounds);
      if (model.equals("punr")) {
        if (documents < 1) throw new dev.newsrec.core.UserException("--documents: at least 1, found " + documents);
        if (docTokens < 3 || docTokens > 512) {
          throw new dev.newsrec.core.UserException("--doc-tokens: between 3 and 512, found " + docTokens);
        }
        if (stages == null) stages = dev.newsrec.bench.PunrTrainBench.STAGES;
        for (String s : stages) {
          if (!dev.newsrec.bench.PunrTrainBench.STAGES.contains(s)) {
            throw new dev.newsrec.core.UserException("--stages: finetune or behaviour, found '" + s + "'");
          }
        }
        return dev.newsrec.bench.PunrTrainBench.run(work, new dev.newsrec.bench.PunrTrainBench.Options(
            threads, documents, docTokens, rounds, stages, heap));
      }
      if (model.equals("ip2")) {
        int b = batch == null ? 32 : batch;
        atLeast("--batch", b, 1);
        atLeast("--history", history, 1);
        atLeast("--contrastive-batch", contrastiveBatch, 2);
        atLeast("--entities", entities, 1);
        atLeast("--watch-steps", watchSteps, 0);
        if (titleTokens < 3 || titleTokens > 512) {
          throw new dev.newsrec.core.UserException("--title-tokens: between 3 and 512, found " + titleTokens);
        }
        if (stages == null) stages = List.of("finetune", "contrastive");
        for (String s : stages) {
          if (!dev.newsrec.bench.Ip2TrainBench.STAGES.contains(s)) {
            throw new dev.newsrec.core.UserException("--stages: finetune, top1, all or contrastive, found '" + s + "'");
          }
        }
        return dev.newsrec.bench.Ip2TrainBench.run(work, new dev.newsrec.bench.Ip2TrainBench.Options(threads, b,
            contrastiveBatch, history, titleTokens, entities, rounds, watchSteps, stages, heap));
      }
      if (!model.equals("plmnr")) {
        System.err.println("bench train: --model plmnr, punr or ip2, found '" + model + "'");
        return 2;
      }
      Path world = TrainBench.world(work);
      if (!Files.isRegularFile(world.resolve("train").resolve(MindFolder.BEHAVIORS))) {
        System.err.println("bench: generating the small synthetic world in " + world + " (once)");
        int code = Main.run("data", "synth", "--preset", "small", "--seed", "42", "--out",
            world.toString(), "--force");
        if (code != 0) return code;
      }
      return TrainBench.run(world, new TrainBench.Options(threads, batch == null ? 64 : batch, microAll, microTop, rounds,
          evalImpressions, settings, heap));
    }

    private static void atLeast(String option, int value, int min) {
      if (value < min) throw new dev.newsrec.core.UserException(option + ": at least " + min + ", found " + value);
    }
  }
}
