/**
 * PLM weight formats and loading: {@link dev.newsrec.nn.plm.weights.SafeTensors}, the ONNX
 * initializers ({@link dev.newsrec.nn.plm.weights.OnnxGraph} on a minimal protobuf reader), half
 * floats, {@link dev.newsrec.nn.plm.weights.HostTensor} and {@link
 * dev.newsrec.nn.plm.weights.Weights} (host tensors into parameters and back); {@link
 * dev.newsrec.nn.plm.weights.HfFolder} (a Hugging Face folder: load and save), {@link
 * dev.newsrec.nn.plm.weights.MiniLm} (the bundled all-MiniLM-L6-v2) and {@link
 * dev.newsrec.nn.plm.weights.PretrainedPlm} (either one, with its tokenizer, by configuration value).
 */
package dev.newsrec.nn.plm.weights;
