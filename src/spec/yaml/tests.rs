//! Loader tests: scalars, spans, limits and hostile documents.
use super::*;
use serde_json::json;

#[test]
fn core_schema_scalars() {
    let l = load("a: 1\nb: \"1\"\nc: true\nd: ~\ne: 2025-04-14\nf: 1.5\ng: 'x'\n").unwrap();
    assert_eq!(
        l.value,
        json!({"a": 1, "b": "1", "c": true, "d": null, "e": "2025-04-14", "f": 1.5, "g": "x"})
    );
}

#[test]
fn spans_point_at_values_and_keys() {
    let src = "models:\n  - model: gpt-4.1\n    regions: [swedencentral, uksouth]\n";
    let l = load(src).unwrap();
    let s = &l.spans["/models/0/regions/1"];
    assert_eq!((s.line, s.column), (3, 30));
    assert_eq!(&src[s.start..s.end], "uksouth");
    let k = &l.spans["/models/0/regions#key"];
    assert_eq!(&src[k.start..k.end], "regions");
}

/// A quoted value's span ends at its closing quote, not at the comment or the next token after it.
#[test]
fn quoted_spans_stop_at_the_closing_quote() {
    let src = concat!(
        "a: \"swedencentrl\"   # a comment\n",
        "b: 'it''s'  # another\n",
        "c: [\"x\\\"y\" , 'z' ]\n",
        "\"d\" : plain   # c\n",
    );
    let l = load(src).unwrap();
    let text = |p: &str| {
        let s = &l.spans[p];
        &src[s.start..s.end]
    };
    assert_eq!(text("/a"), "\"swedencentrl\"");
    assert_eq!(text("/b"), "'it''s'");
    assert_eq!(text("/c/0"), "\"x\\\"y\"");
    assert_eq!(text("/c/1"), "'z'");
    assert_eq!(text("/d#key"), "\"d\"");
    assert_eq!(text("/d"), "plain");
}

#[test]
fn duplicate_keys_are_errors() {
    let e = load("name: a\nname: b\n").unwrap_err();
    assert_eq!(e.code, "duplicate-key");
    assert_eq!(e.span.unwrap().line, 2);
}

#[test]
fn alias_bomb_stops_at_the_budget() {
    let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        doc.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
            p = i - 1
        ));
    }
    assert_eq!(load(&doc).unwrap_err().code, "yaml-too-large");
}

#[test]
fn small_aliases_expand() {
    let l = load("t: &t {owner: me}\nu: *t\n").unwrap();
    assert_eq!(l.value["u"], json!({"owner": "me"}));
}

#[test]
fn deep_nesting_is_refused() {
    let doc = "[".repeat(200) + &"]".repeat(200);
    assert_eq!(load(&doc).unwrap_err().code, "yaml-too-deep");
}

#[test]
fn the_scanners_recursion_limit_is_a_depth_error() {
    let e = load(&"[".repeat(10_000)).unwrap_err();
    assert_eq!(e.code, "yaml-too-deep");
    assert_eq!(e.span.unwrap().line, 1);
}

#[test]
fn syntax_errors_mark_the_tab_and_the_last_character() {
    let e = load("a: 1\n\t- b\n").unwrap_err();
    let s = e.span.unwrap();
    assert_eq!((s.line, s.column, s.start), (2, 1, 5));
    let src = "a: [x, y\n\n";
    let s = load(src).unwrap_err().span.unwrap();
    assert_eq!((s.line, &src[s.start..s.end]), (1, "y"));
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(load("").unwrap_err().code, "empty-spec");
    assert_eq!(load("# only a comment\n\n").unwrap_err().code, "empty-spec");
}

#[test]
fn tabs_give_a_syntax_error_with_position() {
    let e = load("a:\n\tb: 1\n").unwrap_err();
    assert_eq!(e.code, "yaml-syntax");
    assert_eq!(e.span.unwrap().line, 2);
}

#[test]
fn invalid_utf8_is_located() {
    let e = decode(b"name: a\nlocation: \xff\n").unwrap_err();
    assert_eq!(e.code, "not-utf8");
    let s = e.span.unwrap();
    assert_eq!((s.line, s.column), (2, 11));
}

#[test]
fn paths_read_like_code() {
    assert_eq!(format_path("/models/0/regions/1"), "models[0].regions[1]");
    assert_eq!(format_path(""), "");
}
