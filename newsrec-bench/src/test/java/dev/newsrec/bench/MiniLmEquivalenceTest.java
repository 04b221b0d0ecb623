package dev.newsrec.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.tokenizer.HfTokenizer;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.tokenizer.TokenBatch;
import dev.newsrec.nn.plm.weights.MiniLm;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Our BERT blocks with the bundled MiniLM weights against ONNX Runtime on the same file (here, not
 * in newsrec-nn, so the library does not depend on ONNX Runtime).
 */
class MiniLmEquivalenceTest {
  static final List<String> SENTENCES = List.of(
      "Microsoft unveils new Surface laptops at its fall event",
      "The Lakers beat the Celtics in overtime",
      "How to cook the perfect steak",
      "Stocks rally as inflation cools; S&P 500 hits record high",
      "Scientists discover water on a distant exoplanet orbiting a red dwarf star",
      "Weather",
      "Café owners in Zürich protest against unaffordable rents in the old town",
      "NASA's Perseverance rover finds signs of ancient microbial life on Mars",
      // longer than 128 tokens: truncated, and uses position embeddings up to 127
      String.join(" ", java.util.Collections.nCopies(14,
          "the committee approved the budget after hours of debate.")));

  @Test
  void lastHiddenStatesMatchOnnxRuntime() throws Exception {
    TokenBatch batch;
    try (HfTokenizer tok = MiniLm.tokenizer()) {
      batch = tok.encode(SENTENCES, 128, PlmTokenizer.Padding.LONGEST);
    }
    float[][][] expected = onnxRuntime(batch);
    // PyTorch on one intra-op thread, as the plm tests run
    Engines.prepare();
    Engines.setThreads(1);
    try (NDManager manager = NDManager.newBaseManager()) {
      BertModel model = MiniLm.load(manager);
      NDArray ours;
      try (NDManager step = manager.newSubManager()) {
        NDArray hidden = model.encode(new ParameterStore(manager, false), step.create(batch.ids()),
            step.create(batch.mask()), null, null, false);
        ours = hidden;
        float maxDiff = 0;
        int compared = 0;
        for (int b = 0; b < batch.size(); b++) {
          for (int t = 0; t < batch.length(); t++) {
            if (batch.mask()[b][t] == 0) {
              continue;
            }
            float[] row = ours.get(b, t).toFloatArray();
            for (int h = 0; h < row.length; h++) {
              maxDiff = Math.max(maxDiff, Math.abs(row[h] - expected[b][t][h]));
            }
            compared++;
          }
        }
        System.out.printf("MiniLM vs onnxruntime: max abs diff %.3g over %d positions%n", maxDiff, compared);
        assertThat(batch.length()).isEqualTo(128);
        assertThat(compared).isGreaterThan(200);
        assertThat(maxDiff).as("max abs difference on %d positions", compared).isLessThan(1e-4f);
      }
    }
  }

  private static float[][][] onnxRuntime(TokenBatch batch) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    byte[] model;
    try (InputStream in = MiniLm.openOnnx()) {
      model = in.readAllBytes();
    }
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(2);
      try (OrtSession session = env.createSession(model, opts)) {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        long[][] types = new long[batch.size()][batch.length()];
        try (OnnxTensor ids = OnnxTensor.createTensor(env, batch.ids());
            OnnxTensor mask = OnnxTensor.createTensor(env, batch.mask());
            OnnxTensor tt = OnnxTensor.createTensor(env, types)) {
          inputs.put("input_ids", ids);
          inputs.put("attention_mask", mask);
          inputs.put("token_type_ids", tt);
          try (OrtSession.Result result = session.run(inputs, java.util.Set.of("output_0"))) {
            return (float[][][]) result.get(0).getValue();
          }
        }
      }
    }
  }
}
