//! What the preview server adds to HTML responses: the live-reload script and, while the last
//! rebuild failed, the error overlay. It only ever rewrites a response body in memory; nothing
//! here touches the built site on disk, so `briefing build` output never holds any of it.

use pulldown_cmark_escape::escape_html;

use super::Status;

/// Where the page listens for "a build finished" events (Server-Sent Events).
pub(crate) const EVENTS_PATH: &str = "/__briefing/events";

/// Marks the injected elements, so that tests and users can tell them from the site's own HTML.
pub(crate) const MARK: &str = "data-briefing-serve";

/// Returns `html` with the reload script (and the overlay, if the last build failed) inserted
/// before the last `</body>`, or appended when the page has none.
pub(crate) fn inject(html: &str, status: &Status) -> String {
    let mut extra = String::new();
    if let Some(error) = &status.error {
        extra.push_str(&overlay(error, status.good_build));
    }
    extra.push_str(&reload_script(&status.tag()));
    let at = find_last_ignore_case(html, "</body>").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + extra.len());
    out.push_str(&html[..at]);
    out.push_str(&extra);
    out.push_str(&html[at..]);
    out
}

/// The script reloads the page when the server announces a build other than the one the page
/// was served from. The server sends the current build on connect, so a rebuild that finished
/// between serving the page and opening the event stream is not missed.
fn reload_script(tag: &str) -> String {
    format!(
        "<script {MARK}>(function(){{var shown=\"{tag}\";var es=new EventSource(\"{EVENTS_PATH}\");\
es.addEventListener(\"build\",function(e){{if(e.data!==shown){{es.close();location.reload();}}}});}})();</script>\n"
    )
}

/// A fixed panel over the page with the build error, HTML-escaped.
fn overlay(error: &str, good_build: bool) -> String {
    let under = if good_build {
        "the page below is the last good build"
    } else {
        "no build has succeeded yet, so there is no site to show"
    };
    let mut text = String::new();
    // Writing into a String cannot fail.
    let _ = escape_html(&mut text, error);
    format!(
        "<div {MARK} id=\"briefing-error\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;\
overflow:auto;margin:0;padding:2rem;background:rgba(24,8,8,.94);color:#fde8e8;font:14px/1.5 ui-monospace,monospace\">\
<p style=\"margin:0 0 1rem;font-weight:bold;color:#ff8f8f\">Build failed: {under}.</p>\
<pre style=\"white-space:pre-wrap;margin:0 0 1rem\">{text}</pre>\
<p style=\"margin:0;opacity:.8\">Fix the file and save: this page reloads by itself. \
<button type=\"button\" onclick=\"this.closest('#briefing-error').remove()\">Hide</button></p></div>\n"
    )
}

fn find_last_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    (0..=haystack.len().checked_sub(n)?)
        .rev()
        .find(|&i| haystack.as_bytes()[i..i + n].eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(error: Option<&str>) -> Status {
        Status {
            epoch: 7,
            generation: 3,
            error: error.map(String::from),
            good_build: true,
        }
    }

    #[test]
    fn script_goes_before_the_last_body_end_tag() {
        let html = "<html><body><p>x</p><pre></body></pre></BODY></html>";
        let out = inject(html, &status(None));
        let script = out.find("<script data-briefing-serve>").unwrap();
        assert!(script > out.find("</pre>").unwrap(), "{out}");
        assert!(out.ends_with("</script>\n</BODY></html>"), "{out}");
        assert!(out.contains("var shown=\"7.3\""), "{out}");
        assert!(!out.contains("briefing-error"));
    }

    #[test]
    fn page_without_body_gets_the_script_appended() {
        let out = inject("<p>bare</p>", &status(None));
        assert!(out.starts_with("<p>bare</p><script"), "{out}");
    }

    #[test]
    fn overlay_escapes_the_error_text() {
        let out = inject(
            "<body></body>",
            &status(Some("content/a.md:3:1: unknown field `<x>` & \"y\"")),
        );
        assert!(
            out.contains("content/a.md:3:1: unknown field `&lt;x&gt;` &amp; &quot;y&quot;"),
            "{out}"
        );
        assert!(out.find("briefing-error").unwrap() < out.find("<script").unwrap());
    }
}
