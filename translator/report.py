"""The run report: what was translated, how every glossary term ended, what needs a reviewer.

`build_report` turns a `RunResult` into plain data (written as JSON with `--report`), and
`summary_table` into the short table `translate` prints at the end. Term accuracy is
(enforced + repaired) / occurrences of terms with an approved rendering; proposals (fuzzy
entries) and terms without a rendering are listed but not counted.
"""
from __future__ import annotations

import json
from collections import Counter
from typing import Any

from .enforce import ENFORCED, FLAGGED, NO_RENDERING, PROPOSAL, REPAIR_PATHS, REPAIRED, STATES
from .results import FileResult, RunResult
from .units import Kept


def file_report(f: FileResult) -> dict[str, Any]:
    """One file's row of the report (kept instead of its units when a long run lets them go)."""
    if f.report is not None:
        return f.report
    states: Counter[str] = Counter()
    repairs: Counter[str] = Counter()
    terms: dict[str, Counter[str]] = {}
    flagged = []
    for unit in f.units:
        sentence = unit.result
        if sentence is None:
            continue
        for outcome in sentence.terms:
            states[outcome.state] += 1
            if outcome.state == REPAIRED:
                repairs[outcome.repaired_by] += 1
            terms.setdefault(outcome.term, Counter())[outcome.state] += 1
        if sentence.flagged:
            flagged.append({"line": unit.segment.line, "source": sentence.source,
                            "output": sentence.text, "reasons": sentence.reasons})
    occurrences = sum(states[s] for s in STATES)
    return {
        "file": f.source,
        "output": str(f.output) if f.output else None,
        "source_lang": f.source_lang,
        "target_lang": f.target_lang,
        "segments": len(f.units),
        # Where each segment's text came from: the model in this run, or an entry kept and why.
        "origins": {kept.value: sum(u.kept is kept for u in f.units) for kept in Kept},
        "terms": {
            "occurrences": occurrences,
            **{state: states[state] for state in STATES},
            # How the repaired ones were put right (see translator.enforce.REPAIR_PATHS).
            "repaired_by": {path: repairs[path] for path in REPAIR_PATHS},
            "not_enforced": {PROPOSAL: states[PROPOSAL], NO_RENDERING: states[NO_RENDERING]},
            "accuracy": (states[ENFORCED] + states[REPAIRED]) / occurrences if occurrences else None,
            "by_term": {term: dict(counts) for term, counts in sorted(terms.items())},
        },
        "flagged_segments": flagged,
    }


def joined(earlier: FileResult, later: FileResult) -> FileResult:
    """One file's result from its parts (a catalog translated in parts): the later part's
    outputs, the units or report rows of both, as if the file had been one part."""
    report = None
    if earlier.report is not None and later.report is not None:
        report = _joined_rows(earlier.report, later.report)
    return FileResult(later.source, later.target_lang, later.source_lang, later.output,
                      units=earlier.units + later.units, catalog=later.catalog, report=report,
                      partial=later.partial)


def _joined_rows(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """The report row of a file whose two parts have these rows."""
    a, b = first["terms"], second["terms"]
    by_term: dict[str, Counter[str]] = {}
    for term, counts in [*a["by_term"].items(), *b["by_term"].items()]:
        by_term.setdefault(term, Counter()).update(counts)
    states = {state: a[state] + b[state] for state in STATES}
    occurrences = a["occurrences"] + b["occurrences"]
    return {
        **second,
        "segments": first["segments"] + second["segments"],
        "origins": {kept: first["origins"][kept] + second["origins"][kept] for kept in first["origins"]},
        "terms": {
            "occurrences": occurrences,
            **states,
            "repaired_by": {path: a["repaired_by"][path] + b["repaired_by"][path] for path in REPAIR_PATHS},
            "not_enforced": {kind: a["not_enforced"][kind] + b["not_enforced"][kind]
                             for kind in a["not_enforced"]},
            "accuracy": (states[ENFORCED] + states[REPAIRED]) / occurrences if occurrences else None,
            "by_term": {term: dict(counts) for term, counts in sorted(by_term.items())},
        },
        "flagged_segments": first["flagged_segments"] + second["flagged_segments"],
    }


def build_report(result: RunResult) -> dict[str, Any]:
    files = [file_report(f) for f in result.files]
    total: Counter[str] = Counter()
    for f in files:
        for state in STATES:
            total[state] += f["terms"][state]
    occurrences = sum(total.values())
    return {
        "files": files,
        "pairs": [
            {"source_lang": p.source_lang, "target_lang": p.target_lang,
             "models": [{"name": m.name, "version": m.version, "description": m.description}
                        for m in p.models],
             "segments": p.segments, "sent_to_model": p.translated, "seconds": round(p.seconds, 3)}
            for p in result.pairs
        ],
        "totals": {
            "files": len({f.source for f in result.files}),
            "segments": result.segments,
            "flagged_segments": sum(len(f["flagged_segments"]) for f in files),
            "term_occurrences": occurrences,
            **{state: total[state] for state in STATES},
            "term_accuracy": (total[ENFORCED] + total[REPAIRED]) / occurrences if occurrences else None,
        },
        "timings": {stage: round(seconds, 3) for stage, seconds in result.timings.items()},
        **({"actors": _actors(result.workers)} if result.workers else {}),
        "warnings": result.warnings,
    }


def _actors(workers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per actor of a distributed run: sentences, busy seconds, throughput, model load time."""
    by_actor: dict[tuple[str, int], dict[str, Any]] = {}
    for row in workers:
        actor = by_actor.setdefault((row["node"], row["pid"]), {
            "node": row["node"], "pid": row["pid"], "sentences": 0, "busy_s": 0.0, "chunks": 0,
            "load_s": round(row["load_s"], 3)})
        actor["sentences"] += row["sentences"]
        actor["busy_s"] += row["seconds"]
        actor["chunks"] += 1
    for actor in by_actor.values():
        actor["sentences_per_s"] = round(actor["sentences"] / actor["busy_s"], 2) if actor["busy_s"] else None
        actor["busy_s"] = round(actor["busy_s"], 3)
    return list(by_actor.values())


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def summary_table(report: dict[str, Any]) -> str:
    """One row per file and language: segments, term states, accuracy, segments to review."""
    header = ("file", "lang", "segments", "terms", ENFORCED, REPAIRED, FLAGGED, "accuracy", "to review")
    rows = [header]
    for f in report["files"]:
        t = f["terms"]
        rows.append((f["file"], f["target_lang"], str(f["segments"]), str(t["occurrences"]),
                     str(t[ENFORCED]), str(t[REPAIRED]), str(t[FLAGGED]), _percent(t["accuracy"]),
                     str(len(f["flagged_segments"]))))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in rows]
    return "\n".join(lines)

