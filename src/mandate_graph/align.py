"""One resolution, several languages: comparing two expressions of the same work.

The UN publishes each resolution in six languages, all equally authentic. When two
expressions are loaded they describe one work: paragraph N of one is paragraph N of the
other (the same IRI, with a text and a source span in each language), and so is mandate k
of paragraph N. The mandates read from each text are compared; a disagreement in verb,
addressees or deadlines, or in the number of paragraphs or mandates, is a warning, since
either the text or the parser needs a reader's eye.
"""

from __future__ import annotations

from mandate_graph.model import Resolution


def compare(a: Resolution, b: Resolution) -> list[str]:
    """Warnings where the expressions ``a`` and ``b`` of one resolution disagree."""
    out: list[str] = []
    la, lb = a.language, b.language
    if a.symbol != b.symbol:
        return [f"{a.source} is {a.symbol} and {b.source} is {b.symbol}: not two texts of one resolution"]
    for kind in ("preambular", "operative"):
        na, nb = len(getattr(a, kind)), len(getattr(b, kind))
        if na != nb:
            out.append(f"{na} {kind} paragraphs in the {la} text, {nb} in the {lb} text")
    for pa, pb in zip(a.operative, b.operative, strict=False):
        ma, mb = pa.mandates, pb.mandates
        where = f"operative paragraph {pa.number}"
        if len(ma) != len(mb):
            out.append(f"{where}: {len(ma)} mandates in the {la} text, {len(mb)} in the {lb} text")
        for ca, cb in zip(ma, mb, strict=False):
            clause = f"{where}, mandate {ca.number}"
            if ca.verb != cb.verb:
                out.append(f"{clause}: verb {ca.verb} ({la}) but {cb.verb} ({lb})")
            if sorted(ca.addressees) != sorted(cb.addressees):
                out.append(
                    f"{clause}: addressed to {', '.join(ca.addressees) or 'no known actor'} ({la}) "
                    f"but {', '.join(cb.addressees) or 'no known actor'} ({lb})"
                )
            if ca.deadlines != cb.deadlines:
                out.append(f"{clause}: deadline sessions {ca.deadlines} ({la}) but {cb.deadlines} ({lb})")
    return out
