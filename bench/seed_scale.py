"""Build the benchmark's organisation in the database DATABASE_URL names.

    DEBUG=true .venv/bin/python bench/seed_scale.py --scale 1     # 5,000 contributors, 50,000 claims
    DEBUG=true .venv/bin/python bench/seed_scale.py --scale 10    # 50,000 contributors, 500,000 claims

Run `manage.py migrate` and `manage.py seed_demo` first (bench/run.py --setup does all three).
It refuses without DEBUG=true, as seed_demo does: every person it makes has the same known
password. Running it again adds nothing.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Refused(Exception):
    pass


def main(argv=None, *, log=print) -> dict:
    from django.conf import settings

    from bench import scale

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, metavar="N",
                        help="N=1: 5,000 contributors, 200 projects, 50,000 claims; N=10 ten times that")
    parser.add_argument("--seed", type=int, default=8, help="random seed (same seed, same data)")
    args = parser.parse_args(argv)
    if not settings.DEBUG:
        raise Refused("bench/seed_scale.py only runs with DEBUG=true: it creates known passwords.")
    log(f"Building the scale organisation (N={args.scale:g}):")
    made = scale.build(args.scale, seed=args.seed, log=log)
    if made:
        log(f"Scale data ready in {made['seconds']}s (peak memory {made['peak memory MB']} MB).")
    return made


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduction.settings")
    import django

    django.setup()
    try:
        main()
    except Refused as refused:
        sys.exit(str(refused))
