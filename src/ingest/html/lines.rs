//! Line-level cleaning of an extracted article's Markdown paragraphs: what survives the DOM
//! cuts but is still chrome by its wording or shape — bylines, date and "Updated" lines,
//! photo credits, share/follow/newsletter prompts, "Related"/"Read more" items, ad labels,
//! comment counts, link lists, breadcrumbs and the title repeated above the text.
//! Bylines and date lines are handed back so the metadata can use them as a last resort.

use std::sync::LazyLock;

use regex::Regex;

/// What cleaning kept, and the bylines and date lines it took out.
#[derive(Debug, Default)]
pub(crate) struct Cleaned {
    pub paragraphs: Vec<String>,
    pub bylines: Vec<String>,
    pub date_lines: Vec<String>,
}

/// Short lines only: a long paragraph is text, whatever words it opens with.
const SHORT: usize = 25;

/// A paragraph's words, without Markdown link targets and markers, and how much of it is
/// link text.
struct Shape {
    plain: String,
    words: usize,
    link_share: f64,
    heading: bool,
    list: bool,
    table: bool,
}

static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"!?\[([^\]]*)\]\([^)]*\)").expect("valid regex"));

fn shape(p: &str) -> Shape {
    let mut link_chars = 0usize;
    let plain = LINK.replace_all(p, |c: &regex::Captures| {
        let text = c[1].to_string();
        link_chars += text.chars().filter(|c| c.is_alphanumeric()).count();
        text
    });
    let plain: String = plain
        .lines()
        .map(|l| {
            let l = l.trim_start();
            let l = l.trim_start_matches('#').trim_start();
            let l = l
                .strip_prefix("- ")
                .or_else(|| l.strip_prefix("* "))
                .unwrap_or(l);
            l.replace(['*', '\\'], "").replace("__", "")
        })
        .collect::<Vec<_>>()
        .join(" ");
    let plain = plain.trim().to_string();
    let chars = plain.chars().filter(|c| c.is_alphanumeric()).count().max(1);
    let first = p.trim_start();
    Shape {
        words: plain.split_whitespace().count(),
        link_share: link_chars as f64 / chars as f64,
        heading: first.starts_with('#'),
        list: p
            .lines()
            .all(|l| LIST_ITEM.is_match(l.trim_start()) || l.trim().is_empty()),
        table: first.starts_with('|'),
        plain,
    }
}

static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[-*+]|\d{1,3}[.)])\s").expect("valid regex"));

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?i:
            (?:written|words|story|reporting|text|posted|published|compiled|edited|photos?|video)\s+by
          | by | von | por | par
        )[\s:]+\p{Lu}",
    )
    .expect("valid regex")
});

/// Labels: a word that is the whole line or is followed by a colon or a bar ("Related: …").
static CHROME_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            advertisement|advert|ad|ads|anzeige|publicidad|publicité|sponsored(?:\s+content)?|promoted
          | related|more|also|recommended|watch|listen|trending|popular|latest|source|sources
          | image|images|photo|photos|picture|credit|credits|tags?|topics|share|tweet|email|print
          | comments?|author|authors|categor(?:y|ies)|filed\s+under|posted\s+in|see\s+also|read\s+also
          | also\s+read|read\s+more|more\s+from\b[^:|]*|more\s+on\s+this(?:\s+story)?|video|gallery
        )\s*(?:[:|»›]|\.\.\.|…|$)",
    )
    .expect("valid regex")
});

/// Phrases that open a prompt or a block of links, whatever follows.
static CHROME_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            read\s+more|(?:story|article)\s+continues|continue\s+reading|read\s+next
          | related\s+(?:articles?|stories|coverage|content|links?|news|posts?|reading)
          | you\s+(?:may|might)\s+(?:also\s+)?like|most\s+(?:read|popular|viewed|shared)|top\s+stories
          | recent\s+(?:articles|posts|stories|news)|popular\s+this\s+week|further\s+reading
          | what\s+to\s+read\s+next|don'?t\s+miss|editor'?s\s+picks?|click\s+here|tap\s+here
          | sign\s+up|subscribe\s+(?:to|now|today|for)|follow\s+(?:us|me|him|her|them)\b
          | leave\s+a\s+(?:comment|reply)|view\s+comments|join\s+the\s+(?:conversation|discussion)
          | copy\s+link|about\s+the\s+author|(?:main\s+)?(?:image|photo)\s+credit
          | (?:last\s+)?(?:updated|published|posted|modified)\b
        )",
    )
    .expect("valid regex")
});

/// A short line that announces other stories: "More Great Stories", "Related coverage".
static ANNOUNCES_LINKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            related|more|recommended|read\s+(?:more|next|also)|also\s+read|see\s+also|trending
          | you\s+(?:may|might)\s+(?:also\s+)?like|most\s+(?:read|popular|viewed|shared)|top\s+stories
          | recent\s+(?:articles|posts|stories)|further\s+reading|popular|latest
        )\b",
    )
    .expect("valid regex")
});

/// A list whose every item links elsewhere.
fn is_list_of_links(p: &str, s: &Shape) -> bool {
    s.list
        && p.lines()
            .filter(|l| !l.trim().is_empty())
            .all(|l| l.contains("]("))
}

/// Prompts and credits recognized anywhere in a short line.
static CHROME_ANYWHERE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)(?:
            \bshare\s+(?:this|it|on|via)\b|\blike\s+this\s+(?:story|article)\b|\bfollow\s+(?:us|me|him|her|them)\s+on\b
          | \blike\s+us\s+on\b|\bsign\s+up\b|\bsubscribe\b|\bnewsletters?\b|\binbox\b|\bdownload\s+(?:our|the)\s+app\b
          | \bclick\s+here\b|\bjoin\s+(?:our|the)\b.*\b(?:forums?|community|conversation)\b|\bhave\s+a\s+(?:news\s+)?tip\b
          | \bemail\s+the\s+author\b|\bview\s+author\s+archive\b|\ball\s+rights\s+reserved\b|©|\(c\)\s*\d{4}
          | \bcopyright\s*(?:\d{4}|©|\(c\))|\bgetty\s+images\b|\bshutterstock\b|\bap\s+photo\b|\bistock\b
          | \bimage\s*:\s|\bphoto\s*:\s|\bimage\s+(?:credit|source|caption)\b|\bphoto\s+(?:credit|by)\b
          | \brequires\s+javascript\b|\bcookies?\b.*\b(?:accept|consent|policy)\b|\bterms\s+of\s+(?:use|service)\b
          | \bprivacy\s+policy\b|\bcomments?\s*\(\d+\)|^\d+\s+comments?$|\bmin(?:ute)?s?\s+read\b|\bfirst\s+published\b
          | \.(?:jpe?g|png|gif|webp)\b|^\[?\s*(?:\d+\s*(?:/|of)\s*\d+)\s*\]?$
        )",
    )
    .expect("valid regex")
});

/// Words a date or time line is made of.
static DATE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            \d[\d:.,/\-]*(?:st|nd|rd|th|h)?|a\.?m\.?|p\.?m\.?|am|pm|utc|gmt|bst|cet|cest|est|edt|cst|cdt|mst|mdt|pst|pdt|et|pt|ist|ast|jst|aest|hkt|sgt
          | jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?
          | mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?
          | updated|update|published|posted|modified|last|first|on|at|date|time|ago|hours?|hrs?|minutes?|mins?|seconds?|days?|weeks?
          | yesterday|today|and|of|de|del|le|am|um|el|à|às|a|\||/|-|–|—|·|•|,|:
        )$",
    )
    .expect("valid regex")
});

static HAS_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:1[89]\d\d|20\d\d)\b|\b\d{1,2}[:.]\d{2}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\bago\b")
        .expect("valid regex")
});

/// A short line made of a date or time and at most a few other words (a source name).
fn is_date_line(plain: &str, words: usize) -> bool {
    if words > 16 || !HAS_DATE.is_match(plain) || (words > 4 && plain.ends_with('.')) {
        return false;
    }
    let other = plain
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .filter(|w| {
            !DATE_WORD
                .is_match(w.trim_matches(|c: char| !c.is_alphanumeric() && c != '|' && c != '/'))
        })
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    other <= 3
}

/// What a paragraph is, if it is chrome.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Byline,
    Date,
    Chrome,
}

fn chrome_kind(s: &Shape) -> Option<Kind> {
    if s.words == 0 {
        return Some(Kind::Chrome);
    }
    if s.table {
        return None;
    }
    if s.words <= 14 && !s.plain.ends_with('.') && BYLINE.is_match(&s.plain) {
        return Some(Kind::Byline);
    }
    if is_date_line(&s.plain, s.words) {
        return Some(Kind::Date);
    }
    if s.words <= SHORT
        && (CHROME_LABEL.is_match(&s.plain)
            || CHROME_PHRASE.is_match(&s.plain)
            || CHROME_ANYWHERE.is_match(&s.plain))
    {
        return Some(Kind::Chrome);
    }
    None
}

/// Mostly link text: a headline linking elsewhere, or a list of links.
fn is_link_block(s: &Shape) -> bool {
    s.link_share > 0.6 && (s.words <= SHORT || s.list || s.heading)
}

/// A label alone on its line that introduces chrome: "Tags", "Share:", "Source:", "More".
/// An ad label does not: the text goes on after it.
fn is_bare_label(s: &Shape) -> bool {
    static STANDS_ALONE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:advertisement|advert|ads?|anzeige|publicidad|publicité|sponsored(?:\s+content)?|promoted|comments?|print|email)\W*$")
            .expect("valid regex")
    });
    s.words <= 3
        && !s.table
        && CHROME_LABEL.is_match(&s.plain)
        && CHROME_LABEL.replace(&s.plain, "").trim().is_empty()
        && !STANDS_ALONE.is_match(&s.plain)
}

/// Text that reads as prose: enough words and a sentence ending.
fn is_prose(s: &Shape) -> bool {
    !s.heading
        && s.words >= 12
        && s.plain
            .trim_end()
            .ends_with(['.', '!', '?', '"', '”', ')', ':', '’', '\''])
}

fn normalized(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Cleans the paragraphs of an extracted article whose title is `title`.
pub(crate) fn clean(paragraphs: Vec<String>, title: &str) -> Cleaned {
    let title_key = normalized(title);
    let shapes: Vec<Shape> = paragraphs.iter().map(|p| shape(p)).collect();
    let first_prose = shapes.iter().position(is_prose).unwrap_or(0);
    // Links are related stories when they come as headings, lists or runs, or next to a
    // chrome label; a lone linked line inside the text is the text's own.
    let link_chrome: Vec<bool> = (0..shapes.len())
        .map(|i| {
            let s = &shapes[i];
            if !is_link_block(s) {
                return false;
            }
            let near = |j: Option<usize>| {
                j.and_then(|j| shapes.get(j))
                    .is_some_and(|n| is_link_block(n) || chrome_kind(n) == Some(Kind::Chrome))
            };
            s.heading || s.list || near(i.checked_sub(1)) || near(Some(i + 1))
        })
        .collect();
    // A list of links under a short line that announces other stories: both go.
    let mut announced = vec![false; shapes.len()];
    for i in 1..shapes.len() {
        let head = &shapes[i - 1];
        if head.words <= 8
            && ANNOUNCES_LINKS.is_match(&head.plain)
            && is_list_of_links(&paragraphs[i], &shapes[i])
        {
            announced[i - 1] = true;
            announced[i] = true;
        }
    }
    let mut out = Cleaned::default();
    for (i, (p, s)) in paragraphs.into_iter().zip(&shapes).enumerate() {
        match chrome_kind(s) {
            Some(Kind::Byline) => {
                out.bylines.push(s.plain.clone());
                continue;
            }
            Some(Kind::Date) => {
                out.date_lines.push(s.plain.clone());
                continue;
            }
            Some(Kind::Chrome) => continue,
            None if link_chrome[i] => continue,
            // What a bare label ("Tags", "Share", "Source:") introduces: a short line that is
            // not a sentence.
            None if i > 0 && is_bare_label(&shapes[i - 1]) && !is_prose(s) && s.words <= 40 => {
                continue;
            }
            None if announced[i] => continue,
            None => {}
        }
        let key = normalized(&s.plain);
        // Above the text: the headline repeated, the deck under it, section labels, names.
        if i < first_prose
            && (s.heading || key == title_key || title_key.starts_with(&key) || s.words <= 4)
        {
            continue;
        }
        out.paragraphs.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(ps: &[&str]) -> Vec<String> {
        clean(ps.iter().map(|s| s.to_string()).collect(), "A plant opens").paragraphs
    }

    #[test]
    fn chrome_lines_go_and_text_stays() {
        let body = "The plant opened on Monday after two years of building, the company said.";
        let out = kept(&[
            "# A plant opens",
            "News",
            "By Ann Reed and Tom Bell",
            "Updated 10:07 AM EST, Nov 19, 2019",
            body,
            "Related: Another plant closes in the north",
            "Like this story? Share it with a friend!",
            "(Image: © Northern Photo Agency)",
            "[Five things to know about plants](https://x.example/five)",
            "- [One](https://x.example/1)\n- [Two](https://x.example/2)",
            "Advertisement",
            "It will employ 300 people by next year. Sign-ups for jobs open in May.",
        ]);
        assert_eq!(
            out,
            [
                body,
                "It will employ 300 people by next year. Sign-ups for jobs open in May."
            ]
        );
    }

    #[test]
    fn bylines_and_dates_are_handed_back() {
        let c = clean(
            vec![
                "By Ann Reed, Staff Writer".into(),
                "March 3, 2026".into(),
                "The plant opened on Monday after two years of building, the company said.".into(),
            ],
            "x",
        );
        assert_eq!(c.bylines, ["By Ann Reed, Staff Writer"]);
        assert_eq!(c.date_lines, ["March 3, 2026"]);
        assert_eq!(c.paragraphs.len(), 1);
    }

    #[test]
    fn what_a_label_introduces_goes_but_text_after_an_ad_label_stays() {
        let body = "The plant opened on Monday after two years of building, the company said.";
        let out = kept(&[
            body,
            "Advertisement",
            "He declined to comment.",
            "Tags",
            "plants, factories, jobs, north",
        ]);
        assert_eq!(out, [body, "He declined to comment."]);
    }

    #[test]
    fn a_list_of_links_under_a_more_stories_line_goes() {
        let body = "The plant opened on Monday after two years of building, the company said.";
        let links = "- The rise of small plants across the [north](https://x.example/1)\n- Why towns in the valley [want them](https://x.example/2)";
        assert_eq!(kept(&[body, "More Great Plant Stories", links]), [body]);
        // Under an ordinary line, the same list is the article's.
        let intro = "Sources used for this story:";
        assert_eq!(kept(&[body, intro, links]), [body, intro, links]);
    }

    #[test]
    fn lists_and_tables_of_text_stay() {
        let list = "- Flour, 200 grams\n- Two eggs\n- A pinch of salt";
        let table = "| Year | Output |\n|---|---|\n| 2025 | 300 |";
        let body = "The recipe needs only three things, all of them found in any kitchen.";
        assert_eq!(kept(&[body, list, table]), [body, list, table]);
    }

    #[test]
    fn ordinary_sentences_are_not_dates_or_bylines() {
        for p in [
            "By 2030 the plant will make 300 cars a day, the company said on Monday.",
            "On March 3 the board met.",
            "Share prices rose 3% on the news.",
        ] {
            assert_eq!(chrome_kind(&shape(p)), None, "{p}");
        }
    }
}
