//! The OpenAPI 3.1 description of the API, built by the same calls that build the router: a
//! route cannot exist without its entry, and its schemas come from the real Rust types.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

use crate::error::ErrorResponse;

/// A type's schema, as a reference into `components/schemas`.
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

pub fn schema_of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// What one operation takes and gives.
#[derive(Clone)]
pub struct Op {
    pub summary: &'static str,
    /// Needs a signed-in user (and, for writes, the CSRF token).
    pub signed_in: bool,
    pub body: Option<SchemaFn>,
    /// A multipart upload with one `file` part.
    pub upload: bool,
    /// `(name, description)` of the query parameters, all optional strings.
    pub query: &'static [(&'static str, &'static str)],
    pub status: u16,
    pub response: Response,
}

#[derive(Clone)]
pub enum Response {
    Json(SchemaFn),
    /// No body (204).
    Empty,
    /// `text/event-stream` carrying JSON events of this shape.
    Events(SchemaFn),
    /// The stored file's bytes.
    File,
}

impl Op {
    pub fn new(summary: &'static str, response: Response) -> Self {
        Op {
            summary,
            signed_in: true,
            body: None,
            upload: false,
            query: &[],
            status: 200,
            response,
        }
    }

    pub fn body(mut self, body: SchemaFn) -> Self {
        self.body = Some(body);
        self
    }

    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    pub fn public(mut self) -> Self {
        self.signed_in = false;
        self
    }

    pub fn upload(mut self) -> Self {
        self.upload = true;
        self
    }

    pub fn query(mut self, query: &'static [(&'static str, &'static str)]) -> Self {
        self.query = query;
        self
    }
}

pub struct Doc {
    generator: SchemaGenerator,
    paths: Map<String, Value>,
}

impl Default for Doc {
    fn default() -> Self {
        Doc {
            generator: SchemaSettings::draft2020_12()
                .with(|s| s.definitions_path = "#/components/schemas".into())
                .into_generator(),
            paths: Map::new(),
        }
    }
}

impl Doc {
    /// Adds the operation `method` (lower case) at `path` (axum's `{param}` syntax, which is
    /// OpenAPI's).
    pub fn add(&mut self, method: &str, path: &str, op: &Op) {
        let mut parameters: Vec<Value> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .map(|name| {
                json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}})
            })
            .collect();
        parameters.extend(op.query.iter().map(|(name, description)| {
            json!({"name": name, "in": "query", "required": false,
                   "description": description, "schema": {"type": "string"}})
        }));
        if op.signed_in && method != "get" {
            parameters.push(
                json!({"name": "X-CSRF-Token", "in": "header", "required": true,
                "description": "The session's token, from sign-in or GET /api/me",
                "schema": {"type": "string"}}),
            );
        }
        let error = self.generator.subschema_for::<ErrorResponse>();
        let success = match op.response {
            Response::Json(schema) => json!({"description": "Success",
                "content": {"application/json": {"schema": schema(&mut self.generator)}}}),
            Response::Empty => json!({"description": "Done"}),
            Response::Events(schema) => json!({"description": "A stream of server-sent events, \
                each `data` a JSON object", "content": {"text/event-stream": {
                "itemSchema": schema(&mut self.generator)}}}),
            Response::File => json!({"description": "The stored file",
                "content": {"image/*": {"schema": {"type": "string", "contentMediaType": "image/*"}}}}),
        };
        let mut operation = json!({
            "summary": op.summary,
            "operationId": format!("{method}{}", path.replace(['/', '{', '}', '-', '.'], "_")),
            "parameters": parameters,
            "responses": {
                op.status.to_string(): success,
                "default": {"description": "An error: a stable code, a message, details",
                    "content": {"application/json": {"schema": error}}},
            },
        });
        if let Some(body) = op.body {
            operation["requestBody"] = json!({"required": true,
                "content": {"application/json": {"schema": body(&mut self.generator)}}});
        }
        if op.upload {
            operation["requestBody"] = json!({"required": true, "content": {"multipart/form-data":
                {"schema": {"type": "object", "required": ["file"], "properties":
                    {"file": {"type": "string", "contentMediaType": "image/jpeg",
                      "description": "A JPEG, PNG or WebP image of at most 10 MB"}}}}}});
        }
        if op.signed_in {
            operation["security"] = json!([{"session": []}]);
        }
        let entry = self
            .paths
            .entry(path.to_owned())
            .or_insert_with(|| json!({}));
        entry[method] = operation;
    }

    pub fn finish(mut self) -> Value {
        let schemas = self.generator.take_definitions(true);
        json!({
            "openapi": "3.1.0",
            "info": {
                "title": "Retour API",
                "version": env!("CARGO_PKG_VERSION"),
                "description": "Returns and dispute resolution. Errors are JSON {code, message, \
                    details}; every write to a case carries the case version it saw.",
            },
            "paths": self.paths,
            "components": {
                "schemas": schemas,
                "securitySchemes": {"session": {"type": "apiKey", "in": "cookie",
                    "name": crate::auth::SESSION_COOKIE}},
            },
        })
    }
}
