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
import java.util.HashMap;
import java.util.LinkedHashSet;
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
    if (in.readInt() != MAGIC) throw new IOException("not a model weights file");
    int version = in.readInt();
    if (version != VERSION) throw new IOException("unsupported model weights version " + version);
    Map<String, Parameter> byName = new HashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().isInitialized()) byName.put(p.getKey(), p.getValue());
    }
    Set<String> missing = new LinkedHashSet<>(byName.keySet());
    int n = in.readInt();
    boolean gradMode = JniUtils.isGradMode();
    if (gradMode) JniUtils.setGradMode(false);
    try (NDManager tmp = NDManager.newBaseManager()) {
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        NDArray value = TensorIo.read(in, tmp);
        Parameter p = byName.get(name);
        if (p == null) throw new IOException("weights file has parameter " + name + ", the model has none of that name");
        NDArray target = p.getArray();
        if (!target.getShape().equals(value.getShape()) || target.getDataType() != value.getDataType()) {
          throw new IOException("parameter " + name + ": file has " + value.getDataType() + " " + value.getShape()
              + ", model " + target.getDataType() + " " + target.getShape());
        }
        target.set(new NDIndex("..."), value.toDevice(target.getDevice(), false));
        missing.remove(name);
      }
    } finally {
      if (gradMode) JniUtils.setGradMode(true);
    }
    if (!missing.isEmpty()) throw new IOException("weights file lacks parameters " + missing);
  }
}
