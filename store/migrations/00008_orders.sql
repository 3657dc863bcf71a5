-- +goose Up
-- Orders the shop pushes (or imports), linked to contacts, and the orders an
-- agent attached to a conversation. Items, amounts, coupons, gifts and
-- shipments are kept as JSON: they are read with the order, never queried
-- apart, except tracking numbers, which carriers' events look up.
CREATE TABLE orders (
    id            TEXT PRIMARY KEY,
    shop_order_id TEXT NOT NULL UNIQUE,
    contact_id    TEXT REFERENCES contacts(id),
    shop_user_id  TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    total         BIGINT NOT NULL,
    placed_at     BIGINT NOT NULL,
    data          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX orders_contact ON orders(contact_id, placed_at);

CREATE TABLE order_shipments (
    order_id    TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    carrier     TEXT NOT NULL,
    tracking_no TEXT NOT NULL,
    PRIMARY KEY (order_id, tracking_no)
);
CREATE INDEX order_shipments_tracking ON order_shipments(tracking_no);

CREATE TABLE conversation_orders (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    order_id        TEXT NOT NULL REFERENCES orders(id),
    attached_at     BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, order_id)
);

-- +goose Down
DROP TABLE conversation_orders;
DROP TABLE order_shipments;
DROP TABLE orders;
