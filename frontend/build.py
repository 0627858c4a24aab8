"""Builds the static site: jinja2 templates x message catalogues (el, en) -> frontend/dist.

Run with the project's venv: `.venv/bin/python frontend/build.py`. `COGNITO_DOMAIN` and
`COGNITO_CLIENT_ID` (from the infra stack's outputs) switch the console to the hosted login.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
MESSAGES = HERE / "messages"
STATIC = HERE / "static"
DIGIGOV_CSS = HERE / "node_modules" / "@digigov" / "css" / "dist" / "digigov.css"
LANGUAGES = ("el", "en")

# template -> path under /<lang>/ ("" is the language's home page)
PAGES: dict[str, str] = {
    "home.html": "",
    "ask.html": "ask",
    "track.html": "track",
    "book.html": "book",
    "manage.html": "appointments",
    "callback.html": "callback",
    "callback_status.html": "callback/status",
    "transparency.html": "transparency",
    "survey.html": "survey",
    "agent/signin.html": "agent",
    "agent/queue.html": "agent/queue",
    "agent/case.html": "agent/case",
    "agent/call.html": "agent/call",
    "agent/callbacks.html": "agent/callbacks",
    "agent/citizen.html": "agent/citizen",
    "agent/branch.html": "agent/branch",
    "agent/breaches.html": "agent/breaches",
    "agent/kpis.html": "agent/kpis",
    "agent/agents.html": "agent/agents",
}


def load_messages() -> dict[str, dict[str, Any]]:
    catalogues = {
        lang: json.loads((MESSAGES / f"{lang}.json").read_text("utf-8")) for lang in LANGUAGES
    }
    missing = _keys(catalogues["el"]) ^ _keys(catalogues["en"])
    if missing:
        raise SystemExit(f"message keys differ between el and en: {sorted(missing)}")
    return catalogues


def _keys(tree: dict[str, Any], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in tree.items():
        path = f"{prefix}{key}"
        keys |= _keys(value, f"{path}.") if isinstance(value, dict) else {path}
    return keys


def site_config(env: dict[str, str]) -> dict[str, Any]:
    domain, client = env.get("COGNITO_DOMAIN"), env.get("COGNITO_CLIENT_ID")
    if domain and client:
        if not domain.startswith("https://"):
            domain = f"https://{domain}"
        return {"auth": "cognito", "cognito": {"domain": domain.rstrip("/"), "client_id": client}}
    return {"auth": "local"}


def copy_static(dist: Path) -> dict[str, str]:
    """Copies static files and the gov.gr CSS; returns a content hash per file for cache busting."""
    target = dist / "static"
    shutil.copytree(STATIC, target)
    if not DIGIGOV_CSS.is_file():
        raise SystemExit(f"{DIGIGOV_CSS} is missing: run `npm ci` in frontend/ (make site does)")
    shutil.copy(DIGIGOV_CSS, target / "css" / "digigov.css")
    # Modules import each other by relative URL; one version for the whole build keeps a
    # cached old module from meeting a new one.
    files = sorted(p for p in target.rglob("*") if p.is_file())
    version = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()[:10]
    for module in target.rglob("*.js"):
        text = module.read_text("utf-8")
        module.write_text(_IMPORT.sub(rf"\1\2?v={version}\3", text), "utf-8")
    return {
        str(path.relative_to(target)): hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        for path in files
    }


_IMPORT = re.compile(r"""(\bfrom\s+["'])(\.{1,2}/[^"'?]+\.js)(["'])""")


def build(dist: Path, env: dict[str, str]) -> list[Path]:
    catalogues = load_messages()
    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir(parents=True)
    hashes = copy_static(dist)

    def static(name: str) -> str:
        return f"/static/{name}?v={hashes[name]}"

    jinja = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    jinja.globals["static"] = static
    written = []
    for lang in LANGUAGES:
        other = "en" if lang == "el" else "el"
        for template, path in PAGES.items():
            out = dist / lang / path / "index.html"
            out.parent.mkdir(parents=True, exist_ok=True)
            html = jinja.get_template(template).render(
                lang=lang,
                other=other,
                t=catalogues[lang],
                path=f"{path}/" if path else "",
                page=Path(template).stem,
                console=template.startswith("agent/"),
            )
            out.write_text(html, "utf-8")
            written.append(out)
        # A styled "page not found" per language; /404.html (Greek) is the one CloudFront serves.
        page = jinja.get_template("404.html").render(
            lang=lang, other=other, t=catalogues[lang], path="404.html", page="404", console=False
        )
        for out in (dist / lang / "404.html", *([dist / "404.html"] if lang == "el" else [])):
            out.write_text(page, "utf-8")
            written.append(out)
    # The site root sends people to Greek; /agent/ is where the hosted login returns.
    for template, out in (
        ("root.html", dist / "index.html"),
        ("auth.html", dist / "agent" / "index.html"),
    ):
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(jinja.get_template(template).render(t=catalogues), "utf-8")
        written.append(out)
    (dist / "config.json").write_text(json.dumps(site_config(env), indent=2) + "\n", "utf-8")
    return written


def main() -> None:
    dist = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "dist"
    written = build(dist, dict(os.environ))
    print(f"built {len(written)} pages into {dist}")


if __name__ == "__main__":
    main()
