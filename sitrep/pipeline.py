"""The per-article pipeline: stages with declared contracts, and the executors that run them.

Executors only decide *where* stages run; every executor calls `apply_stage`, so results do not
depend on the executor (tests/test_pipeline.py runs the same corpus on each and compares).
"""

from __future__ import annotations

import logging
import os
import signal
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import MISSING, dataclass, field, fields, replace
from itertools import islice
from typing import Any, ClassVar

from sitrep.errors import ConfigError, InputError, SitrepError
from sitrep.model import AnalysedArticle, Article, Rejection

log = logging.getLogger(__name__)

#: What a freshly read article provides before any stage ran.
INITIAL_FIELDS = frozenset({"article"})


@dataclass(kw_only=True)
class Stage(ABC):
    """One per-article step. Constructor takes plain picklable settings; `setup()` loads
    models and indexes on the worker that will use them, into `_private` attributes."""

    name: ClassVar[str]
    requires: ClassVar[frozenset[str]]
    provides: ClassVar[frozenset[str]]

    def setup(self) -> None:  # noqa: B027 - most stages have nothing to load
        """Load read-only resources once per worker."""

    def check(self) -> None:  # noqa: B027 - most stages need nothing
        """Cheaply check, in the parent process, that `setup()` will find what it needs, so a
        missing model or gazetteer is one clear `ConfigError` before any worker starts."""

    @abstractmethod
    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        """Return the batch analysed; set `rejection` on an article to drop it."""

    def __getstate__(self) -> dict[str, object]:
        # Loaded resources (`_private` fields) stay on the worker that loaded them.
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state: dict[str, object]) -> None:
        for f in fields(self):
            if f.name.startswith("_"):
                if f.default_factory is not MISSING:
                    setattr(self, f.name, f.default_factory())
                else:
                    setattr(self, f.name, f.default if f.default is not MISSING else None)
        self.__dict__.update(state)


def reject(item: AnalysedArticle, stage: str, error: InputError) -> AnalysedArticle:
    """Mark an article as dropped by `stage`, keeping where it came from."""
    art = item.article
    return replace(
        item, rejection=Rejection(art.source, art.locator, error.reason, str(error), stage)
    )


def apply_stage(stage: Stage, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
    """Run a stage on the articles of a batch that are still alive.

    A stage that fails on a batch is retried one article at a time so one bad article cannot
    take its neighbours down; the article that still fails is rejected with the error's text.
    """
    alive = [a for a in batch if a.rejection is None]
    if not alive:
        return batch
    try:
        done = stage.process_batch(alive)
    except ConfigError:
        raise
    except Exception:
        done = []
        for item in alive:
            try:
                done.extend(stage.process_batch([item]))
            except ConfigError:
                raise
            except InputError as exc:
                done.append(reject(item, stage.name, exc))
            except Exception as exc:
                log.warning("stage %s failed on %s: %r", stage.name, item.article.input_id, exc)
                err = InputError(f"{stage.name}_failed", f"{type(exc).__name__}: {exc}")
                done.append(reject(item, stage.name, err))
    out = iter(done)
    return [next(out) if a.rejection is None else a for a in batch]


@dataclass
class Pipeline:
    """An ordered list of stages whose contracts were checked when it was built."""

    stages: list[Stage] = field(default_factory=list)
    _ready: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        have = set(INITIAL_FIELDS)
        for stage in self.stages:
            missing = stage.requires - have
            if missing:
                raise ConfigError(
                    f"stage '{stage.name}' requires {sorted(missing)}, which no earlier stage "
                    f"provides; put a stage that provides them before it"
                )
            have |= stage.provides
        self.provides = frozenset(have)

    def setup(self) -> None:
        if not self._ready:
            for stage in self.stages:
                stage.setup()
            self._ready = True

    def __call__(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        self.setup()
        for stage in self.stages:
            batch = apply_stage(stage, batch)
        return batch

    def __getstate__(self) -> dict[str, object]:
        # Ship settings only: loaded resources are rebuilt by setup() on the worker.
        return {"stages": self.stages, "provides": self.provides}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._ready = False


def batched(items: Iterable[Article], size: int) -> Iterator[list[AnalysedArticle]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield [AnalysedArticle(article=a) for a in chunk]


def _shipped(batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
    """What an executor hands back: everything but spaCy's parse, which only later stages read
    and which is three times the size of the rest (sending it back from a worker cost the
    parent more than storing the article)."""
    return [replace(a, parse=None) if a.parse is not None else a for a in batch]


class Executor(ABC):
    """Where a pipeline runs. Results come back in input order, batch by batch, without the
    parse (`_shipped`): the same fields whatever the executor."""

    name: ClassVar[str]

    @abstractmethod
    def map(
        self, pipeline: Pipeline, batches: Iterable[list[AnalysedArticle]]
    ) -> Iterator[list[AnalysedArticle]]: ...

    def close(self) -> None:  # noqa: B027
        """Release workers."""


class InlineExecutor(Executor):
    """In the calling process: tests, notebooks, `sitrep.analyse`."""

    name = "inline"

    def map(
        self, pipeline: Pipeline, batches: Iterable[list[AnalysedArticle]]
    ) -> Iterator[list[AnalysedArticle]]:
        for batch in batches:
            yield _shipped(pipeline(batch))


_WORKER_PIPELINE: Pipeline | None = None


def _init_worker(pipeline: Pipeline) -> None:
    global _WORKER_PIPELINE
    # Ctrl-C is the parent's to handle: it stops feeding work and shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    pipeline.setup()
    _WORKER_PIPELINE = pipeline


def _run_on_worker(batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
    assert _WORKER_PIPELINE is not None, "worker was not initialised"
    return _shipped(_WORKER_PIPELINE(batch))


class PoolExecutor(Executor):
    """One pipeline per worker process, one worker per core; resources load once per worker."""

    name = "pool"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None
        self._pipeline_id: int | None = None

    def map(
        self, pipeline: Pipeline, batches: Iterable[list[AnalysedArticle]]
    ) -> Iterator[list[AnalysedArticle]]:
        if self._pool is None or self._pipeline_id != id(pipeline):
            self.close()
            for stage in pipeline.stages:
                stage.check()
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, initializer=_init_worker, initargs=(pipeline,)
            )
            self._pipeline_id = id(pipeline)
        window: deque[Future[list[AnalysedArticle]]] = deque()
        try:
            for batch in batches:
                window.append(self._pool.submit(_run_on_worker, batch))
                if len(window) >= 2 * self.workers:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
        except BrokenProcessPool as exc:
            self.close()
            raise SitrepError(
                "a worker process died (out of memory, or killed); what was stored is kept: "
                "run the same command again to resume, with --executor inline to find the input"
            ) from exc

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class _RayWorker:
    """A Ray actor holding one pipeline: its resources load once, in the actor."""

    def __init__(self, pipeline: Pipeline) -> None:
        pipeline.setup()
        self.pipeline = pipeline

    def run(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        return _shipped(self.pipeline(batch))


class RayExecutor(Executor):
    """One pipeline per Ray actor, one actor per CPU: a Ray it starts on this machine (all
    cores), or a running cluster at `address` ("auto", "ray://host:10001")."""

    name = "ray"

    def __init__(self, workers: int | None = None, address: str | None = None) -> None:
        self.workers = workers
        self.address = address
        self._actors: list[Any] = []
        self._pipeline_id: int | None = None
        self._started = False

    def connect(self) -> Any:
        """The `ray` module, with Ray started (or joined) once."""
        try:
            import ray
        except ImportError:
            raise ConfigError(
                "the ray executor needs Ray: pip install 'sitrep[ray]' (or make test)"
            ) from None
        if not ray.is_initialized():
            quiet: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                     "logging_level": logging.ERROR}  # fmt: skip
            if self.address:
                ray.init(address=self.address, **quiet)
            else:
                ray.init(num_cpus=self.workers or os.cpu_count() or 1, **quiet)
            self._started = True
        return ray

    def map(
        self, pipeline: Pipeline, batches: Iterable[list[AnalysedArticle]]
    ) -> Iterator[list[AnalysedArticle]]:
        ray = self.connect()
        if not self._actors or self._pipeline_id != id(pipeline):
            self._release()
            for stage in pipeline.stages:
                stage.check()
            n = self.workers or max(1, int(ray.available_resources().get("CPU", 1)))
            worker = ray.remote(num_cpus=1)(_RayWorker)
            self._actors = [worker.remote(pipeline) for _ in range(n)]
            self._pipeline_id = id(pipeline)
        actors = self._actors
        # batch i goes to actor i mod n, which runs its calls in order: results come back in
        # input order, with at most two batches queued per actor
        window: deque[Any] = deque()
        try:
            for i, batch in enumerate(batches):
                window.append(actors[i % len(actors)].run.remote(batch))
                if len(window) >= 2 * len(actors):
                    yield ray.get(window.popleft())
            while window:
                yield ray.get(window.popleft())
        except ray.exceptions.RayActorError as exc:
            self.close()
            why = str(exc).strip().splitlines()[0][:300]
            raise SitrepError(
                f"a Ray worker died ({why}); what was stored is kept: run the same command "
                "again to resume"
            ) from exc

    def _release(self) -> None:
        if self._actors:
            import ray

            for actor in self._actors:
                ray.kill(actor)
            self._actors = []

    def close(self) -> None:
        self._release()
        if self._started:
            import ray

            ray.shutdown()
            self._started = False


EXECUTORS: dict[str, Callable[[], Executor]] = {
    "inline": InlineExecutor,
    "pool": PoolExecutor,
    "ray": RayExecutor,
}


def make_executor(name: str, address: str | None = None) -> Executor:
    """An executor by name; `address` is a Ray cluster's, for "ray" only."""
    if address and name != "ray":
        raise ConfigError("--address is a Ray cluster's: it goes with --executor ray")
    if name == "ray":
        return RayExecutor(address=address)
    try:
        return EXECUTORS[name]()
    except KeyError:
        raise ConfigError(
            f"unknown executor '{name}'; choose one of: {', '.join(sorted(EXECUTORS))}"
        ) from None


def run(
    pipeline: Pipeline,
    articles: Iterable[Article],
    executor: Executor | None = None,
    batch_size: int = 16,
) -> Iterator[AnalysedArticle]:
    """Analyse articles, yielding them (rejected ones included) in input order."""
    ex = executor or InlineExecutor()
    for batch in ex.map(pipeline, batched(articles, batch_size)):
        yield from batch
