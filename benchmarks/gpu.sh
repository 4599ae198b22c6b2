#!/usr/bin/env bash
# The GPU check, in one short run: this project against raw CTranslate2 on CUDA (no Argos), with
# the full benchmark model and corpus, once per compute type (float16, int8_float16), and the
# batch-budget sweep (benchmarks/gpu_batches.py) behind the engine's GPU defaults.
#
#   bash benchmarks/gpu.sh wheels        # HERE (with the registries): Python 3.12 wheels -> .whl/,
#                                        # the model's tokenizer and the corpus -> .gpucache/
#   bash benchmarks/gpu.sh run [OUT]     # THERE (the GPU machine, no network): install, check, run
#
# A device call names `.whl` and `.gpucache` in `carry` (both git-ignored; about 56 MB together).
# `run` installs .whl/*.whl into /tmp/site when .whl/ exists (the GPU image has Python 3.12 with
# numpy, sentencepiece, click, pyyaml, lxml, markdown-it-py and CUDA 13, but no ctranslate2 or
# Babel), checks that CTranslate2 sees a GPU, then writes OUT/RESULTS-gpu-<type>.md and
# OUT/batches-<type>.json (OUT: $OUT, else benchmarks/.cache). The model is rebuilt there from the
# carried tokenizer (random weights from a fixed seed: the same model.bin as here; both md5s are
# printed) in about 10 s; the whole run takes about 4 minutes on an H200.
#
# ctranslate2 4.x wheels are built for CUDA 12 and open `libcublas.so.12` by name (dlopen; no
# other CUDA library is opened, the CUDA runtime is linked in). An image with CUDA 13 only has
# `libcublas.so.13`: `run` links it under the CUDA 12 name in a private folder on
# LD_LIBRARY_PATH. The functions CTranslate2 calls (cublasCreate_v2, cublasSgemm_v2,
# cublasGemmEx, the strided-batched GEMMs) kept their signatures in cuBLAS 13; on an H200 with
# CUDA 13.0 it ran both compute types below.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
wheels)
    mkdir -p .whl .gpucache   # git-ignored; a device call names both in `carry`
    # The versions of the project's environment, for Python 3.12 (the GPU image's).
    py=python3; [ -x .venv/bin/python ] && py=.venv/bin/python
    pins=$("$py" -c "from importlib.metadata import version as v
print(' '.join(f'{n}=={v(n)}' for n in ('ctranslate2', 'argos-translate-lt', 'minisbd', 'babel', 'sacremoses', 'polib', 'pysbd', 'langdetect')))")
    python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 \
        --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d .whl ${pins% langdetect==*}
    python3 -m pip wheel -q --no-deps -w .whl "${pins##* }"   # langdetect: an sdist only
    "$py" benchmarks/gpu_batches.py --prepare .gpucache
    du -sh .whl .gpucache && ls .whl
    ;;
run)
    out=${2:-${OUT:-benchmarks/.cache}}
    mkdir -p "$out"
    py=${PYTHON:-python3}
    [ -x .venv/bin/python ] && [ -z "${PYTHON:-}" ] && py=.venv/bin/python
    if [ -d .whl ] && [ "$py" = python3 ]; then
        python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
            --target /tmp/site .whl/*.whl
        export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
    fi
    export PYTHONUNBUFFERED=1
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
    if ! ldconfig -p | grep -q 'libcublas\.so\.12'; then
        lib=$(find / -name 'libcublas.so.1[2-9]*' -not -path '/proc/*' 2>/dev/null | sort | head -1)
        if [ -n "$lib" ]; then
            echo "no libcublas.so.12; linking $lib under that name"
            mkdir -p /tmp/cublas12 && ln -sf "$lib" /tmp/cublas12/libcublas.so.12
            export LD_LIBRARY_PATH=/tmp/cublas12:$(dirname "$lib")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
        fi
    fi
    cache=benchmarks/.cache
    [ -d .gpucache ] && cache=.gpucache
    "$py" benchmarks/gpu_batches.py --check --cache "$cache"
    for ct in float16 int8_float16; do
        "$py" benchmarks/run.py --device cuda --compute-type "$ct" --no-argos --repeat 3 \
            --cache "$cache" --results "$out/RESULTS-gpu-$ct.md"
        "$py" benchmarks/gpu_batches.py --compute-type "$ct" --cache "$cache" \
            --out "$out/batches-$ct.json"
    done
    ;;
*)
    sed -n '2,23p' "$0"
    exit 2
    ;;
esac
