"""The tracker store's state file when replicas share it (a deployment's shared volume): writes
from several processes at once never fail on each other's temporary file."""

from concurrent.futures import ProcessPoolExecutor

from protheus.common.store_status import StatusFile


def _write_many(path: str) -> int:
    from pathlib import Path

    status = StatusFile(Path(path))
    for _ in range(200):
        status.write()
    return 200


def test_replicas_writing_one_status_file_at_once_never_fail(tmp_path):
    path = str(tmp_path / "tracker-store.json")
    with ProcessPoolExecutor(max_workers=4) as pool:
        assert sum(pool.map(_write_many, [path] * 4)) == 800
    assert list(tmp_path.iterdir()) == [tmp_path / "tracker-store.json"]  # no temporary file left behind
