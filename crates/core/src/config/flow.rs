//! The flow's steps: which documents there are, each one's pages, the selfie, and further
//! documents. Data, not code, so a path or a form field changes without a rebuild.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The passport kinds a person can choose between.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum DocumentKind {
    /// The plastic ID card issued since 2014.
    New,
    /// The 1996 paper booklet.
    Old,
}

impl DocumentKind {
    /// The name used in configuration and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::New => "new",
            DocumentKind::Old => "old",
        }
    }
}

/// The flow's steps: each document's pages, then the selfie, then any additional documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct FlowConfig {
    /// The new passport (plastic ID card).
    pub new_passport: DocumentConfig,
    /// The old passport (paper booklet).
    pub old_passport: DocumentConfig,
    /// The selfie, with its liveness check.
    pub selfie: SelfieConfig,
    /// Further document steps after the selfie (the contract's step 7); none by default.
    pub additional: Vec<PageConfig>,
}

impl Default for FlowConfig {
    fn default() -> Self {
        FlowConfig {
            new_passport: DocumentConfig {
                doc_type: "ID_NEW".into(),
                offers_tax_number: true,
                pages: vec![
                    PageConfig::new("front", "front side", "/api/tasks/ocr/id_new/front"),
                    PageConfig {
                        sends_tax_number: true,
                        ..PageConfig::new("back", "back side", "/api/tasks/ocr/id_new/back")
                    },
                ],
            },
            old_passport: DocumentConfig {
                doc_type: "ID_OLD".into(),
                offers_tax_number: false,
                pages: vec![
                    PageConfig::new("front", "photo page", "/api/tasks/ocr/id_old/front"),
                    PageConfig::new("back", "registration page", "/api/tasks/ocr/id_old/back"),
                ],
            },
            selfie: SelfieConfig::default(),
            additional: Vec::new(),
        }
    }
}

impl FlowConfig {
    /// The configuration of one document kind.
    pub fn document(&self, kind: DocumentKind) -> &DocumentConfig {
        match kind {
            DocumentKind::New => &self.new_passport,
            DocumentKind::Old => &self.old_passport,
        }
    }

    pub(super) fn validate(&self) -> Result<(), Error> {
        for kind in [DocumentKind::New, DocumentKind::Old] {
            let document = self.document(kind);
            let section = format!("flow.{}-passport", kind.as_str());
            if document.doc_type.trim().is_empty() {
                return Err(Error::Config(format!("{section}.doc-type is empty")));
            }
            if document.pages.is_empty() {
                return Err(Error::Config(format!("{section} has no pages")));
            }
            let mut ids: Vec<&str> = vec![SELFIE_STEP_ID];
            for page in document.pages.iter().chain(&self.additional) {
                page.validate(&section)?;
                if ids.contains(&page.id.as_str()) {
                    return Err(Error::Config(format!(
                        "{section}: step id {:?} is used twice",
                        page.id
                    )));
                }
                ids.push(&page.id);
            }
        }
        check_path("flow.selfie.path", &self.selfie.path)
    }
}

/// The id of the selfie step; no page may take it.
pub const SELFIE_STEP_ID: &str = "selfie";

/// One kind of document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DocumentConfig {
    /// The `doc_type` form field sent with every step of this document.
    pub doc_type: String,
    /// Whether the "taxpayer number is not on the document" box is offered.
    #[serde(default)]
    pub offers_tax_number: bool,
    /// The pages photographed, in order.
    pub pages: Vec<PageConfig>,
}

/// One photographed page: where it is sent and what goes with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PageConfig {
    /// A short id, unique in the flow (`front`, `back`, …); the UI picks its texts by it.
    pub id: String,
    /// English name of the page for messages ("front side").
    pub label: String,
    /// Path of the upload, below the base URL.
    pub path: String,
    /// Overrides the document's `doc_type` for this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<String>,
    /// Whether the taxpayer number typed by the person goes with this page.
    #[serde(default)]
    pub sends_tax_number: bool,
    /// Further constant form fields.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

impl PageConfig {
    fn new(id: &str, label: &str, path: &str) -> Self {
        PageConfig {
            id: id.into(),
            label: label.into(),
            path: path.into(),
            doc_type: None,
            sends_tax_number: false,
            fields: BTreeMap::new(),
        }
    }

    fn validate(&self, section: &str) -> Result<(), Error> {
        let valid_id = !self.id.is_empty()
            && self.id.len() <= 32
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid_id {
            return Err(Error::Config(format!(
                "{section}: step id {:?} must be 1 to 32 of a-z, 0-9 and -",
                self.id
            )));
        }
        check_path(&format!("{section}.{}.path", self.id), &self.path)?;
        for name in self.fields.keys() {
            if RESERVED_FIELDS.contains(&name.as_str()) {
                return Err(Error::Config(format!(
                    "{section}.{}: field {name:?} is set by the flow itself",
                    self.id
                )));
            }
        }
        Ok(())
    }
}

/// Form fields the flow fills in; configuration may not override them.
const RESERVED_FIELDS: &[&str] = &[
    "img",
    "doc_type",
    "depart_id",
    "source",
    "key",
    "tax_number",
];

/// How the selfie's `img` field is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SelfiePart {
    /// A plain text field holding the compact JWT.
    Text,
    /// A file part `selfie.jwt` of type `application/jwt`.
    File,
}

/// The selfie step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SelfieConfig {
    /// Path of the upload, below the base URL.
    pub path: String,
    /// How the JWT is put into the form.
    pub img_part: SelfiePart,
}

impl Default for SelfieConfig {
    fn default() -> Self {
        SelfieConfig {
            path: "/api/tasks/selfie".into(),
            img_part: SelfiePart::Text,
        }
    }
}

fn check_path(name: &str, path: &str) -> Result<(), Error> {
    let valid = path.starts_with('/')
        && !path.contains("..")
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-_.~".contains(&b));
    if valid {
        Ok(())
    } else {
        Err(Error::Config(format!(
            "{name} {path:?} must start with / and hold only letters, digits and / - _ . ~"
        )))
    }
}
