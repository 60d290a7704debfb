//! The site's time zone (`timezone` in briefing.toml): an IANA name or a fixed offset.

use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, TimeZone};

/// The site's time zone: an IANA name or a fixed offset. It decides which day an article
/// belongs to, whatever the machine's own zone is.
#[derive(Debug, Clone, Copy)]
pub enum SiteTimezone {
    Named(chrono_tz::Tz),
    Fixed(FixedOffset),
}

impl SiteTimezone {
    pub fn parse(s: &str) -> Option<Self> {
        if s.eq_ignore_ascii_case("utc") || s == "Z" {
            return Some(SiteTimezone::Fixed(FixedOffset::east_opt(0)?));
        }
        if let Ok(tz) = chrono_tz::Tz::from_str(s) {
            return Some(SiteTimezone::Named(tz));
        }
        parse_offset(s).map(SiteTimezone::Fixed)
    }

    /// The instant seen on the site's wall clock.
    pub fn localize(&self, t: &DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        match self {
            SiteTimezone::Named(tz) => t.with_timezone(tz).fixed_offset(),
            SiteTimezone::Fixed(off) => t.with_timezone(off),
        }
    }

    /// Midnight of `day` on the site's wall clock.
    pub fn start_of(&self, day: NaiveDate) -> DateTime<FixedOffset> {
        let naive = day.and_hms_opt(0, 0, 0).expect("midnight exists");
        self.from_local(&naive)
    }

    /// A wall-clock time in the site's zone (the earlier instant if it is ambiguous).
    pub fn from_local(&self, naive: &chrono::NaiveDateTime) -> DateTime<FixedOffset> {
        match self {
            SiteTimezone::Named(tz) => match tz.from_local_datetime(naive).earliest() {
                Some(t) => t.fixed_offset(),
                // A gap (spring forward): take the time as if in the zone's standard offset.
                None => {
                    let off = tz.offset_from_utc_datetime(naive).fix();
                    off.from_utc_datetime(&(*naive - off)).fixed_offset()
                }
            },
            SiteTimezone::Fixed(off) => off
                .from_local_datetime(naive)
                .single()
                .expect("fixed offsets have no gaps"),
        }
    }
}

fn parse_offset(s: &str) -> Option<FixedOffset> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let secs = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
    FixedOffset::east_opt(sign * secs)
}
