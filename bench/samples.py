"""Samples of the benchmarks that interleave modes: one line per loop run, "round<TAB>mode<TAB>ns",
summed up as a table of median, min and max per mode."""
import statistics


def load(path, modes):
    """The samples of each mode (a list of ns values per mode key), in file order."""
    ns = {m: [] for m in modes}
    with open(path) as f:
        for line in f:
            _, mode, value = line.split("\t")
            ns[mode].append(float(value))
    return ns


def medians(ns):
    return {m: statistics.median(v) for m, v in ns.items()}


def table(names, ns, unit, extra_header="", extra=lambda m: ""):
    """Prints one row per mode (names: key -> label, in order), extra(mode) in a last column."""
    med = medians(ns)
    print(f"{'mode':<40} {'median':>9} {'min':>9} {'max':>9} {extra_header:>16}".rstrip())
    for m, name in names.items():
        print(f"{name:<40} {med[m]:>9.1f} {min(ns[m]):>9.1f} {max(ns[m]):>9.1f} {extra(m):>16}".rstrip())
    print(f"(ns per {unit}; median/min/max over all runs of the mode)")
