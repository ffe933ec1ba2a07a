#!/usr/bin/python3
"""A Warungin-like backend for the test world (see ../shared/research/warungin.md).

It behaves like the Express-era backend where a monitor can see it: winston-style
JSON lines on stdout (keys sorted, "YYYY-MM-DD HH:MM:SS" timestamps), /health and
/api/health, POST /api/auth/login with the real answers and rate limit, the 2FA
guard on tenant routes, the supervisor store guard on GET /api/orders, products
read through Redis as a cache, orders in PostgreSQL, and /api/metrics in the
Prometheus text format.  Faults are read from files in $WM_WORLD_DIR/faults so
they survive a restart of the container; the hidden /__world/* routes (not under
/api, so nginx never proxies them) exist for the world script only.

Debian packages only: python3, python3-psycopg2, python3-redis.
"""
import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import psycopg2
import psycopg2.pool
import redis

from metrics import Metrics

ENV = os.environ
WORLD = ENV["WM_WORLD_DIR"]
FAULTS = os.path.join(WORLD, "faults")
PORT = int(ENV["WM_BACKEND_PORT"])
START = time.time()
LOGIN_LIMIT = 20
LOGIN_WINDOW = 900.0


def read_secret(path):
    with open(path, encoding="utf-8") as f:
        return f.read().strip()


_log_lock = threading.Lock()


def log(level, msg, **meta):
    """One winston JSON line: sorted keys, service tag; a "message" in the
    metadata is appended to the message, as winston does."""
    rec = dict(meta)
    if "message" in rec:
        msg = "%s %s" % (msg, rec.pop("message"))
    rec.update(level=level, message=msg, service="warungin",
               timestamp=time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()))
    line = json.dumps(rec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    with _log_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def fault(name):
    """Contents of an active fault file, or None."""
    try:
        with open(os.path.join(FAULTS, name), encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return None


METRICS = Metrics()


class Db:
    """A small psycopg2 pool; a broken connection is dropped and the query retried once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pool = None

    def _pool(self):
        with self.lock:
            if self.pool is None:
                self.pool = psycopg2.pool.ThreadedConnectionPool(
                    1, 4, host="127.0.0.1", port=ENV["WM_PG_PORT"], dbname="warungin",
                    user="warungin", password=read_secret(ENV["WM_PG_PASSWORD_FILE"]),
                    connect_timeout=3, application_name="warungin-backend")
            return self.pool

    def query(self, operation, table, sql, params=(), fetch=True):
        for attempt in (0, 1):
            pool = self._pool()
            conn = pool.getconn()
            t0 = time.monotonic()
            try:
                with conn.cursor() as cur:
                    cur.execute(sql, params)
                    rows = cur.fetchall() if fetch else cur.rowcount
                conn.commit()
                METRICS.observe("warungin_db_query_duration_seconds",
                                {"operation": operation, "table": table}, time.monotonic() - t0)
                pool.putconn(conn)
                return rows
            except (psycopg2.OperationalError, psycopg2.InterfaceError):
                pool.putconn(conn, close=True)
                if attempt:
                    raise
            except Exception:
                conn.rollback()
                pool.putconn(conn)
                raise
        return None


DB = Db()


def redis_client():
    return redis.Redis(host="127.0.0.1", port=int(ENV["WM_REDIS_PORT"]),
                       password=read_secret(ENV["WM_REDIS_PASSWORD_FILE"]),
                       socket_timeout=2, socket_connect_timeout=2)


REDIS = redis_client()
SECRET = read_secret(os.path.join(WORLD, "secrets", "jwt")).encode()


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_token(user, kind="access"):
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps({"userId": user["id"], "role": user["role"], "type": kind,
                           "exp": int(time.time()) + 3600}).encode())
    sig = b64(hmac.new(SECRET, ("%s.%s" % (head, body)).encode(), hashlib.sha256).digest())
    return "%s.%s.%s" % (head, body, sig)


def check_token(token):
    """The payload of a valid unexpired token, or an error string."""
    parts = token.split(".")
    if len(parts) != 3:
        return "Unauthorized: Invalid token"
    sig = b64(hmac.new(SECRET, ("%s.%s" % (parts[0], parts[1])).encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(sig, parts[2]):
        return "Unauthorized: Invalid token"
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return "Unauthorized: Invalid token"
    if payload.get("exp", 0) < time.time():
        return "Unauthorized: Token expired"
    return payload


USER_COLS = ("id, email, name, role, tenant_id, password_hash, is_active, two_factor_enabled, "
             "assigned_store_id, permissions, (select name from tenants t where t.id = u.tenant_id), "
             "(select is_active from tenants t where t.id = u.tenant_id)")
USER_KEYS = ("id", "email", "name", "role", "tenantId", "hash", "isActive", "twoFactorEnabled",
             "storeId", "permissions", "tenantName", "tenantActive")


def load_user(where, value):
    rows = DB.query("findUnique", "users", "SELECT %s FROM users u WHERE %s = %%s" % (USER_COLS, where),
                    (value,))
    return dict(zip(USER_KEYS, rows[0])) if rows else None


class AppError(Exception):
    def __init__(self, status, body, log_level=None, log_msg=None, **meta):
        super().__init__(body.get("error"))
        self.status, self.body = status, body
        self.log_level, self.log_msg, self.meta = log_level, log_msg, meta


class RateLimiter:
    """express-rate-limit with skipSuccessfulRequests: failures per IP in a window."""

    def __init__(self):
        self.lock = threading.Lock()
        self.fails = {}

    def blocked(self, ip):
        now = time.time()
        with self.lock:
            hits = [t for t in self.fails.get(ip, []) if now - t < LOGIN_WINDOW]
            self.fails[ip] = hits
            if len(hits) >= LOGIN_LIMIT:
                return int(LOGIN_WINDOW - (now - hits[0])) + 1
        return 0

    def fail(self, ip):
        with self.lock:
            self.fails.setdefault(ip, []).append(time.time())

    def reset(self, ip=None):
        with self.lock:
            if ip:
                self.fails.pop(ip, None)
            else:
                self.fails.clear()


LIMITER = RateLimiter()
FAIL_NEXT = {"n": 0}
FAIL_LOCK = threading.Lock()
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
STACK = "AppError: %s\n    at login (/app/dist/src/services/auth.service.js:98:15)"


def login(h, body):
    ip = h.client_ip()
    retry = LIMITER.blocked(ip)
    if retry:
        log("warn", "Auth rate limit exceeded:", ip=ip, path="/api/auth/login", retryAfter=retry)
        return 429, {"error": "Too many login attempts",
                     "message": "Terlalu banyak percobaan login. Silakan coba lagi nanti.",
                     "retryAfter": retry, "limit": LOGIN_LIMIT, "windowMs": int(LOGIN_WINDOW * 1000)}
    email = str(body.get("email", "")).strip().lower() if isinstance(body, dict) else ""
    password = str(body.get("password", "")).strip() if isinstance(body, dict) else ""
    details = []
    if not EMAIL_RE.match(email):
        details.append({"field": "email", "message": "Invalid email format"})
    if len(password) < 6:
        details.append({"field": "password", "message": "Password must be at least 6 characters"})
    if details:
        return 400, {"error": "Validation failed", "details": details}
    log("info", "Login attempt:", email=email, passwordLength=len(password))
    user = load_user("email", email)

    def refuse(msg, status=401, role=None):
        LIMITER.fail(ip)
        log("error", "Auth route error [LOGIN]: " + msg, code=None, issues=None, method="POST",
            name="AppError", path="/login", stack=STACK % msg, statusCode=status,
            userId=user["id"] if user else None)
        return status, {"error": msg, "message": msg}

    if not user:
        return refuse("Akun tidak ditemukan. Silakan hubungi admin.")
    log("info", "User found:", name=user["name"], role=user["role"], email=email,
        isActive=user["isActive"], tenantActive=user["tenantActive"])
    if not user["isActive"]:
        return refuse("Akun tidak aktif. Silakan hubungi admin.")
    if user["role"] != "SUPER_ADMIN":
        log("info", "Checking tenant for non-Super Admin user...")
        if user["tenantActive"] is False:
            return refuse("Tenant is inactive", 403)
        log("info", "Tenant validation passed")
    log("info", "Verifying password...")
    want = hashlib.md5((email + ":" + password).encode()).hexdigest()
    log("info", "Password comparison result:")
    if not hmac.compare_digest(want, user["hash"]):
        log("error", "Password comparison failed:", email=email, role=user["role"],
            passwordLength=len(password), hashLength=60, hashStart="$2a$10$" + user["hash"][:13])
        return refuse("Password salah")
    log("info", "Password verified successfully")
    if user["role"] in ("CASHIER", "KITCHEN") and not user["storeId"]:
        return refuse("Store belum ditetapkan untuk akun Anda. Silakan hubungi admin untuk "
                      "menetapkan store sebelum login.", 403)
    session = b64(os.urandom(12))
    log("info", "Session created during login", userId=user["id"], sessionId=session)
    log("info", "Login successful:", email=email, role=user["role"], tenantName=user["tenantName"])
    return 200, {"token": make_token(user), "refreshToken": make_token(user, "refresh"),
                 "sessionId": session,
                 "user": {"id": user["id"], "email": email, "name": user["name"], "role": user["role"],
                          "tenantId": user["tenantId"], "tenantName": user["tenantName"],
                          "permissions": user["permissions"]}}


def auth_guard(h):
    header = h.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise AppError(401, {"error": "Unauthorized: No token provided"})
    payload = check_token(header[7:].strip())
    if isinstance(payload, str):
        raise AppError(401, {"error": payload})
    user = load_user("id", payload.get("userId"))
    if not user:
        raise AppError(401, {"error": "Unauthorized: User not found"})
    if not user["isActive"]:
        raise AppError(401, {"error": "Unauthorized: User account is inactive"})
    return user


def require_2fa(user, path):
    if user["role"] not in ("ADMIN_TENANT", "SUPER_ADMIN"):
        raise AppError(403, {"error": "Forbidden: Insufficient permissions"})
    if fault("2fa-bypass") is not None:
        return  # the regression the fault simulates: the guard lets everybody through
    if not user["twoFactorEnabled"]:
        log("warn", "2FA required but not enabled for admin role", userId=user["id"],
            role=user["role"], path=path)
        raise AppError(403, {"error": "2FA Required",
                             "message": "Two-factor authentication is required for admin access. "
                                        "Please enable 2FA in your account settings immediately.",
                             "requires2FA": True, "redirectTo": "/app/settings/2fa"})


# The world's one valid 2FA code (the real backend checks a TOTP): probes and
# tests need a bad code answered 401 and a good one 200.
WORLD_2FA_CODE = "246810"


def verify_2fa(h, body):
    auth_guard(h)
    if str(body.get("token", "")) != WORLD_2FA_CODE:
        return 401, {"message": "Token 2FA tidak valid"}
    return 200, {"message": "Token 2FA valid"}


def store_guard(user, store_id, method):
    if user["role"] != "SUPERVISOR" or not store_id:
        return
    allowed = (user["permissions"] or {}).get("allowedStoreIds", [])
    if store_id not in allowed:
        log("warn", "Supervisor store access denied", userId=user["id"], requestedStoreId=store_id,
            allowedStoreIds=allowed, path="/", method=method)
        raise AppError(403, {"error": "Forbidden: Store access not allowed",
                             "message": 'You do not have access to store "%s". Contact admin to get '
                                        'access to this store.' % store_id,
                             "code": "STORE_ACCESS_DENIED", "requestedStore": store_id,
                             "allowedStores": allowed})


def products(h, q):
    user = auth_guard(h)
    page = max(1, int(q.get("page", "1"))) if q.get("page", "1").isdigit() else 1
    limit = min(100, int(q.get("limit", "20"))) if q.get("limit", "20").isdigit() else 20
    key = "products:%s:%d:%d" % (user["tenantId"], page, limit)
    t0 = time.monotonic()
    cached = REDIS.get(key)
    METRICS.observe("warungin_redis_operation_duration_seconds", {"operation": "get"}, time.monotonic() - t0)
    if cached is not None:
        return 200, json.loads(cached)
    rows = DB.query("findMany", "products",
                    "SELECT id, name, price, stock FROM products WHERE tenant_id = %s AND is_active "
                    "ORDER BY id LIMIT %s OFFSET %s", (user["tenantId"], limit, (page - 1) * limit))
    total = DB.query("count", "products", "SELECT count(*) FROM products WHERE tenant_id = %s",
                     (user["tenantId"],))[0][0]
    body = {"data": [{"id": r[0], "name": r[1], "price": float(r[2]), "stock": r[3]} for r in rows],
            "pagination": {"page": page, "limit": limit, "total": total}}
    if fault("cache-cold") is None:
        t0 = time.monotonic()
        REDIS.setex(key, 300, json.dumps(body))
        METRICS.observe("warungin_redis_operation_duration_seconds", {"operation": "set"}, time.monotonic() - t0)
    return 200, body


def list_orders(h, q):
    with FAIL_LOCK:
        failing = FAIL_NEXT["n"] > 0
        if failing:
            FAIL_NEXT["n"] -= 1
    if failing:
        raise RuntimeError("Connection terminated unexpectedly")
    user = auth_guard(h)
    store = q.get("storeId")
    store_guard(user, store, "GET")
    sql = ("SELECT id, order_number, store_id, total, status, created_at FROM orders WHERE tenant_id = %s"
           + (" AND store_id = %s" if store else "") + " ORDER BY created_at DESC, id DESC LIMIT 20")
    rows = DB.query("findMany", "orders", sql, (user["tenantId"], store) if store else (user["tenantId"],))
    return 200, {"data": [{"id": r[0], "orderNumber": r[1], "storeId": r[2], "total": float(r[3]),
                           "status": r[4], "createdAt": r[5].isoformat()} for r in rows]}


def create_order(h, body):
    user = auth_guard(h)
    store = body.get("storeId") or user["storeId"]
    items = body.get("items") or []
    if not store or not items or not isinstance(items, list):
        return 400, {"error": "Validation failed", "details": [{"field": "items", "message": "Required"}]}
    ids = [int(i.get("productId", 0)) for i in items]
    prices = dict(DB.query("findMany", "products", "SELECT id, price FROM products WHERE id = ANY(%s)", (ids,)))
    total = sum(float(prices.get(i, 0)) * int(it.get("quantity", 1)) for i, it in zip(ids, items))
    number = "ORD-%d-%s" % (int(time.time()), b64(os.urandom(4)))
    oid = DB.query("create", "orders",
                   "INSERT INTO orders (tenant_id, store_id, user_id, order_number, total) "
                   "VALUES (%s, %s, %s, %s, %s) RETURNING id", (user["tenantId"], store, user["id"], number, total))[0][0]
    for i, it in zip(ids, items):
        if i in prices:
            q = int(it.get("quantity", 1))
            DB.query("create", "order_items",
                     "INSERT INTO order_items (order_id, product_id, quantity, price, subtotal) "
                     "VALUES (%s, %s, %s, %s, %s)", (oid, i, q, prices[i], float(prices[i]) * q), fetch=False)
    return 201, {"id": oid, "orderNumber": number, "total": total, "status": "COMPLETED"}


def update_tenant(h, tid, body, method):
    user = auth_guard(h)
    require_2fa(user, "/" + tid if tid else "/")
    if method == "PUT":
        DB.query("update", "tenants", "UPDATE tenants SET name = coalesce(%s, name) WHERE id = %s",
                 (body.get("name"), tid), fetch=False)
    return 200, {"id": tid, "message": "Tenant updated"}


def health():
    services = {"database": "connected", "redis": "connected"}
    try:
        DB.query("queryRaw", "none", "SELECT 1")
    except Exception:  # any failure means the database is not usable
        services["database"] = "disconnected"
    try:
        REDIS.ping()
    except Exception:
        services["redis"] = "disconnected"
    ok = all(v == "connected" for v in services.values())
    return (200 if ok else 503), {"status": "ok" if ok else "degraded",
                                  "timestamp": datetime.datetime.utcnow().isoformat(timespec="milliseconds") + "Z",
                                  "uptime": round(time.time() - START, 2), "environment": "production",
                                  "services": services}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Express"
    sys_version = ""

    def log_message(self, *args):  # Express has no access log
        pass

    def client_ip(self):
        fwd = self.headers.get("X-Forwarded-For")
        return fwd.split(",")[0].strip() if fwd else self.client_address[0]

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(n, 1 << 20)) if n > 0 else b""
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return None

    def route(self, method, path, q, body):
        """(route label, status, body) for one request."""
        if path == "/health" and method == "GET":
            return ("/health",) + health()
        if path == "/api/health" and method == "GET":
            return "/api/health", 200, {"status": "ok", "timestamp":
                                        datetime.datetime.utcnow().isoformat(timespec="milliseconds") + "Z"}
        if path == "/api" and method == "GET":
            return "/api", 200, {"message": "Warungin API", "version": "1.1.0", "endpoints": {
                "health": "/health", "api": "/api", "auth": "/api/auth", "docs": "/api-docs"}}
        if path == "/api/metrics" and method == "GET":
            return "/api/metrics", 200, METRICS.render()
        if path == "/api/auth/login" and method == "POST":
            if body is None:
                return "/api/auth/login", 400, {"error": "Validation failed",
                                                "details": [{"field": "body", "message": "Invalid JSON"}]}
            return ("/api/auth/login",) + login(self, body)
        if path == "/api/products" and method == "GET":
            return ("/api/products",) + products(self, q)
        if path == "/api/orders" and method == "GET":
            return ("/api/orders",) + list_orders(self, q)
        if path == "/api/orders" and method == "POST":
            return ("/api/orders",) + create_order(self, body or {})
        if path == "/api/2fa/verify" and method == "POST":
            return ("/api/2fa/verify",) + verify_2fa(self, body or {})
        m = re.match(r"^/api/tenants(?:/([^/]+))?$", path)
        if m and method in ("POST", "PUT", "DELETE"):
            return ("/api/tenants/:id" if m.group(1) else "/api/tenants",) + \
                update_tenant(self, m.group(1), body or {}, method)
        if path == "/__world/fail" and method == "POST":
            with FAIL_LOCK:
                FAIL_NEXT["n"] = int(q.get("n", "0"))
            return "/__world", 200, {"failNext": FAIL_NEXT["n"]}
        if path == "/__world/reset-ratelimit" and method == "POST":
            LIMITER.reset(q.get("ip"))
            return "/__world", 200, {"reset": q.get("ip") or "all"}
        log("warn", "Route not found:", path=path, method=method, query=q)
        return "not_found", 404, {"error": "Route not found", "path": path}

    def dispatch(self, method):
        t0 = time.monotonic()
        url = urlparse(self.path)
        q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        body = self.body() if method in ("POST", "PUT") else {}
        slow = fault("slow")
        if slow and url.path.startswith("/api/") and url.path not in ("/api/health", "/api/metrics"):
            time.sleep(min(int(slow), 60000) / 1000.0)
        try:
            route, status, payload = self.route(method, url.path, q, body)
        except AppError as e:
            route, status, payload = url.path, e.status, e.body
        except psycopg2.OperationalError as e:
            route, status = url.path, 503
            payload = {"error": "Database connection failed. Please try again in a moment.",
                       "message": str(e).strip().split("\n")[0]}
            log("error", "Prisma Error", message=payload["message"], target="quaint::connector",
                timestamp=time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()))
        except Exception as e:  # the Express error handler: log and answer 500
            route, status = url.path, 500
            payload = {"error": "Internal server error", "message": str(e)}
            self.log_unhandled(e, method, url.path, q)
        self.send(route, method, status, payload, t0, url.path, q)

    def log_unhandled(self, e, method, path, q):
        n = METRICS.count.get(("warungin_errors_total", (("route", path), ("type", "server_error"))), 0)
        level = {4: "critical", 9: "fatal"}.get(n % 10, "error")
        log(level, "Error [%s]:" % path.strip("/").replace("/", "."), context=path, message=str(e),
            name=type(e).__name__, stack="%s: %s\n    at handler (/app/dist/src/routes/order.routes.js:42:11)"
            % (type(e).__name__, e), path=path, method=method, query=q or None, body=None,
            headers={"content-type": self.headers.get("Content-Type"),
                     "user-agent": self.headers.get("User-Agent"), "origin": self.headers.get("Origin")},
            code=None, statusCode=500, meta=None)

    def send(self, route, method, status, payload, t0, path, q):
        if isinstance(payload, str):
            data, ctype = payload.encode(), "text/plain; version=0.0.4; charset=utf-8"
        else:
            data, ctype = json.dumps(payload).encode(), "application/json; charset=utf-8"
        dur = time.monotonic() - t0
        ms = int(dur * 1000)
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Response-Time", "%dms" % ms)
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass
        labels = {"method": method, "route": route, "status_code": str(status)}
        METRICS.observe("warungin_http_request_duration_seconds", labels, dur)
        METRICS.inc("warungin_http_requests_total", labels)
        if status >= 400:
            METRICS.inc("warungin_errors_total", {"type": "server_error" if status >= 500 else "client_error",
                                                  "route": path})
        if ms > 1000:
            log("warn", "Slow request detected", path=path, method=method, duration="%dms" % ms,
                threshold="1000ms", statusCode=status, query=q or None)


def main():
    for line in ("🚀 Starting Warungin Backend...", "⏳ Waiting for database to be ready...",
                 "✅ Database is ready", "🎉 Startup completed, starting server..."):
        print(line, flush=True)
    for msg in ("Loading Express app...", "Setting up security middleware...",
                "Memory-based rate limiting configured", "Setting up API routes...", "API routes configured",
                "Starting HTTP server on port %d..." % PORT):
        log("info", msg)
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    server.daemon_threads = True

    def stop(signum, frame):
        log("info", "SIGTERM received, shutting down gracefully...")
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log("info", "Server running on port %d" % PORT, environment="production",
        backendUrl="http://127.0.0.1:%d" % PORT, socketIo="initialized")
    print("📝 Environment: production", flush=True)
    server.serve_forever()
    server.server_close()
    log("info", "HTTP server closed")
    log("info", "Database disconnected")


if __name__ == "__main__":
    main()
