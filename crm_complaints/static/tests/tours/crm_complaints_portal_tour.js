import { registry } from "@web/core/registry";

// A portal customer files a complaint about a delivery on /my, sees its stage and
// SLA, closes it and rates the resolution.
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
            content: "Send",
            trigger: "#complaint_new_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The complaint page shows its stage",
            trigger: ".o_complaint_portal_sidebar .badge:contains('New')",
        },
        {
            content: "and its service level",
            trigger: ".o_complaint_sla .o_complaint_sla_status[data-sla-status=on_track]",
        },
        {
            content: "and the delivery",
            trigger: "#complaint_documents .o_complaint_delivery",
        },
        {
            content: "The customer closes the request",
            trigger: "#complaint_close_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is closed",
            trigger: ".alert-success:contains('Your request is closed')",
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
            trigger: "body:not(:has(.o_rating_page_submit)) :contains('Thank you')",
        },
    ],
});
