//! A horizontal bar chart drawn as SVG by the app (no chart library), with the same numbers as a
//! table beside it for anyone who reads tables, or cannot see the chart.

use crate::markup::esc;

/// The width the longest bar takes, in the chart's own units; the count follows it.
const BAR_SPACE: u64 = 340;
/// Each row: its label on one line (over the whole width, so a long translated label is never
/// cut), its bar under it.
const ROW: u64 = 40;

/// A chart of `rows` (label, count) under the heading `title`, then its table. `id` names the
/// chart for its caption; nothing to show says `empty`.
pub fn bar_chart(id: &str, title: &str, unit: &str, rows: &[(String, u64)], empty: &str) -> String {
    let heading = format!("<h2 id=\"{id}\">{}</h2>", esc(title));
    if rows.is_empty() {
        return format!(
            "<figure class=\"chart\">{heading}<p class=\"muted\">{}</p></figure>",
            esc(empty)
        );
    }
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let height = ROW * rows.len() as u64;
    let bars: String = rows
        .iter()
        .enumerate()
        .map(|(i, (label, count))| {
            let y = ROW * i as u64;
            let width = count * BAR_SPACE / max;
            format!(
                "<g><title>{label}: {count}</title><text x=\"0\" y=\"{}\">{label}</text>\
                 <rect x=\"0\" y=\"{}\" width=\"{width}\" height=\"14\" rx=\"3\"></rect>\
                 <text x=\"{}\" y=\"{}\">{count}</text></g>",
                y + 13,
                y + 19,
                width + 6,
                y + 31,
                label = esc(label),
            )
        })
        .collect();
    let table: String = rows
        .iter()
        .map(|(label, count)| {
            format!(
                "<tr><th scope=\"row\">{}</th><td class=\"num\">{count}</td></tr>",
                esc(label)
            )
        })
        .collect();
    format!(
        "<figure class=\"chart\" aria-labelledby=\"{id}\">{heading}\
         <svg viewBox=\"0 0 {} {height}\" role=\"img\" aria-labelledby=\"{id}\" preserveAspectRatio=\"xMinYMin meet\">{bars}</svg>\
         <table class=\"chart-table\"><thead><tr><th scope=\"col\"></th><th scope=\"col\" class=\"num\">{}</th></tr></thead>\
         <tbody>{table}</tbody></table></figure>",
        BAR_SPACE + 60,
        esc(unit),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_as_long_as_their_share_of_the_largest_and_labels_are_escaped() {
        let rows = vec![("Damaged <b>".to_owned(), 4), ("Late".to_owned(), 1)];
        let chart = bar_chart("c", "Reasons", "Cases", &rows, "none");
        assert!(chart.contains("width=\"340\""), "{chart}");
        assert!(chart.contains("width=\"85\""), "{chart}");
        assert!(chart.contains("Damaged &lt;b&gt;"));
        assert!(!chart.contains("<b>"));
        assert!(chart.contains("<td class=\"num\">4</td>"));
        assert_eq!(chart.matches("<rect").count(), 2);
        let empty = bar_chart("c", "Reasons", "Cases", &[], "Nothing yet");
        assert!(empty.contains("Nothing yet") && !empty.contains("<svg"));
    }
}
