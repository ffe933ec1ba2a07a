-- A Warungin-like schema and seed data for the test world (run as the superuser
-- on the world's own cluster; psql -v pw=... sets the application role's password).
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
CREATE ROLE warungin LOGIN PASSWORD :'pw';
GRANT pg_read_all_stats TO warungin;
GRANT pg_monitor TO warungin;
CREATE DATABASE warungin OWNER warungin;
\connect warungin
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
SET ROLE warungin;
CREATE TABLE tenants (
  id text PRIMARY KEY, name text NOT NULL, is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE stores (
  id text PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id), name text NOT NULL,
  is_active boolean NOT NULL DEFAULT true);
CREATE TABLE users (
  id text PRIMARY KEY, tenant_id text REFERENCES tenants(id), email text UNIQUE NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('SUPER_ADMIN','ADMIN_TENANT','SUPERVISOR','CASHIER','KITCHEN')),
  password_hash text NOT NULL, is_active boolean NOT NULL DEFAULT true,
  two_factor_enabled boolean NOT NULL DEFAULT false, assigned_store_id text REFERENCES stores(id),
  permissions jsonb, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE products (
  id serial PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id), name text NOT NULL,
  price numeric(12,2) NOT NULL, stock integer NOT NULL DEFAULT 0, is_active boolean NOT NULL DEFAULT true);
CREATE TABLE orders (
  id serial PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id),
  store_id text NOT NULL REFERENCES stores(id), user_id text REFERENCES users(id),
  order_number text UNIQUE NOT NULL, total numeric(12,2) NOT NULL,
  status text NOT NULL DEFAULT 'COMPLETED', created_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX orders_tenant_created ON orders (tenant_id, created_at DESC);
CREATE TABLE order_items (
  id serial PRIMARY KEY, order_id integer NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  product_id integer NOT NULL REFERENCES products(id), quantity integer NOT NULL,
  price numeric(12,2) NOT NULL, subtotal numeric(12,2) NOT NULL);

INSERT INTO tenants (id, name) VALUES
  ('11111111-1111-4111-8111-111111111111', 'Warung Maju Jaya'),
  ('22222222-2222-4222-8222-222222222222', 'Kopi Senja');
INSERT INTO stores (id, tenant_id, name, is_active) VALUES
  ('a1000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'Maju Pusat', true),
  ('a1000000-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'Maju Cabang Timur', true),
  ('a1000000-0000-4000-8000-000000000003', '11111111-1111-4111-8111-111111111111', 'Maju Cabang Barat', true),
  ('b2000000-0000-4000-8000-000000000001', '22222222-2222-4222-8222-222222222222', 'Senja Kemang', true);
-- Every seeded user's password is "password123"; the hash is md5(email || ':' || password).
INSERT INTO users (id, tenant_id, email, name, role, password_hash, two_factor_enabled, assigned_store_id, permissions)
SELECT id, tenant, email, name, role, md5(email || ':password123'), tfa, store, perms::jsonb FROM (VALUES
  ('00000000-0000-4000-8000-000000000001', NULL, 'superadmin@warungin.com', 'Super Admin', 'SUPER_ADMIN', true, NULL, NULL),
  ('00000000-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'admin@warungin.com', 'Admin Maju', 'ADMIN_TENANT', false, NULL, NULL),
  ('00000000-0000-4000-8000-000000000003', '22222222-2222-4222-8222-222222222222', 'admin2fa@warungin.com', 'Admin Senja', 'ADMIN_TENANT', true, NULL, NULL),
  ('00000000-0000-4000-8000-000000000004', '11111111-1111-4111-8111-111111111111', 'supervisor@warungin.com', 'Supervisor Maju', 'SUPERVISOR', false, NULL,
   '{"allowedStoreIds":["a1000000-0000-4000-8000-000000000001","a1000000-0000-4000-8000-000000000002"]}'),
  ('00000000-0000-4000-8000-000000000005', '11111111-1111-4111-8111-111111111111', 'cashier@warungin.com', 'Kasir Maju', 'CASHIER', false, 'a1000000-0000-4000-8000-000000000001', NULL),
  ('00000000-0000-4000-8000-000000000006', '11111111-1111-4111-8111-111111111111', 'kitchen@warungin.com', 'Dapur Maju', 'KITCHEN', false, 'a1000000-0000-4000-8000-000000000001', NULL),
  ('00000000-0000-4000-8000-000000000007', '22222222-2222-4222-8222-222222222222', 'cashier2@warungin.com', 'Kasir Senja', 'CASHIER', false, 'b2000000-0000-4000-8000-000000000001', NULL),
  -- the least-privilege accounts of wm-security's probes: a cashier without a
  -- store (C-2: refused at login) and a supervisor of one store (H-1)
  ('00000000-0000-4000-8000-000000000008', '11111111-1111-4111-8111-111111111111', 'nostore@warungin.com', 'Kasir Tanpa Toko', 'CASHIER', false, NULL, NULL),
  ('00000000-0000-4000-8000-000000000009', '11111111-1111-4111-8111-111111111111', 'supervisor1@warungin.com', 'Supervisor Pusat', 'SUPERVISOR', false, NULL,
   '{"allowedStoreIds":["a1000000-0000-4000-8000-000000000001"]}')
) AS u(id, tenant, email, name, role, tfa, store, perms);

INSERT INTO products (tenant_id, name, price, stock)
SELECT CASE WHEN g % 4 = 0 THEN '22222222-2222-4222-8222-222222222222' ELSE '11111111-1111-4111-8111-111111111111' END,
       (ARRAY['Nasi Goreng','Mie Ayam','Es Teh','Kopi Susu','Sate Ayam','Bakso','Gado-Gado','Teh Tarik'])[1 + g % 8] || ' #' || g,
       (5000 + (g * 1733) % 30000)::numeric, 10 + (g * 7) % 90
FROM generate_series(1, 80) AS g;

INSERT INTO orders (tenant_id, store_id, user_id, order_number, total, status, created_at)
SELECT s.tenant_id, s.id, CASE WHEN s.tenant_id LIKE '1111%' THEN '00000000-0000-4000-8000-000000000005' ELSE '00000000-0000-4000-8000-000000000007' END,
       'ORD-SEED-' || lpad(g::text, 5, '0'), 0, CASE WHEN g % 17 = 0 THEN 'CANCELLED' ELSE 'COMPLETED' END,
       now() - (g || ' minutes')::interval * 7
FROM generate_series(1, 400) AS g
JOIN LATERAL (SELECT id, tenant_id FROM stores ORDER BY id OFFSET (g % 4) LIMIT 1) s ON true;

INSERT INTO order_items (order_id, product_id, quantity, price, subtotal)
SELECT o.id, p.id, 1 + (o.id + k) % 3, p.price, p.price * (1 + (o.id + k) % 3)
FROM orders o CROSS JOIN generate_series(0, 2) AS k
JOIN LATERAL (SELECT id, price FROM products WHERE tenant_id = o.tenant_id ORDER BY id
              OFFSET ((o.id * 3 + k) % 20) LIMIT 1) p ON true;
UPDATE orders o SET total = (SELECT sum(subtotal) FROM order_items i WHERE i.order_id = o.id);
RESET ROLE;
ANALYZE;
