//! The human-readable API page at `/docs`, rendered on the server from the OpenAPI document:
//! one self-contained HTML file (inline style, no script, nothing fetched from the internet),
//! so that it works offline and on air-gapped networks.

use std::fmt::Write as _;

use serde_json::Value;

/// Escapes text for HTML.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The name of a `$ref` or a short description of a schema.
fn schema_name(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return format!("<a href=\"#schema-{0}\">{0}</a>", esc(name));
    }
    if let Some(items) = schema.get("items") {
        return format!("array of {}", schema_name(items));
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(list) = schema.get(key).and_then(Value::as_array) {
            let names: Vec<String> = list.iter().map(schema_name).collect();
            return names.join(" | ");
        }
    }
    match schema.get("type") {
        Some(Value::String(t)) => esc(t),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(esc)
            .collect::<Vec<_>>()
            .join(" | "),
        _ => "any".into(),
    }
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(esc)
        .unwrap_or_default()
}

/// Renders the page for an OpenAPI document (as JSON).
pub fn render(api: &Value) -> String {
    let mut out = String::new();
    let title = api
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("API");
    let _ = write!(
        out,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{} API</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;\
         color:#222}}h2{{border-bottom:1px solid #ccc;margin-top:2.5rem}}.op{{margin:1.2rem 0;\
         padding:.6rem 1rem;border-left:4px solid #36c;background:#f6f8fb}}.m{{font-weight:bold;\
         text-transform:uppercase;margin-right:.5rem}}code{{background:#eef;padding:0 .2rem}}\
         table{{border-collapse:collapse}}td,th{{border:1px solid #ddd;padding:.2rem .5rem;\
         text-align:left;vertical-align:top}}</style></head><body><h1>{} API</h1><p>{}</p>\
         <p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a> (OpenAPI {}).</p>",
        esc(title),
        esc(title),
        text(&api["info"], "description"),
        text(api, "openapi"),
    );
    out.push_str("<h2>Endpoints</h2>");
    if let Some(paths) = api.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let Some(methods) = item.as_object() else {
                continue;
            };
            for (method, op) in methods {
                let _ = write!(
                    out,
                    "<div class=\"op\"><span class=\"m\">{}</span><code>{}</code><p><b>{}</b></p><p>{}</p>",
                    esc(method),
                    esc(path),
                    text(op, "summary"),
                    text(op, "description"),
                );
                if let Some(params) = op.get("parameters").and_then(Value::as_array) {
                    out.push_str("<table><tr><th>parameter</th><th>in</th><th>type</th><th>meaning</th></tr>");
                    for p in params {
                        let _ = write!(
                            out,
                            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                            text(p, "name"),
                            text(p, "in"),
                            p.get("schema").map(schema_name).unwrap_or_default(),
                            text(p, "description"),
                        );
                    }
                    out.push_str("</table>");
                }
                if let Some(body) = op.get("requestBody") {
                    let schema = body
                        .pointer("/content/application~1json/schema")
                        .map(schema_name)
                        .unwrap_or_else(|| "JSON".into());
                    let _ = write!(out, "<p>Body: {schema}. {}</p>", text(body, "description"));
                }
                if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                    out.push_str("<table><tr><th>status</th><th>meaning</th><th>body</th></tr>");
                    for (status, r) in responses {
                        let schema = r
                            .get("content")
                            .and_then(Value::as_object)
                            .and_then(|c| c.values().next())
                            .and_then(|c| c.get("schema"))
                            .map(schema_name)
                            .unwrap_or_default();
                        let _ = write!(
                            out,
                            "<tr><td>{}</td><td>{}</td><td>{schema}</td></tr>",
                            esc(status),
                            text(r, "description"),
                        );
                    }
                    out.push_str("</table>");
                }
                out.push_str("</div>");
            }
        }
    }
    out.push_str("<h2>Schemas</h2>");
    if let Some(schemas) = api
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            let _ = write!(
                out,
                "<h3 id=\"schema-{0}\">{0}</h3><p>{1}</p>",
                esc(name),
                text(schema, "description")
            );
            if let Some(values) = schema.get("enum").and_then(Value::as_array) {
                let list: Vec<String> = values
                    .iter()
                    .map(|v| format!("<code>{}</code>", esc(&v.to_string())))
                    .collect();
                let _ = write!(out, "<p>One of {}</p>", list.join(", "));
            }
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                out.push_str("<table><tr><th>field</th><th>type</th><th>meaning</th></tr>");
                for (field, p) in props {
                    let _ = write!(
                        out,
                        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                        esc(field),
                        schema_name(p),
                        text(p, "description"),
                    );
                }
                out.push_str("</table>");
            }
        }
    }
    out.push_str("</body></html>");
    out
}
