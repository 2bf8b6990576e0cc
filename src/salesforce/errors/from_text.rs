//! Matching pasted text to catalog entries: one scan of the normalised text for the index's
//! phrases, then the scene around each hit decides what matched and how surely.

use super::*;

/// A phrase found in the normalised text.
#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    target: Target,
}

/// Scans the normalised text once, looking every word start up in the index.
fn scan(cat: &Catalog, norm: &[u8]) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut i = 0;
    while i < norm.len() {
        if !is_word(norm[i]) {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < norm.len() && is_word(norm[end]) {
            end += 1;
        }
        if let Some(needles) = cat.index.by_first_word.get(&norm[i..end]) {
            let mut described = false;
            for n in needles {
                let stop = i + n.text.len();
                let is_description = matches!(n.target, Target::Description { .. });
                if is_description && described {
                    continue;
                }
                if norm[i..].starts_with(&n.text) && paste::bounded(norm, i, stop, &n.text) {
                    described |= is_description;
                    hits.push(Hit {
                        start: i,
                        end: stop,
                        target: n.target,
                    });
                }
            }
        }
        i = end;
    }
    hits
}

/// The line around `[start, end)`, at most [`LINE_WINDOW`] bytes each way.
fn line_around(norm: &[u8], start: usize, end: usize) -> &[u8] {
    let lo_limit = start.saturating_sub(LINE_WINDOW);
    let lo = norm[lo_limit..start]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(lo_limit, |p| lo_limit + p + 1);
    let hi_limit = (end + LINE_WINDOW).min(norm.len());
    let hi = norm[end..hi_limit]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(hi_limit, |p| end + p);
    &norm[lo..hi]
}

/// Facts about the whole text that the rules below need.
struct Scene<'a> {
    norm: &'a [u8],
    hits: Vec<Hit>,
    /// Positions of wrapper hits, ascending.
    wrappers: Vec<(usize, usize)>,
    /// Positions of description keys, ascending.
    description_keys: Vec<usize>,
    /// The first and last word bytes of the text.
    first_word: usize,
    last_word_end: usize,
}

impl<'a> Scene<'a> {
    fn new(cat: &Catalog, norm: &'a [u8]) -> Self {
        let hits = scan(cat, norm);
        let wrappers = hits
            .iter()
            .filter_map(|h| match h.target {
                Target::Wrapper { wrapper } => Some((h.start, wrapper)),
                _ => None,
            })
            .collect();
        let description_keys = hits
            .iter()
            .filter(|h| h.target == Target::DescriptionKey)
            .map(|h| h.start)
            .collect();
        let first_word = norm.iter().position(|&c| is_word(c)).unwrap_or(0);
        let last_word_end = norm.iter().rposition(|&c| is_word(c)).map_or(0, |p| p + 1);
        Scene {
            norm,
            hits,
            wrappers,
            description_keys,
            first_word,
            last_word_end,
        }
    }

    /// Wrapper hits within [`CONTEXT_WINDOW`] of a span.
    fn wrappers_near(&self, start: usize, end: usize) -> &[(usize, usize)] {
        let lo = start.saturating_sub(CONTEXT_WINDOW);
        let hi = end + CONTEXT_WINDOW;
        let a = self.wrappers.partition_point(|&(p, _)| p < lo);
        let b = self.wrappers.partition_point(|&(p, _)| p <= hi);
        &self.wrappers[a..b]
    }

    /// Whether the text near a span is about Salesforce.
    fn in_context(&self, start: usize, end: usize) -> bool {
        !self.wrappers_near(start, end).is_empty()
    }

    /// The tool whose wrapper is nearest to a span.
    fn via(&self, cat: &Catalog, start: usize, end: usize) -> Option<String> {
        self.wrappers_near(start, end)
            .iter()
            .filter_map(|&(p, w)| {
                cat.wrappers[w]
                    .tool
                    .as_ref()
                    .map(|t| (p.abs_diff(start), t))
            })
            .min_by_key(|(d, _)| *d)
            .map(|(_, t)| t.clone())
    }

    /// Whether a span is nearly all of the text (a bare paste of one description).
    fn nearly_all(&self, start: usize, end: usize) -> bool {
        let before = start.saturating_sub(self.first_word);
        let after = self.last_word_end.saturating_sub(end);
        before + after <= NEARLY_ALL_SLACK
    }

    /// Whether an unpaired error code comes without a description: no description key near it,
    /// and nothing but punctuation after it on its line (or it is the value of an `error` key).
    fn code_stands_alone(&self, hit: &Hit) -> bool {
        let norm = self.norm;
        let lo = hit.start.saturating_sub(DESCRIPTION_KEY_WINDOW);
        let hi = hit.end + DESCRIPTION_KEY_WINDOW;
        let first_key = self.description_keys.partition_point(|&p| p < lo);
        if self
            .description_keys
            .get(first_key)
            .is_some_and(|&p| p <= hi)
        {
            return false;
        }
        if self.keyed(hit.start) {
            return true;
        }
        let mut i = hit.end;
        while i < norm.len()
            && matches!(
                norm[i],
                b' ' | b'"' | b'\'' | b':' | b'=' | b'>' | b',' | b';' | b')' | b']' | b'}' | b'.'
            )
        {
            i += 1;
        }
        i >= norm.len() || norm[i] == b'\n'
    }

    /// Whether the code at `start` is the value of an `error` key (`"error": "…"`, `'error':
    /// '…'`, `error=…` in a query string).
    fn keyed(&self, start: usize) -> bool {
        let norm = self.norm;
        let mut i = start;
        let mut saw_eq = false;
        let mut steps = 0;
        while i > 0 && steps < 8 {
            match norm[i - 1] {
                b'=' => saw_eq = true,
                b'"' | b'\'' | b' ' | b':' | b'>' => {}
                _ => break,
            }
            i -= 1;
            steps += 1;
        }
        if i < 5 || &norm[i - 5..i] != b"error" {
            return false;
        }
        match i.checked_sub(6).map(|p| norm[p]) {
            Some(b'"' | b'\'') => true,
            None | Some(b'?' | b'&' | b'#' | b' ' | b'\n') => saw_eq,
            _ => false,
        }
    }

    /// Whether the other strings of a pattern are on the anchor's line.
    fn pattern_holds(&self, pattern: &Pattern, hit: &Hit) -> bool {
        let line = line_around(self.norm, hit.start, hit.end);
        pattern
            .all
            .iter()
            .skip(1)
            .all(|s| paste::find_word(line, &needle_text(s)).is_some())
    }
}

/// The `[audience=… login=…]` suffix the Salesforce CLI appends to audience errors. Only values
/// that are URLs are taken, so nothing else of a paste is ever repeated.
fn audience_evidence(norm: &[u8], after: usize) -> Vec<(String, String)> {
    let line = line_around(norm, after, after);
    let mut out = Vec::new();
    for key in ["audience", "login"] {
        let marker = format!("{key}=");
        let Some(p) = paste::find_word(line, marker.as_bytes()) else {
            continue;
        };
        let value: Vec<u8> = line[p + marker.len()..]
            .iter()
            .copied()
            .take_while(|&c| !matches!(c, b' ' | b']' | b'\n' | b'"' | b'\''))
            .take(201)
            .collect();
        let url_like = value.len() <= 200
            && (value.starts_with(b"https://") || value.starts_with(b"http://"))
            && value
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || b".-_:/".contains(&c));
        if url_like {
            out.push((
                key.to_string(),
                String::from_utf8_lossy(&value).into_owned(),
            ));
        }
    }
    out
}

/// The host of a URL (lower-case already).
fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', ':']).next().unwrap_or(rest)
}

/// What an audience and login pair says, when it is one of the known mismatches.
fn audience_hint(evidence: &[(String, String)]) -> Option<String> {
    let get = |k: &str| {
        evidence
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let (aud, login) = (get("audience")?, get("login")?);
    let (aud_host, login_host) = (url_host(aud), url_host(login));
    let sandbox_host =
        login_host == "test.salesforce.com" || login_host.ends_with(".sandbox.my.salesforce.com");
    if aud_host == "login.salesforce.com" && sandbox_host {
        Some(format!(
            "a production audience ({aud}) was sent to a sandbox host ({login_host}): use \
             https://test.salesforce.com as aud, or the sandbox's My Domain URL for both"
        ))
    } else if aud_host == "test.salesforce.com" && login_host == "login.salesforce.com" {
        Some(format!(
            "a sandbox audience ({aud}) was sent to the production host {login_host}: use \
             https://login.salesforce.com as aud, or send the request to the sandbox"
        ))
    } else {
        None
    }
}

/// How many times one pattern's other strings are looked for before the pattern gives up (a
/// bound for inputs made of one phrase repeated).
const MAX_PATTERN_CHECKS: usize = 64;

/// Finds every catalog entry in a pasted text: JSON bodies (raw, pretty-printed, with extra
/// fields), `error: description` and its variants, query strings, the Salesforce CLI's and
/// other tools' wrappers, log lines, HTML pages. Each entry once, in order of first appearance.
/// Text that is not a Salesforce error gives an empty list.
pub fn match_text(text: &str) -> Vec<Match> {
    let (mut norm, blocks) = normalized_with_blocks(text);
    blank_retries(&mut norm, &blocks);
    match_normalized(&norm)
}

/// One login attempt of the Salesforce CLI after the first: its line under "Errors
/// encountered:", matched on its own. Nothing of the paste is kept but URLs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Retry {
    /// 2 for the line after the first, and so on.
    pub attempt: usize,
    /// The catalog entry the line matched, if any.
    pub id: Option<&'static str>,
    /// The `[audience=… login=…]` URLs of the line, when the CLI printed them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
}

/// The Salesforce CLI's fan-out: its error lists one line per login host x audience attempt.
/// The first line is Salesforce's answer for the URL the user gave; the others are the CLI
/// retrying with other audiences and generic login hosts, each sent the assertion. They are
/// never causes: they are matched apart from the rest of the text and reported here.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FanOut {
    pub tool: &'static str,
    /// How many attempts the CLI listed (the first included).
    pub attempts: usize,
    pub retries: Vec<Retry>,
}

/// The most attempt lines read under one "Errors encountered:" (the CLI makes at most 5).
const MAX_ATTEMPT_LINES: usize = 8;

/// The byte ranges of the attempt lines under each "Errors encountered:" of the normalised text.
fn attempt_blocks(norm: &[u8]) -> Vec<Vec<(usize, usize)>> {
    const HEAD: &[u8] = b"errors encountered:";
    let mut blocks = Vec::new();
    let mut from = 0;
    while let Some(rel) = norm[from..].windows(HEAD.len()).position(|w| w == HEAD) {
        let mut at = from + rel + HEAD.len();
        from = at;
        // The attempts start on the next line.
        match norm[at..].iter().position(|&c| c == b'\n') {
            Some(p) if norm[at..at + p].iter().all(|c| c.is_ascii_whitespace()) => at += p + 1,
            _ => continue,
        }
        let mut lines = Vec::new();
        while at < norm.len() && lines.len() < MAX_ATTEMPT_LINES {
            let end = norm[at..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(norm.len(), |p| at + p);
            let line = &norm[at..end];
            let trimmed = line.trim_ascii_start();
            if trimmed.is_empty()
                || trimmed.starts_with(b"at ")
                || trimmed.starts_with(b"\"")
                || trimmed.starts_with(b"}")
            {
                break;
            }
            // A JSON string ends inside the last line (`fetch failed",`).
            let cut = line.iter().position(|&c| c == b'"').map_or(end, |p| at + p);
            lines.push((at, cut));
            if cut < end {
                break;
            }
            at = end + 1;
        }
        from = from.max(at).min(norm.len());
        if lines.len() >= 2 {
            blocks.push(lines);
        }
    }
    blocks
}

/// The normalised text (capped at [`MAX_TEXT_BYTES`]) and its Salesforce CLI attempt lists.
fn normalized_with_blocks(text: &str) -> (Vec<u8>, Vec<Vec<(usize, usize)>>) {
    let text = &text[..paste::floor_char_boundary(text, MAX_TEXT_BYTES)];
    let norm = paste::normalize(text);
    let blocks = attempt_blocks(&norm);
    (norm, blocks)
}

/// Blanks every attempt line after the first of each list, so that retries give no causes.
fn blank_retries(norm: &mut [u8], blocks: &[Vec<(usize, usize)>]) {
    for &(start, end) in blocks.iter().flat_map(|b| b.iter().skip(1)) {
        norm[start..end].fill(b' ');
    }
}

/// The attempts after the first of one list, each line matched on its own (after the CLI's
/// wrapper text, so that short descriptions have their context).
fn retries_of(norm: &[u8], block: &[(usize, usize)]) -> Vec<Retry> {
    block
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, &(start, end))| {
            let line = &norm[start..end];
            let mut alone = b"error authenticating with jwt.\nerrors encountered:\n".to_vec();
            alone.extend_from_slice(line);
            let evidence = audience_evidence(line, 0);
            let get = |k: &str| {
                evidence
                    .iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| v.clone())
            };
            Retry {
                attempt: i + 1,
                id: match_normalized(&alone)
                    .first()
                    .map(|m| m.entry.id.as_str()),
                audience: get("audience"),
                login: get("login"),
            }
        })
        .collect()
}

/// [`match_text`], and the Salesforce CLI's fan-out when the text holds one: the retries' lines
/// are blanked before matching, so that only the first attempt (the answer) and the text around
/// it give causes; the retries are matched apart and returned.
pub fn match_text_with_fan_out(text: &str) -> (Vec<Match>, Option<FanOut>) {
    let (mut norm, blocks) = normalized_with_blocks(text);
    let fan_out = blocks.first().map(|first| FanOut {
        tool: "Salesforce CLI",
        attempts: first.len(),
        retries: retries_of(&norm, first),
    });
    blank_retries(&mut norm, &blocks);
    (match_normalized(&norm), fan_out)
}

fn match_normalized(norm: &[u8]) -> Vec<Match> {
    let cat = catalog();
    let scene = Scene::new(cat, norm);
    let mut found: Vec<Match> = Vec::new();
    // The best confidence found so far per entry: later hits of an entry found with high
    // confidence (or, for codes and patterns, found at all) cost nothing.
    let mut best: Vec<Option<Confidence>> = vec![None; cat.entries.len()];
    let mut used_codes = vec![false; scene.hits.len()];
    match_descriptions(cat, &scene, norm, &mut best, &mut used_codes, &mut found);
    match_codes_and_patterns(cat, &scene, &mut best, &used_codes, &mut found);
    finish(found)
}

/// The first pass: descriptions, paired with their error code when one is next to them (the
/// codes used so are marked in `used_codes`).
fn match_descriptions(
    cat: &'static Catalog,
    scene: &Scene<'_>,
    norm: &[u8],
    best: &mut [Option<Confidence>],
    used_codes: &mut [bool],
    found: &mut Vec<Match>,
) {
    let hits = &scene.hits;
    for (k, hit) in hits.iter().enumerate() {
        let Target::Description { entry, form } = hit.target else {
            continue;
        };
        if best[entry] == Some(Confidence::High) {
            continue;
        }
        let e = &cat.entries[entry];
        let f = &e.forms[form];
        let pair = pair_code(cat, hits, k);
        let (matched_on, confidence, error) = match pair {
            Some((j, code)) => {
                used_codes[j] = true;
                (
                    MatchedOn::ErrorAndDescription,
                    Confidence::High,
                    code.to_string(),
                )
            }
            None if f.alone || scene.in_context(hit.start, hit.end) => {
                (MatchedOn::Description, Confidence::Medium, f.error.clone())
            }
            None if scene.nearly_all(hit.start, hit.end) => {
                (MatchedOn::Description, Confidence::Low, f.error.clone())
            }
            None => continue,
        };
        if best[entry].is_some_and(|b| b >= confidence) {
            continue;
        }
        best[entry] = Some(confidence);
        let mut m = Match::new(e, matched_on, confidence);
        m.error = Some(error);
        m.error_description = f.description.clone().unwrap_or_default();
        m.via = scene.via(cat, hit.start, hit.end);
        m.position = pair.map_or(hit.start, |(j, _)| hits[j].start.min(hit.start));
        if e.id == ids::AUDIENCE_INVALID {
            m.evidence = audience_evidence(norm, hit.end);
            m.hint = audience_hint(&m.evidence);
        }
        found.push(m);
    }
}

/// The second pass, for entries the descriptions did not find: error codes that stand alone
/// (not used by a description), aliases, and patterns.
fn match_codes_and_patterns(
    cat: &'static Catalog,
    scene: &Scene<'_>,
    best: &mut [Option<Confidence>],
    used_codes: &[bool],
    found: &mut Vec<Match>,
) {
    let mut pattern_checks: HashMap<(usize, usize), usize> = HashMap::new();
    for (k, hit) in scene.hits.iter().enumerate() {
        let (entry, matched_on, confidence, error) = match hit.target {
            Target::Code { code } if !used_codes[k] => {
                let (name, alone) = &cat.index.codes[code];
                match alone {
                    Some(entry) if best[*entry].is_none() && scene.code_stands_alone(hit) => (
                        *entry,
                        MatchedOn::ErrorCode,
                        Confidence::Low,
                        Some(name.clone()),
                    ),
                    _ => continue,
                }
            }
            Target::Alias { entry } if best[entry].is_none() => (
                entry,
                MatchedOn::ErrorCode,
                Confidence::Medium,
                cat.entries[entry].error().map(str::to_string),
            ),
            Target::Pattern { entry, pattern } if best[entry].is_none() => {
                let checks = pattern_checks.entry((entry, pattern)).or_insert(0);
                if *checks >= MAX_PATTERN_CHECKS {
                    continue;
                }
                *checks += 1;
                let p = &cat.entries[entry].patterns[pattern];
                if !scene.pattern_holds(p, hit) {
                    continue;
                }
                // Unlike a description, a pattern that needs a context never matches without one:
                // "500 Internal Server Error" alone is anybody's.
                if !(p.alone || scene.in_context(hit.start, hit.end)) {
                    continue;
                }
                let confidence = Confidence::Medium;
                let error = cat.entries[entry].error().map(str::to_string);
                (entry, MatchedOn::Phrase, confidence, error)
            }
            _ => continue,
        };
        best[entry] = Some(confidence);
        let e = &cat.entries[entry];
        let mut m = Match::new(e, matched_on, confidence);
        m.error = error;
        if let Target::Pattern { pattern, .. } = hit.target
            && let Some(sig) = &e.patterns[pattern].signature
        {
            m.error_description = sig.clone();
        }
        if matched_on == MatchedOn::ErrorCode && e.code_alone.is_some() {
            m.error_description = String::new();
        }
        m.via = scene.via(cat, hit.start, hit.end);
        m.position = hit.start;
        found.push(m);
    }
}

/// The error code that goes with the description at `hits[k]`: the nearest code of the same
/// entry just before it (`error: description`, JSON in the usual order), else just after it
/// (JSON with the description first).
fn pair_code<'c>(cat: &'c Catalog, hits: &[Hit], k: usize) -> Option<(usize, &'c str)> {
    let hit = &hits[k];
    let Target::Description { entry, .. } = hit.target else {
        return None;
    };
    let e = &cat.entries[entry];
    let code_of = |h: &Hit| match h.target {
        Target::Code { code } if e.has_code(&cat.index.codes[code].0) => {
            Some(cat.index.codes[code].0.as_str())
        }
        _ => None,
    };
    for j in (0..k).rev() {
        let h = &hits[j];
        if h.start + 2 * MAX_PAIR_GAP < hit.start {
            break;
        }
        if h.end <= hit.start
            && hit.start - h.end <= MAX_PAIR_GAP
            && let Some(code) = code_of(h)
        {
            return Some((j, code));
        }
    }
    for (j, h) in hits.iter().enumerate().skip(k + 1) {
        if h.start > hit.end + MAX_PAIR_GAP {
            break;
        }
        if let Some(code) = code_of(h) {
            return Some((j, code));
        }
    }
    None
}

/// Orders matches by first appearance, keeps each entry once (with its best evidence), and drops
/// a "code without description" entry when a specific entry for the same code was found.
pub(super) fn finish(mut found: Vec<Match>) -> Vec<Match> {
    found.sort_by_key(|m| m.position);
    let mut out: Vec<Match> = Vec::new();
    for m in found {
        match out.iter_mut().find(|o| o.entry.id == m.entry.id) {
            Some(o) => {
                if m.confidence > o.confidence {
                    let position = o.position;
                    let via = o.via.take();
                    *o = Match {
                        position,
                        via: via.or(m.via.clone()),
                        ..m
                    };
                } else if o.via.is_none() {
                    o.via = m.via;
                }
            }
            None => out.push(m),
        }
    }
    let specific: Vec<String> = out
        .iter()
        .filter(|m| m.entry.code_alone.is_none())
        .filter_map(|m| m.error.clone())
        .collect();
    out.retain(|m| match &m.entry.code_alone {
        Some(code) => !specific.iter().any(|s| s == code),
        None => true,
    });
    let found_ids: Vec<String> = out.iter().map(|m| m.entry.id.clone()).collect();
    out.retain(|m| !m.entry.yields_to.iter().any(|y| found_ids.contains(y)));
    out
}
