"""Benchmark of an erasure request (see `make bench`).

    .venv/bin/python tools/bench_erasure.py [--orders 25] [--messages 1000]
        [--markdown FILE]

Builds crm_bench_erasure (crm_privacy), gives one customer company and its
contact real documents (confirmed orders, validated deliveries, posted invoices,
payments: 4 documents per order) and messages in their chatters, then times the
erasure. A second customer with the same documents and a tenth of the messages
shows that the queries do not grow with the number of messages.
"""

import argparse
import sys

import bench_common as common

DB = "crm_bench_erasure"


def customer_with(env, number, orders, messages):
    from odoo import Command

    customer = env["res.partner"].create(
        {"name": f"Erased customer {number}", "is_company": True, "email": "e@x.com"}
    )
    contact = env["res.partner"].create(
        {"name": "Erased contact", "parent_id": customer.id, "phone": "+1 555 0100"}
    )
    product = env["product.product"].search([("name", "=", "Bench desk")], limit=1)
    sale_orders = env["sale.order"].create(
        [
            {
                "partner_id": contact.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
            for _i in range(orders)
        ]
    )
    sale_orders.action_confirm()
    for picking in sale_orders.picking_ids:
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.with_context(skip_sms=True).button_validate()
    invoices = sale_orders._create_invoices()
    invoices.action_post()
    env["account.payment.register"].with_context(
        active_model="account.move", active_ids=invoices.ids
    ).create({"group_payment": False})._create_payments()
    Message = env["mail.message"].with_context(mail_notrack=True)
    targets = [("res.partner", contact.id)] + [
        ("sale.order", order.id) for order in sale_orders
    ]
    Message.create(
        [
            {
                "model": targets[i % len(targets)][0],
                "res_id": targets[i % len(targets)][1],
                "body": f"<p>Message {i} with +1 555 0100</p>",
                "message_type": "comment",
                "author_id": contact.id,
            }
            for i in range(messages)
        ]
    )
    return customer


def bench(orders, messages, keep):
    common.createdb(DB, "crm_privacy")
    with common.odoo_env(DB) as env:
        env["product.product"].create(
            {"name": "Bench desk", "type": "consu", "list_price": 100.0}
        )
        small = customer_with(env, 1, orders, max(messages // 10, 1))
        big = customer_with(env, 2, orders, messages)
        warm = customer_with(env, 3, 1, 1)
        env.cr.commit()
        warm._lifecycle_anonymize()  # caches, not measured
        measured = {}
        for label, customer in (("small", small), ("big", big)):
            env.flush_all()
            env.invalidate_all()
            with common.measure(env.cr) as m:
                customer._lifecycle_anonymize()
                env.flush_all()
            measured[label] = m
        env.cr.commit()
        big_m, small_m = measured["big"], measured["small"]
        common.record(
            "erasure",
            f"erase a customer with {orders * 4} documents, {messages} messages",
            f"{big_m['seconds']:.2f}",
            "s",
            f"target < 2 s; {big_m['queries']} queries",
        )
        common.record(
            "erasure",
            f"the same with {max(messages // 10, 1)} messages",
            f"{small_m['seconds']:.2f}",
            "s",
            f"{small_m['queries']} queries: the ORM reads and deletes in batches "
            "of 1,000 rows, so only each thousand messages adds a few",
        )
    if not keep:
        common.dropdb(DB)
    # a few queries per batch of 1,000 rows, none per message
    return big_m["queries"] - small_m["queries"] <= 10


def main():
    global DB  # noqa: PLW0603
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=25, help="4 documents each")
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--db", default=DB, help=f"database name (default {DB})")
    parser.add_argument("--markdown")
    args = parser.parse_args()
    DB = args.db
    constant = bench(args.orders, args.messages, args.keep)
    if args.markdown:
        common.write_markdown(args.markdown, title="Erasure request")
    return 0 if constant else 1


if __name__ == "__main__":
    sys.exit(main())
