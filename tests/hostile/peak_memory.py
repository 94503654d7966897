"""Run a Python script (argv[2:]) in this process and write its peak resident memory to the file argv[1].

The peak is /proc/self/status VmHWM in KiB, read at exit. Not getrusage's ru_maxrss: Linux carries that
over exec from the forked parent, so a test process holding a large file would be charged to its child.
"""
import atexit
import runpy
import sys
from pathlib import Path


def _write_peak(report: Path) -> None:
    status = Path("/proc/self/status").read_text()
    peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    report.write_text(peak)


if __name__ == "__main__":
    atexit.register(_write_peak, Path(sys.argv[1]))
    sys.argv = sys.argv[2:]
    sys.path[0] = str(Path(sys.argv[0]).resolve().parent)  # as if the script had been run itself
    runpy.run_path(sys.argv[0], run_name="__main__")
