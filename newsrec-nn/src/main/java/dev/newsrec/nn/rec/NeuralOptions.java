package dev.newsrec.nn.rec;

/** What the shared NCE pipeline reads from every neural model's options record. */
public interface NeuralOptions {
  /** "minilm" or a Hugging Face folder: its tokenizer reads the titles. */
  String plm();

  /** Tokens per title, [CLS] and [SEP] included. */
  Integer titleTokens();

  /** cpu or gpu[:N]. */
  String device();

  HistoryOptions history();

  NceTrainingOptions training();
}
