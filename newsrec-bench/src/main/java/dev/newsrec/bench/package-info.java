/**
 * Benchmarks against references measured in the same run, behind {@code newsrec bench}: {@link
 * dev.newsrec.bench.PlmBench} (MiniLM forward vs ONNX Runtime, training step vs PyTorch), {@link
 * dev.newsrec.bench.TrainBench} (PLM-NR step and evaluation vs PyTorch, peak RSS), {@link
 * dev.newsrec.bench.ReadBench} and {@link dev.newsrec.bench.EvaluationBench} (reader and evaluator
 * vs Python). {@link dev.newsrec.bench.TorchReference} runs {@code newsrec-bench/scripts/torch_reference.py};
 * {@link dev.newsrec.bench.BenchEnvironment} prints the conditions a bench ran under.
 */
package dev.newsrec.bench;
