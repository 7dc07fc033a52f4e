"""SciPy's side of `npm run bench:stats`: W1(R, C) / max(std(R), 0.001) per numeric column.

Usage: python3 scipy-wasserstein.py REFERENCE.csv CURRENT.csv
Loads both CSVs with numpy (timed apart), then times the loop of
scipy.stats.wasserstein_distance over the columns with the data already in memory, and prints one
JSON object: load and compute seconds (wall and CPU) and each column's statistic.
"""

import json
import sys
import time

import numpy as np
from scipy.stats import wasserstein_distance


def load(path):
    with open(path, encoding="utf-8-sig") as f:
        names = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2,
                      converters=lambda s: float(s) if s.strip() else np.nan)
    return names, data


def timed(work):
    wall, cpu = time.perf_counter(), time.process_time()
    value = work()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def main():
    (loaded, load_wall, load_cpu) = timed(lambda: (load(sys.argv[1]), load(sys.argv[2])))
    (names, reference), (_, current) = loaded

    def compute():
        statistics = {}
        for k, name in enumerate(names):
            r = reference[:, k]
            c = current[:, k]
            r = r[~np.isnan(r)]
            c = c[~np.isnan(c)]
            statistics[name] = float(wasserstein_distance(r, c) / max(np.std(r), 0.001))
        return statistics

    statistics, wall, cpu = timed(compute)
    print(json.dumps({
        "scipy": __import__("scipy").__version__,
        "numpy": np.__version__,
        "loadSeconds": load_wall,
        "loadCpuSeconds": load_cpu,
        "computeSeconds": wall,
        "computeCpuSeconds": cpu,
        "statistics": statistics,
    }))


if __name__ == "__main__":
    main()
