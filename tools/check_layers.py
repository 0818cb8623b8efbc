#!/usr/bin/env python3
"""The backend's three floors, checked (part of `make test`).

backend/src has a kernel below (cross-cutting modules and `domain`), areas beside each
other, and the composition on top (`startup`, `cli`, `seed`, `main`). This script fails
(exit 1, one line per finding) when:

- a kernel module imports an area or the composition;
- an area imports the composition;
- an area reaches into another area other than through what that area's `mod.rs`
  declares public (`pub use …` or an item defined there): `crate::periods::PeriodRow`
  is fine, `crate::periods::store::PeriodRow` is not;
- a file that declares handlers (`#[get(..)]`, `#[post(..)]`, …) runs a query (diesel
  calls belong in `store` modules);
- the top-level modules import each other in a cycle.

Usage, from the project root: python3 tools/check_layers.py [backend/src]
"""
import os
import re
import sys

KERNEL = {
    "audit", "auth", "config", "crypto", "db", "domain", "email", "embedded", "error",
    "http", "ids", "keys", "pagination", "permissions", "schema", "state", "telemetry", "tokens",
}
AREAS = {"admin", "attendance", "clients", "consents", "periods", "privacy", "reports", "system"}
COMPOSITION = {"startup", "cli", "seed", "main", "lib"}

HANDLER = re.compile(r"^\s*#\[(get|post|put|patch|delete)\(", re.M)
QUERY = re.compile(
    r"diesel::(insert_into|update|delete|select|sql_query)\b"
    r"|\bRunQueryDsl\b"
    r"|::table\b"
    r"|\.(load|get_result|get_results|execute|first)\(\s*conn\b"
)
CRATE_PATH = re.compile(r"\bcrate::([a-z_][a-z0-9_]*)((?:::[A-Za-z_][A-Za-z0-9_]*)*)(::\{)?")
COMMENT = re.compile(r"//[^\n]*")


def top_module(path, root):
    first = os.path.relpath(path, root).split(os.sep)[0]
    return first[:-3] if first.endswith(".rs") else first


def rust_files(root):
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith(".rs"):
                yield os.path.join(folder, name)


def code_of(path):
    """The file without comments and without its `#[cfg(test)] mod tests` (tests may
    use anything)."""
    text = open(path, encoding="utf-8").read()
    cut = text.find("#[cfg(test)]\nmod tests")
    if cut >= 0:
        text = text[:cut]
    return COMMENT.sub("", text)


def group_items(text, start):
    """Top-level names inside a `{ … }` use group starting at `start` (just after `{`)."""
    depth, item, items = 1, "", []
    for ch in text[start:]:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                break
        if depth == 1 and ch == ",":
            items.append(item)
            item = ""
        elif depth >= 1:
            item += ch
    items.append(item)
    names = []
    for item in items:
        item = item.strip()
        if item:
            names.append(re.split(r"::|\s|\{", item)[0])
    return names


def surface(area_dir):
    """Names an area's mod.rs makes public: `pub use` targets and items defined there."""
    path = os.path.join(area_dir, "mod.rs")
    if not os.path.exists(path):
        return set()
    text = code_of(path)
    names = set()
    for m in re.finditer(r"pub use [^;]*;", text):
        stmt = m.group(0)
        for alias in re.findall(r"\bas\s+([A-Za-z_][A-Za-z0-9_]*)", stmt):
            names.add(alias)
        body = stmt[len("pub use "):-1]
        if "{" in body:
            names.update(n for n in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", body[body.index("{"):]) if n != "as" and n != "self")
        else:
            names.add(re.split(r"::", body)[-1].split(" as ")[0].strip())
    for m in re.finditer(r"^pub (?:async )?(?:fn|struct|enum|const|type|trait) ([A-Za-z_][A-Za-z0-9_]*)", text, re.M):
        names.add(m.group(1))
    return names


def main(root):
    problems = []
    surfaces = {area: surface(os.path.join(root, area)) for area in AREAS}
    edges = {}
    for path in rust_files(root):
        src = top_module(path, root)
        text = code_of(path)
        rel = os.path.relpath(path, os.path.dirname(os.path.dirname(root)) or ".")
        for m in CRATE_PATH.finditer(text):
            dst, rest, group = m.group(1), m.group(2), m.group(3)
            if dst == src or dst in ("self", "super"):
                continue
            edges.setdefault(src, set()).add(dst)
            if src in KERNEL and (dst in AREAS or dst in COMPOSITION):
                problems.append(f"{rel}: the kernel module `{src}` imports `crate::{dst}`")
            elif src in AREAS and dst in COMPOSITION:
                problems.append(f"{rel}: the area `{src}` imports the composition `crate::{dst}`")
            elif src in AREAS and dst in AREAS:
                if rest:
                    names = [rest.split("::")[1]]
                elif group:
                    names = group_items(text, m.end())
                else:
                    names = []  # `use crate::periods;` then `periods::X` — checked below
                for name in names:
                    if name != "self" and name not in surfaces[dst]:
                        problems.append(
                            f"{rel}: `crate::{dst}::{name}` is not in the surface of `{dst}` "
                            f"(its mod.rs re-exports: {', '.join(sorted(surfaces[dst])) or 'nothing'})"
                        )
                # `use crate::periods::{self, …}` / `use crate::periods;` then `periods::x::y`
                for use in re.finditer(rf"\b{dst}::([a-z_][a-z0-9_]*)::", text):
                    if use.group(1) not in surfaces[dst] and re.search(rf"use crate::(?:{dst}\b|{dst}::\{{[^}}]*\bself\b)", text):
                        problems.append(f"{rel}: `{dst}::{use.group(1)}::…` reaches inside `{dst}`")
        if HANDLER.search(text) and QUERY.search(text):
            line = text[: QUERY.search(text).start()].count("\n") + 1
            problems.append(f"{rel}:{line}: a handler file runs a query (move it to a store module)")
    problems.extend(cycles(edges))
    for problem in sorted(set(problems)):
        print(problem)
    if problems:
        print(f"{len(set(problems))} layering problem(s); see tools/check_layers.py for the rules")
        return 1
    return 0


def cycles(edges):
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    nodes = set(edges) | {v for vs in edges.values() for v in vs}

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(f"import cycle between top-level modules: {', '.join(sorted(comp))}")

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "backend/src"))
