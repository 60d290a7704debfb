//! Turning a fetched response body or a feed file into UTF-8 text (used by `fetch` and by the
//! feed reader): the charset comes from a byte-order mark, else
//! the `Content-Type` header, else the document's own declaration (`<meta charset>`,
//! `<meta http-equiv>` or `<?xml encoding?>` in the first bytes), else the bytes are UTF-8
//! if they are valid UTF-8 and Windows-1252 otherwise (what browsers assume for the web's
//! legacy pages). An XML declaration is rewritten to say UTF-8, so a feed parser that honours
//! it does not decode the text a second time. Nothing else here.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How far into the document a `<meta>` or XML declaration is looked for.
const PRESCAN: usize = 2048;

/// The body as UTF-8, and the encoding it was decoded from.
pub(crate) fn decode(bytes: &[u8], content_type: Option<&str>) -> (String, &'static Encoding) {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (fix_xml_declaration(text.into_owned()), enc);
    }
    let declared = content_type
        .and_then(header_charset)
        .or_else(|| document_charset(&bytes[..bytes.len().min(PRESCAN)]));
    let enc = match declared {
        // A page that says UTF-16 without a BOM is lying: the prescan read it as ASCII.
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => UTF_8,
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => UTF_8,
        None => WINDOWS_1252,
    };
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (fix_xml_declaration(text.into_owned()), enc)
}

/// `text/html; charset="ISO-8859-1"` → ISO-8859-1 (which the web reads as Windows-1252).
fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (k, v) = param.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        Encoding::for_label(v.trim().trim_matches(['"', '\'']).as_bytes())
    })
}

/// `<meta charset=…>`, `<meta http-equiv=content-type content="…; charset=…">` or
/// `<?xml … encoding="…"?>` in the first bytes. The bytes are read as ASCII: every encoding
/// the web uses agrees with ASCII on these characters.
fn document_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: String = head
        .iter()
        .map(|&b| (b as char).to_ascii_lowercase())
        .collect();
    if let Some(decl) = lower.strip_prefix("<?xml")
        && let Some(end) = decl.find("?>")
    {
        return attribute(&decl[..end], "encoding").and_then(|v| Encoding::for_label(v.as_bytes()));
    }
    let mut rest = lower.as_str();
    while let Some(start) = rest.find("<meta") {
        let tag_end = rest[start..].find('>').map_or(rest.len(), |e| start + e);
        let tag = &rest[start..tag_end];
        if let Some(v) = attribute(tag, "charset") {
            return Encoding::for_label(v.as_bytes());
        }
        if attribute(tag, "http-equiv").as_deref() == Some("content-type")
            && let Some(content) = attribute(tag, "content")
            && let Some(enc) = header_charset(&content)
        {
            return Some(enc);
        }
        rest = &rest[tag_end..];
    }
    None
}

/// The value of `name=` in a tag's text, quoted or not.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(pos) = tag[from..].find(name) {
        let at = from + pos;
        from = at + name.len();
        let before_ok = at == 0 || tag.as_bytes()[at - 1].is_ascii_whitespace();
        let after = tag[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value = after[1..].trim_start();
        let v = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
            _ => value
                .split(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
                .next()
                .unwrap_or(""),
        };
        return Some(v.trim().to_string());
    }
    None
}

/// The text is UTF-8 now, whatever its XML declaration said.
fn fix_xml_declaration(text: String) -> String {
    let Some(end) = text.starts_with("<?xml").then(|| text.find("?>")).flatten() else {
        return text;
    };
    let decl = &text[..end];
    let Some(pos) = decl.find("encoding") else {
        return text;
    };
    let after = &decl[pos + "encoding".len()..];
    let Some(q_start) = after.find(['"', '\'']) else {
        return text;
    };
    let quote = after.as_bytes()[q_start] as char;
    let Some(q_len) = after[q_start + 1..].find(quote) else {
        return text;
    };
    let value_start = pos + "encoding".len() + q_start + 1;
    let value_end = value_start + q_len;
    format!("{}UTF-8{}", &text[..value_start], &text[value_end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_beats_document_and_bom_beats_both() {
        let page = b"<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9</body></html>";
        let (text, enc) = decode(page, Some("text/html"));
        assert_eq!(enc, WINDOWS_1252);
        assert!(text.contains("café"), "{text}");
        let (_, enc) = decode(page, Some("text/html; charset=ISO-8859-2"));
        assert_eq!(enc.name(), "ISO-8859-2");
        let (text, enc) = decode(
            b"\xef\xbb\xbfcaf\xc3\xa9",
            Some("text/html; charset=latin1"),
        );
        assert_eq!((text.as_str(), enc), ("café", UTF_8));
    }

    #[test]
    fn http_equiv_and_undeclared_bytes() {
        let page =
            b"<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'>\xe9t\xe9";
        assert!(decode(page, None).0.ends_with("été"));
        assert_eq!(decode("déjà".as_bytes(), None), ("déjà".to_string(), UTF_8));
        assert_eq!(decode(b"d\xe9j\xe0", None).1, WINDOWS_1252);
    }

    #[test]
    fn xml_declaration_is_read_and_then_says_utf8() {
        let feed =
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><title>\xc9t\xe9</title></rss>";
        let (text, enc) = decode(feed, Some("application/rss+xml"));
        assert_eq!(enc, WINDOWS_1252);
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss><title>Été</title></rss>"
        );
    }

    #[test]
    fn attribute_needs_a_word_boundary() {
        assert_eq!(
            attribute("<meta data-charset=x charset=utf-8", "charset").as_deref(),
            Some("utf-8")
        );
        assert_eq!(attribute("<meta content=\"a\"", "charset"), None);
    }
}
