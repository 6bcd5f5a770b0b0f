#!/usr/bin/env bash
# Spark GPU discovery script (spark.{worker,executor,driver}.resource.gpu.discoveryScript):
# prints {"name":"gpu","addresses":["0","1",...]}. Addresses are the CUDA ordinals this process can use,
# which the job maps to Device.gpu(N): the nvidia-smi indices, or, when CUDA_VISIBLE_DEVICES already
# narrowed the set (YARN/Kubernetes device isolation), 0..n-1 over the visible GPUs.
set -euo pipefail
SMI="${NVIDIA_SMI:-nvidia-smi}"
if ! command -v "$SMI" >/dev/null 2>&1; then
  echo '{"name":"gpu","addresses":[]}'
  exit 0
fi
ids=$("$SMI" --query-gpu=index --format=csv,noheader | tr -d ' ' | grep -E '^[0-9]+$' || true)
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" ]]; then
  allowed=",${CUDA_VISIBLE_DEVICES// /},"
  n=0
  for i in $ids; do [[ "$allowed" == *",$i,"* ]] && n=$((n + 1)); done
  ids=$(seq 0 $((n - 1)) 2>/dev/null || true)
fi
json=$(for i in $ids; do printf '"%s",' "$i"; done)
echo "{\"name\":\"gpu\",\"addresses\":[${json%,}]}"
