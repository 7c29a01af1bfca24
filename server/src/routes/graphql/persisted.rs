//! Persisted documents. Automatic persisted queries as Apollo Client and urql send them
//! (`extensions.persistedQuery.sha256Hash`; an unknown hash answers `PersistedQueryNotFound`
//! and the client retries with the text, whose hash is checked and remembered in a bounded
//! LRU per instance), over POST or GET. And trusted documents: with a manifest
//! (`{"<sha256>": "<document>"}`), only its operations run, named by hash or sent as text;
//! anything else is refused FORBIDDEN (`reason: UNTRUSTED_DOCUMENT`).
use std::{collections::HashMap, num::NonZeroUsize, sync::Mutex};

use async_graphql::{
    ErrorExtensionValues, Request, ServerError, Value,
    parser::{parse_query, types::Selection},
};
use lru::LruCache;
use sha2::{Digest, Sha256};

use crate::config::ClientConfig;

pub struct Documents {
    /// Automatic persisted queries by hash (`None`: APQ off).
    remembered: Option<Mutex<LruCache<String, String>>>,
    trusted: Option<Trusted>,
}

struct Trusted {
    by_hash: HashMap<String, String>,
    allow_explorer: bool,
}

impl Documents {
    pub fn from_config(config: &ClientConfig) -> anyhow::Result<Self> {
        let trusted = match &config.trusted_documents {
            None => None,
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|err| {
                    anyhow::anyhow!(
                        "APP_TRUSTED_DOCUMENTS: cannot read {}: {err}",
                        path.display()
                    )
                })?;
                let manifest: HashMap<String, String> =
                    serde_json::from_str(&text).map_err(|err| {
                        anyhow::anyhow!(
                            "APP_TRUSTED_DOCUMENTS: {} is not a {{\"<sha256>\": \"<document>\"}} map: {err}",
                            path.display()
                        )
                    })?;
                let by_hash = manifest
                    .into_iter()
                    .map(|(key, document)| {
                        // Some generators prefix the id with its algorithm.
                        let key = key
                            .strip_prefix("sha256:")
                            .unwrap_or(&key)
                            .to_ascii_lowercase();
                        (key, document)
                    })
                    .collect::<HashMap<_, _>>();
                tracing::info!(
                    documents = by_hash.len(),
                    manifest = %path.display(),
                    explorer = config.trusted_documents_allow_explorer,
                    "only trusted documents run"
                );
                Some(Trusted {
                    by_hash,
                    allow_explorer: config.trusted_documents_allow_explorer,
                })
            }
        };
        Ok(Self {
            remembered: NonZeroUsize::new(config.apq_cache_size)
                .map(|size| Mutex::new(LruCache::new(size))),
            trusted,
        })
    }

    /// Whether GraphiQL may be served (not when only trusted documents run, unless allowed).
    pub fn explorer_allowed(&self) -> bool {
        self.trusted.as_ref().is_none_or(|t| t.allow_explorer)
    }

    /// Fills in a persisted request's text, or refuses the request.
    pub fn resolve(&self, request: &mut Request) -> Result<(), ServerError> {
        let hash = persisted_hash(request)?;
        if let Some(hash) = &hash
            && !request.query.is_empty()
            && sha256(&request.query) != *hash
        {
            return Err(coded(
                "provided sha does not match query",
                "BAD_USER_INPUT",
                &[("field", "extensions.persistedQuery.sha256Hash")],
            ));
        }
        if let Some(trusted) = &self.trusted {
            let known = hash.clone().unwrap_or_else(|| sha256(&request.query));
            if let Some(document) = trusted.by_hash.get(&known) {
                request.query.clone_from(document);
                return Ok(());
            }
            if hash.is_none() && trusted.allow_explorer && is_introspection(&request.query) {
                return Ok(());
            }
            return Err(coded(
                "this server runs only its trusted documents; this operation is not one of them",
                "FORBIDDEN",
                &[("reason", "UNTRUSTED_DOCUMENT")],
            ));
        }
        let Some(hash) = hash else { return Ok(()) };
        let Some(remembered) = &self.remembered else {
            return Err(coded(
                "PersistedQueryNotSupported",
                "BAD_USER_INPUT",
                &[("reason", "PERSISTED_QUERY_NOT_SUPPORTED")],
            ));
        };
        let mut remembered = remembered.lock().unwrap_or_else(|p| p.into_inner());
        if request.query.is_empty() {
            match remembered.get(&hash) {
                Some(document) => request.query.clone_from(document),
                None => {
                    return Err(coded(
                        "PersistedQueryNotFound",
                        "NOT_FOUND",
                        &[("reason", "PERSISTED_QUERY_NOT_FOUND")],
                    ));
                }
            }
        } else {
            remembered.put(hash, request.query.clone());
        }
        Ok(())
    }
}

/// `extensions.persistedQuery.sha256Hash`, lower-cased; an error when it is malformed.
fn persisted_hash(request: &Request) -> Result<Option<String>, ServerError> {
    let Some(persisted) = request.extensions.get("persistedQuery") else {
        return Ok(None);
    };
    let hash = match persisted {
        Value::Object(fields) => match fields.get("sha256Hash") {
            Some(Value::String(hash))
                if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                Some(hash.to_ascii_lowercase())
            }
            _ => None,
        },
        _ => None,
    };
    hash.map(Some).ok_or_else(|| {
        coded(
            "extensions.persistedQuery needs sha256Hash: the hex SHA-256 of the document",
            "BAD_USER_INPUT",
            &[("field", "extensions.persistedQuery")],
        )
    })
}

pub fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// An operation that reads only the schema (`__schema`, `__type`, `__typename`), as
/// GraphiQL's documentation explorer sends.
fn is_introspection(query: &str) -> bool {
    let Ok(document) = parse_query(query) else {
        return false;
    };
    document.operations.iter().all(|(_, operation)| {
        operation
            .node
            .selection_set
            .node
            .items
            .iter()
            .all(|selection| match &selection.node {
                Selection::Field(field) => field.node.name.node.starts_with("__"),
                _ => false,
            })
    })
}

fn coded(message: &str, code: &str, more: &[(&str, &str)]) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", code);
    for (key, value) in more {
        extensions.set(*key, *value);
    }
    error.extensions = Some(extensions);
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    fn documents(trusted: Option<&str>) -> Documents {
        let path = trusted.map(|manifest| {
            let path = std::env::temp_dir().join(format!("trusted-{}.json", uuid::Uuid::new_v4()));
            std::fs::write(&path, manifest).unwrap();
            path
        });
        Documents::from_config(&ClientConfig {
            cors_origins: Vec::new(),
            trusted_documents: path,
            trusted_documents_allow_explorer: false,
            apq_cache_size: 2,
            sign_in_page: true,
        })
        .unwrap()
    }

    fn persisted(query: &str, hash: &str) -> Request {
        let mut request = Request::new(query);
        request.extensions = serde_json::from_value(serde_json::json!({
            "persistedQuery": { "version": 1, "sha256Hash": hash }
        }))
        .unwrap();
        request
    }

    #[test]
    fn an_unknown_hash_is_not_found_until_its_text_is_sent() {
        let documents = documents(None);
        let hash = sha256("{ __typename }");
        let err = documents.resolve(&mut persisted("", &hash)).unwrap_err();
        assert_eq!(err.message, "PersistedQueryNotFound");
        documents
            .resolve(&mut persisted("{ __typename }", &hash))
            .unwrap();
        let mut request = persisted("", &hash);
        documents.resolve(&mut request).unwrap();
        assert_eq!(request.query, "{ __typename }");
    }

    #[test]
    fn a_text_that_does_not_match_its_hash_is_refused() {
        let documents = documents(None);
        let err = documents
            .resolve(&mut persisted("{ __typename }", &sha256("{ other }")))
            .unwrap_err();
        assert!(err.message.contains("does not match"));
    }

    #[test]
    fn trusted_documents_run_by_hash_or_text_and_nothing_else() {
        let query = "{ __typename }";
        let documents = documents(Some(&format!(r#"{{"{}": "{query}"}}"#, sha256(query))));
        let mut by_hash = persisted("", &sha256(query));
        documents.resolve(&mut by_hash).unwrap();
        assert_eq!(by_hash.query, query);
        documents.resolve(&mut Request::new(query)).unwrap();
        let err = documents
            .resolve(&mut Request::new("{ viewer { id } }"))
            .unwrap_err();
        assert!(err.message.contains("trusted documents"));
        assert!(!documents.explorer_allowed());
        assert!(
            documents
                .resolve(&mut Request::new("{ __schema { types { name } } }"))
                .is_err()
        );
    }
}
