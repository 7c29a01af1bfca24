//! The SDL-driven boundary probe: every String, ID, Int, Date, DateTime and UUID argument
//! of every root field (and of every `viewer` field), at any depth of its input objects,
//! enumerated from `schema.graphql`, gets boundary values (NUL, 1 MB, i32 max/min,
//! out-of-range and malformed dates, random UUIDs) from a signed-in member past the gates.
//! Every answer must be a success or a coded error other than INTERNAL, the connection
//! must hold, and the server must still answer afterwards.

use std::collections::HashMap;

use async_graphql::parser::{
    parse_schema,
    types::{
        BaseType, FieldDefinition, InputValueDefinition, Type, TypeKind, TypeSystemDefinition,
    },
};
use serde_json::{Value, json};
use tests::{SignedIn, TestApp, backend_test};

const SDL: &str = include_str!("../../schema.graphql");

/// The parts of the SDL the probe needs, by type name.
struct Sdl {
    objects: HashMap<String, Vec<FieldDefinition>>,
    inputs: HashMap<String, Vec<InputValueDefinition>>,
    enums: HashMap<String, Vec<String>>,
}

impl Sdl {
    fn parse() -> Self {
        let document = parse_schema(SDL).expect("schema.graphql parses");
        let mut sdl = Self {
            objects: HashMap::new(),
            inputs: HashMap::new(),
            enums: HashMap::new(),
        };
        for definition in document.definitions {
            let TypeSystemDefinition::Type(ty) = definition else {
                continue;
            };
            let ty = ty.node;
            let name = ty.name.node.to_string();
            match ty.kind {
                TypeKind::Object(object) => {
                    sdl.objects
                        .insert(name, object.fields.into_iter().map(|f| f.node).collect());
                }
                TypeKind::InputObject(input) => {
                    sdl.inputs
                        .insert(name, input.fields.into_iter().map(|f| f.node).collect());
                }
                TypeKind::Enum(e) => {
                    let values = e.values.into_iter().map(|v| v.node.value.node.to_string());
                    sdl.enums.insert(name, values.collect());
                }
                _ => {}
            }
        }
        sdl
    }

    /// A valid-looking value for `ty` (required fields only, for input objects).
    fn plausible(&self, ty: &Type) -> Value {
        match &ty.base {
            BaseType::List(_) => json!([]),
            BaseType::Named(name) => match name.as_str() {
                "String" | "ID" => json!("probe"),
                "Int" => json!(1),
                "Float" => json!(1.0),
                "Boolean" => json!(false),
                "UUID" => json!(uuid::Uuid::new_v4()),
                "Date" => json!("2026-01-01"),
                "DateTime" => json!("2026-01-01T00:00:00Z"),
                "JSON" => json!({}),
                other => {
                    if let Some(values) = self.enums.get(other) {
                        return json!(values[0]);
                    }
                    let mut object = serde_json::Map::new();
                    for field in self.inputs.get(other).into_iter().flatten() {
                        if !field.ty.node.nullable && field.default_value.is_none() {
                            object.insert(
                                field.name.node.to_string(),
                                self.plausible(&field.ty.node),
                            );
                        }
                    }
                    Value::Object(object)
                }
            },
        }
    }

    /// Every probed scalar under `ty`: (path of input-object field names, scalar name).
    fn leaves(&self, ty: &Type, path: Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
        let name = match &ty.base {
            BaseType::Named(name) => name.as_str(),
            BaseType::List(inner) => return self.leaves(inner, path, out),
        };
        if PROBED.contains(&name) {
            out.push((path, name.to_owned()));
        } else if let Some(fields) = self.inputs.get(name) {
            if path.len() > 3 {
                return;
            }
            for field in fields {
                let mut deeper = path.clone();
                deeper.push(field.name.node.to_string());
                self.leaves(&field.ty.node, deeper, out);
            }
        }
    }

    fn is_composite(&self, ty: &Type) -> bool {
        match &ty.base {
            BaseType::List(inner) => self.is_composite(inner),
            BaseType::Named(name) => self.objects.contains_key(name.as_str()),
        }
    }
}

const PROBED: [&str; 6] = ["String", "ID", "Int", "Date", "DateTime", "UUID"];

fn boundary_values(scalar: &str) -> Vec<Value> {
    match scalar {
        "String" | "ID" => vec![
            json!("a\u{0}b"),
            json!("\u{1b}[31m\u{7f}"),
            json!("x".repeat(1_000_000)),
            json!(""),
            json!("%_\\' OR 1=1 --"),
        ],
        "Int" => vec![json!(i32::MAX), json!(i32::MIN), json!(0), json!(-1)],
        "Date" => vec![
            json!("+262142-12-25"),
            json!("-262143-01-01"),
            json!("0000-01-01"),
            json!("2026-1-1"),
            json!("  2026-01-01"),
            json!("9999-12-31"),
            json!("1900-01-01"),
        ],
        "DateTime" => vec![
            json!("+262142-01-01T00:00:00Z"),
            json!("-262143-01-01T00:00:00Z"),
            json!("1800-01-01T00:00:00Z"),
            json!("9999-12-31T23:59:59-12:00"),
            json!("2026-01-01"),
        ],
        _ => vec![
            json!(uuid::Uuid::new_v4()),
            json!(uuid::Uuid::nil()),
            json!("not-a-uuid"),
        ],
    }
}

/// `value` with `replacement` set at `path`, creating objects on the way.
fn set_at(value: &mut Value, path: &[String], replacement: Value) {
    match path.split_first() {
        None => *value = replacement,
        Some((head, rest)) => {
            if !value.is_object() {
                *value = json!({});
            }
            let slot = value
                .as_object_mut()
                .unwrap()
                .entry(head.clone())
                .or_insert(Value::Null);
            set_at(slot, rest, replacement);
        }
    }
}

/// One probe: an operation calling one field with its arguments as variables.
struct Probe {
    label: String,
    query: String,
    variables: Value,
}

fn probes_of(sdl: &Sdl, keyword: &str, root: &str, wrap: Option<&str>) -> Vec<Probe> {
    let mut probes = Vec::new();
    for field in sdl.objects.get(root).into_iter().flatten() {
        if field.arguments.is_empty() {
            continue;
        }
        let args = &field.arguments;
        let declared: Vec<String> = args
            .iter()
            .map(|a| format!("$a{}: {}", a.node.name.node, a.node.ty.node))
            .collect();
        let passed: Vec<String> = args
            .iter()
            .map(|a| format!("{}: $a{}", a.node.name.node, a.node.name.node))
            .collect();
        let selection = if sdl.is_composite(&field.ty.node) {
            " { __typename }"
        } else {
            ""
        };
        let call = format!("{}({}){selection}", field.name.node, passed.join(", "));
        let body = match wrap {
            Some(outer) => format!("{outer} {{ {call} }}"),
            None => call,
        };
        let query = format!("{keyword}({}) {{ {body} }}", declared.join(", "));
        let base: serde_json::Map<String, Value> = args
            .iter()
            .filter(|a| !a.node.ty.node.nullable)
            .map(|a| {
                (
                    format!("a{}", a.node.name.node),
                    sdl.plausible(&a.node.ty.node),
                )
            })
            .collect();
        for arg in args {
            let mut leaves = Vec::new();
            sdl.leaves(&arg.node.ty.node, Vec::new(), &mut leaves);
            for (path, scalar) in leaves {
                for value in boundary_values(&scalar) {
                    let mut variables = Value::Object(base.clone());
                    let mut full = vec![format!("a{}", arg.node.name.node)];
                    full.extend(path.iter().cloned());
                    // Fill the required fields of the input objects on the way.
                    if !path.is_empty() && variables.get(&full[0]).is_none() {
                        variables[&full[0]] = sdl.plausible(&arg.node.ty.node);
                    }
                    set_at(&mut variables, &full, value.clone());
                    let shown = value.as_str().map_or(value.to_string(), |s| {
                        s.chars().take(24).collect::<String>()
                    });
                    probes.push(Probe {
                        label: format!(
                            "{root}.{}({}) = {shown:?}",
                            field.name.node,
                            full.join(".")
                        ),
                        query: query.clone(),
                        variables,
                    });
                }
            }
        }
    }
    probes
}

const EMAIL: &str = "prober@example.com";

async fn send(app: &TestApp, user: &SignedIn, probe: &Probe) -> Value {
    let response = app
        .http
        .post(app.url("/graphql"))
        .bearer_auth(&user.access_token)
        .json(&json!({ "query": probe.query, "variables": probe.variables }))
        .send()
        .await
        .unwrap_or_else(|err| panic!("{}: the connection failed: {err}", probe.label));
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|_| {
        panic!(
            "{}: not a GraphQL answer ({status}): {text:.200}",
            probe.label
        )
    });
    assert!(
        status.is_success() || status.is_client_error(),
        "{}: status {status}: {body}",
        probe.label
    );
    body
}

async fn still_signed_in(app: &TestApp, user: &SignedIn) -> bool {
    let me = app
        .graphql_as(&user.access_token, "{ viewer { id } }", json!({}))
        .await;
    me.body["data"]["viewer"]["id"].is_string()
}

backend_test!(
    async fn every_argument_of_the_schema_survives_boundary_values(backend: Backend) {
        // The probe sends hundreds of sign-in requests.
        let app = TestApp::spawn_without_sign_in_limits(backend).await;
        let started = std::time::Instant::now();
        let sdl = Sdl::parse();
        let mut probes = probes_of(&sdl, "query", "Query", None);
        probes.extend(probes_of(&sdl, "query", "Viewer", Some("viewer")));
        probes.extend(probes_of(&sdl, "mutation", "Mutation", None));
        assert!(probes.len() > 500, "the SDL yields {} probes", probes.len());

        let mut user = app.member(EMAIL).await;
        let mut internal = Vec::new();
        let mut uncoded = Vec::new();
        for probe in &probes {
            let body = send(&app, &user, probe).await;
            let errors = body["errors"].as_array().cloned().unwrap_or_default();
            for error in &errors {
                match error["extensions"]["code"].as_str() {
                    Some("INTERNAL") => internal.push(format!("{}: {error}", probe.label)),
                    Some(_) => {}
                    None => uncoded.push(format!("{}: {error}", probe.label)),
                }
            }
            // A probe that signs the member out (signOut, revokeSession…) must not blind
            // the rest: sign in again.
            let signed_out = errors
                .iter()
                .any(|e| e["extensions"]["code"] == "UNAUTHENTICATED");
            if signed_out && !still_signed_in(&app, &user).await {
                user = app.sign_in(EMAIL).await;
            }
        }
        assert!(
            internal.is_empty(),
            "{} INTERNAL answers:\n{}",
            internal.len(),
            internal.join("\n")
        );
        assert!(
            uncoded.is_empty(),
            "{} uncoded errors:\n{}",
            uncoded.len(),
            uncoded.join("\n")
        );

        let alive = app.graphql("{ __typename }").await;
        assert_eq!(alive.assert_ok()["__typename"], "Query");
        println!("{} probes in {:?}", probes.len(), started.elapsed());
    }
);
