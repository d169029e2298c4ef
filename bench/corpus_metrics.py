"""How well the loader reads a corpus of resolutions (by default ../shared/corpus/en).

    .venv/bin/python bench/corpus_metrics.py [DIR] [--validate] [--jobs 2] [--limit N]

Prints the share of files that load, the share whose operative-paragraph count equals the
document's own numbering, the share of operative paragraphs whose opening verb is in the
vocabulary, with --validate the share of loaded graphs that conform to the shapes, and
the most frequent failure causes and unknown opening words.

The "own numbering" is counted here independently of the parser, with plain regular
expressions: the numbered lines (1., 2., …) between the file's own title line and the
first plenary-meeting line after it, stopping where the resolution adopts an instrument
whose text follows ("… the following Declaration:"); when numbering starts again at 1
(sections) the runs are added up. A number that lost its dot counts when it continues the
sequence before a capitalised word ending in "s" ("26 Condemns").
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import re
import sys
import time
from pathlib import Path
from typing import Any

from mandate_graph.errors import InputError
from mandate_graph.parse import _norm_symbol, parse_file, symbol_from_filename

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "en"
NUMBERED = re.compile(r"^\s*(\d{1,3})\s*\.[\s\u200e]+\S")
# a number that lost its dot before a capitalised verb ("26 Condemns"), counted only in sequence
BARE = re.compile(r"^\s*(\d{1,3})\s+(?:(?:Also|Further|Strongly|Again)\s+)?[A-Z][a-z]+s\b")
PLENARY = re.compile(
    r"^[_\s]*(?:\d+(?:st|nd|rd|th)|[A-Z][a-z]+(?:-[a-z]+)*(?:[- ](?:and|[a-z]+(?:-[a-z]+)*(?:st|nd|rd|th)))*)"
    r"\s+(?:\(resumed\)\s+)?plenary\s+meeting\b[,._]*(?:\s*\d{1,2}\s*[A-Za-z]+\s*\d{4}\.?_?)?\s*$"
)
TITLE = re.compile(r"^[#\s*]*((?:ES-|S-)?\d+/\d+(?:\s*[A-C])?|\d+\s*(?:[A-Z]\s*)?\(\s*[IVXL1l]+\s*\))\s*\.")
INSTRUMENT = re.compile(
    r"(?i)\b(?:adopts|proclaims|declares|approves|opens for signature)\b.{0,300}\bfollowing\b[^.;]*:\s*$"
)


def own_numbering(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    want = symbol_from_filename(path.name)
    start = 0
    if want:
        for i, line in enumerate(lines):
            m = TITLE.match(line.strip())
            if m and _norm_symbol(m.group(1)) == _norm_symbol(want):
                start = i
                break
    runs: list[int] = []
    for line in lines[start + 1 :]:
        if PLENARY.match(line.strip()):
            break
        m = NUMBERED.match(line)
        if m:
            n = int(m.group(1))
            if n == 1:
                runs.append(1)
            elif runs and n == runs[-1] + 1:
                runs[-1] = n
        elif (b := BARE.match(line)) and runs and int(b.group(1)) == runs[-1] + 1:
            runs[-1] += 1
        if INSTRUMENT.search(line.strip()):
            break
    return sum(runs)


def measure(path_str: str, validate: bool) -> dict[str, Any]:
    path = Path(path_str)
    row: dict[str, Any] = {"file": path.name, "own": own_numbering(path)}
    try:
        res = parse_file(path)
    except InputError as e:
        row["error"] = re.sub(r"\d+", "N", e.message)
        return row
    except Exception as e:  # a crash is a finding, reported as such
        row["error"] = f"crash: {type(e).__name__}: {re.sub(chr(10), ' ', str(e))[:80]}"
        return row
    row["operative"] = 0 if res.unnumbered else len(res.operative)
    row["paragraphs"] = len(res.operative)
    row["with_verb"] = sum(1 for p in res.operative if p.verb)
    row["unknown"] = [" ".join(p.text.split()[:2]).lower() for p in res.operative if not p.verb]
    row["mandates"] = len(res.mandates)
    row["unlisted_actors"] = sum(1 for _, c in res.mandates if c.addressee_text)
    if validate:
        from mandate_graph.graph import to_graph
        from mandate_graph.validate import validate as run_validation

        report = run_validation(to_graph(res))
        row["conforms"] = report.conforms
        row["violations"] = sorted({f.message for f in report.violations})[:3]
    return row


def measure_all(files: list[str], jobs: int = 2, validate: bool = False) -> list[dict[str, Any]]:
    """One row per file (see :func:`measure`), read in ``jobs`` processes."""
    with multiprocessing.Pool(jobs) as pool:
        return pool.starmap(measure, [(f, validate) for f in files], chunksize=8)


def shares(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Percentages: files that load, loaded files whose operative count equals their own
    numbering, operative paragraphs whose opening verb is in the vocabulary."""
    loaded = [r for r in rows if "error" not in r]
    paragraphs = sum(r["paragraphs"] for r in loaded)
    return {
        "loaded": 100 * len(loaded) / max(len(rows), 1),
        "numbering": 100 * sum(1 for r in loaded if r["operative"] == r["own"]) / max(len(loaded), 1),
        "verb": 100 * sum(r["with_verb"] for r in loaded) / max(paragraphs, 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--validate", action="store_true", help="also validate every loaded graph (slow)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="only the first N files")
    ap.add_argument("--list", choices=["failures", "mismatches", "unknown", "nonconforming"], help="print these files")
    args = ap.parse_args()
    if not args.folder.is_dir():
        print(f"no corpus at {args.folder}", file=sys.stderr)
        return 2
    files = sorted(str(p) for p in args.folder.glob("*.txt"))
    if args.limit:
        files = files[: args.limit]
    t0 = time.perf_counter()
    rows = measure_all(files, args.jobs, args.validate)
    wall = time.perf_counter() - t0

    loaded = [r for r in rows if "error" not in r]
    failed = [r for r in rows if "error" in r]
    match = [r for r in loaded if r["operative"] == r["own"]]
    paragraphs = sum(r["paragraphs"] for r in loaded)
    with_verb = sum(r["with_verb"] for r in loaded)
    share = shares(rows)
    print(f"corpus: {args.folder} ({len(rows)} files, {wall:.1f} s with {args.jobs} processes)")
    print(f"loaded:                         {len(loaded):5d} / {len(rows)}  {share['loaded']:6.2f} %")
    print(f"operative count = own numbering: {len(match):5d} / {len(loaded)}  {share['numbering']:6.2f} %")
    print(f"operative paragraphs with verb: {with_verb:6d} / {paragraphs}  {share['verb']:6.2f} %")
    print(
        f"mandates: {sum(r['mandates'] for r in loaded)}, with an actor not in the vocabulary: "
        f"{sum(r['unlisted_actors'] for r in loaded)}"
    )
    if args.validate:
        conforming = [r for r in loaded if r.get("conforms")]
        print(
            f"conforming graphs:              {len(conforming):5d} / {len(loaded)}  "
            f"{100 * len(conforming) / max(len(loaded), 1):6.2f} %"
        )
        causes = collections.Counter(v for r in loaded if not r.get("conforms") for v in r["violations"])
        for cause, n in causes.most_common(10):
            print(f"  {n:4d}  {cause}")
    print("most frequent failure causes:")
    for cause, n in collections.Counter(r["error"] for r in failed).most_common(10):
        print(f"  {n:4d}  {cause}")
    print("most frequent unknown operative openings:")
    for word, n in collections.Counter(w for r in loaded for w in r["unknown"]).most_common(15):
        print(f"  {n:4d}  {word}")
    if args.list == "failures":
        for r in failed:
            print(r["file"], r["error"])
    elif args.list == "mismatches":
        for r in loaded:
            if r["operative"] != r["own"]:
                print(r["file"], "parsed", r["operative"], "own", r["own"])
    elif args.list == "unknown":
        for r in loaded:
            if r["unknown"]:
                print(r["file"], r["unknown"][:5])
    elif args.list == "nonconforming":
        for r in loaded:
            if args.validate and not r.get("conforms"):
                print(r["file"], r["violations"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
