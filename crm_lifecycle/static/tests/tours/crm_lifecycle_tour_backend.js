// Helpers of the back-end role tours (they read the back end's fields).
import { parseMonetary } from "@web/views/fields/parsers";

/** An amount as the screen shows it (currency and separators of the user). */
export function amountOf(element) {
    return parseMonetary(element.textContent.replace(/\u00a0/g, " ").trim());
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
