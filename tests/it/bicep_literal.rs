//! A reader for the literal data arrays in a generated main.bicep (what the parity and guarantee tests
//! count), kept apart from the tests that use it.

/// A Bicep literal: what the data arrays in main.bicep are made of.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Str(String),
    Int(i64),
    Bool(bool),
    Null,
    Arr(Vec<Lit>),
    Obj(Vec<(String, Lit)>),
    /// A function call such as `format('{0}-{1}.openai.azure.com', 'oai-x', suffix)`, kept as text.
    Call(String),
    /// A reference to a parameter or variable, such as `deployerObjectId`.
    Ref(String),
}

impl Lit {
    pub fn as_array(&self) -> &[Lit] {
        match self {
            Lit::Arr(v) => v,
            other => panic!("not an array: {other:?}"),
        }
    }
    pub fn get(&self, key: &str) -> &Lit {
        match self {
            Lit::Obj(v) => {
                &v.iter()
                    .find(|(k, _)| k == key)
                    .unwrap_or_else(|| panic!("no {key}"))
                    .1
            }
            other => panic!("not an object: {other:?}"),
        }
    }
    /// The value of `key`, when the object has one.
    pub fn find(&self, key: &str) -> Option<&Lit> {
        match self {
            Lit::Obj(v) => v.iter().find(|(k, _)| k == key).map(|(_, x)| x),
            other => panic!("not an object: {other:?}"),
        }
    }
    pub fn str(&self) -> String {
        match self {
            Lit::Str(s) => s.clone(),
            other => panic!("not a string: {other:?}"),
        }
    }
}

/// The literal value of `var <name> = ...` in `src`.
pub fn literal(src: &str, name: &str) -> Lit {
    let start = src
        .find(&format!("\nvar {name} = "))
        .unwrap_or_else(|| panic!("no var {name}"))
        + format!("\nvar {name} = ").len();
    let mut r = Reader {
        s: &src[start..],
        pos: 0,
    };
    r.value()
}

struct Reader<'a> {
    s: &'a str,
    pos: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }
    fn bump(&mut self) -> char {
        let c = self.peek().expect("unexpected end of literal");
        self.pos += c.len_utf8();
        c
    }
    /// Skips blanks, newlines, commas and `//` comments (separators inside arrays and objects).
    fn skip(&mut self) {
        loop {
            let rest = &self.s[self.pos..];
            if rest.starts_with("//") {
                self.pos += rest.find('\n').unwrap_or(rest.len());
            } else if let Some(c) = self.peek().filter(|c| c.is_whitespace() || *c == ',') {
                self.pos += c.len_utf8();
            } else {
                return;
            }
        }
    }
    fn value(&mut self) -> Lit {
        self.skip();
        match self.peek().expect("literal expected") {
            '\'' => Lit::Str(self.string()),
            '[' => {
                self.bump();
                let mut v = Vec::new();
                loop {
                    self.skip();
                    if self.peek() == Some(']') {
                        self.bump();
                        return Lit::Arr(v);
                    }
                    v.push(self.value());
                }
            }
            '{' => {
                self.bump();
                let mut v = Vec::new();
                loop {
                    self.skip();
                    if self.peek() == Some('}') {
                        self.bump();
                        return Lit::Obj(v);
                    }
                    let key = if self.peek() == Some('\'') {
                        self.string()
                    } else {
                        self.word()
                    };
                    self.skip();
                    assert_eq!(self.bump(), ':', "':' expected after {key}");
                    let val = self.value();
                    v.push((key, val));
                }
            }
            _ => match self.word().as_str() {
                f if self.peek() == Some('(') => {
                    let mut text = f.to_string();
                    let mut depth = 0;
                    loop {
                        match self.peek() {
                            Some('\'') => text.push_str(&format!("'{}'", self.string())),
                            Some(c) => {
                                self.bump();
                                text.push(c);
                                depth += match c {
                                    '(' => 1,
                                    ')' => -1,
                                    _ => 0,
                                };
                                if depth == 0 {
                                    return Lit::Call(text);
                                }
                            }
                            None => panic!("unclosed call {text}"),
                        }
                    }
                }
                "true" => Lit::Bool(true),
                "false" => Lit::Bool(false),
                "null" => Lit::Null,
                w => match w.parse() {
                    Ok(n) => Lit::Int(n),
                    Err(_) if w.starts_with(|c: char| c.is_ascii_alphabetic()) => {
                        Lit::Ref(w.to_string())
                    }
                    Err(_) => panic!("not a literal: {w}"),
                },
            },
        }
    }
    fn word(&mut self) -> String {
        let mut w = String::new();
        while let Some(c) = self
            .peek()
            .filter(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        {
            self.bump();
            w.push(c);
        }
        assert!(
            !w.is_empty(),
            "literal expected at {:?}",
            &self.s[self.pos..]
        );
        w
    }
    /// A single-quoted string; an unescaped `${` would be an interpolation, not a literal.
    fn string(&mut self) -> String {
        assert_eq!(self.bump(), '\'');
        let mut out = String::new();
        loop {
            match self.bump() {
                '\'' => return out,
                '\\' => match self.bump() {
                    '\\' => out.push('\\'),
                    '\'' => out.push('\''),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    '$' => out.push('$'),
                    'u' => {
                        assert_eq!(self.bump(), '{');
                        let mut hex = String::new();
                        while self.peek() != Some('}') {
                            hex.push(self.bump());
                        }
                        self.bump();
                        out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                    }
                    c => panic!("unknown escape \\{c}"),
                },
                '$' if self.peek() == Some('{') => panic!("interpolation in a literal: {out}"),
                '\n' => panic!("newline in a single-line string"),
                c => out.push(c),
            }
        }
    }
}
