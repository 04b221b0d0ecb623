package dev.newsrec.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Starts Spark for newsrec's jobs: in-process on {@code local[N]} from the command line, or the
 * cluster's master when run by {@code spark-submit} (which sets {@code spark.master}).
 */
public final class SparkEngine {
  private SparkEngine() {}

  /**
   * A context for master (e.g. {@code local[2]}); null keeps the one spark-submit gave, else
   * {@code local[*]}. No web UI (a batch job on a shared machine must not take a port for it).
   */
  public static JavaSparkContext start(String master, String appName) {
    return start(master, appName, new SparkConf());
  }

  /** As {@link #start(String, String)} with more settings. */
  public static JavaSparkContext start(String master, String appName, SparkConf conf) {
    conf.setAppName(appName);
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    conf.setIfMissing("spark.ui.enabled", "false");
    if (conf.get("spark.master").startsWith("local")) {
      // in-process: no host name lookup, no port on the network
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    JavaSparkContext sc = new JavaSparkContext(conf);
    sc.setLogLevel("WARN");
    return sc;
  }
}
