"""Small batches, as the soak sends them: ``app.ingestion.record`` of 5 view events at a
time (the whole ingest path below the web edge: tombstones, stored ids, known items, the
consent gate inside the write, the reactions), on SQLite, from 1 and from 8 threads; wall
and CPU milliseconds per batch. Compare two versions of the code in one sitting by running
it under each (``PYTHONPATH=/path/to/other/src`` puts another checkout first):

    python benchmarks/small_batches.py [--batches 800] [--people 500]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import soak
from tactful.app.open import open_app
from tactful.settings import Settings


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batches", type=int, default=800)
    ap.add_argument("--people", type=int, default=500)
    args = ap.parse_args()
    soak.PEOPLE = args.people
    rng = random.Random(3)

    def batch(tag: str, n: int) -> list[dict[str, Any]]:
        who = rng.randrange(args.people)
        return [
            {"event_id": f"{tag}-{n}-{k}", "subject_id": f"p{who}", "type": "view",
             "item_id": f"i{rng.randrange(soak.ITEMS)}"}
            for k in range(5)
        ]  # fmt: skip

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        settings = Settings(database_url=f"sqlite:///{where / 's.db'}", model_dir=where / "m")
        soak.seed_shop(settings, random.Random(7))
        app = open_app(settings)
        for threads in (1, 8):

            def work(t: int, threads: int = threads) -> None:
                for n in range(args.batches // threads):
                    app.ingestion.record(batch(f"t{threads}-{t}", n))

            c0, w0 = cpu(), time.perf_counter()
            pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
            for t in pool:
                t.start()
            for t in pool:
                t.join()
            out[f"threads_{threads}"] = {
                "wall_ms_per_batch": round(1000 * (time.perf_counter() - w0) / args.batches, 2),
                "cpu_ms_per_batch": round(1000 * (cpu() - c0) / args.batches, 2),
            }
        app.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
