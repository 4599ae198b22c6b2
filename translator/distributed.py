"""Translating on a Ray cluster: the driver plans and writes, an actor pool translates.

`translator translate ... --ray [ADDRESS]` runs the same pipeline as a local run; only the sentence
stage (`translator.sentences`) moves. The driver reads a chunk of sources at a time
(`translator.chunks`), plans its units (reviewed entries kept, memory, repeated sentences once in
the whole run), then sends the chunk's pending sentences in tasks to a pool of actors, made at a
language pair's first chunk and kept for its others. Each actor unpacks the model packages it
was sent (a node needs nothing installed but this project), loads the model once, builds the
glossary matcher once, and runs exactly the code a local run runs on its task: protect,
translate, ban, restore, repair, verify, check. The driver alone writes documents and catalogs,
as a local run does, so the outputs are the same files.

Faults: an actor that dies is restarted by Ray and its chunk is sent again (`max_restarts`,
`max_task_retries`), so a lost process costs a retry, not the run and not a sentence. Ctrl-C on
the driver stops the chunk it is in before it is written: its catalogs and the later chunks'
stay as they were, the earlier chunks' are complete.

Ray is an optional dependency (`pip install '.[ray]'`): it is imported only here, only when used.
"""
from __future__ import annotations

import io
import os
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .engine import DecodeOptions
from .errors import ModelError
from .packages import ModelPackage
from .results import Progress
from .sentences import add_time
from .units import SentenceResult

if TYPE_CHECKING:
    from glossary.model import Termbase

__all__ = ["RayExecutor", "import_ray"]

RAY_MISSING = "--ray needs Ray, an optional dependency: pip install 'translator[ray]' (or .venv/bin/pip install ray)"


def import_ray() -> Any:
    """The ray module; ModelError with the install command when it is not installed."""
    try:
        import ray
    except ImportError:
        raise ModelError(RAY_MISSING) from None
    return ray


def _pack(package: ModelPackage) -> bytes:
    """A package folder as zip bytes (stored, not compressed: weights barely compress)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(package.path.rglob("*")):
            if path.is_file():
                archive.write(path, Path(package.name) / path.relative_to(package.path))
    return buffer.getvalue()


class _Worker:
    """One actor: the route's packages unpacked on its node, the model loaded once."""

    def __init__(self, packed: list[Any], options: DecodeOptions, termbase: Termbase | None,
                 src: str, tgt: str, form: str | None) -> None:

        from glossary.match import Matcher

        from .enforce import Protector
        from .engine import load_translator

        started = time.perf_counter()
        route = _unpack_route(packed)
        self.translator = load_translator(route, options)
        matcher = Matcher(termbase) if termbase is not None and src == "en" else None
        self.protector = Protector(tgt, matcher, form)
        self.src, self.tgt = src, tgt
        self.load_s = time.perf_counter() - started

    def translate(self, chunk: dict[str, bool]) -> tuple[dict[str, SentenceResult], dict[str, Any]]:
        from .sentences import translate_sentences

        timings: dict[str, float] = {}
        started = time.perf_counter()
        done = translate_sentences(chunk, self.src, self.tgt, self.translator, self.protector,
                                   timings, None)
        return done, {"pid": os.getpid(), "node": _node_id(), "sentences": len(chunk),
                      "seconds": time.perf_counter() - started, "load_s": self.load_s,
                      "timings": timings}

    def pid(self) -> int:
        return os.getpid()


def _node_id() -> str:
    import ray

    return str(ray.get_runtime_context().get_node_id())


def _calibrate(packed: list[Any], options: DecodeOptions) -> str | None:
    """The placeholder form of the route's model, probed once on a worker (cached there)."""
    from .calibrate import placeholder_form
    from .engine import load_translator

    route = _unpack_route(packed)
    return placeholder_form(route, load_translator(route, options))


def _unpack_route(packed: list[Any]) -> list[ModelPackage]:
    """The route's packages, shipped as zip bytes, unpacked on this node and read."""
    import ray

    from .packages import load_package

    folder = Path(tempfile.mkdtemp(prefix="translator-ray-"))
    route = []
    for data in ray.get(packed):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = archive.namelist()[0].split("/")[0]
            archive.extractall(folder)
        route.append(load_package(folder / root))
    return route


class RayExecutor:
    """Sends each language pair's pending sentences through a pool of Ray actors.

    `address` is None for a local Ray instance (started here, stopped at the end), "auto" for
    the cluster this machine belongs to, or "ray://HOST:PORT". `actors` defaults to the cluster's
    CPUs divided by `options.threads` (1 thread per actor unless said otherwise). `chunk` is how
    many sentences an actor gets at a time: big enough to batch well, small enough to spread.
    `after_chunk` is called with each finished chunk's worker stats and the pool (tests use it
    to kill an actor in the middle of a run).
    """

    def __init__(self, address: str | None = None, *, options: DecodeOptions = DecodeOptions(threads=1),
                 termbase: Termbase | None = None, placeholder: str | None = None,
                 actors: int | None = None, chunk: int = 64,
                 after_chunk: Callable[[dict[str, Any], list[Any]], None] | None = None) -> None:
        self.address = address
        self.options = options if options.threads else DecodeOptions(**{**vars(options), "threads": 1})
        self.termbase = termbase
        self.placeholder = placeholder
        self.actors = actors
        self.chunk = max(1, chunk)
        self.after_chunk = after_chunk
        self.workers: list[dict[str, Any]] = []  # one row per chunk translated: who, how long
        self._started_here = False
        self._actors: tuple[tuple[str, str, tuple[str, ...]], list[Any], list[Any]] | None = None

    def _connect(self) -> Any:
        ray = import_ray()
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if self.address is not None:
                kwargs["address"] = self.address
            ray.init(**kwargs)
            self._started_here = self.address is None
        return ray

    def close(self) -> None:
        """Stop the actors, and the local Ray instance this executor started (a cluster it
        joined stays up)."""
        self.release()
        if self._started_here:
            import ray

            ray.shutdown()
            self._started_here = False

    def _pool(self, ray: Any, src: str, tgt: str, route: Sequence[ModelPackage],
              timings: dict[str, float]) -> list[Any]:
        """The language pair's actors: made at its first chunk, kept for its other chunks."""
        key = (src, tgt, tuple(p.label for p in route))
        if self._actors is not None and self._actors[0] == key:
            return self._actors[1]
        self.release()
        t0 = time.perf_counter()
        packed = [ray.put(_pack(package)) for package in route]
        form = self.placeholder
        if form is None:
            form = ray.get(ray.remote(_calibrate).remote(packed, self.options))
        size = self.actors or max(1, int(ray.cluster_resources().get("CPU", 1)) // self.options.threads)
        remote = ray.remote(num_cpus=self.options.threads, max_restarts=-1, max_task_retries=-1)(_Worker)
        pool = [remote.remote(packed, self.options, self.termbase, src, tgt, form) for _ in range(size)]
        # The packages stay referenced as long as the pool: a restarted actor fetches them again.
        self._actors = (key, pool, packed)
        add_time(timings, "load", t0)
        return pool

    def release(self) -> None:
        """Stop the actors of the language pair that is done (their CPUs go to the next pair's)."""
        if self._actors is not None:
            import ray

            for actor in self._actors[1]:
                ray.kill(actor)
            self._actors = None

    def translate(self, pending: dict[str, bool], src: str, tgt: str, route: Sequence[ModelPackage],
                  timings: dict[str, float], progress: Progress | None) -> dict[str, SentenceResult]:
        """One chunk of the run: its sentences spread over the pair's actors, a task of
        `self.chunk` sentences at a time to whichever actor is free."""
        ray = self._connect()
        pool = self._pool(ray, src, tgt, route, timings)
        size = len(pool)
        t0 = time.perf_counter()
        sentences = list(pending)
        chunks = [{s: pending[s] for s in sentences[i:i + self.chunk]}
                  for i in range(0, len(sentences), self.chunk)]
        done: dict[str, SentenceResult] = {}
        if progress is not None:
            progress.start(f"{src} -> {tgt} on {size} Ray actor{'s' * (size != 1)}", len(sentences))
        try:
            waiting = list(range(len(chunks)))
            running: dict[Any, tuple[int, int]] = {}  # future -> (chunk, actor)
            idle = list(range(size))
            while waiting or running:
                while waiting and idle:
                    actor = idle.pop(0)
                    index = waiting.pop(0)
                    running[pool[actor].translate.remote(chunks[index])] = (index, actor)
                finished, _ = ray.wait(list(running), num_returns=1)
                for future in finished:
                    index, actor = running.pop(future)
                    results, stats = ray.get(future)
                    done.update(results)
                    self.workers.append({**stats, "actor": actor, "chunk": len(self.workers)})
                    idle.append(actor)
                    if progress is not None:
                        progress.advance(len(chunks[index]))
                    if self.after_chunk is not None:
                        self.after_chunk(stats, pool)
        finally:
            if progress is not None:
                progress.finish()
        add_time(timings, "translate", t0)
        return done
