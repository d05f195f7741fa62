//! A horizontal bar chart drawn as SVG by the app (no chart library), with the same numbers as a
//! table beside it for anyone who reads tables, or cannot see the chart.

use crate::markup::{esc, Markup};

/// The width the longest bar takes, in the chart's own units; the count follows it.
const BAR_SPACE: u64 = 340;
/// Each row: its label on one line (over the whole width, so a long translated label is never
/// cut), its bar under it.
const ROW: u64 = 40;

/// A chart of `rows` (label, count) under the heading `title`, then its table. `id` names the
/// chart for its caption; nothing to show says `empty`.
pub fn bar_chart(
    id: &'static str,
    title: &str,
    unit: &str,
    rows: &[(String, u64)],
    empty: &str,
) -> Markup {
    let id = Markup::tags(id);
    let heading = Markup::fill("<h2 id=\"{}\">{}</h2>", &[&id, &esc(title)]);
    if rows.is_empty() {
        return Markup::fill(
            "<figure class=\"chart\">{}<p class=\"muted\">{}</p></figure>",
            &[&heading, &esc(empty)],
        );
    }
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let height = ROW * rows.len() as u64;
    let bars: Markup = rows
        .iter()
        .enumerate()
        .map(|(i, (label, count))| {
            let y = ROW * i as u64;
            let width = count * BAR_SPACE / max;
            let label = esc(label);
            let count = Markup::number(*count);
            Markup::fill(
                "<g><title>{}: {}</title><text x=\"0\" y=\"{}\">{}</text>\
                 <rect x=\"0\" y=\"{}\" width=\"{}\" height=\"14\" rx=\"3\"></rect>\
                 <text x=\"{}\" y=\"{}\">{}</text></g>",
                &[
                    &label,
                    &count,
                    &Markup::number(y + 13),
                    &label,
                    &Markup::number(y + 19),
                    &Markup::number(width),
                    &Markup::number(width + 6),
                    &Markup::number(y + 31),
                    &count,
                ],
            )
        })
        .collect();
    let table: Markup = rows
        .iter()
        .map(|(label, count)| {
            Markup::fill(
                "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td></tr>",
                &[&esc(label), &Markup::number(*count)],
            )
        })
        .collect();
    Markup::fill(
        "<figure class=\"chart\" aria-labelledby=\"{}\">{}\
         <svg viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"{}\" preserveAspectRatio=\"xMinYMin meet\">{}</svg>\
         <table class=\"chart-table\"><thead><tr><th scope=\"col\"></th><th scope=\"col\" class=\"num\">{}</th></tr></thead>\
         <tbody>{}</tbody></table></figure>",
        &[
            &id,
            &heading,
            &Markup::number(BAR_SPACE + 60),
            &Markup::number(height),
            &id,
            &bars,
            &esc(unit),
            &table,
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_as_long_as_their_share_of_the_largest_and_labels_are_escaped() {
        let rows = vec![("Damaged <b>".to_owned(), 4), ("Late".to_owned(), 1)];
        let chart = bar_chart("c", "Reasons", "Cases", &rows, "none").into_html();
        assert!(chart.contains("width=\"340\""), "{chart}");
        assert!(chart.contains("width=\"85\""), "{chart}");
        assert!(chart.contains("Damaged &lt;b&gt;"));
        assert!(!chart.contains("<b>"));
        assert!(chart.contains("<td class=\"num\">4</td>"));
        assert_eq!(chart.matches("<rect").count(), 2);
        let empty = bar_chart("c", "Reasons", "Cases", &[], "Nothing yet").into_html();
        assert!(empty.contains("Nothing yet") && !empty.contains("<svg"));
    }
}
