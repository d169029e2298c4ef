"""CPU time of the parse stage (text -> document model) over the development corpus.

    .venv/bin/python bench/bench_parse.py [--runs 3] [--profile] [--dump DIR | --check DIR]

Parses every text of ``../shared/corpus/en`` and the bundled A/RES/80/229 in one process,
after warm-up parses (one English text, the Chinese one) so that building the lexicons is
timed apart. Prints files, total and per-file milliseconds (median over ``--runs``; CPU
time), and with ``--profile`` the functions that take the most time of their own.

``--dump DIR`` writes what each file parses to (the ``repr`` of the Resolution, or the
error) into DIR; ``--check DIR`` compares against such a dump and lists the files whose
output differs, so that a change meant to be faster can be shown to change nothing.
Not a test: targets live here, not in the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

from mandate_graph.errors import InputError
from mandate_graph.parse import parse_file
from mandate_graph.resources import bundled_resolution
from mandate_graph.vocab import lexicon

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "en"


def inputs(corpus: Path) -> list[Path]:
    files = sorted(corpus.glob("*.txt")) if corpus.is_dir() else []
    return [*files, bundled_resolution()]


def outcome(path: Path) -> str:
    """What ``path`` parses to, as text: the model's repr or the one-line error."""
    try:
        return repr(parse_file(path))
    except InputError as e:
        return f"InputError: {e}"


def parse_all(files: list[Path]) -> int:
    """Parse every file; how many failed with an input error."""
    failed = 0
    for path in files:
        try:
            parse_file(path)
        except InputError:
            failed += 1
    return failed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="folder of .txt resolutions")
    ap.add_argument("--runs", type=int, default=3, help="timed passes over all files (median reported)")
    ap.add_argument("--profile", action="store_true", help="profile one more pass; print the top functions")
    ap.add_argument("--top", type=int, default=25, help="functions to list with --profile")
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--dump", type=Path, metavar="DIR", help="write each file's parse output into DIR")
    group.add_argument("--check", type=Path, metavar="DIR", help="compare each file's parse output with DIR")
    args = ap.parse_args()
    files = inputs(args.corpus)

    c0 = time.process_time()
    for lang in ("en", "zh"):
        lexicon(lang)
    lexicon_ms = (time.process_time() - c0) * 1000
    for path in {files[0], files[-1]}:  # warm-up (English, and the bundled Chinese): compiled patterns
        parse_file(path)

    if args.dump or args.check:
        folder = args.dump or args.check
        assert folder is not None
        folder.mkdir(parents=True, exist_ok=True)
        differ = []
        for path in files:
            ref = folder / (path.name + ".repr")
            text = outcome(path)
            if args.dump:
                ref.write_text(text, encoding="utf-8")
            elif not ref.exists() or ref.read_text(encoding="utf-8") != text:
                differ.append(path.name)
        verb = "written to" if args.dump else "compared with"
        print(f"{len(files)} outputs {verb} {folder}; {len(differ)} differ", file=sys.stderr)
        for name in differ:
            print(f"  differs: {name}", file=sys.stderr)
        if differ:
            return 1

    if args.runs < 1:
        return 0
    times = []
    failed = 0
    for _ in range(args.runs):
        c0 = time.process_time()
        failed = parse_all(files)
        times.append((time.process_time() - c0) * 1000)
    total = statistics.median(times)
    print(f"{'files':>6} {'failed':>6} {'total ms':>10} {'ms/file':>8} {'lexicon ms':>10}  runs (ms)")
    runs = " ".join(f"{t:.0f}" for t in times)
    print(f"{len(files):>6} {failed:>6} {total:>10.0f} {total / len(files):>8.2f} {lexicon_ms:>10.0f}  {runs}")

    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(parse_all, files)
        pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
