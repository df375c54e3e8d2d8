#!/usr/bin/env python3
"""Fails when a layer reaches where it must not (ARCHITECTURE.md's invariants):

- the core's foundations (store/, audit, error, clock, ids, money, validate, i18n, mask) name no
  area module: what an area needs of them it registers in `areas.rs`;
- the page decides no role rule: `ui/js` never compares the signed-in person's role (it asks
  Rust, `status.can`), though it may show the role's name.
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
src = root / "crates/frontdesk-core/src"
FOUNDATIONS = ["store", "audit", "error", "clock", "ids", "money", "validate", "i18n", "mask"]

modules = re.findall(r"^pub mod (\w+);", (src / "lib.rs").read_text(), re.M)
areas = [m for m in modules if m not in FOUNDATIONS and m != "areas"]
assert len(areas) > 10, areas

problems = []
files = [p for f in FOUNDATIONS for p in ([src / f"{f}.rs"] if (src / f"{f}.rs").exists() else sorted((src / f).glob("*.rs")))]
# `crate::area`, or an area's path anywhere (`area::item`, in code or in a doc comment).
named = re.compile(r"(?<![\w:])(?:crate::)?(%s)::" % "|".join(areas))
grouped = re.compile(r"crate::\{([^}]*)\}")
for path in files:
    for n, line in enumerate(path.read_text().splitlines(), 1):
        hits = named.findall(line)
        for group in grouped.findall(line):
            hits += [a for a in areas if re.search(r"\b%s\b" % a, group)]
        for a in hits:
            problems.append(f"{path.relative_to(root)}:{n}: a foundation names the area `{a}`: {line.strip()}")

role_rule = re.compile(r"\.role\b[^;]*(===|!==|==|includes\()|includes\([^)]*\.role\b")
for path in sorted((root / "ui/js").rglob("*.js")):
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if role_rule.search(line):
            problems.append(f"{path.relative_to(root)}:{n}: the page decides by role (ask Rust: status.can): {line.strip()}")

for p in problems:
    print(p, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"   {len(files)} foundation files name none of {len(areas)} areas; ui/js compares no role")
