package dev.newsrec.nn.plm.weights;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.newsrec.nn.plm.BertConfig;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.PlmBlock;
import dev.newsrec.nn.plm.PlmTesting;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.tokenizer.TokenBatch;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled MiniLM saved as a Hugging Face folder (the ONNX Runtime comparison is in newsrec-bench). */
class MiniLmFolderTest {
  static final List<String> SENTENCES = List.of(
      "Microsoft unveils new Surface laptops at its fall event",
      "The Lakers beat the Celtics in overtime",
      "How to cook the perfect steak");

  @Test
  void savedAsHuggingFaceFolderReloadsIdentically(@TempDir Path dir) throws Exception {
    try (NDManager manager = PlmTesting.manager()) {
      BertModel model = MiniLm.load(manager);
      byte[] tokenizer;
      try (InputStream in = MiniLm.openTokenizer()) {
        tokenizer = in.readAllBytes();
      }
      Path folder = dir.resolve("minilm");
      HfFolder.save(model, null, tokenizer, folder);
      BertModel loaded = HfFolder.load(folder, manager, b -> b.optNumLayers(2));
      assertThat(loaded.config()).isEqualTo(BertConfig.miniLm().withLayers(2));
      try (PlmTokenizer tok = HfFolder.tokenizer(folder)) {
        TokenBatch batch = tok.encode(SENTENCES, 16, PlmTokenizer.Padding.LONGEST);
        try (NDManager step = manager.newSubManager()) {
          NDArray ids = step.create(batch.ids());
          NDArray mask = step.create(batch.mask());
          var ps = PlmTesting.store(manager);
          NDArray x = model.embeddings().embed(ps, ids, null, null, false);
          NDArray additive = PlmBlock.paddingMask(mask);
          for (int i = 0; i < 2; i++) {
            x = model.encoder().layers().get(i).apply(ps, x, additive, false);
          }
          NDArray y = loaded.encode(ps, ids, mask, null, null, false);
          assertThat(PlmTesting.maxAbsDiff(x, y)).isEqualTo(0f);
        }
      }
    }
  }
}
