// Helpers of the role tours, for the back end and the portal (no import of the
// back end's views: the portal bundle has none; see crm_lifecycle_tour_backend.js).
import { user } from "@web/core/user";

/** Whether the tour runs in Spanish (the back end's user, or the portal page). */
export function es() {
    const page = document.documentElement.getAttribute("lang") || "";
    return page.startsWith("es") || Boolean(user.lang?.startsWith("es"));
}

/** The text a person reads, in the tour's language. */
export function tr(english, spanish) {
    return es() ? spanish : english;
}

export function fail(message) {
    throw new Error(message);
}

/**
 * Log what a person reads on this screen (checked by the Python test, see
 * crm_lifecycle/tests/page_text.py): the action, its dialogs and
 * notifications (the navbar holds the menus of the other apps); on the portal,
 * the page's main content.
 */
export function readScreen(screen) {
    return {
        content: `Read the screen: ${screen}`,
        trigger: "body",
        run() {
            const text = [
                ...document.querySelectorAll(
                    ".o_action_manager, .o_notification_manager, .modal, #wrapwrap > main"
                ),
            ]
                .map((el) => el.innerText)
                .join("\n");
            console.log("crm-page-text " + JSON.stringify({ screen, text }));
        },
    };
}
