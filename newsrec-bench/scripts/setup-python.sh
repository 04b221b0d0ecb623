#!/usr/bin/env bash
# Installs the PyTorch reference that `newsrec bench plm` and `newsrec bench train` compare with:
# Debian's python3-torch with OpenBLAS (OpenMP build) as the selected libblas.so.3, plus jemalloc so
# that the reference can run under the same allocator as the Java side.
#
# Why OpenBLAS: Debian's torch does its matrix multiplies through whatever libblas.so.3 is selected;
# installed alone that is the Netlib reference BLAS, 30-50x slower, and a reference run on it is not
# a reference. Run as root (or with sudo). Uses /usr/bin/python3 (not a pyenv or venv python3).
set -euo pipefail

PY=/usr/bin/python3
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y python3-torch python3-numpy python3-sklearn libopenblas0-openmp libjemalloc2

# Make an OpenBLAS the selected BLAS (prefer the OpenMP build, as torch uses OpenMP threads).
arch_dir="/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)"
alt="libblas.so.3-$(basename "$arch_dir")"
for cand in "$arch_dir/openblas-openmp/libblas.so.3" "$arch_dir/openblas-pthread/libblas.so.3"; do
  if [ -f "$cand" ]; then
    $SUDO update-alternatives --set "$alt" "$cand"
    break
  fi
done
lapack_alt="liblapack.so.3-$(basename "$arch_dir")"
for cand in "$arch_dir/openblas-openmp/liblapack.so.3" "$arch_dir/openblas-pthread/liblapack.so.3"; do
  if [ -f "$cand" ]; then
    $SUDO update-alternatives --set "$lapack_alt" "$cand" || true
    break
  fi
done
echo "selected BLAS: $(readlink -f "$arch_dir/libblas.so.3")"

# Check: torch imports, reports its BLAS, and a 1024^3 matmul runs at BLAS speed (not Netlib).
"$PY" - <<'EOF'
import time, torch
cfg = torch.__config__.show()
print("torch", torch.__version__)
print("\n".join(l for l in cfg.splitlines() if "BLAS" in l or "LAPACK" in l) or cfg)
torch.set_num_threads(max(1, torch.get_num_threads()))
a = torch.randn(1024, 1024); b = torch.randn(1024, 1024)
a @ b
t = time.perf_counter(); n = 0
while time.perf_counter() - t < 1.0:
    a @ b; n += 1
g = n * 2 * 1024 ** 3 / (time.perf_counter() - t) / 1e9
print(f"matmul 1024x1024: {g:.1f} GFLOP/s with {torch.get_num_threads()} threads")
if g < 5:
    raise SystemExit("torch's matmul is at reference-BLAS speed: OpenBLAS is not the selected libblas.so.3")
EOF
if [ -f "$arch_dir/libjemalloc.so.2" ]; then
  echo "jemalloc: $arch_dir/libjemalloc.so.2 (the ./newsrec launcher preloads it)"
fi
echo "python reference ready: $PY newsrec-bench/scripts/torch_reference.py --help"
