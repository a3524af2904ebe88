"""Run the generator: ``python -m netmap.synthetic --out FOLDER [--actors N] [--ties M] [--seed S] [--big-forum N]``."""

import sys

from netmap.synthetic.command import main

sys.exit(main())
