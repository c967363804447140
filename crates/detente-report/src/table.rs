//! Plain text tables.

/// A plain text table: a header row and rows, columns padded; numbers right-aligned.
pub fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let cols = header.len();
    let mut width = header.iter().map(|h| h.chars().count()).collect::<Vec<_>>();
    for r in rows {
        for (c, cell) in r.iter().enumerate().take(cols) {
            width[c] = width[c].max(cell.chars().count());
        }
    }
    let numeric = |s: &str| s.chars().any(|c| c.is_ascii_digit()) && s.chars().all(|c| c.is_ascii_digit() || ".-+/ %".contains(c));
    // A column is right-aligned, header included, when every body cell in it is a number.
    let right: Vec<bool> =
        (0..cols).map(|c| c > 0 && !rows.is_empty() && rows.iter().all(|r| r.get(c).is_some_and(|x| numeric(x)))).collect();
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (c, cell) in cells.iter().enumerate().take(cols) {
            let pad = width[c] - cell.chars().count();
            if c > 0 {
                out.push_str("  ");
            }
            if right[c] {
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            } else {
                out.push_str(cell);
                if c + 1 < cols {
                    out.push_str(&" ".repeat(pad));
                }
            }
        }
        out.trim_end().to_string()
    };
    let mut out = line(header);
    out.push('\n');
    out.push_str(&width.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("  "));
    out.push('\n');
    for r in rows {
        out.push_str(&line(r));
        out.push('\n');
    }
    out
}
