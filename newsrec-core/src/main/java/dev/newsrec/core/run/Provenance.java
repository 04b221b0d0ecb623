package dev.newsrec.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** How a run was made: code version, libraries, machine, data file hashes, seed, command. */
public record Provenance(
    String newsrecVersion,
    String gitCommit,
    boolean gitDirty,
    String javaVersion,
    String os,
    int cpus,
    long maxHeapMb,
    Map<String, String> libraries,
    Map<String, String> dataSha256,
    long seed,
    List<String> command,
    String started) {

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  public static final String VERSION = "0.1.0";

  public static Provenance collect(long seed, List<Path> dataFiles, List<String> command,
      Map<String, String> libraries) {
    Map<String, String> hashes = new LinkedHashMap<>();
    for (Path f : dataFiles) if (Files.isRegularFile(f)) hashes.put(f.toString(), sha256(f));
    Path home = Path.of(System.getProperty("newsrec.home", "."));
    String commit = git(home, "rev-parse", "HEAD");
    String status = git(home, "status", "--porcelain", "--untracked-files=no");
    return new Provenance(VERSION, commit == null ? "unknown" : commit.trim(),
        status != null && !status.isBlank(), System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
        Map.copyOf(libraries), hashes, seed, List.copyOf(command), Instant.now().toString());
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Provenance read(Path file) {
    try {
      return JSON.readValue(file.toFile(), Provenance.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** SHA-256 of a file in hex; data files are hashed, never keyed by name alone. */
  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String git(Path dir, String... args) {
    try {
      String[] cmd = new String[args.length + 3];
      cmd[0] = "git";
      cmd[1] = "-C";
      cmd[2] = dir.toString();
      System.arraycopy(args, 0, cmd, 3, args.length);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
