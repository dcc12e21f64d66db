"""Sign-in rate limits: after too many failed sign-ins for one user name or from one client
address, that name or address is locked for a while, the time doubling with each further
failure (exponential backoff), counted in the server's memory.

A user name is counted whether or not such a user exists, so a lockout tells nothing about
which names are real. Attempts in flight count too: of many concurrent guesses no more than
the allowed number reach the password check. A success clears the user name's count; an
address's count fades only with time (one good account does not buy a guesser more tries).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from exportplan import settings
from exportplan.errors import TooManyAttemptsError

__all__ = ["Attempt", "SignInLimits"]

#: Most names and addresses remembered; beyond it, those neither locked nor failing recently
#: are forgotten first
MAX_ENTRIES = 50_000


@dataclass
class _Count:
    failures: int = 0
    pending: int = 0
    locked_until: float = 0.0
    last: float = 0.0


@dataclass(frozen=True)
class Attempt:
    """A sign-in let through to the password check: its keys, to report how it ended."""

    keys: tuple[tuple[str, str, int], ...]  # (kind, key, allowed failures)


class SignInLimits:
    """The counts of failed sign-ins of one server, by user name and by client address."""

    def __init__(
        self,
        *,
        user_attempts: int,
        address_attempts: int,
        lockout_seconds: float,
        max_lockout_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.user_attempts = user_attempts
        self.address_attempts = address_attempts
        self.lockout = float(lockout_seconds)
        self.max_lockout = float(max(max_lockout_seconds, lockout_seconds))
        self.clock = clock
        self.counts: dict[tuple[str, str], _Count] = {}
        self.lock = threading.Lock()

    @classmethod
    def from_settings(cls) -> SignInLimits:
        """Limits from the settings ``signin_*`` (docs/settings.md)."""
        return cls(
            user_attempts=settings.value("signin_user_attempts"),
            address_attempts=settings.value("signin_address_attempts"),
            lockout_seconds=settings.value("signin_lockout_seconds"),
            max_lockout_seconds=settings.value("signin_lockout_max_seconds"),
        )

    def _lock_time(self, failures: int, allowed: int) -> float:
        return float(min(self.lockout * 2.0 ** max(0, failures - allowed), self.max_lockout))

    def begin(self, username: str, address: str | None) -> Attempt:
        """Let a sign-in through to the password check, or refuse it
        (:class:`~exportplan.errors.TooManyAttemptsError`, with the seconds to wait) while the
        name or the address is locked, or when the attempts already in flight use up what is
        left of its allowance."""
        keys = [("user", username.strip().casefold()[:200], self.user_attempts)]
        if address:
            keys.append(("address", address, self.address_attempts))
        now = self.clock()
        with self.lock:
            wait = 0.0
            for kind, key, allowed in keys:
                c = self.counts.get((kind, key))
                if c is None:
                    continue
                if c.pending == 0 and c.locked_until <= now and now - c.last > self.max_lockout:
                    c.failures = 0  # failures long ago are forgotten
                if c.locked_until > now:
                    wait = max(wait, c.locked_until - now)
                elif c.pending and c.failures + c.pending >= allowed:  # used up in flight
                    wait = max(wait, self._lock_time(c.failures + c.pending, allowed))
            if wait > 0:
                raise TooManyAttemptsError(math.ceil(wait))
            for kind, key, _ in keys:
                self.counts.setdefault((kind, key), _Count()).pending += 1
            self._prune(now)
        return Attempt(tuple(keys))

    def end(self, attempt: Attempt, *, failed: bool) -> None:
        """How a sign-in let through by :meth:`begin` ended: a failure counts (and locks the
        name or address once its allowance is used up); a success clears the name's count."""
        now = self.clock()
        with self.lock:
            for kind, key, allowed in attempt.keys:
                c = self.counts.setdefault((kind, key), _Count())
                c.pending = max(0, c.pending - 1)
                if failed:
                    c.failures += 1
                    c.last = now
                    if c.failures >= allowed:
                        c.locked_until = now + self._lock_time(c.failures, allowed)
                elif kind == "user":
                    c.failures, c.locked_until = 0, 0.0

    def _prune(self, now: float) -> None:
        """Forget counts that no longer matter (idle longer than the longest lockout), and
        the oldest when too many are kept."""
        if len(self.counts) <= MAX_ENTRIES:
            return
        idle = [
            k
            for k, c in self.counts.items()
            if c.pending == 0 and c.locked_until <= now and now - c.last > self.max_lockout
        ]
        for k in idle:
            del self.counts[k]
        if len(self.counts) > MAX_ENTRIES:
            oldest = sorted(
                (k for k, c in self.counts.items() if c.pending == 0),
                key=lambda k: self.counts[k].last,
            )
            for k in oldest[: len(self.counts) - MAX_ENTRIES]:
                del self.counts[k]
