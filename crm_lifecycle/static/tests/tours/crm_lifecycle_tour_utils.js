import { user } from "@web/core/user";
import { parseMonetary } from "@web/views/fields/parsers";

/** Whether the tour runs in Spanish. */
export function es() {
    return user.lang.startsWith("es");
}

/** The text a person reads, in the tour's language. */
export function tr(english, spanish) {
    return es() ? spanish : english;
}

export function fail(message) {
    throw new Error(message);
}

/** An amount as the screen shows it (currency and separators of the user). */
export function amountOf(element) {
    return parseMonetary(element.textContent.replace(/\u00a0/g, " ").trim());
}

/**
 * Log what a person reads on this screen (checked by the Python test, see
 * crm_lifecycle/tests/page_text.py): the action, its dialogs and
 * notifications (the navbar holds the menus of the other apps).
 */
export function readScreen(screen) {
    return {
        content: `Read the screen: ${screen}`,
        trigger: "body",
        run() {
            const text = [
                ...document.querySelectorAll(
                    ".o_action_manager, .o_notification_manager, .modal"
                ),
            ]
                .map((el) => el.innerText)
                .join("\n");
            console.log("crm-page-text " + JSON.stringify({ screen, text }));
        },
    };
}

/** On a phone the smart buttons hide behind a button: open it if there. */
export function showSmartButtons() {
    return {
        content: "Show the smart buttons (behind a button on a phone)",
        trigger: ".o_form_view .o-form-buttonbox",
        run() {
            const more = document.querySelector(".o-form-buttonbox .o_button_more");
            if (more && !document.querySelector(".o-form-buttonbox-small")) {
                more.click();
            }
        },
    };
}
