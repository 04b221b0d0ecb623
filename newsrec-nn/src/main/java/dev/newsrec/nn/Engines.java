package dev.newsrec.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.newsrec.core.UserException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Engine set-up: keeps DJL offline with its cache in a known folder, picks the device, sets threads.
 *
 * <p>Call {@link #prepare()} (or {@link #prepare(Path)}) before anything touches an NDManager: DJL
 * reads the offline flag and the cache folder only once, when the engine first loads. Never sets
 * PYTORCH_VERSION or PYTORCH_FLAVOR: the natives come from the jars on the class path.
 */
public final class Engines {
  /** System property and environment variable that DJL reads for its cache folder. */
  public static final String CACHE_DIR_KEY = "DJL_CACHE_DIR";

  private Engines() {}

  /**
   * Sets {@code ai.djl.offline=true} and, when neither the system property nor the environment
   * names a cache folder, {@code DJL_CACHE_DIR=~/.cache/newsrec/djl}. Returns the cache folder.
   */
  public static Path prepare() {
    return prepare(Path.of(System.getProperty("user.home"), ".cache", "newsrec", "djl"));
  }

  /** As {@link #prepare()}, with {@code defaultCacheDir} used only when nothing else is set. */
  public static Path prepare(Path defaultCacheDir) {
    System.setProperty("ai.djl.offline", "true");
    String property = System.getProperty(CACHE_DIR_KEY);
    String env = System.getenv(CACHE_DIR_KEY);
    String chosen;
    if (property != null && !property.isBlank()) {
      chosen = property;
    } else if (env != null && !env.isBlank()) {
      chosen = env;
    } else {
      chosen = defaultCacheDir.toAbsolutePath().toString();
    }
    System.setProperty(CACHE_DIR_KEY, chosen);
    return Path.of(chosen);
  }

  /** The PyTorch engine, prepared for offline use. */
  public static Engine engine() {
    prepare();
    return Engine.getEngine("PyTorch");
  }

  /**
   * The device for a run option: {@code cpu}, {@code gpu}, {@code gpu:N} or {@code cuda[:N]}. A GPU
   * request on a machine without one is a user error, not a silent fallback.
   */
  public static Device device(String option) {
    String s = option == null ? "cpu" : option.trim().toLowerCase(Locale.ROOT);
    if (s.isEmpty() || s.equals("cpu")) {
      return Device.cpu();
    }
    int index = 0;
    String kind = s;
    int colon = s.indexOf(':');
    if (colon >= 0) {
      kind = s.substring(0, colon);
      try {
        index = Integer.parseInt(s.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new UserException("device '" + option + "': expected cpu, gpu or gpu:N");
      }
    }
    if (!kind.equals("gpu") && !kind.equals("cuda")) {
      throw new UserException("device '" + option + "': expected cpu, gpu or gpu:N");
    }
    int gpus = engine().getGpuCount();
    if (index < 0 || index >= gpus) {
      throw new UserException(
          "device '" + option + "': this machine has " + gpus + " GPU(s) visible to PyTorch"
              + (gpus == 0 ? " (is the cuda build of newsrec in use?)" : ""));
    }
    return Device.gpu(index);
  }

  /**
   * Seeds every generator the engine draws from (PyTorch's, which initialisers and dropout use, and
   * DJL's Java-side one): a model built after this call starts from the same weights on every run.
   */
  public static void seed(long seed) {
    engine().setRandomSeed((int) (seed ^ (seed >>> 32)));
  }

  /** Intra-op threads PyTorch uses for one operation. */
  public static int threads() {
    engine();
    return JniUtils.getNumThreads();
  }

  /** Sets PyTorch's intra-op thread count (affects the whole process). */
  public static void setThreads(int threads) {
    if (threads < 1) {
      throw new UserException("threads must be at least 1, got " + threads);
    }
    engine();
    JniUtils.setNumThreads(threads);
  }
}
