"""Reading OpenSim ``.mot`` / ``.sto`` tables and CSV files into a :class:`Table`.

numpy + stdlib only. Every problem with a file's content is reported as an
:class:`OpenSimFileError` naming the file, the line and the problem.

Formats read (detected from the content, not the file name):

- OpenSim version-1 headers (``Coordinates`` / ``version=1`` / ``nRows=`` / ``nColumns=`` /
  ``inDegrees=`` ... ``endheader``), as written by OpenSim 3 and 4 tools;
- OpenSim 4 ``.sto`` headers (``DataType=double``, ``version=3``, ``OpenSimVersion=``, Moco's
  ``num_controls=`` ..., ``endheader``);
- legacy SIMM-style headers (``name`` / ``datacolumns`` / ``datarows`` / ``range`` ...
  ``endheader``);
- CSV (comma or semicolon separated; with semicolons a decimal comma is accepted) whose first
  row names the columns, one of them the time, and plain tab/space separated tables without a
  header whose first row of names starts with ``time``.

In an OpenSim table the first column must be the time. Numbers are separated by tabs or spaces.

Limits: files larger than :data:`MAX_FILE_BYTES` (200 MB), with more than :data:`MAX_ROWS` data
rows or more than :data:`MAX_COLUMNS` columns are refused with an error saying so. A 10-minute
trial at 100 Hz with 40 columns (60,000 rows) loads in about a second; the data are converted in
chunks, so memory stays near the size of the resulting float array.
"""

from __future__ import annotations

import contextlib
import errno
import io
import math
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

from anatomy_viewer.safe_output import describe_os_error, file_kind, printable

#: Files larger than this are refused (bytes).
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Tables with more data rows than this are refused.
MAX_ROWS = 2_000_000
#: Tables with more columns than this are refused.
MAX_COLUMNS = 10_000
#: How many lines are searched for ``endheader`` before deciding the file has none.
MAX_HEADER_LINES = 2_000
#: Smallest step between two rows' times (s): 1 MHz, far above any motion or EMG recording.
MIN_TIME_STEP = 1e-6
#: Rows converted to numbers at a time (bounds memory, paces the progress callback).
_CHUNK_ROWS = 8_192

Progress = Callable[[float], None]


class OpenSimFileError(Exception):
    """A file that cannot be read as asked: ``str()`` names the file, the line and the problem.

    ``path`` is the file, ``line`` the 1-based line number (``None`` when the problem concerns
    the whole file) and ``problem`` a short description.
    """

    def __init__(self, path: str | Path, line: int | None, problem: str) -> None:
        super().__init__(str(path), line, problem)
        self.path = Path(path)
        self.line = line
        self.problem = problem

    def __str__(self) -> str:
        where = self.path.name or str(self.path)
        if self.line is not None:
            where = f"{where}, line {self.line}"
        problem = self.problem.rstrip(".")
        return printable(f"{where}: {problem}.")  # one line, whatever the file is called


@dataclass
class Table:
    """A table of numbers over time, as read from a file.

    ``data`` is (n_rows, n_columns) float, one column per name in ``columns`` (the time column
    is not among them: it is ``time``). ``in_degrees`` is the header's ``inDegrees`` (``None``
    when the header does not say). ``metadata`` holds every ``key=value`` (and legacy
    ``key value``) header line. ``row_lines`` gives the file line of every row, for messages.
    """

    path: Path
    columns: tuple[str, ...]
    time: np.ndarray
    data: np.ndarray
    in_degrees: bool | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    name: str = ""  # the header's first line, e.g. "Coordinates" (empty if none)
    format: str = "opensim"  # "opensim" (has endheader), "csv" or "text" (plain columns)
    column_line: int = 0  # line of the column names
    row_lines: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._index = {}
        for i, c in enumerate(self.columns):
            self._index.setdefault(c, i)

    @property
    def n_rows(self) -> int:
        return len(self.time)

    def has(self, name: str) -> bool:
        return name in self._index

    def index(self, name: str) -> int:
        return self._index[name]

    def column(self, name: str) -> np.ndarray:
        """The values of the (first) column called ``name``."""
        return self.data[:, self._index[name]]

    def line_of(self, row: int) -> int | None:
        """File line of data row ``row`` (None when unknown)."""
        if 0 <= row < len(self.row_lines):
            return int(self.row_lines[row])
        return None

    def error(self, problem: str, row: int | None = None) -> OpenSimFileError:
        return OpenSimFileError(self.path, None if row is None else self.line_of(row), problem)


# ---------------------------------------------------------------------------- file sniffing
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook? export it as CSV)"),
    (b"\x1f\x8b", "a gzip-compressed file (decompress it first)"),
    (b"\x89HDF", "an HDF5 file"),
    (b"MATLAB", "a MATLAB .mat file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel/Office file (export it as CSV)"),
    (b"\x7fELF", "a program"),
)


def _describe_binary(head: bytes) -> str | None:
    """Name the kind of a binary file from its first bytes, or None if it looks like text."""
    for sig, what in _SIGNATURES:
        if head.startswith(sig):
            return what
    if len(head) >= 2 and head[1] == 0x50 and head[0] in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11):
        return "a C3D file (export the trial to .mot/.sto first)"
    sample = head[:65536]
    if b"\x00" in sample:
        return "a binary file"
    control = sum(1 for b in sample if b < 9 or 13 < b < 32 and b != 27)
    if sample and control > max(2, len(sample) // 100):
        return "a binary file"
    return None


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as e:
            raise OpenSimFileError(path, None, "is not valid UTF-16 text") from e
    what = _describe_binary(raw)
    if what is not None:
        raise OpenSimFileError(path, None, f"is not a text table: it looks like {what}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


_KEY_VALUE = re.compile(r"^\s*([A-Za-z_][\w.\-]*)\s*=\s*(.*?)\s*$")
_LEGACY_KEYS = ("name", "datacolumns", "datarows", "range")
_TIME_NAMES = {"time", "t", "times", "seconds", "sec", "s"}
_INT_KEYS = ("nRows", "nColumns", "datarows", "datacolumns")
#: A time column named in milliseconds: "time_ms", "Time (ms)", "time[msec]".
_MILLISECONDS = re.compile(r"(?i)(?<![a-z])(ms|msec|millisec\w*)(?![a-z])")


def _is_time_name(name: str) -> bool:
    n = name.strip().strip('"').strip().lower()
    if n in _TIME_NAMES:
        return True
    return bool(re.match(r"^time\b|^time_|^time\(|^time\[", n))


def _looks_numeric(token: str) -> bool:
    try:
        float(token.strip('"'))
    except ValueError:
        return False
    return _not_a_number(token) is None


def _split_names(line: str, delimiter: str | None) -> list[str]:
    if delimiter is not None:
        return [t.strip().strip('"').strip() for t in line.split(delimiter)]
    if "\t" in line.strip():
        return [t.strip() for t in line.strip().split("\t") if t.strip()]
    return line.split()


def _parse_bool(text: str) -> bool | None:
    t = text.strip().lower()
    if t in ("yes", "true", "1", "y"):
        return True
    if t in ("no", "false", "0", "n"):
        return False
    return None


@dataclass
class _Header:
    name: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    in_degrees: bool | None = None


def _parse_header(path: Path, lines: list[str]) -> _Header:
    h = _Header()
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        lineno = i + 1
        m = _KEY_VALUE.match(line)
        if m:
            key, value = m.group(1), m.group(2)
        else:
            parts = line.split(None, 1)
            if parts[0].lower() in _LEGACY_KEYS:
                key, value = parts[0].lower(), parts[1].strip() if len(parts) > 1 else ""
            else:
                if not h.name and not h.metadata:
                    h.name = line
                continue
        h.metadata[key] = value
        h.key_lines[key] = lineno
        if key.lower() == "indegrees":
            b = _parse_bool(value)
            if b is None:
                raise OpenSimFileError(path, lineno, f"inDegrees={value!r} is neither yes nor no")
            h.in_degrees = b
        elif key in _INT_KEYS:
            try:
                n = int(value)
                if n < 0:
                    raise ValueError
            except ValueError as e:
                raise OpenSimFileError(
                    path, lineno, f"{key}={value!r} is not a count (a whole number, 0 or more)"
                ) from e
        elif key == "DataType" and value.lower() not in ("double", "float", ""):
            raise OpenSimFileError(
                path, lineno, f"DataType={value} tables are not supported (only numbers, double)"
            )
    if "name" in h.metadata and not h.name:
        h.name = h.metadata["name"]
    return h


# ---------------------------------------------------------------------------- the reader
def _lines(text: str) -> Iterator[str]:
    for line in io.StringIO(text, newline=None):
        yield line.rstrip("\r\n")


def read_table(path: str | Path, *, progress: Progress | None = None) -> Table:
    """Read an OpenSim ``.mot``/``.sto`` table or a CSV file with a time column.

    ``progress`` (optional) is called with the fraction done (0..1) while reading; an exception
    it raises (e.g. to cancel) propagates unchanged. Every problem with the file is an
    :class:`OpenSimFileError`.
    """
    path = Path(path)
    with guard(path):
        return _read_table(path, progress)


@contextlib.contextmanager
def guard(path: Path) -> Iterator[None]:
    """Turn any exception escaping a reader into an :class:`OpenSimFileError`.

    The readers raise OpenSimFileError themselves for every problem they know; this is a last
    safety net so that no other exception type reaches the caller for any file content. Its
    message says "unexpected" (the tests check that no file ever produces it). Exceptions raised
    by the caller's progress callback pass through unchanged.
    """
    try:
        yield
    except OpenSimFileError:
        raise
    except _ProgressError as e:
        raise e.__cause__ from None  # type: ignore[misc]
    except MemoryError as e:
        raise OpenSimFileError(path, None, "is too large to read into memory") from e
    except Exception as e:
        raise OpenSimFileError(
            path, None, f"could not be read (unexpected {type(e).__name__}: {e})"
        ) from e


class _ProgressError(Exception):
    """Wraps an exception raised by the caller's progress callback (re-raised unchanged)."""


def _report(progress: Progress | None, fraction: float) -> None:
    if progress is None:
        return
    try:
        progress(min(max(float(fraction), 0.0), 1.0))
    except BaseException as e:  # the caller's own exception: let it through untouched
        raise _ProgressError() from e


def open_problem(exc: OSError) -> str:
    """Why a file could not be opened, in plain words (not "no such file" for a loop of
    symbolic links or a folder that may not be searched)."""
    if isinstance(exc, FileNotFoundError):
        return "does not exist"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read: permission denied (the file, or a folder on its path)"
    return f"cannot be read: {describe_os_error(exc)}"


def open_regular(path: str | Path) -> BinaryIO:
    """A regular file opened for reading in binary, or OpenSimFileError saying why not.

    Anything but a regular file is refused before a byte is read: a named pipe would block
    until something writes to it, and a device such as /dev/zero never ends. The file is
    opened without blocking and checked on the open descriptor (so it cannot be swapped for
    a pipe in between)."""
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise OpenSimFileError(path, None, open_problem(e)) from None
    try:
        kind = file_kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise OpenSimFileError(path, None, f"is {kind}, not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_file_bytes(path: str | Path, limit: int | None = None, *, whole: bool = True) -> bytes:
    """The bytes of a regular file (:func:`open_regular`), or OpenSimFileError saying why not.

    At most ``limit`` bytes are read (default MAX_FILE_BYTES): with ``whole`` a file holding
    more is refused (counted on what is read, whatever its size claimed), else the first
    ``limit`` bytes are returned.
    """
    path = Path(path)
    limit = MAX_FILE_BYTES if limit is None else int(limit)
    too_large = (
        f"files larger than {limit // (1024 * 1024)} MB are refused (cut the trial or lower its "
        "sampling rate)"
    )
    with open_regular(path) as fh:
        try:
            size = os.fstat(fh.fileno()).st_size
            if whole and size > limit:
                raise OpenSimFileError(path, None, f"is {size / 1e6:.0f} MB; {too_large}")
            raw = fh.read(limit + 1 if whole else limit)
        except OSError as e:
            raise OpenSimFileError(path, None, open_problem(e)) from None
    if whole and len(raw) > limit:
        raise OpenSimFileError(path, None, f"holds more than {limit / 1e6:.0f} MB; {too_large}")
    return raw


def _read_table(path: Path, progress: Progress | None) -> Table:
    raw = read_file_bytes(path)
    _report(progress, 0.0)
    if not raw.strip():
        raise OpenSimFileError(path, None, "is empty")
    text = _decode(path, raw)
    del raw
    total_chars = max(len(text), 1)

    it = _lines(text)
    buf: list[str] = []
    end_at: int | None = None
    for line in it:
        buf.append(line)
        if line.strip().lower() == "endheader":
            end_at = len(buf) - 1
            break
        if len(buf) >= MAX_HEADER_LINES:
            break

    notes: list[str] = []
    if end_at is not None:
        header = _parse_header(path, buf[:end_at])
        fmt = "opensim"
        delimiter: str | None = None
        lineno = end_at + 1  # 1-based number of the endheader line
        column_line = 0
        names: list[str] = []
        for line in it:
            lineno += 1
            if line.strip():
                column_line = lineno
                names = _split_names(line, None)
                break
        if not column_line:
            raise OpenSimFileError(
                path, end_at + 1, "the file ends after 'endheader': the column names are missing"
            )
        if _looks_numeric(names[0]):
            raise OpenSimFileError(
                path,
                column_line,
                "numbers where the column names are expected (the line after 'endheader' must "
                "name the columns, starting with 'time')",
            )
        if not _is_time_name(names[0]):
            raise OpenSimFileError(
                path, column_line, f"the first column is {names[0]!r}, expected 'time'"
            )
        time_index = 0
        data_lines: Iterator[str] = it
        first_lineno = column_line
    else:
        header = _Header()
        # No endheader: a CSV / plain table, or an OpenSim header missing its endheader.
        first = next(
            (i for i, ln in enumerate(buf) if ln.strip() and not ln.lstrip().startswith("#")), None
        )
        if first is None:
            raise OpenSimFileError(path, None, "has no data (only blank or comment lines)")
        for i, ln in enumerate(buf):
            s = ln.strip()
            if s.startswith("<?xml") or s.startswith("<OpenSimDocument"):
                raise OpenSimFileError(
                    path,
                    i + 1,
                    "is an XML file (an OpenSim model or setup file?), not a data table",
                )
            if s.startswith("PathFileType"):
                raise OpenSimFileError(
                    path, i + 1, "is a .trc marker file, not a motion, activation or force table"
                )
            if s:
                break
        # OpenSim-style header lines before the names, but no endheader
        for i, ln in enumerate(buf[: min(len(buf), 200)]):
            s = ln.strip()
            m = _KEY_VALUE.match(s)
            key = m.group(1) if m else (s.split(None, 1)[0].lower() if s else "")
            if (m and key in ("version", "nRows", "nColumns", "inDegrees", "DataType")) or (
                key in ("datacolumns", "datarows")
            ):
                raise OpenSimFileError(
                    path,
                    i + 1,
                    f"the header (with {key} on this line) has no 'endheader' line; OpenSim "
                    "files need 'endheader' on its own line before the column names",
                )
            if s and _is_time_name(re.split(r"[,;\t ]", s)[0]):
                break
        column_line = first + 1
        line = buf[first]
        counts = {d: line.count(d) for d in (",", ";")}
        delimiter = max(counts, key=lambda d: counts[d])
        if counts[delimiter] == 0:
            delimiter = None
        fmt = "text" if delimiter is None else "csv"
        names = _split_names(line, delimiter)
        while len(names) > 1 and not names[-1]:
            names.pop()  # trailing separators
        if all(_looks_numeric(n) for n in names if n):
            raise OpenSimFileError(
                path,
                column_line,
                "no header: numbers where the column names (with a 'time' column) are expected",
            )
        time_index = next((i for i, n in enumerate(names) if _is_time_name(n)), -1)
        if time_index < 0:
            shown = ", ".join(repr(n) for n in names[:6]) + (" ..." if len(names) > 6 else "")
            raise OpenSimFileError(
                path,
                column_line,
                f"no time column among the column names ({shown}); name one 'time'",
            )
        if fmt == "text" and time_index != 0:
            raise OpenSimFileError(
                path, column_line, f"the first column is {names[0]!r}, expected 'time'"
            )

        def chained() -> Iterator[str]:
            yield from buf[first + 1 :]
            yield from it

        data_lines = chained()
        first_lineno = column_line

    ncols = len(names)
    if ncols < 2:
        raise OpenSimFileError(path, column_line, "only a time column: there is no data column")
    if ncols > MAX_COLUMNS:
        raise OpenSimFileError(
            path, column_line, f"{ncols} columns; more than {MAX_COLUMNS} are refused"
        )
    if any(not n for n in names):
        k = names.index("")
        raise OpenSimFileError(path, column_line, f"column {k + 1} has no name")

    _report(progress, 0.02)
    chunks: list[np.ndarray] = []
    row_lines: list[int] = []
    flat: list[str] = []
    chunk_lines: list[int] = []
    lineno = first_lineno
    consumed = 0
    csv = fmt == "csv"
    decimal_comma = delimiter == ";"
    for line in data_lines:
        lineno += 1
        consumed += len(line) + 1
        if csv:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split(delimiter)
            while len(parts) > ncols and not parts[-1].strip():
                parts.pop()  # trailing separators
            toks = [t.strip().strip('"').strip() or "nan" for t in parts]
            if decimal_comma:
                toks = [t.replace(",", ".") for t in toks]
        else:
            toks = line.split()
            if not toks:
                continue
        if len(toks) != ncols:
            _bad_row_length(path, lineno, toks, names, column_line, data_lines)
        flat.extend(toks)
        chunk_lines.append(lineno)
        if len(chunk_lines) >= _CHUNK_ROWS:
            chunks.append(_convert(path, flat, chunk_lines, names))
            row_lines.extend(chunk_lines)
            flat, chunk_lines = [], []
            if len(row_lines) > MAX_ROWS:
                raise OpenSimFileError(
                    path, lineno, f"more than {MAX_ROWS:,} data rows are refused"
                )
            _report(progress, 0.02 + 0.9 * consumed / total_chars)
    if chunk_lines:
        chunks.append(_convert(path, flat, chunk_lines, names))
        row_lines.extend(chunk_lines)
    if len(row_lines) > MAX_ROWS:
        raise OpenSimFileError(path, None, f"more than {MAX_ROWS:,} data rows are refused")
    if not row_lines:
        raise OpenSimFileError(
            path, column_line, "no data rows follow the column names (the file ends here)"
        )
    data = np.concatenate(chunks, axis=0) if len(chunks) > 1 else chunks[0]
    del chunks, flat
    lines_arr = np.asarray(row_lines, dtype=np.int64)
    _report(progress, 0.95)

    # Header promises
    md = header.metadata
    n_rows = len(row_lines)
    for key, legacy in (("nRows", False), ("datarows", True)):
        if key in md:
            promised = int(md[key])
            if promised != n_rows:
                msg = (
                    f"the header promises {key}={promised} but the file has {n_rows} data "
                    f"row{'' if n_rows == 1 else 's'}"
                )
                if n_rows < promised and not legacy:
                    raise OpenSimFileError(path, lineno, msg + ": the file looks truncated")
                notes.append(msg + "; read the rows present")
    for key in ("nColumns", "datacolumns"):
        if key in md and int(md[key]) != ncols:
            notes.append(
                f"the header says {key}={md[key]} but the column names (line {column_line}) "
                f"count {ncols}; used the names"
            )
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        notes.append("repeated column names (the first of each is used): " + ", ".join(dup))

    time = np.ascontiguousarray(data[:, time_index])
    if _MILLISECONDS.search(names[time_index]):
        time = time / 1000.0
        notes.append(f"the time column {names[time_index]!r} is in milliseconds: read as seconds")
    keep = [i for i in range(ncols) if i != time_index]
    values = np.ascontiguousarray(data[:, keep])
    columns = tuple(names[i] for i in keep)
    _check_time(path, time, lines_arr)
    _report(progress, 1.0)
    return Table(
        path=path,
        columns=columns,
        time=time,
        data=values,
        in_degrees=header.in_degrees,
        metadata=dict(md),
        name=header.name,
        format=fmt,
        column_line=column_line,
        row_lines=lines_arr,
        notes=notes,
    )


def _bad_row_length(
    path: Path,
    lineno: int,
    toks: list[str],
    names: list[str],
    column_line: int,
    rest: Iterator[str],
) -> None:
    n, ncols = len(toks), len(names)
    is_last = not any(ln.strip() for ln in rest)
    if is_last and n < ncols:
        raise OpenSimFileError(
            path,
            lineno,
            f"the last line has only {n} of {ncols} values: the file looks truncated",
        )
    raise OpenSimFileError(
        path,
        lineno,
        f"{n} values but {ncols} column names (line {column_line})",
    )


def _not_a_number(token: str) -> str | None:
    """Why a token that Python's float() takes is still no number in a data file: digits
    grouped with '_' (1_000) and digits of other scripts (Arabic-Indic, full-width) are not
    written by any program that makes these files, and are more likely a mistake."""
    if "_" in token:
        return "is not a number (digits grouped with '_')"
    if not token.isascii():
        return "is not a number (only the digits 0-9 are read)"
    return None


def _convert(path: Path, flat: list[str], lines: list[int], names: list[str]) -> np.ndarray:
    ncols = len(names)
    joined = "".join(flat)
    if "_" in joined or not joined.isascii():
        for k, tok in enumerate(flat):
            why = _not_a_number(tok)
            if why is not None:
                row, col = divmod(k, ncols)
                shown = tok if len(tok) <= 40 else tok[:37] + "..."
                problem = f"{shown!r} in column {names[col]!r} {why}"
                raise OpenSimFileError(path, lines[row], problem)
    try:
        arr = np.array(flat, dtype=np.float64)
    except (ValueError, OverflowError):
        arr = None
    if arr is None:
        for k, tok in enumerate(flat):
            try:
                float(tok)
            except (ValueError, OverflowError):
                row, col = divmod(k, ncols)
                shown = tok if len(tok) <= 40 else tok[:37] + "..."
                raise OpenSimFileError(
                    path, lines[row], f"{shown!r} in column {names[col]!r} is not a number"
                ) from None
        raise OpenSimFileError(path, lines[0], "numbers that could not be converted")
    return arr.reshape(len(lines), ncols)


def _check_time(path: Path, time: np.ndarray, lines: np.ndarray) -> None:
    bad = np.flatnonzero(~np.isfinite(time))
    if len(bad):
        i = int(bad[0])
        raise OpenSimFileError(path, int(lines[i]), f"the time is {time[i]} (not a finite number)")
    if len(time) < 2:
        return
    d = np.diff(time)
    bad = np.flatnonzero(d <= 0)
    if len(bad):
        i = int(bad[0]) + 1
        if d[i - 1] == 0:
            raise OpenSimFileError(
                path,
                int(lines[i]),
                f"the time {_fmt(time[i])} repeats the time of line {int(lines[i - 1])} "
                "(duplicate row?)",
            )
        raise OpenSimFileError(
            path,
            int(lines[i]),
            f"the time goes backwards ({_fmt(time[i])} after {_fmt(time[i - 1])} on line "
            f"{int(lines[i - 1])})",
        )
    small = np.flatnonzero(d < MIN_TIME_STEP)
    if len(small):
        i = int(small[0]) + 1
        raise OpenSimFileError(
            path,
            int(lines[i]),
            f"the time steps by only {_fmt(d[i - 1])} s from line {int(lines[i - 1])}: no "
            f"recording is sampled faster than every {MIN_TIME_STEP:g} s (is the time in "
            "seconds?)",
        )


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return str(x)
    return f"{x:.6g}"
