"""One way to ask each question: "may this person…" is a named permission (templates ask it with
`{% has_perm %}` / `perms`, never by role), and "which rows" comes from ansinh/access.py (no app builds a
tree-path filter of its own). These tests read the source, so a second way fails the suite where it is
written, before anyone relies on it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The role names as stored; a template that spells one is deciding by role.
ROLE_NAMES = ["police_clerk", "unit_head", "steering_office", "chairman", "records_clerk", "admin"]
# The access layer and the tree's own manager (Unit.objects.under, moving a subtree) are where the tree
# path is filtered on.
PATH_FILTER_HOMES = {"ansinh/access.py", "units/models.py"}


def app_dirs():
    """Every Django app of the project (a folder with an apps.py), today's and future ones."""
    return sorted(p.parent for p in ROOT.glob("*/apps.py"))


def app_python_files():
    for app in app_dirs():
        for path in sorted(app.rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def template_files():
    for folder in [ROOT / "templates", *(app / "templates" for app in app_dirs())]:
        yield from sorted(folder.rglob("*.html"))


def offenders(paths, pattern):
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(pattern, line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_the_scan_covers_every_app_and_the_templates():
    assert [p.name for p in app_dirs()] == [
        "ansinh",
        "certificates",
        "dossiers",
        "registrations",
        "reports",
        "scoring",
        "units",
    ]
    assert (ROOT / "templates/dossiers/_nav.html") in set(template_files())


def test_templates_never_decide_by_role():
    roles = "|".join(ROLE_NAMES)
    pattern = rf"\bRole\.|\brole\s*[!=]=|OVERSEEING_ROLES|nav_roles|['\"]({roles})['\"]"
    assert offenders(template_files(), pattern) == []


def test_apps_never_compare_role_strings():
    assert offenders(app_python_files(), r"\brole\s*[!=]=\s*") == []


def test_views_and_template_tags_never_list_roles_that_a_permission_names():
    paths = [p for p in app_python_files() if p.name == "views.py" or "templatetags" in p.parts]
    assert offenders(paths, r"OVERSEEING_ROLES|roles_of\(") == []


def test_only_the_access_layer_and_the_tree_filter_on_the_tree_path():
    paths = [p for p in app_python_files() if str(p.relative_to(ROOT)) not in PATH_FILTER_HOMES]
    assert offenders(paths, r"path__i?startswith") == []
