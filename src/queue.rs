//! A queue of cases as the seller's and the mediator's pages keep it: the filters chosen, and a
//! page of the API's answer read by hand.

use chrono::{DateTime, TimeDelta, Utc};
use rules::api::{CaseView, QUEUE_LIMIT_MAX};
use rules::{CaseState, Deadline, Reason};

use crate::decode::{FromJs, Obj, Read};
use crate::route::encode;

/// The filters of a queue. The API sorts by deadline, most urgent first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueFilters {
    pub state: Option<CaseState>,
    pub reason: Option<Reason>,
    /// Only the cases whose next deadline is the viewer's.
    pub needs_my_action: bool,
    /// Only the cases the platform has been involved in.
    pub escalated: bool,
    /// The start of a case or order number.
    pub search: String,
}

/// Items per page: a screenful, then "show more".
pub const PAGE_SIZE: u32 = 25;

/// How many rows to read again when the queue changes while `pages` pages are shown, so the
/// rows brought by "show more" stay (up to what one answer may hold).
pub fn rows_for_pages(pages: u32) -> u32 {
    pages.max(1).saturating_mul(PAGE_SIZE).min(QUEUE_LIMIT_MAX)
}

impl QueueFilters {
    /// The API's address of `limit` cases after `cursor` (from the first without one).
    pub fn path(&self, after: Option<&str>, limit: u32) -> String {
        let mut query = vec![format!("limit={limit}")];
        if let Some(state) = self.state {
            query.push(format!("state={}", state.code()));
        }
        if let Some(reason) = self.reason {
            query.push(format!("reason={}", reason.code()));
        }
        if self.needs_my_action {
            query.push("needs_my_action=true".into());
        }
        if self.escalated {
            query.push("escalated=true".into());
        }
        let search = self.search.trim();
        if !search.is_empty() {
            query.push(format!("q={}", encode(search)));
        }
        if let Some(cursor) = after {
            query.push(format!("after={}", encode(cursor)));
        }
        format!("/api/cases?{}", query.join("&"))
    }
}

/// One case of a queue.
#[derive(Clone, Debug)]
pub struct QueueRow {
    pub summary: CaseView,
    pub buyer: String,
    /// Changes whenever the case does: the row is drawn again.
    pub version: u32,
    /// The next deadline; `None` once closed.
    pub due: Option<Deadline>,
    pub needs_my_action: bool,
    pub escalated: bool,
}

impl QueueRow {
    /// Due within a day from `now`: the queue flags it.
    pub fn due_soon(&self, now: DateTime<Utc>) -> bool {
        self.due
            .as_ref()
            .is_some_and(|d| d.at > now && d.at - now <= TimeDelta::hours(24))
    }
}

/// One page of a queue, with the counts of the whole queue.
#[derive(Clone, Debug)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub next_cursor: Option<String>,
    /// Cases per state, for every filter but the state.
    pub counts: Vec<(CaseState, u64)>,
    /// Cases matching every filter.
    pub total: u64,
}

impl FromJs for QueueRow {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(QueueRow {
            summary: FromJs::from_js(o)?,
            buyer: o.text("buyer")?,
            version: o.count("version")?,
            due: o.get_opt("next_deadline")?,
            needs_my_action: o.flag("needs_my_action")?,
            escalated: o.flag("escalated")?,
        })
    }
}

impl FromJs for QueuePage {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(QueuePage {
            rows: o.list("items")?,
            next_cursor: o.opt_text("next_cursor"),
            counts: o
                .list::<Obj>("counts")?
                .iter()
                .map(|c| Ok((c.code("state", CaseState::from_code)?, c.unsigned("count")?)))
                .collect::<Read<_>>()?,
            total: o.unsigned("total")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_the_apis_query() {
        let all = QueueFilters::default();
        // What the server preloads for a queue's first screen.
        assert_eq!(all.path(None, PAGE_SIZE), rules::api::first::QUEUE);
        let some = QueueFilters {
            state: Some(CaseState::AwaitingSeller),
            reason: Some(Reason::Defective),
            needs_my_action: true,
            escalated: true,
            search: "  ord 10&x ".into(),
        };
        assert_eq!(
            some.path(Some("123:case/1"), 50),
            "/api/cases?limit=50&state=awaiting_seller&reason=defective&needs_my_action=true\
             &escalated=true&q=ord%2010%26x&after=123%3Acase%2F1"
        );
    }

    #[test]
    fn a_live_refresh_reads_every_page_shown_up_to_the_apis_limit() {
        assert_eq!(rows_for_pages(0), PAGE_SIZE);
        assert_eq!(rows_for_pages(1), PAGE_SIZE);
        assert_eq!(rows_for_pages(3), 3 * PAGE_SIZE);
        assert_eq!(rows_for_pages(100), QUEUE_LIMIT_MAX);
        assert_eq!(rows_for_pages(u32::MAX), QUEUE_LIMIT_MAX);
    }
}
