"""Makes the Lambda zip lean: drops what the functions never load, ships compiled bytecode.

    python infra/prune_package.py <out-dir>     (run by infra/package.sh after `chalice package`)

Rewrites <out-dir>/deployment.zip in place:

* drops the tests and docs of dependencies, the powertools parts the app does not use
  (the event handler with its bundled swagger-ui, most utilities), pydantic's v1 shim and
  mypy plugin, and every country's holidays and translations except Greece's;
* compiles every module to ``__pycache__/*.pyc`` with unchecked-hash invalidation: zip entries
  are dated 1980, so timestamp-checked bytecode would never match its source and the read-only
  Lambda would compile every module on every cold start. Unchecked bytecode is used as is;
* checks, in a fresh interpreter with nothing but the unpacked zip and the standard library on
  the path, that the handlers import, a Greek holiday is found and a request model validates.

It must run on the Python of the functions' runtime (bytecode is per Python version).
"""

from __future__ import annotations

import importlib
import json
import os
import py_compile
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

# Paths inside the zip (prefixes ending in "/" are directories) that the functions never load.
DROP_PREFIXES = (
    "icalendar/tests/",
    # The local stage's dev tokens only (chalicelib/api/auth.py); Lambda has the authorizer.
    "jwt/",
    "pydantic/v1/",
    "pydantic/mypy.py",
    "holidays/generate_ics.py",
    # Zone data for tools and for dateutil's own lookups: zoneinfo reads the tzdata package.
    "dateutil/zoneinfo/dateutil-zoneinfo.tar.gz",
    "tzdata/zoneinfo/tzdata.zi",
)
# aws_lambda_powertools: the app uses Logger and Metrics (chalicelib/observability.py), and
# Parameters for the pseudonym key in the AWS stages (chalicelib/config.py).
POWERTOOLS_KEEP = {
    "__init__.py",
    "exceptions",
    "logging",
    "metrics",
    "middleware_factory",
    "package_logger.py",
    "shared",
    "tracing",
    "warnings",
    "utilities/__init__.py",
    "utilities/jmespath_utils",
    "utilities/parameters",
    "utilities/typing",
}
# holidays: Greece only (chalicelib/domain/calendar.py), with its translations.
HOLIDAYS_COUNTRY = "greece"
HOLIDAYS_CODE = "GR"
# ...and the calendars and holiday groups Greece's holidays are computed with (Orthodox Easter
# on the Julian calendar): the lunisolar ones (Chinese, Hindu, Islamic...) are ~180 KB zipped.
HOLIDAYS_PARTS = {
    "calendars": ("ethiopian", "gregorian", "julian", "julian_revised"),
    "groups": ("christian", "custom", "international"),
}
DROP_SUFFIXES = (".pyi",)
# The prefix tracebacks show for a module: where Lambda unpacks the zip.
TASK_ROOT = "/var/task"

# Imported inside functions (chalicelib/messages.py, services/booking_ics.py, config.py): not at
# cold start.
LAZY = ("jinja2", "icalendar", "aws_lambda_powertools.utilities.parameters")
# In the Lambda runtime, not in the zip.
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six", "urllib3")
# Run in the unpacked tree: what a function loads at cold start and on its request paths,
# printed as the files it imported. Only those are compiled: bytecode for modules nobody
# imports would double their size in the zip for nothing.
EXERCISE = """
import datetime, importlib, importlib.machinery, json, os, pkgutil, sys
tree, case = sys.argv[1], sys.argv[2]
# Also the modules whose import fails and is caught (dateutil's Windows zones on Linux): they
# leave sys.modules but are compiled on every cold start all the same.
compiled = []
loader = importlib.machinery.SourceFileLoader
original = loader.source_to_code
loader.source_to_code = lambda self, data, path, **kw: compiled.append(path) or original(
    self, data, path, **kw)
sys.path[:0] = [tree]
sys.path.append(os.environ["RUNTIME_PATH"])
import app
import chalicelib
from chalicelib.domain.calendar import is_greek_public_holiday
from chalicelib.api.case_schemas import ActionIn
assert app.app.routes and app.on_timer and app.sweeper
assert is_greek_public_holiday(datetime.date(2027, 5, 3)), "Orthodox Easter Monday"
assert not is_greek_public_holiday(datetime.date(2027, 5, 12))
assert ActionIn.model_validate_json(case).version == 1
for module in pkgutil.walk_packages(chalicelib.__path__, "chalicelib."):
    importlib.import_module(module.name)
for module in sys.argv[3].split(","):
    importlib.import_module(module)
files = [getattr(m, "__file__", None) or "" for m in list(sys.modules.values())] + compiled
print(json.dumps(sorted({f for f in files if f.startswith(tree) and f.endswith(".py")})))
"""
SMOKE_CASE = {"version": 1, "note": "Ο πολίτης ενημερώθηκε τηλεφωνικά."}


def keep(name: str) -> bool:
    """Whether a zip entry is shipped."""
    if name.endswith(DROP_SUFFIXES) or name.startswith(DROP_PREFIXES):
        return False
    top, _, rest = name.partition("/")
    if top.endswith(".dist-info"):
        # pip's list of installed files; metadata and licences stay.
        return rest != "RECORD" and not top.startswith("PyJWT-")
    if top == "holidays" and rest.startswith("financial/"):
        return rest == "financial/__init__.py"
    if top == "aws_lambda_powertools" and rest:
        return any(rest == k or rest.startswith(k + "/") for k in POWERTOOLS_KEEP)
    for part, modules in HOLIDAYS_PARTS.items():
        if top == "holidays" and rest.startswith(f"{part}/"):
            return rest.removeprefix(f"{part}/") in ("__init__.py", *(f"{m}.py" for m in modules))
    if top == "holidays" and rest.startswith("countries/"):
        module = rest.removeprefix("countries/")
        return module in ("__init__.py", f"{HOLIDAYS_COUNTRY}.py")
    if top == "tzdata" and rest.startswith("zoneinfo/"):
        return _needed_zone(rest.removeprefix("zoneinfo/"))
    if top == "holidays" and rest.startswith("locale/"):
        return rest.endswith(f"/{HOLIDAYS_CODE}.mo") or rest.endswith(f"/{HOLIDAYS_CODE}.po")
    return True


# The platform reads Europe/Athens only (chalicelib/domain/local_time.py) and UTC; the tzdata
# package stands in for a system zone database the runtime may not have.
ZONES = ("Europe/Athens", "UTC", "Etc/UTC")


def _needed_zone(path: str) -> bool:
    return path in ZONES or path.endswith(("__init__.py", "/"))


PRUNED = "# Pruned for the Lambda zip by infra/prune_package.py.\n"


def greece_only_countries_init(source: str) -> str:
    """holidays/countries/__init__.py imports every country: keep Greece's import only."""
    line = rf"^from holidays\.countries\.{HOLIDAYS_COUNTRY} import [^(\n]*$"
    found = re.search(line, source, re.MULTILINE)
    if found is None:
        raise SystemExit(f"prune_package: no {HOLIDAYS_COUNTRY} import in holidays.countries")
    return f"{PRUNED}{found.group(0)}\n"


def kept_parts_init(part: str, source: str) -> str:
    """holidays/<part>/__init__.py imports every calendar (or group): keep the kept ones."""
    kept = "|".join(HOLIDAYS_PARTS[part])
    lines = re.findall(rf"^from holidays\.{part}\.(?:{kept}) import [^(\n]*$", source, re.MULTILINE)
    if not lines:  # (the exercise below proves what is kept is enough: a Greek holiday is found)
        raise SystemExit(f"prune_package: holidays.{part} imports none of {kept}")
    return PRUNED + "\n".join(lines) + "\n"


def metadata_headers(metadata: str) -> str:
    """A distribution's metadata without its long description (the README after the headers):
    importlib.metadata reads the headers (name, version, entry points live elsewhere)."""
    headers, _, _ = metadata.partition("\n\n")
    return headers + "\n"


def prune(zip_path: Path, tree: Path) -> None:
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            if not keep(info.filename):
                continue
            target = tree / info.filename
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(info))
            target.chmod((info.external_attr >> 16) & 0o777 or 0o644)
    for metadata in tree.glob("*.dist-info/METADATA"):
        metadata.write_text(metadata_headers(metadata.read_text()))
    countries = tree / "holidays" / "countries" / "__init__.py"
    countries.write_text(greece_only_countries_init(countries.read_text()))
    for part in HOLIDAYS_PARTS:
        init = tree / "holidays" / part / "__init__.py"
        init.write_text(kept_parts_init(part, init.read_text()))
    # Financial markets' calendars are looked up by name only when asked for: none are.
    (tree / "holidays" / "financial" / "__init__.py").write_text(PRUNED)


def compile_modules(tree: Path, modules: list[str]) -> None:
    """Our code keeps its source beside unchecked-hash bytecode (tracebacks show the lines);
    a dependency's module is replaced by its bytecode alone, to fit the zip's size budget."""
    for module in map(Path, modules):
        relative = module.relative_to(tree).as_posix()
        own = relative == "app.py" or relative.startswith("chalicelib/")
        py_compile.compile(
            str(module),
            cfile=None if own else str(module.with_suffix(".pyc")),
            # Tracebacks name the module where Lambda unpacks the zip.
            dfile=f"{TASK_ROOT}/{relative}",
            doraise=True,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )
        if not own:
            module.unlink()


def write_zip(tree: Path, zip_path: Path) -> None:
    files = sorted(p for p in tree.rglob("*") if p.is_file())
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            # Dated 1980 like chalice's own entries: the same tree gives the same zip.
            info = zipfile.ZipInfo(path.relative_to(tree).as_posix(), (1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | (path.stat().st_mode & 0o777)) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=9)


def lambda_runtime_packages(into: Path) -> Path:
    """A directory with what the Lambda runtime adds to the path: boto3 and what it needs."""
    into.mkdir()
    for name in RUNTIME_PACKAGES:
        module = importlib.import_module(name)
        source = Path(module.__file__)
        source = source.parent if source.name == "__init__.py" else source
        (into / source.name).symlink_to(source)
    return into


def exercise(tree: Path, runtime: Path) -> list[str]:
    """Runs the app from the tree in a fresh interpreter; returns the module files it loaded.

    The interpreter sees only the tree, the standard library and, after the tree, the
    runtime's own packages.
    """
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-B",
            "-c",
            EXERCISE,
            str(tree),
            json.dumps(SMOKE_CASE),
            ",".join(LAZY),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "STAGE": "prod", "STORE": "dynamodb", "RUNTIME_PATH": str(runtime)},
        timeout=120,
    )
    if result.returncode != 0:
        raise SystemExit(f"prune_package: the pruned package does not work:\n{result.stderr}")
    return json.loads(result.stdout)


def check_runtime(out: Path) -> None:
    """The bytecode is for this Python: the template's functions must run the same version."""
    runtimes = set(re.findall(r'"Runtime": "(python3\.\d+)"', (out / "sam.json").read_text()))
    mine = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if runtimes != {mine}:
        raise SystemExit(f"prune_package: functions run {sorted(runtimes)}, this is {mine}")


def main(out: Path) -> None:
    check_runtime(out)
    zip_path = out / "deployment.zip"
    before = zip_path.stat().st_size
    with tempfile.TemporaryDirectory() as work:
        tree = Path(work) / "tree"
        tree.mkdir()
        prune(zip_path, tree)
        runtime = lambda_runtime_packages(Path(work) / "runtime")
        modules = exercise(tree, runtime)
        compile_modules(tree, modules)
        pruned = Path(work) / "deployment.zip"
        write_zip(tree, pruned)
        shutil.move(pruned, zip_path)
    after = zip_path.stat().st_size
    print(
        f"pruned deployment.zip: {before / 1e6:.2f} MB -> {after / 1e6:.2f} MB"
        f" ({len(modules)} modules compiled)"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
