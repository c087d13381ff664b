//! Request bodies for the bad-input suite: one tree of arguments, rendered as
//! server_fn renders them (a URL-encoded form in serde_qs's bracket notation,
//! or JSON), and the hostile values put in its leaves.

/// A value in an argument tree. `Raw` is sent as written, for what no
/// well-formed value can carry (a lone surrogate, invalid UTF-8).
#[derive(Clone, Debug)]
pub enum Node {
    Text(String),
    Int(i64),
    Bool(bool),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
    Raw { form: String, json: String },
}

use Node::*;

pub fn text(value: &str) -> Node {
    Text(value.to_owned())
}

pub fn map(fields: &[(&str, Node)]) -> Node {
    Map(fields
        .iter()
        .map(|(key, node)| ((*key).to_owned(), node.clone()))
        .collect())
}

fn raw(form: &str, json: &str) -> Node {
    Raw {
        form: form.to_owned(),
        json: json.to_owned(),
    }
}

/// Where a leaf is: the keys from the root.
pub type Leaf = Vec<String>;

/// Every leaf of a tree (an empty map or a list is a leaf).
pub fn leaves(node: &Node) -> Vec<Leaf> {
    match node {
        Map(fields) if !fields.is_empty() => fields
            .iter()
            .flat_map(|(key, child)| {
                leaves(child).into_iter().map(move |mut path| {
                    path.insert(0, key.clone());
                    path
                })
            })
            .collect(),
        _ => vec![Vec::new()],
    }
}

/// The tree with the leaf at `path` replaced (`Some`) or removed (`None`).
pub fn with(node: &Node, path: &[String], replacement: Option<&Node>) -> Node {
    let Some((first, rest)) = path.split_first() else {
        return replacement.cloned().unwrap_or(Map(Vec::new()));
    };
    let Map(fields) = node else {
        return node.clone();
    };
    Map(fields
        .iter()
        .filter_map(|(key, child)| {
            if key != first {
                Some((key.clone(), child.clone()))
            } else if rest.is_empty() {
                replacement.map(|r| (key.clone(), r.clone()))
            } else {
                Some((key.clone(), with(child, rest, replacement)))
            }
        })
        .collect())
}

/// The tree as a URL-encoded form, keys in brackets (`input[name]=…`,
/// `services[0]=…`), as serde_qs writes and reads them.
pub fn to_form(node: &Node) -> String {
    let mut pairs = Vec::new();
    flatten("", node, &mut pairs);
    pairs.join("&")
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn flatten(key: &str, node: &Node, pairs: &mut Vec<String>) {
    let child = |sub: &str| {
        if key.is_empty() {
            encode(sub)
        } else {
            format!("{key}[{}]", encode(sub))
        }
    };
    match node {
        Text(value) => pairs.push(format!("{key}={}", encode(value))),
        Int(value) => pairs.push(format!("{key}={value}")),
        Bool(value) => pairs.push(format!("{key}={value}")),
        Raw { form, .. } => pairs.push(format!("{key}={form}")),
        List(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&child(&i.to_string()), item, pairs);
            }
        }
        Map(fields) => {
            for (sub, value) in fields {
                flatten(&child(sub), value, pairs);
            }
        }
    }
}

/// The tree as JSON text.
pub fn to_json(node: &Node) -> String {
    match node {
        Text(value) => serde_json::Value::from(value.as_str()).to_string(),
        Int(value) => value.to_string(),
        Bool(value) => value.to_string(),
        Raw { json, .. } => json.clone(),
        List(items) => format!(
            "[{}]",
            items.iter().map(to_json).collect::<Vec<_>>().join(",")
        ),
        Map(fields) => format!(
            "{{{}}}",
            fields
                .iter()
                .map(|(key, value)| format!(
                    "{}:{}",
                    serde_json::Value::from(key.as_str()),
                    to_json(value)
                ))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

/// A value no argument of any type accepts: a map of maps.
pub fn probe() -> Node {
    map(&[("probe", map(&[("probe", text("x"))]))])
}

/// Odd, huge and wrong-typed values, each with its name for the report,
/// sent in every leaf an endpoint reads.
pub fn hostile(json: bool) -> Vec<(&'static str, Node)> {
    let mut values = vec![
        ("empty", text("")),
        ("blank", text(" \t ")),
        ("line breaks", text("a\r\nb\nc")),
        ("NUL", text("a\0b")),
        ("NUL alone", text("\0")),
        (
            "control characters",
            text("\u{1}\u{1b}[31m\u{7f}\u{85}\u{9f}"),
        ),
        ("RTL override", text("\u{202E}fdp.exe\u{202C}")),
        ("RTL marks and Hebrew", text("\u{200F}שלום\u{200E} עולם")),
        ("Arabic", text("مرحبا بالعالم")),
        (
            "combining marks",
            text(&"e\u{301}\u{302}\u{303}".repeat(40)),
        ),
        ("emoji ZWJ and flags", text("👩‍👩‍👧‍👦🇫🇷🏳️‍🌈")),
        ("emoji", text("😀")),
        ("CJK", text("日本語テキスト")),
        ("mixed scripts", text("Ωμέγα Привет Crème ١٢٣")),
        ("accented identifier", text("ÉÉ12345678")),
        ("three-byte characters", text("€€€€€€")),
        ("country then euros", text("DE€€€€€€€€")),
        ("zero widths and BOM", text("\u{FEFF}\u{200B}\u{2060}ab")),
        ("non-characters", text("\u{FFFD}\u{FFFF}\u{10FFFF}")),
        ("minus one", text("-1")),
        ("zero", text("0")),
        ("i32 overflow", text("2147483648")),
        ("u64 overflow", text("18446744073709551616")),
        ("float", text("1.5e300")),
        ("NaN", text("NaN")),
        ("hex", text("0x1F")),
        ("true", text("true")),
        ("null text", text("null")),
        ("SQL", text("' OR '1'='1' --")),
        ("LIKE wildcards", text("%_%\\")),
        ("HTML", text("<script>alert(1)</script>")),
        ("path", text("../../etc/passwd")),
        ("60 KB ASCII", text(&"a".repeat(60_000))),
        ("60 KB of euros", text(&"€".repeat(20_000))),
        ("100 KB", text(&"a".repeat(100_000))),
        ("10 000 combining marks", text(&"\u{301}".repeat(10_000))),
    ];
    if json {
        values.extend([
            ("null", raw("", "null")),
            ("number", Int(-1)),
            ("i64 max", Int(i64::MAX)),
            ("number too large", raw("", "1e400")),
            ("boolean", Bool(true)),
            ("empty list", List(Vec::new())),
            ("empty object", Map(Vec::new())),
            ("list of strings", List(vec![text("a"), text("b")])),
            ("lone high surrogate", raw("", r#""\ud800""#)),
            ("lone low surrogate", raw("", r#""a\udc00b""#)),
            ("escaped NUL", raw("", r#""\u0000""#)),
            (
                "deep nesting",
                raw("", &format!("{}{}", "[".repeat(500), "]".repeat(500))),
            ),
        ]);
    } else {
        values.extend([
            ("encoded surrogate", raw("%ED%A0%80", "")),
            ("invalid UTF-8", raw("%FF%FEa%C3", "")),
            ("bad escapes", raw("%zz%4%", "")),
            ("brackets", raw("%5B%5D%5B", "")),
            ("as a list", List(vec![text("a"), text("b")])),
            ("as an empty key", map(&[("", text("x"))])),
        ]);
    }
    values
}
