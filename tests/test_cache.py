"""The result cache: keys from the parameters and the data version, atomic writes, and an
unreadable entry recomputed rather than failing."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

import polars as pl
import pytest

from exportplan.store import cache
from exportplan.store.cache import Cache

DF = pl.DataFrame({"prod": ["0808", "7207"], "v": [1.5, 2.0]})


def _counting(df: pl.DataFrame) -> tuple[list[int], Callable[[], pl.DataFrame]]:
    calls: list[int] = []

    def compute() -> pl.DataFrame:
        calls.append(1)
        return df

    return calls, compute


def test_the_same_key_gives_the_same_answer_and_a_new_data_version_another(tmp_path: Path) -> None:
    c = Cache(tmp_path / "cache")
    calls, compute = _counting(DF)
    first = c.frame("potential", {"level": "hs4", "years": [2022]}, "1:abc", compute)
    again = c.frame("potential", {"years": [2022], "level": "hs4"}, "1:abc", compute)
    assert first.equals(again) and len(calls) == 1
    assert cache.key("potential", {"a": 1}, "1:abc") == cache.key("potential", {"a": 1}, "1:abc")
    assert cache.key("potential", {"a": 1}, "1:abc") != cache.key("potential", {"a": 1}, "2:def")
    assert cache.key("potential", {"a": 1}, "v") != cache.key("potential", {"a": 2}, "v")
    assert cache.key("world", {"a": 1}, "v").startswith("world-")
    c.frame("potential", {"level": "hs4", "years": [2022]}, "2:def", compute)
    assert len(calls) == 2
    assert len(list((tmp_path / "cache").glob("potential-*.parquet"))) == 2


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_a_damaged_entry_is_recomputed(tmp_path: Path, damage: str) -> None:
    c = Cache(tmp_path / "cache")
    calls, compute = _counting(DF)
    c.frame("complexity", {"x": 1}, "v", compute)
    path = c.path("complexity", {"x": 1}, "v")
    data = path.read_bytes()
    path.write_bytes(
        {"truncate": data[: len(data) // 2], "garbage": b"not parquet at all", "empty": b""}[damage]
    )
    out = c.frame("complexity", {"x": 1}, "v", compute)
    assert out.equals(DF) and len(calls) == 2
    assert pl.read_parquet(path).equals(DF)  # and the entry is whole again


def test_a_damaged_part_recomputes_all_parts(tmp_path: Path) -> None:
    c = Cache(tmp_path / "cache")
    calls: list[int] = []

    def compute() -> dict[str, pl.DataFrame]:
        calls.append(1)
        return {"a": DF, "b": DF.head(1)}

    c.frames("world", {"level": "hs6"}, "v", ("a", "b"), compute)
    c.frames("world", {"level": "hs6"}, "v", ("a", "b"), compute)
    assert len(calls) == 1
    folder = tmp_path / "cache" / cache.key("world", {"level": "hs6"}, "v")
    (folder / "b.parquet").write_bytes(b"PAR1 truncated")
    out = c.frames("world", {"level": "hs6"}, "v", ("a", "b"), compute)
    assert len(calls) == 2 and out["b"].equals(DF.head(1))


def test_a_write_that_fails_half_way_leaves_no_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "x-0.parquet"

    def half(fh: IO[bytes]) -> None:
        fh.write(b"PAR1 half an entry")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        cache.write_atomic(path, half)
    assert not path.exists()
    assert os.listdir(path.parent) == []  # no temporary file left behind either
    # an entry already there survives a failed rewrite unchanged
    cache.write_frame(path, DF)
    with pytest.raises(OSError):
        cache.write_atomic(path, half)
    assert pl.read_parquet(path).equals(DF)
    assert sorted(os.listdir(path.parent)) == ["x-0.parquet"]


def test_a_failing_computation_writes_nothing(tmp_path: Path) -> None:
    c = Cache(tmp_path / "cache")

    def boom() -> pl.DataFrame:
        raise ValueError("no data")

    with pytest.raises(ValueError):
        c.frame("complexity", {"x": 1}, "v", boom)
    assert not c.path("complexity", {"x": 1}, "v").exists()


def test_complexity_recomputes_a_truncated_cache_entry(tmp_path: Path) -> None:
    from exportplan.services import complexity as svc
    from exportplan.services.imports import baci
    from exportplan.workspace import init

    ws = init(tmp_path / "ws")
    lines = ["t,i,j,k,v,q"]
    for e, code in enumerate((4, 8, 12, 31, 36, 40)):
        for p, k in enumerate(("080810", "720712", "020110", "870323")):
            if (e + p) % 3:
                lines.append(f"2022,{code},842,{k},{1 + e * p},1")
    f = tmp_path / "BACI_HS17_Y2022_V1.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with ws.warehouse() as con:
        baci.import_file(con, f)
    first = svc.compute(ws, level="hs6")
    (entry,) = svc.cache_dir(ws).glob("complexity-*.parquet")
    entry.write_bytes(entry.read_bytes()[:40])
    again = svc.compute(ws, level="hs6")
    assert again.equals(first)
    assert pl.read_parquet(entry).equals(first)


def test_a_background_write_is_waited_for_by_a_reader_and_by_wait_for_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    c = Cache(tmp_path / "cache")
    release = threading.Event()
    real = cache.write_frame

    def slow(path: Path, df: pl.DataFrame, *, compression: str = "zstd") -> None:
        release.wait(10)
        real(path, df, compression=compression)

    monkeypatch.setattr(cache, "write_frame", slow)
    calls, compute = _counting(DF)
    out = c.frame("potential", {"x": 1}, "v", compute, background=True)
    path = c.path("potential", {"x": 1}, "v")
    assert out.equals(DF) and not path.exists()  # returned before the entry is on disk
    threading.Timer(0.2, release.set).start()
    again = c.frame("potential", {"x": 1}, "v", compute, background=True)  # waits, then reads
    assert again.equals(DF) and len(calls) == 1 and path.exists()
    cache.wait_for_writes()
    assert pl.read_parquet(path).equals(DF)


def test_a_failed_background_write_leaves_no_entry_and_is_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def full(fh: IO[bytes]) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(
        cache, "write_frame", lambda path, df, compression="zstd": cache.write_atomic(path, full)
    )
    c = Cache(tmp_path / "cache")
    calls, compute = _counting(DF)
    with caplog.at_level("WARNING", logger="exportplan.store.cache"):
        out = c.frame("potential", {"x": 1}, "v", compute, background=True)
        cache.wait_for_writes()
    assert out.equals(DF)
    assert not c.path("potential", {"x": 1}, "v").exists()
    assert list((tmp_path / "cache").iterdir()) == []  # no stray temporary file either
    assert "No space left on device" in caplog.text
    c.frame("potential", {"x": 1}, "v", compute, background=True)
    cache.wait_for_writes()
    assert len(calls) == 2  # computed again, not served from a missing entry
