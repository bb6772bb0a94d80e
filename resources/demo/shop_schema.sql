-- The demo database: a small shop with tables of varied sizes, foreign keys, a table without a primary key
-- and one big table (orders, 2M rows) to plan changes on. Deterministic (generate_series, no random()).
CREATE TABLE categories (id integer PRIMARY KEY, name text NOT NULL UNIQUE);
INSERT INTO categories SELECT g, 'category ' || g FROM generate_series(1, 40) g;

CREATE TABLE warehouses (id integer PRIMARY KEY, city text NOT NULL);
INSERT INTO warehouses SELECT g, (ARRAY['Lyon','Porto','Gdansk','Tampere','Graz','Brno','Cork','Aarhus'])[g] FROM generate_series(1, 8) g;

CREATE TABLE customers (
    id bigint PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text NOT NULL,
    country char(2) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO customers SELECT g, 'customer' || g || '@example.org', 'Customer ' || g,
    (ARRAY['FR','PT','PL','FI','AT','CZ','IE','DK'])[1 + g % 8], '2024-01-01'::timestamptz + g * interval '7 min'
FROM generate_series(1, 60000) g;

CREATE TABLE products (
    id integer PRIMARY KEY,
    category_id integer NOT NULL,
    sku text NOT NULL UNIQUE,
    name text NOT NULL,
    price numeric(10,2) NOT NULL
);
INSERT INTO products SELECT g, 1 + g % 40, 'SKU-' || lpad(g::text, 6, '0'), 'Product ' || g, 1 + (g % 500) / 4.0
FROM generate_series(1, 8000) g;

CREATE TABLE stock (
    warehouse_id integer NOT NULL,
    product_id integer NOT NULL,
    quantity integer NOT NULL,
    PRIMARY KEY (warehouse_id, product_id)
);
INSERT INTO stock SELECT w, p, (w * p) % 200 FROM generate_series(1, 8) w, generate_series(1, 8000) p;

CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    status text NOT NULL,
    total numeric(12,2) NOT NULL,
    placed_at timestamptz NOT NULL
);
INSERT INTO orders SELECT g, 1 + g % 60000, (ARRAY['placed','paid','shipped','delivered','returned'])[1 + g % 5],
    (g % 20000) / 10.0, '2024-01-01'::timestamptz + g * interval '13 s'
FROM generate_series(1, 2000000) g;

CREATE TABLE order_items (
    order_id bigint NOT NULL,
    line_no smallint NOT NULL,
    product_id integer NOT NULL,
    quantity integer NOT NULL,
    unit_price numeric(10,2) NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
INSERT INTO order_items SELECT o, l, 1 + (o * l) % 8000, 1 + (o + l) % 4, 1 + ((o * l) % 500) / 4.0
FROM generate_series(1, 300000) o, generate_series(1, 2) l;

CREATE TABLE payments (
    id bigint PRIMARY KEY,
    order_id bigint NOT NULL,
    amount numeric(12,2) NOT NULL,
    method text NOT NULL,
    paid_at timestamptz NOT NULL
);
INSERT INTO payments SELECT g, g, (g % 20000) / 10.0, (ARRAY['card','transfer','wallet'])[1 + g % 3],
    '2024-01-01'::timestamptz + g * interval '13 s' FROM generate_series(1, 400000) g;

CREATE TABLE shipments (
    id bigint PRIMARY KEY,
    order_id bigint NOT NULL,
    warehouse_id integer NOT NULL,
    carrier text NOT NULL,
    shipped_at timestamptz
);
INSERT INTO shipments SELECT g, g * 2, 1 + g % 8, (ARRAY['PostNord','DHL','GLS','UPS'])[1 + g % 4],
    '2024-01-02'::timestamptz + g * interval '26 s' FROM generate_series(1, 150000) g;

CREATE TABLE reviews (
    id bigint PRIMARY KEY,
    product_id integer NOT NULL,
    customer_id bigint NOT NULL,
    rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body text
);
INSERT INTO reviews SELECT g, 1 + g % 8000, 1 + g % 60000, 1 + g % 5, repeat('good ', 1 + g % 20)
FROM generate_series(1, 90000) g;

-- No primary key: the planner backfills such a table by ranges of heap pages.
CREATE TABLE audit_log (
    happened_at timestamptz NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    detail jsonb
);
INSERT INTO audit_log SELECT '2024-01-01'::timestamptz + g * interval '1 min', 'user' || g % 50,
    (ARRAY['login','logout','refund','export'])[1 + g % 4], jsonb_build_object('n', g)
FROM generate_series(1, 250000) g;

CREATE SCHEMA marketing;
CREATE TABLE marketing."Campaigns" ("Campaign ID" integer PRIMARY KEY, "Name" text NOT NULL, budget numeric(12,2));
INSERT INTO marketing."Campaigns" SELECT g, 'Campaign ' || g, g * 100 FROM generate_series(1, 300) g;
CREATE TABLE marketing.newsletter_signups (id bigint PRIMARY KEY, email text NOT NULL, signed_up_at timestamptz NOT NULL);
INSERT INTO marketing.newsletter_signups SELECT g, 'reader' || g || '@example.org', '2024-03-01'::timestamptz + g * interval '1 h'
FROM generate_series(1, 20000) g;

-- Foreign keys after the data: one validating scan each instead of a check per inserted row.
ALTER TABLE products ADD FOREIGN KEY (category_id) REFERENCES categories (id);
ALTER TABLE stock ADD FOREIGN KEY (warehouse_id) REFERENCES warehouses (id);
ALTER TABLE stock ADD FOREIGN KEY (product_id) REFERENCES products (id);
ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE order_items ADD FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE order_items ADD FOREIGN KEY (product_id) REFERENCES products (id);
ALTER TABLE payments ADD FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE shipments ADD FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE shipments ADD FOREIGN KEY (warehouse_id) REFERENCES warehouses (id);
ALTER TABLE reviews ADD FOREIGN KEY (product_id) REFERENCES products (id);
ALTER TABLE reviews ADD FOREIGN KEY (customer_id) REFERENCES customers (id);

VACUUM ANALYZE;
