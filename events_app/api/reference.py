"""The OpenAPI document as plain rows for the reference page: operations by tag, and schemas' fields."""
import json

METHODS = ("get", "post", "patch", "put", "delete")


def type_of(schema: dict) -> str:
    """A short, readable type: `string (date)`, `Status`, `list of RegistrationOut`, `integer or null`."""
    if not isinstance(schema, dict):
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema or "oneOf" in schema:
        return " or ".join(type_of(option) for option in schema.get("anyOf", schema.get("oneOf", [])))
    if "allOf" in schema:
        return " and ".join(type_of(option) for option in schema["allOf"])
    kind = schema.get("type", "any")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    if kind == "array":
        return "list of " + type_of(schema.get("items", {}))
    if "enum" in schema:
        return kind + ": " + ", ".join(str(value) for value in schema["enum"])
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    return kind


def operations(spec: dict) -> list[dict]:
    """Every operation, grouped by its first tag, in path order."""
    rows = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = (operation.get("requestBody") or {}).get("content", {}).get("application/json", {})
            rows.append({
                "tag": (operation.get("tags") or ["other"])[0], "method": method.upper(), "path": path,
                "id": operation.get("operationId", ""), "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                                "type": type_of(p.get("schema", {})),
                                "description": p.get("description") or p.get("schema", {}).get("description", "")}
                               for p in operation.get("parameters", [])],
                "body": type_of(body.get("schema", {})) if body else "",
                "responses": [{"status": status, "description": answer.get("description", ""),
                               "type": type_of(next(iter(answer.get("content", {}).values()), {}).get("schema", {}))}
                              for status, answer in sorted(operation.get("responses", {}).items())],
            })
    return sorted(rows, key=lambda row: (row["tag"], row["path"], METHODS.index(row["method"].lower())))


def schemas(spec: dict) -> list[dict]:
    """Each schema's fields: name, type, required, description and an example where one is given."""
    found = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [{"name": field, "type": type_of(details), "required": field in required,
                   "description": details.get("description", ""),
                   "example": json.dumps(details["examples"][0], ensure_ascii=False) if details.get("examples") else ""}
                  for field, details in schema.get("properties", {}).items()]
        example = json.dumps(schema["examples"][0], ensure_ascii=False, indent=2) if schema.get("examples") else ""
        found.append({"name": name, "description": schema.get("description", ""), "fields": fields,
                      "choices": schema.get("enum", []), "example": example})
    return found
