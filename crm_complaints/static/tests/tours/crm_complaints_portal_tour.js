import { registry } from "@web/core/registry";
import { readScreen } from "@crm_lifecycle/../tests/tours/crm_lifecycle_tour_utils";

// (The selectors do not read words: the same tour runs in English and in
// Spanish, whose texts the "Read the screen" steps check.)
// A portal customer files a complaint about a delivery on /my with a file, reads
// the confirmation, when to expect an answer and the acknowledgement in the
// conversation, closes it, rates the resolution, and opens the delivery.
registry.category("web_tour.tours").add("crm_complaints_portal_tour", {
    steps: () => [
        {
            content: "Open the complaints from the portal home",
            trigger: "a[href='/my/complaints']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "File a new one",
            trigger: "a#complaint_new",
            run: "click",
            expectUnloadPage: true,
        },
        readScreen("portal: new request"),
        {
            content: "Subject",
            trigger: "#complaint_new_form input[name=subject]",
            run: "edit Two chairs missing",
        },
        {
            content: "It is a claim",
            trigger: "#complaint_new_form select[name=kind]",
            run: "select claim",
        },
        {
            content: "About the delivery",
            trigger: "#complaint_new_form select[name=picking_id]",
            run: "selectByIndex 1",
        },
        {
            content: "Describe it",
            trigger: "#complaint_new_form textarea[name=description]",
            run: "edit Only two of the four chairs were in the parcel.",
        },
        {
            content: "Attach a photo",
            trigger: "#complaint_new_form input[name=attachments]",
            run() {
                const files = new DataTransfer();
                files.items.add(
                    new File(["two chairs instead of four"], "parcel.txt", {
                        type: "text/plain",
                    })
                );
                this.anchor.files = files.files;
            },
        },
        {
            content: "Send",
            trigger: "#complaint_new_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "A confirmation says the request is filed",
            trigger: "#complaint_filed.alert-success",
        },
        {
            content: "The complaint page shows its stage",
            trigger: ".o_complaint_portal_sidebar .badge:not(:empty)",
        },
        {
            content: "and, in the customer's words, when they will get an answer",
            trigger: ".o_complaint_expectation:not(:empty)",
        },
        {
            content: "never the team's service level",
            trigger: "body:not(:has(.o_complaint_sla_status))",
        },
        {
            content: "The acknowledgement is in the conversation",
            trigger:
                "#chatterRoot:shadow .o-mail-Message-body:contains('Two chairs missing'):not(:contains('Only two'))",
        },
        {
            content: "and so is the attached file",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains('parcel.txt')",
        },
        {
            content: "and the delivery",
            trigger: "#complaint_documents .o_complaint_delivery",
        },
        readScreen("portal: the request filed"),
        {
            content: "The customer closes the request",
            trigger: "#complaint_close_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is closed",
            trigger: ".alert-success:not(#complaint_filed)",
        },
        {
            content: "Rate the resolution: satisfied",
            trigger: "#complaint_rating a.o_complaint_rate[data-rate='5']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Leave a comment",
            trigger: ".o_rating_page_submit textarea[name=feedback]",
            run: "edit Quick and kind, thank you",
        },
        {
            content: "Send the feedback",
            trigger: ".o_rating_page_submit button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The rating is recorded",
            trigger: "body:not(:has(.o_rating_page_submit)) :is(h1, h3)",
        },
        {
            content: "Go to the deliveries",
            trigger: "body",
            run() {
                window.location.href = "/my/deliveries";
            },
            expectUnloadPage: true,
        },
        {
            content: "Status and 'Report a problem' fit on the screen",
            trigger: "tr[data-delivery] .o_delivery_report",
            run() {
                const width = document.documentElement.clientWidth;
                for (const el of document.querySelectorAll(
                    "tr[data-delivery] .o_delivery_state, tr[data-delivery] .o_delivery_report"
                )) {
                    const right = el.getBoundingClientRect().right;
                    if (right > width + 1) {
                        throw new Error(`${el.className} is off-screen (${right} > ${width})`);
                    }
                }
            },
        },
        readScreen("portal: deliveries"),
        {
            content: "Open a delivery",
            trigger: "tr[data-delivery] a.o_delivery_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The delivery's page lists its products",
            trigger: ".o_portal_delivery .o_delivery_products tbody tr",
        },
        {
            content: "and the request filed about it",
            trigger: ".o_portal_delivery a:contains('CMP/')",
        },
        readScreen("portal: a delivery"),
    ],
});
