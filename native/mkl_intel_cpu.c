/*
 * Preloaded by the ./newsrec launcher on AMD CPUs (see README, "Benchmarks").
 *
 * libtorch (PyTorch 2.5.1 CPU, as DJL ships it) links Intel oneMKL statically and exports MKL's
 * internal CPU check. On non-Intel CPUs that check answers "not Intel" and MKL falls back to
 * slower SGEMM kernels even where the CPU has AVX-512 (measured on a 2-core AMD EPYC: MiniLM
 * forward at 64x32 from 0.58 s to 0.34 s). Answering "Intel" lets MKL pick its kernels by the
 * instruction sets the CPU reports. Results stay within float rounding of the other kernels
 * (the MiniLM equivalence test passes at 1e-4 against ONNX Runtime).
 * Disable with NEWSREC_NO_MKL_SHIM=1.
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
