"""Where the wall-clock time of a cold ``kil ingest`` goes: a timeline of one run, by process.

``benchmarks/ingest_phases.py`` counts CPU per phase in one process; this script runs one cold
``ingest_spend`` of a council folder as ``kil ingest`` does (an empty cache, worker processes
when there is enough to read) and prints, in seconds from this script's first line:

- when the imports ``kil ingest`` needs were done (the parent alone: no worker runs yet);
- for each worker process: when it started its first file and finished its last, how many
  files it read and its CPU seconds while reading them;
- the parent: CPU spent reading the workers' tables back from the cache while they work;
- the parent: CPU spent completing the spend table's pieces (`finish_spend_table`, a group of
  files at a time, each streamed to spend.parquet as a row group) while the workers read on,
  and when the last piece was completed;
- after the last worker's last file: the outputs (the parent alone: the last row group, the
  rejects, the report, publication);
- the end, and the CPU-seconds the machine's cores could have given in that time against
  those used: the difference is time a core sat idle (imports and the final writes run in
  one process only).

Interpreter start-up (about 0.05 s) comes before the first line and is not shown. Timings of a
busy machine mean little: the load average is printed before and after.

    .venv/bin/python benchmarks/ingest_timeline.py [--data ../shared/data] [--council newcastle]
"""

from __future__ import annotations

import time

START = time.time()

import argparse  # noqa: E402 - the clock starts before any import
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _since(moment: float) -> str:
    return f"{moment - START:5.2f}"


def _spans(log: Path) -> dict[int, list[dict[str, float]]]:
    """The workers' records (one JSON line per file read), by process id."""
    by_pid: dict[int, list[dict[str, float]]] = defaultdict(list)
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            by_pid[int(record["pid"])].append(record)
    return by_pid


def _timeline(folder: Path) -> None:
    """Run one cold ingest of ``folder`` and print its timeline."""
    import kil_analysis.cli.ingest  # noqa: F401 - what `kil ingest` imports before reading
    import kil_analysis.readers.spend.reader as reader
    from kil_analysis.readers.arrow_text import keep_pandas_unloaded

    keep_pandas_unloaded()  # as `kil ingest` does: CSV files are read without pandas

    imported = time.time()
    marks: dict[str, tuple[float, float]] = {}
    parent_reads = [0.0]
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "workers.jsonl"
        read_in_worker = reader._read_in_worker

        def logged(*args: Any, **kwargs: Any) -> Any:
            start, cpu = time.time(), _cpu()
            try:
                return read_in_worker(*args, **kwargs)
            finally:
                record = {"pid": os.getpid(), "start": start, "end": time.time()}
                record["cpu"] = _cpu() - cpu
                with open(log, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(record) + "\n")

        # Found by name in the forked workers (pickled as reader._read_in_worker).
        logged.__qualname__ = logged.__name__ = "_read_in_worker"
        logged.__module__ = reader.__name__

        spent: dict[str, float] = defaultdict(float)

        def marked(label: str, function: Callable) -> Callable:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                start, cpu = time.time(), _cpu()
                try:
                    return function(*args, **kwargs)
                finally:
                    marks[label] = (start, time.time())  # the last call's
                    spent[label] += _cpu() - cpu

            return wrapper

        handed_back = reader._handed_back

        def counted(*args: Any, **kwargs: Any) -> Any:
            cpu = _cpu()
            try:
                return handed_back(*args, **kwargs)
            finally:
                parent_reads[0] += _cpu() - cpu

        saved = {
            name: getattr(reader, name)
            for name in ("_read_in_worker", "_handed_back", "finish_spend_table", "_outputs_writer")
        }
        reader._read_in_worker = logged
        reader._handed_back = counted
        reader.finish_spend_table = marked("spend table pieces", saved["finish_spend_table"])
        # The writer is imported while the workers read, as kil ingest does; its call is timed.
        reader._outputs_writer = lambda: marked("outputs", saved["_outputs_writer"]())
        try:
            result = reader.ingest_spend([folder], out_dir=Path(tmp) / "out")
        finally:
            for name, function in saved.items():
                setattr(reader, name, function)
        end = time.time()
        workers = _spans(log)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    parent_cpu = _cpu()
    cpus = os.cpu_count() or 1
    print(f"{folder.name}: {result.report['totals']['rows_read']:,} rows read; {cpus} CPUs")
    print(f"{'imports done':<44}{_since(imported)}")
    if not workers:
        print("(read in this process: too little to read for worker processes)")
    for n, (_pid, spans) in enumerate(sorted(workers.items()), 1):
        first = min(s["start"] for s in spans)
        last = max(s["end"] for s in spans)
        cpu = sum(s["cpu"] for s in spans)
        print(
            f"{f'worker {n} ({len(spans)} files)':<44}{_since(first)} -> {_since(last)}"
            f"   cpu {cpu:5.2f} s"
        )
    print(f"{'parent: tables read back from the cache':<44}{'':14}cpu {parent_reads[0]:5.2f} s")
    for label in ("spend table pieces", "outputs"):
        if label in marks:
            print(
                f"{label + ' (the last)':<44}{_since(marks[label][0])} -> "
                f"{_since(marks[label][1])}   cpu {spent[label]:5.2f} s (all)"
            )
    print(f"{'end':<44}{_since(end)}")
    used = parent_cpu + children.ru_utime + children.ru_stime
    available = (end - START) * cpus
    print(
        f"{'cpu used / available (all processes)':<44}{used:5.2f} / {available:5.2f} s"
        f"  ({available - used:.2f} s of a core idle or spent on other work)"
    )


def main(argv: list[str] | None = None) -> int:
    from kil_analysis.paths import shared_data_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=shared_data_dir(), help="../shared/data")
    parser.add_argument("--council", default="newcastle", help="a folder under <data>/spend")
    args = parser.parse_args(argv)
    folder = args.data / "spend" / args.council
    if not folder.is_dir():
        print(f"no folder {folder}", file=sys.stderr)
        return 1
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    _timeline(folder)
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
