"""Real articles for `throughput.py --real`: a Timeline17 sample as text files, and the spaCy parse floor.

`write_corpus(data_dir, limit, out)` copies the first `limit` Timeline17 articles (`<topic>/InputDocs/
<publication date>/*.txt`, in sorted path order) into `out` as `000000.txt`, ... with the folder's date as a
`date YYYY-MM-DD` first line, as a user would feed them to `saidwhen ingest` (outside the repository: the
benchmark writes them to a temporary folder).

`parse_floor(folder, processes)` is what "parse everything" costs: spaCy's small English pipeline with all its
components (`en_core_web_sm`, as saidwhen installs it) over every article's whole text, with `nlp.pipe` in
`processes` processes. saidwhen's speed is reported as a multiple of it.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path
from typing import Any

_DATE_LINE = "date "


def timeline17_files(data_dir: Path) -> list[Path]:
    return sorted(data_dir.glob("*/InputDocs/*/*.txt"))


def write_corpus(data_dir: Path, limit: int, out: Path) -> tuple[int, int]:
    """The first `limit` articles as dated text files in `out`; (articles, words) written."""
    files = timeline17_files(data_dir)
    if not files:
        raise SystemExit(f"no Timeline17 articles under {data_dir} (<topic>/InputDocs/<date>/*.txt)")
    out.mkdir(parents=True, exist_ok=True)
    n = words = 0
    for path in files[:limit] if limit else files:
        text = path.read_text(encoding="utf-8", errors="replace")
        (out / f"{n:06d}.txt").write_text(f"{_DATE_LINE}{path.parent.name}\n{text}", encoding="utf-8")
        words += len(text.split())
        n += 1
    return n, words


def read_texts(folder: Path) -> list[str]:
    """The article texts of a `write_corpus` folder, without their date line."""
    texts = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if text.startswith(_DATE_LINE):
            text = text.split("\n", 1)[1] if "\n" in text else ""
        texts.append(text)
    return texts


def parse_floor(folder: Path, processes: int, batch_size: int = 4) -> dict[str, Any]:
    """Wall and CPU seconds of the full small English pipeline over every text (model loading excluded;
    with several processes their start and model copies included, as `nlp.pipe(n_process=)` does it)."""
    from saidwhen.nlp import load_nlp

    nlp = load_nlp(disable=())  # every component: tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner
    texts = read_texts(folder)
    list(nlp.pipe(["Warm up the pipeline, he said."]))
    own0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, n_process=processes, batch_size=batch_size))
    wall = time.perf_counter() - t0
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (own.ru_utime + own.ru_stime - own0.ru_utime - own0.ru_stime) + kids.ru_utime + kids.ru_stime
    return {
        "processes": processes,
        "articles": len(texts),
        "words": sum(len(t.split()) for t in texts),
        "tokens": tokens,
        "components": list(nlp.pipe_names),
        "wall_s": wall,
        "cpu_s": cpu,
        "rss_mb": max(own.ru_maxrss, kids.ru_maxrss) / 1024,
    }
