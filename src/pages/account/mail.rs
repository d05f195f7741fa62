use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use rules::api::{MailPreferences, Role, Topic};

use crate::api;
use crate::components::Loaded;
use crate::markup::{all, esc, say, target, text as tag, Markup};
use crate::text::{code, t};

/// One box per kind of e-mail that ever reaches `role`, ticked unless turned off.
pub fn topics_markup(mail: &MailPreferences, role: Role) -> Markup {
    let boxes: Markup = Topic::ALL
        .into_iter()
        .filter(|topic| topic.concerns(role))
        .map(|topic| {
            let ticked = if mail.off.contains(&topic) {
                ""
            } else {
                " checked"
            };
            Markup::fill(
                "<label class=\"check\"><input type=\"checkbox\" name=\"topic\" value=\"{}\"{}>{}</label>",
                &[
                    &Markup::tags(topic.code()),
                    &Markup::tags(ticked),
                    &esc(&code("topic", topic.code())),
                ],
            )
        })
        .collect();
    tag("legend", "", &t("account.topics")).join(boxes)
}

/// The kinds of e-mail the page's boxes leave unticked.
fn unticked() -> Vec<Topic> {
    let mut off = Vec::new();
    for found in all(".mail input:not(:checked)") {
        off.extend(
            found
                .get_attribute("value")
                .as_deref()
                .and_then(Topic::from_code),
        );
    }
    off
}

/// The whole form as markup under one submit handler, its line under the button written in
/// place: a view with reactive parts cost the first load about 1 KB more, measured.
fn form_markup(mail: &MailPreferences, role: Role) -> Markup {
    Markup::fill(
        "<fieldset>{}</fieldset><p class=\"hint\">{}</p>\
         <button type=\"submit\" class=\"button primary\">{}</button>\
         <p id=\"mail-said\" role=\"status\"></p>",
        &[
            &topics_markup(mail, role),
            &esc(&t("account.always")),
            &esc(&t("account.save")),
        ],
    )
}

/// Which e-mails the signed-in person wants: `/account`. Every notice stays in the header's menu
/// either way; reminders and what the clock did are always sent.
#[component]
pub fn MailPage(
    /// Who is signed in: a seller is asked about new cases, a buyer about refunds.
    role: Role,
) -> impl IntoView {
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        // One save at a time, so the last one sent is the one kept; the button says so too.
        let Some(Ok(Some(button))) =
            target::<web_sys::Element>(&ev).map(|f| f.query_selector("button"))
        else {
            return;
        };
        if button.has_attribute("disabled") {
            return;
        }
        let _ = button.set_attribute("disabled", "");
        let off = unticked();
        say("mail-said", &t("account.saving"));
        leptos::task::spawn_local(async move {
            // A failure leaves the boxes as the person ticked them, to save again.
            let said = match api::save_mail(off).await {
                Ok(()) => t("account.saved"),
                Err(e) => e.describe(),
            };
            say("mail-said", &said);
            let _ = button.remove_attribute("disabled");
        });
    };
    let render = move |mail: MailPreferences| {
        view! {
            <form class="card mail" on:submit=save inner_html=form_markup(&mail, role).into_html()></form>
        }
        .into_any()
    };
    view! {
        <h1>{t("account.title")}</h1>
        <p class="hint">{t("account.intro")}</p>
        <Loaded load=api::mail() loading="account.loading" render />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_is_asked_about_what_reaches_it_ticked_unless_turned_off() {
        let mail = MailPreferences {
            off: vec![Topic::Talks, Topic::Refunds],
        };
        let seller = topics_markup(&mail, Role::Seller).into_html();
        assert_eq!(
            seller,
            "<legend>account.topics</legend>\
             <label class=\"check\"><input type=\"checkbox\" name=\"topic\" value=\"new_cases\" checked>topic.new_cases</label>\
             <label class=\"check\"><input type=\"checkbox\" name=\"topic\" value=\"talks\">topic.talks</label>\
             <label class=\"check\"><input type=\"checkbox\" name=\"topic\" value=\"messages\" checked>topic.messages</label>\
             <label class=\"check\"><input type=\"checkbox\" name=\"topic\" value=\"steps\" checked>topic.steps</label>"
        );
        let buyer = topics_markup(&mail, Role::Buyer).into_html();
        assert!(!buyer.contains("new_cases"), "{buyer}");
        assert!(buyer.contains("value=\"refunds\">"), "{buyer}");
    }
}
