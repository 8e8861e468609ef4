"""A FHIR profile checker for the tests: validates a resource against a StructureDefinition *snapshot* (the HL7
Symptoms IG's, compiled with SUSHI: tests/vendor/hl7.fhir.uv.symptoms-1.0.0/README.md).

It checks what the IG's profiles constrain on top of base FHIR (which `fhir.resources.R4B` checks first):

- the cardinality of every element the snapshot describes, prohibitions (max 0) included;
- the types a choice element (`value[x]`, `effective[x]`) may take;
- `fixed[x]` values exactly and `pattern[x]` values as a subset (a pattern array: each item matched by one);
- slicing by value or pattern on `code`, `url` or `$this`, and by type: each slice's cardinality, closed slicing,
  and each matched item against its slice's own elements; an item that would match a slice but for its
  Coding.display is reported, since the IG's patterns include the display;
- extensions against their own definitions (url, value type, cardinality);
- references to the allowed target types, a `urn:uuid:` reference resolved through the bundle it came in;
- required bindings whose value set can be expanded here;
- error-level invariants (FHIRPath, evaluated with fhirpathpy on the R4 model); those fhirpathpy cannot evaluate
  (ele-1's `hasValue()`) are listed in `unsupported`, never silently passed as checked.

Not checked: preferred and example bindings, whether a SNOMED CT or LOINC code exists, elements the snapshot
does not describe (the base model's job).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fhirpathpy
from fhirpathpy.models import models as fhirpath_models

PRIMITIVES = frozenset(
    {"boolean", "integer", "string", "decimal", "uri", "url", "canonical", "base64Binary", "instant", "date",
     "dateTime", "time", "code", "oid", "id", "markdown", "unsignedInt", "positiveInt", "uuid", "xhtml"}
)  # fmt: skip
R4 = fhirpath_models["r4"]
LITERAL = re.compile(r"^(?:.*/)?([A-Z][A-Za-z]+)/[A-Za-z0-9\-.]{1,64}(?:/_history/.*)?$")

Json = dict[str, Any]
Resolver = Callable[[str], str | None]  # a reference → the type of the resource it names, if known


@dataclass(frozen=True)
class Issue:
    severity: str  # "error" or "warning"
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity.upper()} {self.path}: {self.message}"


def matches_pattern(actual: Any, pattern: Any) -> bool:
    """FHIR pattern semantics: every property of the pattern present with the same value; for an array, every
    item of the pattern matched by some item of the value."""
    if isinstance(pattern, dict):
        return isinstance(actual, dict) and all(
            k in actual and matches_pattern(actual[k], v) for k, v in pattern.items()
        )
    if isinstance(pattern, list):
        return isinstance(actual, list) and all(any(matches_pattern(a, p) for a in actual) for p in pattern)
    return bool(actual == pattern)


def _fixed_or_pattern(element: Json) -> tuple[str, Any] | None:
    for key, value in element.items():
        if key.startswith("fixed") and key != "fixed":
            return "fixed", value
        if key.startswith("pattern") and key != "pattern":
            return "pattern", value
    return None


def _without_display(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_display(v) for k, v in value.items() if k != "display"}
    if isinstance(value, list):
        return [_without_display(v) for v in value]
    return value


class Definitions:
    """The StructureDefinitions, ValueSets and CodeSystems in a folder, by canonical URL."""

    def __init__(self, folder: Path) -> None:
        self.by_url: dict[str, Json] = {}
        for path in sorted(folder.glob("*.json")):
            resource = json.loads(path.read_text(encoding="utf-8"))
            if resource.get("resourceType") in ("StructureDefinition", "ValueSet", "CodeSystem") and "url" in resource:
                self.by_url.setdefault(resource["url"], resource)

    def get(self, url: str) -> Json | None:
        return self.by_url.get(url.split("|")[0])

    def expand(self, value_set: str) -> set[tuple[str, str]] | None:
        """The (system, code) pairs of a value set, or None when it cannot be expanded here."""
        vs = self.get(value_set)
        if vs is None or "compose" not in vs:
            return None
        codes: set[tuple[str, str]] = set()
        for include in vs["compose"].get("include", []):
            if "valueSet" in include or "filter" in include:
                return None
            system = include.get("system", "")
            if "concept" in include:
                codes |= {(system, c["code"]) for c in include["concept"]}
                continue
            cs = self.get(system)
            if cs is None or cs.get("content") not in (None, "complete"):
                return None
            stack = list(cs.get("concept", []))
            while stack:
                concept = stack.pop()
                codes.add((system, concept["code"]))
                stack.extend(concept.get("concept", []))
        return codes


@dataclass
class ProfileChecker:
    definitions: Definitions
    unsupported: dict[str, str] = field(default_factory=dict)  # invariant key → why fhirpathpy could not run it

    def validate(self, resource: Json, profile: str, resolve: Resolver | None = None) -> list[Issue]:
        sd = self.definitions.get(profile)
        if sd is None or "snapshot" not in sd:
            return [Issue("error", resource.get("resourceType", "?"), f"no snapshot of {profile}")]
        elements = sd["snapshot"]["element"]
        index = {e["id"]: e for e in elements}
        root = elements[0]["id"]
        run = _Run(self, index, resource, resolve or (lambda reference: None))
        if resource.get("resourceType") != sd["type"]:
            run.issues.append(Issue("error", root, f"resourceType must be {sd['type']}"))
        run.item(resource, root, root)
        return run.issues

    def errors(self, resource: Json, profile: str, resolve: Resolver | None = None) -> list[str]:
        return [str(i) for i in self.validate(resource, profile, resolve) if i.severity == "error"]


@dataclass
class _Run:
    """One validation: the snapshot's elements by id, the resource, and what was found."""

    checker: ProfileChecker
    index: Mapping[str, Json]
    resource: Json
    resolve: Resolver
    issues: list[Issue] = field(default_factory=list)

    def error(self, path: str, message: str) -> None:
        self.issues.append(Issue("error", path, message))

    def children(self, element_id: str) -> list[str]:
        prefix = element_id + "."
        return [
            i
            for i in self.index
            if i.startswith(prefix) and "." not in i[len(prefix) :].replace("[x]", "") and ":" not in i[len(prefix) :]
        ]

    def slices(self, element_id: str) -> list[str]:
        prefix = element_id + ":"
        return [
            i
            for i in self.index
            if i.startswith(prefix) and "." not in i[len(prefix) :] and ":" not in i[len(prefix) :]
        ]

    @staticmethod
    def values(item: Json, child_id: str) -> list[tuple[str, Any, str | None]]:
        """(JSON key, value, chosen type) for each value of a child element; `value[x]` as the keys it takes."""
        name = child_id.rsplit(".", 1)[1]
        if name.endswith("[x]"):
            base = name[:-3]
            found: list[tuple[str, Any, str | None]] = []
            for key, value in item.items():
                if key.startswith(base) and len(key) > len(base) and key[len(base)].isupper():
                    kind = key[len(base) :]
                    lowered = kind[0].lower() + kind[1:]
                    found.append((key, value, lowered if lowered in PRIMITIVES else kind))
            return found
        if name not in item:
            return []
        value = item[name]
        return [(name, v, None) for v in value] if isinstance(value, list) else [(name, value, None)]

    def item(self, item: Any, element_id: str, path: str, index: Mapping[str, Json] | None = None) -> None:
        if index is not None:  # an extension, validated against its own definition
            _Run(self.checker, index, self.resource, self.resolve, self.issues).item(item, element_id, path)
            return
        element = self.index[element_id]
        constraint = _fixed_or_pattern(element)
        if constraint:
            how, expected = constraint
            ok = item == expected if how == "fixed" else matches_pattern(item, expected)
            if not ok:
                self.error(path, f"does not match the {how} value {json.dumps(expected)}")
        self.binding(item, element, path)
        self.reference(item, element, path)
        self.invariants(item, element, path)
        if not isinstance(item, dict):
            return
        types = element.get("type", [])
        if (
            len(types) == 1
            and types[0]["code"] == "Extension"
            and types[0].get("profile")
            and not self.children(element_id)
        ):
            self.extension(item, types[0]["profile"][0], path)
            return
        for child in self.children(element_id):
            child_element = self.index[child]
            found = self.values(item, child)
            if child.endswith("[x]"):
                allowed = [t["code"] for t in child_element.get("type", [])]
                for key, _, kind in found:
                    if allowed and kind not in allowed:
                        self.error(f"{path}.{key}", f"type {kind} not allowed; allowed: {allowed}")
            self.cardinality(len(found), child_element, f"{path}.{child.rsplit('.', 1)[1]}")
            if not found:
                continue
            slices = self.slices(child)
            if slices and "slicing" in child_element:
                self.sliced(found, child, slices, path)
                continue
            for n, (key, value, _) in enumerate(found):
                many = len(found) > 1 or isinstance(item.get(key), list)
                self.item(value, child, f"{path}.{key}" + (f"[{n}]" if many else ""))

    def cardinality(self, count: int, element: Json, path: str, what: str = "") -> None:
        low, high = element.get("min", 0), element.get("max", "*")
        if count < low:
            self.error(path, f"{what}minimum cardinality {low} not met (found {count})")
        if high != "*" and count > int(high):
            self.error(path, f"{what}element is prohibited (max 0)" if high == "0" else
                       f"{what}maximum cardinality {high} exceeded (found {count})")  # fmt: skip

    def slice_matches(self, value: Any, kind: str | None, slice_id: str, index: Mapping[str, Json]) -> bool:
        parent = index[slice_id.rsplit(":", 1)[0]]
        for discriminator in parent["slicing"].get("discriminator", []):
            where, how = discriminator["path"], discriminator["type"]
            if how == "type":
                wanted = [t["code"] for t in index[slice_id].get("type", [])]
                if kind not in wanted:
                    return False
                continue
            if how not in ("value", "pattern"):
                return False  # a discriminator this checker does not know: never a match
            target = index[slice_id] if where == "$this" else index.get(f"{slice_id}.{where}")
            expected = None
            if target is not None:
                constraint = _fixed_or_pattern(target)
                expected = constraint[1] if constraint else None
            if expected is None and where == "url":
                profiles = index[slice_id].get("type", [{}])[0].get("profile")
                expected = profiles[0] if profiles else None
            if expected is None:
                return False
            actual = value if where == "$this" else value.get(where) if isinstance(value, dict) else None
            if not matches_pattern(actual, expected):
                return False
        return True

    def sliced(self, found: list[tuple[str, Any, str | None]], child: str, slices: list[str], path: str) -> None:
        slicing = self.index[child]["slicing"]
        counts = dict.fromkeys(slices, 0)
        name = child.rsplit(".", 1)[1]
        bare = {s: _without_display(self.index[s]) for s in slices} | {
            k: _without_display(v) for k, v in self.index.items() if any(k.startswith(s + ".") for s in slices)
        }
        for n, (key, value, chosen) in enumerate(found):
            where = f"{path}.{key}" if child.endswith("[x]") else f"{path}.{key}[{n}]"
            matched = [s for s in slices if self.slice_matches(value, chosen, s, self.index)]
            if not matched:
                near = [
                    s for s in slices if self.slice_matches(_without_display(value), chosen, s, {**self.index, **bare})
                ]
                if near:
                    name_ = near[0].rsplit(":", 1)[1]
                    message = f"would be slice {name_} but for its Coding.display: not validated as that slice"
                    self.issues.append(Issue("warning", where, message))
                if slicing.get("rules") == "closed":
                    self.error(where, f"matches no slice of the closed slicing of {name}")
                self.item(value, child, where)
                continue
            counts[matched[0]] += 1
            self.item(value, matched[0], f"{where} (slice {matched[0].rsplit(':', 1)[1]})")
        for slice_id, count in counts.items():
            self.cardinality(count, self.index[slice_id], f"{path}.{name}:{slice_id.rsplit(':', 1)[1]}", "slice ")

    def extension(self, item: Json, profile: str, path: str) -> None:
        if item.get("url") != profile:
            self.error(path, f"extension url must be {profile}")
            return
        sd = self.checker.definitions.get(profile)
        if sd is None or "snapshot" not in sd:
            self.issues.append(Issue("warning", path, f"no definition of the extension {profile}: not checked"))
            return
        elements = sd["snapshot"]["element"]
        self.item(item, elements[0]["id"], path, {e["id"]: e for e in elements})

    def binding(self, item: Any, element: Json, path: str) -> None:
        binding = element.get("binding", {})
        if binding.get("strength") != "required" or "valueSet" not in binding:
            return
        codes = self.checker.definitions.expand(binding["valueSet"])
        if codes is None:
            self.issues.append(Issue("warning", path, f"required binding to {binding['valueSet']} not checked"))
            return
        types = {t["code"] for t in element.get("type", [])}
        if isinstance(item, str):
            if item not in {code for _, code in codes}:
                self.error(path, f"code {item!r} is not in the required value set {binding['valueSet']}")
        elif isinstance(item, dict) and types & {"CodeableConcept", "Coding"}:
            codings = item.get("coding", [item] if "code" in item else [])
            if not any((c.get("system"), c.get("code")) in codes for c in codings):
                self.error(path, f"no coding from the required value set {binding['valueSet']}")

    def reference(self, item: Any, element: Json, path: str) -> None:
        if not isinstance(item, dict) or "reference" not in item:
            return
        targets = [p for t in element.get("type", []) if t["code"] == "Reference" for p in t.get("targetProfile", [])]
        if not targets:
            return
        allowed = set()
        for target in targets:
            sd = self.checker.definitions.get(target)
            allowed.add(sd["type"] if sd else target.rsplit("/", 1)[1])
        literal = LITERAL.match(item["reference"])
        kind = literal.group(1) if literal else self.resolve(item["reference"])
        if kind is None:
            self.issues.append(
                Issue("warning", path, f"reference {item['reference']} not resolved: target not checked")
            )
        elif "Resource" not in allowed and kind not in allowed:
            self.error(path, f"reference to a {kind}; allowed: {sorted(allowed)}")

    def invariants(self, item: Any, element: Json, path: str) -> None:
        if not isinstance(item, dict):
            return
        types = [t["code"] for t in element.get("type", [])]
        complex_type = len(types) == 1 and types[0][:1].isupper() and types[0] not in ("BackboneElement", "Element")
        base = types[0] if complex_type else element["path"]
        for constraint in element.get("constraint", []):
            if constraint.get("severity") != "error" or not constraint.get("expression"):
                continue
            try:
                with contextlib.redirect_stdout(io.StringIO()):  # dom-3 calls trace()
                    result = fhirpathpy.evaluate(
                        item,
                        {"base": base, "expression": constraint["expression"]},
                        {"resource": self.resource, "rootResource": self.resource},
                        R4,
                    )
            except Exception as e:  # noqa: BLE001 - a gap of fhirpathpy (ele-1's hasValue()), listed, not passed
                self.checker.unsupported.setdefault(constraint["key"], f"{type(e).__name__}: {e}")
                continue
            if result == [False]:
                self.error(path, f"invariant {constraint['key']} failed: {constraint.get('human', '')}")
