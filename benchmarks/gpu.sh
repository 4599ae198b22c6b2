#!/usr/bin/env bash
# The GPU check, in one short run: this project against raw CTranslate2 on CUDA (no Argos), with
# the full benchmark model and corpus, once per compute type (float16, int8_float16).
#
#   bash benchmarks/gpu.sh wheels        # HERE (with the registries): Python 3.12 wheels -> .whl/
#   bash benchmarks/gpu.sh run [OUT]     # THERE (the GPU machine, no network): install, check, run
#
# `run` installs .whl/*.whl into /tmp/site when .whl/ exists (the GPU image has Python 3.12 with
# numpy, sentencepiece, click, pyyaml and CUDA 13, but no ctranslate2), checks that CTranslate2
# sees a GPU and can load a model on it, then runs benchmarks/run.py --device cuda for each
# compute type with --repeat 1, writing OUT/RESULTS-gpu-<type>.md (OUT: $OUT, else
# benchmarks/.cache). Building the full model takes a minute or two there; each run, a minute.
# ctranslate2 4.x wheels load CUDA 12's cuBLAS (libcublas.so.12) at run time: the check says so
# when it is missing, before any time is spent on the model.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
wheels)
    mkdir -p .whl   # git-ignored; a device call names it in `carry`
    # The versions of the project's environment, for Python 3.12 (the GPU image's).
    py=python3; [ -x .venv/bin/python ] && py=.venv/bin/python
    pins=$("$py" -c "from importlib.metadata import version as v
print(' '.join(f'{n}=={v(n)}' for n in ('ctranslate2', 'argos-translate-lt', 'sacremoses', 'polib', 'pysbd', 'langdetect')))")
    python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 \
        --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d .whl ${pins% langdetect==*}
    python3 -m pip wheel -q --no-deps -w .whl "${pins##* }"   # langdetect: an sdist only
    du -sh .whl && ls .whl
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
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
    "$py" - <<'EOF'
import sys, tempfile, zipfile
import ctranslate2
n = ctranslate2.get_cuda_device_count()
print(f"ctranslate2 {ctranslate2.__version__}: {n} CUDA device(s)")
if not n:
    sys.exit("no CUDA device visible to CTranslate2")
print("compute types on cuda:", sorted(ctranslate2.get_supported_compute_types("cuda")))
sys.path.insert(0, "benchmarks")
import build
from pathlib import Path
model = build.build_model(build.MODELS["smoke"], Path(tempfile.mkdtemp()))
tmp = Path(tempfile.mkdtemp())
zipfile.ZipFile(model.archive).extractall(tmp)
t = ctranslate2.Translator(str(tmp / "translate-en_es-bench" / "model"), device="cuda",
                           compute_type="float16")
r = t.translate_batch([["▁a", "▁b"]], beam_size=4, max_decoding_length=8)
print("a model runs on the GPU:", len(r[0].hypotheses[0]), "tokens decoded")
EOF
    for ct in float16 int8_float16; do
        PYTHONUNBUFFERED=1 "$py" benchmarks/run.py --device cuda --compute-type "$ct" --no-argos \
            --repeat 1 --results "$out/RESULTS-gpu-$ct.md"
    done
    ;;
*)
    sed -n '2,15p' "$0"
    exit 2
    ;;
esac
