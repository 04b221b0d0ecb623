package dev.newsrec.nn.plm.weights;

import static dev.newsrec.nn.plm.PlmTesting.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.newsrec.core.UserException;
import dev.newsrec.nn.plm.BertConfig;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.MlmHead;
import dev.newsrec.nn.plm.PlmTesting;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfFolderTest {
  @TempDir Path dir;
  private NDManager manager;
  private ParameterStore ps;

  @BeforeEach
  void open() {
    manager = PlmTesting.manager();
    ps = PlmTesting.store(manager);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void savedFolderLoadsToIdenticalOutputs() throws Exception {
    BertModel model = PlmTesting.tinyModel(manager);
    MlmHead head = MlmHead.builder().setConfig(model.config())
        .setWordEmbedding(model.embeddings().wordEmbedding()).build();
    head.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 32));
    Path tokenizer = dir.resolve("tok.json");
    Files.writeString(tokenizer, "{}");
    Path folder = dir.resolve("saved");
    HfFolder.save(model, head, tokenizer, folder);
    assertThat(folder.resolve("config.json")).exists();
    assertThat(folder.resolve("tokenizer.json")).exists();
    assertThat(HfFolder.config(folder)).isEqualTo(model.config());

    BertModel loaded = HfFolder.load(folder, manager);
    MlmHead loadedHead = MlmHead.builder().setConfig(loaded.config())
        .setWordEmbedding(loaded.embeddings().wordEmbedding()).build();
    loadedHead.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 32));
    HfFolder.loadInto(loaded, loadedHead, folder);
    try (NDManager batch = manager.newSubManager()) {
      NDArray ids = batch.create(PlmTesting.tinyIds());
      NDArray mask = batch.create(PlmTesting.tinyMask());
      NDArray a = model.encode(ps, ids, mask, null, null, false);
      NDArray b = loaded.encode(ps, ids, mask, null, null, false);
      assertThat(maxAbsDiff(a, b)).isEqualTo(0f);
      assertThat(maxAbsDiff(head.logits(ps, a, false), loadedHead.logits(ps, b, false)))
          .isEqualTo(0f);
    }
    SafeTensors st = SafeTensors.open(folder.resolve("model.safetensors"));
    assertThat(st.names()).contains("embeddings.word_embeddings.weight",
        "encoder.layer.1.output.LayerNorm.bias", "cls.predictions.transform.dense.weight",
        "cls.predictions.bias");
  }

  @Test
  void acceptsBertPrefixGammaBetaAndTruncatesLayers() throws Exception {
    BertModel model = PlmTesting.tinyModel(manager);
    List<HostTensor> tensors = new ArrayList<>();
    model.namedParameters().forEach((n, p) -> tensors.add(Weights.get(
        "bert." + n.replace("LayerNorm.weight", "LayerNorm.gamma")
            .replace("LayerNorm.bias", "LayerNorm.beta"), p)));
    tensors.add(new HostTensor("bert.pooler.dense.bias", new long[] {32}, new float[32]));
    Path folder = writeFolder(model.config(), tensors);
    BertModel cut = HfFolder.load(folder, manager, b -> b.optNumLayers(1));
    assertThat(cut.config().numHiddenLayers()).isEqualTo(1);
    assertThat(cut.namedParameters().get("encoder.layer.0.output.dense.weight").getArray()
        .toFloatArray()).containsExactly(model.namedParameters()
        .get("encoder.layer.0.output.dense.weight").getArray().toFloatArray());
    assertThat(cut.namedParameters().get("encoder.layer.0.output.LayerNorm.bias").getArray()
        .toFloatArray()).containsExactly(model.namedParameters()
        .get("encoder.layer.0.output.LayerNorm.bias").getArray().toFloatArray());
  }

  @Test
  void missingOrMisshapenTensorsAreNamed() throws Exception {
    BertModel model = PlmTesting.tinyModel(manager);
    List<HostTensor> tensors = new ArrayList<>();
    model.namedParameters().forEach((n, p) -> {
      if (!n.equals("encoder.layer.1.intermediate.dense.bias")) {
        tensors.add(Weights.get(n, p));
      }
    });
    Path folder = writeFolder(model.config(), tensors);
    assertThatThrownBy(() -> HfFolder.load(folder, manager)).isInstanceOf(UserException.class)
        .hasMessageContaining("missing tensor 'encoder.layer.1.intermediate.dense.bias'")
        .hasMessageContaining("(64)");

    tensors.add(new HostTensor("encoder.layer.1.intermediate.dense.bias", new long[] {63},
        new float[63]));
    Path folder2 = writeFolder(model.config(), tensors);
    assertThatThrownBy(() -> HfFolder.load(folder2, manager)).isInstanceOf(UserException.class)
        .hasMessageContaining("'encoder.layer.1.intermediate.dense.bias'")
        .hasMessageContaining("[63]").hasMessageContaining("[64]");
  }

  @Test
  void pretrainedPlmLoadsAFolderWithVocabTxt() throws Exception {
    BertModel model = PlmTesting.tinyModel(manager);
    Path folder = dir.resolve("tiny");
    HfFolder.save(model, null, (byte[]) null, folder);
    List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
        "news", "##room", "the"));
    Files.write(folder.resolve("vocab.txt"), vocab);
    try (PretrainedPlm plm = PretrainedPlm.load(folder.toString(), manager)) {
      assertThat(plm.tokenizer().tokenize("The Newsroom").ids()).containsExactly(7, 5, 6);
      assertThat(plm.model().config()).isEqualTo(BertConfig.tiny());
    }
    assertThatThrownBy(() -> PretrainedPlm.load(dir.resolve("nope").toString(), manager))
        .isInstanceOf(UserException.class).hasMessageContaining("minilm");
  }

  @Test
  void refusesPytorchBinWithRecipe() throws Exception {
    Path folder = dir.resolve("pt");
    Files.createDirectories(folder);
    BertConfig.tiny().write(folder.resolve("config.json"));
    Files.write(folder.resolve("pytorch_model.bin"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> HfFolder.load(folder, manager)).isInstanceOf(UserException.class)
        .hasMessageContaining("pytorch_model.bin").hasMessageContaining("save_file");
  }

  @Test
  void readsHalfAndBfloat16() throws Exception {
    String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[6,10]},"
        + "\"i\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[10,18]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 18).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(h.length).put(h);
    buf.putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x3555); // 1, -2, ~1/3
    buf.putShort((short) 0x3f80).putShort((short) 0x4049); // 1.0, ~3.14
    buf.putLong(7);
    Path file = dir.resolve("x.safetensors");
    Files.write(file, buf.array());
    SafeTensors st = SafeTensors.open(file);
    assertThat(st.get("h").data()).containsExactly(new float[] {1f, -2f, 0.33325195f},
        org.assertj.core.data.Offset.offset(1e-7f));
    assertThat(st.get("b").shape()).containsExactly(1, 2);
    assertThat(st.get("b").data()[0]).isEqualTo(1f);
    assertThat(st.get("b").data()[1]).isCloseTo(3.140625f, org.assertj.core.data.Offset.offset(1e-6f));
    assertThatThrownBy(() -> st.get("i")).isInstanceOf(UserException.class)
        .hasMessageContaining("I64");
  }

  private Path writeFolder(BertConfig config, List<HostTensor> tensors) throws Exception {
    Path folder = Files.createTempDirectory(dir, "hf");
    config.write(folder.resolve("config.json"));
    try (OutputStream out = Files.newOutputStream(folder.resolve("model.safetensors"))) {
      SafeTensors.write(out, tensors);
    }
    return folder;
  }
}
