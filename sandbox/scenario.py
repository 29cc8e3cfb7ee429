"""The sandbox demo as an ordered list of steps.

Each feature adds its steps in its own module under ``sandbox/steps/``::

    from sandbox.scenario import DemoContext, step

    @step(order=20, title="Set up the two communities")
    async def step_setup(ctx: DemoContext) -> None:
        ctx.narrate("The owner configures the communities")
        await (await ctx.world.owner.slash("setup community add", name="Armenian",
                                          role=ctx.world.armenian)).message()

Steps run in ``order``. The demo lets the bot settle (every effect of the last action done,
see :meth:`sandbox.harness.BotHarness.settle`) before each thing a member does and at the end
of each step, and prints there what members saw, in a fixed order: a step inherits a
transcript that is the same on every run without doing anything for it. Narrate with
``ctx.narrate``, naming people by ``person.name`` rather than a hard-coded name.
A step fails by raising (an ``AssertionError`` from a waiter says what was posted instead).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sandbox.emulator import Emulator
from sandbox.harness import BotHarness
from sandbox.transcript import Transcript
from sandbox.world import World

StepFn = Callable[["DemoContext"], Awaitable[None]]


@dataclass(frozen=True)
class Step:
    order: int
    title: str
    run: StepFn


STEPS: list[Step] = []


def step(order: int, title: str) -> Callable[[StepFn], StepFn]:
    """Register a demo step; ``order`` places it among the other features' steps."""

    def register(fn: StepFn) -> StepFn:
        STEPS.append(Step(order, title, fn))
        return fn

    return register


def load_steps() -> list[Step]:
    """Import every module in ``sandbox/steps/`` and return the steps in order."""
    import sandbox.steps

    for info in pkgutil.iter_modules(sandbox.steps.__path__):
        importlib.import_module(f"sandbox.steps.{info.name}")
    return sorted(STEPS, key=lambda s: (s.order, s.title))


@dataclass
class DemoContext:
    emu: Emulator
    world: World
    harness: BotHarness
    transcript: Transcript
    expected_errors: int = 0  # REST errors a step provokes on purpose
    notes: list[str] = field(default_factory=list)

    def narrate(self, text: str) -> None:
        """A line of stage direction, printed after what the last action caused."""
        self.transcript.note(text)
