//! The multipart forms of the upload calls, built exactly as the contract lists their fields.

use bytes::Bytes;

use crate::api::OpenedLink;
use crate::config::{PageConfig, SelfieConfig, SelfiePart};
use crate::image_prep::UploadJpeg;
use crate::input::TaxNumber;
use crate::liveness::SelfieJwt;

/// One upload: the path and the form, ready to send.
#[derive(Clone)]
pub struct UploadRequest {
    pub(crate) path: String,
    pub(crate) fields: Vec<(String, String)>,
    pub(crate) img: ImgPart,
}

/// Only the path: the form holds a face or a document.
impl std::fmt::Debug for UploadRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadRequest")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// The `img` part of a form.
#[derive(Clone)]
pub(crate) enum ImgPart {
    /// A JPEG file part.
    Jpeg(Bytes),
    /// A compact JWT as a text field.
    JwtText(String),
    /// A compact JWT as a file part.
    JwtFile(String),
}

impl UploadRequest {
    /// The form of a document page (steps 3 and 5 of the contract).
    pub fn document_page(
        opened: &OpenedLink,
        doc_type: &str,
        page: &PageConfig,
        tax_number: Option<&TaxNumber>,
        image: &UploadJpeg,
    ) -> Self {
        let doc_type = page.doc_type.as_deref().unwrap_or(doc_type);
        let mut fields = common_fields(opened, doc_type);
        if page.sends_tax_number {
            if let Some(tax_number) = tax_number {
                fields.push(("tax_number".into(), tax_number.as_str().into()));
            }
        }
        fields.extend(page.fields.iter().map(|(k, v)| (k.clone(), v.clone())));
        UploadRequest {
            path: page.path.clone(),
            fields,
            img: ImgPart::Jpeg(image.bytes().clone()),
        }
    }

    /// The form of the selfie (step 6 of the contract).
    pub fn selfie(
        opened: &OpenedLink,
        doc_type: &str,
        selfie: &SelfieConfig,
        jwt: &SelfieJwt,
    ) -> Self {
        let token = jwt.as_str().to_owned();
        UploadRequest {
            path: selfie.path.clone(),
            fields: common_fields(opened, doc_type),
            img: match selfie.img_part {
                SelfiePart::Text => ImgPart::JwtText(token),
                SelfiePart::File => ImgPart::JwtFile(token),
            },
        }
    }

    /// The path this request goes to.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The text fields, in the order they are sent (without `img`).
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    pub(crate) fn into_form(self) -> reqwest::multipart::Form {
        use reqwest::multipart::{Form, Part};
        let img = match self.img {
            ImgPart::Jpeg(bytes) => Part::stream_with_length(bytes.clone(), bytes.len() as u64)
                .file_name("document.jpg")
                .mime_str("image/jpeg"),
            ImgPart::JwtText(token) => Ok(Part::text(token)),
            ImgPart::JwtFile(token) => Part::text(token)
                .file_name("selfie.jwt")
                .mime_str("application/jwt"),
        };
        // Both MIME types are constants that parse.
        let img = img.unwrap_or_else(|_| Part::bytes(Vec::new()));
        self.fields
            .into_iter()
            .fold(Form::new().part("img", img), |form, (name, value)| {
                form.text(name, value)
            })
    }
}

/// `doc_type`, then `depart_id`, `source` and `key` as the presign gave them; a field that was
/// null there is left out rather than sent empty.
fn common_fields(opened: &OpenedLink, doc_type: &str) -> Vec<(String, String)> {
    let mut fields = vec![("doc_type".to_owned(), doc_type.to_owned())];
    if let Some(depart_id) = &opened.depart_id {
        fields.push(("depart_id".into(), depart_id.clone()));
    }
    if let Some(source) = &opened.source {
        fields.push(("source".into(), source.clone()));
    }
    fields.push(("key".into(), opened.key.as_hyphenated()));
    fields
}
