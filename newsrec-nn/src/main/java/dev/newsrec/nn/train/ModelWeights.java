package dev.newsrec.nn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import dev.newsrec.core.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Saves and loads the parameter values of a block by name (the keys of {@code getParameters()})
 * in a simple binary format: magic, version, count, then (name, {@link TensorIo} array) pairs.
 * Loading copies the values into the existing parameter arrays in place, so the arrays, their
 * managers and their gradient flags stay as they are.
 */
public final class ModelWeights {
  private static final int MAGIC = 0x4E525754; // "NRWT"
  private static final int VERSION = 1;

  private ModelWeights() {}

  /** Writes the block's weights to {@code file} atomically (temporary file, then rename). */
  public static void save(Block block, Path file) {
    AtomicFiles.writeBytes(file, os -> {
      DataOutputStream out = new DataOutputStream(os);
      save(block, out);
      out.flush();
    });
  }

  /** Loads weights written by {@link #save(Block, Path)} into the block's parameters in place. */
  public static void load(Block block, Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
      load(block, in);
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  public static void save(Block block, DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    var params = block.getParameters();
    int n = 0;
    for (Pair<String, Parameter> p : params) if (p.getValue().isInitialized()) n++;
    out.writeInt(n);
    for (Pair<String, Parameter> p : params) {
      if (!p.getValue().isInitialized()) continue;
      out.writeUTF(p.getKey());
      TensorIo.write(out, p.getValue().getArray());
    }
  }

  /**
   * Copies the stored values into the block's parameters. Every initialised parameter of the block
   * must be in the file with the same shape and type, and the file must hold nothing else.
   */
  public static void load(Block block, DataInputStream in) throws IOException {
    load(block, in, true);
  }

  /** What a lenient load did: names copied, model parameters not in the file, file entries not in the model. */
  public record LoadResult(List<String> loaded, List<String> missing, List<String> unexpected) {}

  /**
   * Copies the stored values into the block's parameters of the same name. Strict: the names must
   * match exactly. Lenient ({@code strict == false}, e.g. fine-tuning from a pre-training
   * checkpoint with another head): parameters missing from the file keep their values and file
   * entries without a parameter are skipped; both are reported. A shape or type mismatch always
   * fails.
   */
  public static LoadResult load(Block block, DataInputStream in, boolean strict) throws IOException {
    if (in.readInt() != MAGIC) throw new IOException("not a model weights file");
    int version = in.readInt();
    if (version != VERSION) throw new IOException("unsupported model weights version " + version);
    Map<String, Parameter> byName = new HashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().isInitialized()) byName.put(p.getKey(), p.getValue());
    }
    Set<String> missing = new LinkedHashSet<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().isInitialized()) missing.add(p.getKey());
    }
    List<String> loaded = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    int n = in.readInt();
    boolean gradMode = JniUtils.isGradMode();
    if (gradMode) JniUtils.setGradMode(false);
    try (NDManager tmp = NDManager.newBaseManager()) {
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        try (NDArray value = TensorIo.read(in, tmp)) {
          Parameter p = byName.get(name);
          if (p == null) {
            if (strict) throw new IOException("weights file has parameter " + name + ", the model has none of that name");
            unexpected.add(name);
            continue;
          }
          NDArray target = p.getArray();
          if (!target.getShape().equals(value.getShape()) || target.getDataType() != value.getDataType()) {
            throw new IOException("parameter " + name + ": file has " + value.getDataType() + " " + value.getShape()
                + ", model " + target.getDataType() + " " + target.getShape());
          }
          target.set(new NDIndex("..."), value.toDevice(target.getDevice(), false));
          missing.remove(name);
          loaded.add(name);
        }
      }
    } finally {
      if (gradMode) JniUtils.setGradMode(true);
    }
    if (strict && !missing.isEmpty()) throw new IOException("weights file lacks parameters " + missing);
    return new LoadResult(List.copyOf(loaded), List.copyOf(missing), List.copyOf(unexpected));
  }
}
