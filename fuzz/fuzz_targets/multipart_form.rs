//! The emulator's multipart reader, shared by the OCR and selfie uploads (axum's `Multipart`
//! over a body in memory, then the field rules: no unknown or repeated field, no empty value).
//!
//! The first byte chooses the mode:
//! - even: the rest is a raw body sent as `multipart/form-data; boundary=B` (or, after a first
//!   line, with that line as the `Content-Type`); only "no panic" and the shape rules are
//!   checked;
//! - odd: the rest is cut at NUL bytes into field names and values, sent as a well-formed body
//!   (a value starting with `@` as a file part). Asserted beyond "no panic": the body is read
//!   whole and every part comes back as sent, in order (a round trip). Field names containing
//!   `filename` are left out: multer 3.1 looks for the `filename` parameter anywhere in the
//!   header, the quoted name included, and gives up at the first match that is not followed by
//!   `=`, so such a file part reads as a text field. The emulator refuses every such name
//!   anyway (no upload field has it), so it only changes the reason given.
//!
//! In both, the shape check accepts exactly a form whose fields are all allowed, none repeated,
//! none empty and no text field `null`.
#![no_main]

use humo_ident_emulator::fuzzing::{read_form, FormRead, UPLOAD_FIELDS};
use libfuzzer_sys::fuzz_target;

const BOUNDARY: &str = "humo-fuzz-7f3a9c";

fn check_shape(form: &FormRead) {
    let mut expected = true;
    for (index, part) in form.parts.iter().enumerate() {
        if !UPLOAD_FIELDS.contains(&part.name.as_str())
            || form.parts[..index].iter().any(|p| p.name == part.name)
            || part.bytes.is_empty()
            || (part.file_name.is_none() && &part.bytes[..] == b"null")
        {
            expected = false;
            break;
        }
    }
    assert_eq!(form.shape.is_ok(), expected, "{:?}", form.shape);
    assert_eq!(form.recorded.len(), form.parts.len());
    // A handler reads a field's first part: text when it is no file part and is UTF-8.
    for (part, text) in form.parts.iter().zip(&form.texts) {
        let first = form.parts.iter().find(|p| p.name == part.name).unwrap();
        match (&first.file_name, std::str::from_utf8(&first.bytes)) {
            (None, Ok(expected)) => assert_eq!(text.as_ref().ok(), Some(&Some(expected.into()))),
            _ => assert!(text.is_err(), "{text:?}"),
        }
    }
}

fn raw(data: &[u8]) {
    let default = format!("multipart/form-data; boundary={}", "B");
    let (content_type, body) = match data.strip_prefix(b"CT:") {
        Some(rest) => match rest.iter().position(|&b| b == b'\n') {
            Some(end) => (&rest[..end], &rest[end + 1..]),
            None => (rest, &[][..]),
        },
        None => (default.as_bytes(), data),
    };
    let form = read_form(content_type, body, UPLOAD_FIELDS);
    check_shape(&form);
}

fn structured(data: &[u8]) {
    let mut chunks = data.split(|&b| b == 0);
    let mut sent = Vec::new();
    while let (Some(name), Some(value)) = (chunks.next(), chunks.next()) {
        // A field name is plain: the rules are the point here, not header quoting.
        let name: String = name
            .iter()
            .filter(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .map(|&b| b as char)
            .collect();
        let name = if name.is_empty() {
            "img".to_owned()
        } else {
            name
        };
        if name.contains("filename") {
            return;
        }
        let (file, value) = match value.strip_prefix(b"@") {
            Some(rest) => (true, rest),
            None => (false, value),
        };
        sent.push((name, file, value.to_vec()));
    }
    let mut body = Vec::new();
    for (name, file, value) in &sent {
        if value
            .windows(BOUNDARY.len())
            .any(|w| w == BOUNDARY.as_bytes())
        {
            return;
        }
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        if *file {
            body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"photo.jpg\"\r\n\
                     Content-Type: image/jpeg\r\n\r\n"
                )
                .as_bytes(),
            );
        } else {
            body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            );
        }
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let form = read_form(content_type.as_bytes(), &body, UPLOAD_FIELDS);
    assert_eq!(form.read, Ok(()), "a well-formed body is refused");
    assert_eq!(form.parts.len(), sent.len());
    for (part, (name, file, value)) in form.parts.iter().zip(&sent) {
        assert_eq!(&part.name, name);
        assert_eq!(part.file_name.is_some(), *file);
        if *file {
            assert_eq!(part.file_name.as_deref(), Some("photo.jpg"));
            assert_eq!(part.media_type.as_deref(), Some("image/jpeg"));
        }
        assert_eq!(&part.bytes[..], &value[..], "{name}");
    }
    check_shape(&form);
}

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((mode, rest)) if mode % 2 == 1 => structured(rest),
        Some((_, rest)) => raw(rest),
        None => {}
    }
});
