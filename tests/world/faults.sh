# tests/world/faults.sh: fault, heal and traffic for tests/world/world (sourced by
# it; uses its settings and helpers).  Every fault is reversible and leaves a file
# in $D/faults while active, so `world status` lists it.  See README, "Faults".

svc_ok() { case " $SERVICES " in *" $1 "*) ;; *) die "unknown service: $1 (one of: $SERVICES)" ;; esac; }
num_ok() { [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ] || die "bad number '$1' (want $2..$3)"; }
health_of() { docker inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{end}}' "warungin-$1" 2>/dev/null; }
is_health() { [ "$(health_of "$1")" = "$2" ]; }
restarted() { # restarted SVC COUNT STARTED: running again, with a higher count and a new start time
	local c t st
	read -r c t st < <(docker inspect -f '{{.RestartCount}} {{.State.StartedAt}} {{.State.Status}}' "warungin-$1")
	[ "$c" -gt "$2" ] && [ "$t" != "$3" ] && [ "$st" = running ]
}
mark() { printf '%s\n' "$2" >"$D/faults/$1.tmp" && mv "$D/faults/$1.tmp" "$D/faults/$1"; }
rcli() { REDISCLI_AUTH=$(secret redis.password) redis-cli -p "$P_REDIS" "$@"; }
products_burst() { # products_burst N: N product lists as the cashier, through nginx
	local tok i n=$1
	tok=$(token cashier@warungin.com)
	[ -n "$tok" ] || die "cannot log in as cashier"
	for ((i = 0; i < n; i++)); do
		hit -H "Authorization: Bearer $tok" "http://127.0.0.1:$P_NGINX/api/products?page=1&limit=20" >/dev/null
	done
}
backend_admin() { CURL_BODY=/dev/null hit -X POST "http://127.0.0.1:$P_BACKEND/__world/$1" >/dev/null; }
disk_fill() {
	local pct=$1 size used want
	read -r size used < <(df -B1 --output=size,used "$D/disk" | tail -n 1)
	want=$((size * pct / 100 - used))
	[ "$want" -gt 0 ] && fallocate -l "$want" "$D/disk/fill-$RANDOM.bin"
	return 0
}

cmd_fault() {
	local f=${1:-} name arg i tok code
	[ -n "$f" ] || die "fault: which one? (stop:SVC kill:SVC unhealthy:SVC errors:N slow:MS unauth-flood:N bruteforce:N 2fa-bypass cache-cold data-loss db-full disk:PCT)"
	engine_up || die "fault: the world at $D is not up"
	name=${f%%:*} arg=
	[ "$name" = "$f" ] || arg=${f#*:}
	case $name in
	stop)
		svc_ok "$arg"; docker stop -t 5 "warungin-$arg" >/dev/null; mark "stop-$arg" stopped ;;
	kill)
		svc_ok "$arg"
		local pid before started
		read -r before started pid < <(docker inspect -f '{{.RestartCount}} {{.State.StartedAt}} {{.State.Pid}}' "warungin-$arg")
		[ "$pid" -gt 0 ] || die "warungin-$arg is not running"
		kill -KILL "$pid"
		mark "kill-$arg" "restart count was $before"
		# Docker bumps RestartCount when it schedules the restart; wait until the
		# new process really runs (new StartedAt) so one sample sees the whole restart.
		wait_for $WAIT_START restarted "$arg" "$before" "$started" || die "warungin-$arg was not restarted by Docker"
		;;
	unhealthy)
		svc_ok "$arg"; mark "unhealthy-$arg" flag
		wait_for $WAIT_UNHEALTHY is_health "$arg" running/unhealthy || die "warungin-$arg did not turn unhealthy" ;;
	errors)
		num_ok "$arg" 1 10000
		mark errors "$arg"
		backend_admin "fail?n=$arg"
		for ((i = 0; i < arg; i++)); do hit "http://127.0.0.1:$P_NGINX/api/orders" >/dev/null; done ;;
	slow)
		num_ok "$arg" 1 60000
		mark slow "$arg"
		tok=$(token cashier@warungin.com)
		[ -n "$tok" ] || die "cannot log in as cashier"
		for i in 1 2 3; do
			hit -H "Authorization: Bearer $tok" "http://127.0.0.1:$P_NGINX/api/orders?limit=$i" >/dev/null &
		done
		wait ;;
	unauth-flood)
		num_ok "$arg" 1 10000
		mark unauth-flood "$arg from $FLOOD_IP"
		tok=$(token supervisor@warungin.com)
		[ -n "$tok" ] || die "cannot log in as supervisor"
		for ((i = 0; i < arg; i++)); do
			if ((i % 2)); then
				hit -H "X-Forwarded-For: $FLOOD_IP" -H "Authorization: Bearer $tok" \
					"http://127.0.0.1:$P_NGINX/api/orders?storeId=$STORE_DENIED" >/dev/null
			else
				hit -H "X-Forwarded-For: $FLOOD_IP" "http://127.0.0.1:$P_NGINX/api/orders" >/dev/null
			fi
		done ;;
	bruteforce)
		num_ok "$arg" 1 10000
		mark bruteforce "$arg from $BRUTE_IP"
		for ((i = 0; i < arg; i++)); do
			hit -H "X-Forwarded-For: $BRUTE_IP" -H 'Content-Type: application/json' -X POST \
				-d '{"email":"admin@warungin.com","password":"tebakan'$i'"}' "http://127.0.0.1:$P_NGINX/api/auth/login" >/dev/null
		done ;;
	2fa-bypass)
		mark 2fa-bypass on ;;
	no-security-headers)
		mark no-security-headers on
		: >"$D/nginx/headers.conf"
		docker kill -s HUP warungin-nginx >/dev/null ;;
	cache-cold)
		mark cache-cold on
		rcli FLUSHALL >/dev/null; rcli CONFIG RESETSTAT >/dev/null
		products_burst 20 ;;
	data-loss)
		[ -e "$D/faults/data-loss" ] && die "data-loss is already active (heal it first)"
		psql_su -d warungin -c "CREATE SCHEMA wm_world_fault;
			CREATE TABLE wm_world_fault.orders AS SELECT * FROM orders WHERE id % 2 = 0;
			CREATE TABLE wm_world_fault.order_items AS
			  SELECT i.* FROM order_items i JOIN wm_world_fault.orders o ON o.id = i.order_id;
			DELETE FROM orders WHERE id IN (SELECT id FROM wm_world_fault.orders);
			ANALYZE orders;" >/dev/null
		mark data-loss "$(psql_su -d warungin -Atc 'SELECT count(*) FROM wm_world_fault.orders') orders deleted" ;;
	db-full)
		[ -e "$D/faults/db-full" ] && die "db-full is already active"
		rm -f "$D/run/dbhold.ready"
		setsid /usr/bin/python3 "$D/app/dbhold.py" "$P_PG" "$D/secrets/pg.password" "$D/run/dbhold.ready" \
			>"$D/logs/dbhold.log" 2>&1 </dev/null &
		echo $! >"$D/run/dbhold.pid"
		wait_for $WAIT_START test -s "$D/run/dbhold.ready" || die "db-full: the connection holder did not report"
		mark db-full "$(cat "$D/run/dbhold.ready") connections held" ;;
	disk)
		num_ok "$arg" 1 100
		mark disk "$arg%"
		disk_fill "$arg" ;;
	*) die "unknown fault: $f" ;;
	esac
	say "fault $f: active"
}

cmd_heal() {
	local f=${1:-} name arg
	[ -n "$f" ] || die "heal: which one? (a fault name, or all)"
	if [ "$f" = all ]; then
		local g
		for g in "$D"/faults/*; do
			[ -e "$g" ] || continue
			g=${g##*/}
			case $g in stop-* | kill-* | unhealthy-*) cmd_heal "${g%%-*}:${g#*-}" ;; *) cmd_heal "$g" ;; esac
		done
		wait_healthy $WAIT_HEALTHY || die "heal all: not all containers are healthy"
		return 0
	fi
	name=${f%%:*} arg=
	[ "$name" = "$f" ] || arg=${f#*:}
	case $name in
	stop)
		svc_ok "$arg"; docker start "warungin-$arg" >/dev/null; rm -f "$D/faults/stop-$arg"
		wait_for $WAIT_HEALTHY is_health "$arg" running/healthy || die "warungin-$arg did not become healthy" ;;
	kill)
		svc_ok "$arg"; rm -f "$D/faults/kill-$arg"
		wait_for $WAIT_HEALTHY is_health "$arg" running/healthy || die "warungin-$arg did not become healthy" ;;
	unhealthy)
		svc_ok "$arg"; rm -f "$D/faults/unhealthy-$arg"
		wait_for $WAIT_HEALTHY is_health "$arg" running/healthy || die "warungin-$arg did not become healthy" ;;
	errors)
		backend_admin "fail?n=0"; rm -f "$D/faults/errors" ;;
	slow | 2fa-bypass | unauth-flood)
		rm -f "$D/faults/$name" ;;
	no-security-headers)
		security_headers >"$D/nginx/headers.conf"
		docker kill -s HUP warungin-nginx >/dev/null
		rm -f "$D/faults/no-security-headers" ;;
	bruteforce)
		backend_admin "reset-ratelimit?ip=$BRUTE_IP"; rm -f "$D/faults/bruteforce" ;;
	cache-cold)
		rm -f "$D/faults/cache-cold"
		rcli CONFIG RESETSTAT >/dev/null
		products_burst 20 ;;
	data-loss)
		if [ -n "$(psql_su -d warungin -Atc "SELECT 1 FROM pg_namespace WHERE nspname = 'wm_world_fault'")" ]; then
			psql_su -d warungin -c "INSERT INTO orders SELECT * FROM wm_world_fault.orders ON CONFLICT DO NOTHING;
				INSERT INTO order_items SELECT * FROM wm_world_fault.order_items ON CONFLICT DO NOTHING;
				SET client_min_messages = warning; DROP SCHEMA wm_world_fault CASCADE; ANALYZE orders;" >/dev/null
		fi
		rm -f "$D/faults/data-loss" ;;
	db-full)
		stop_pid "$(pidof_file "$D/run/dbhold.pid")"
		rm -f "$D/run/dbhold.pid" "$D/run/dbhold.ready" "$D/faults/db-full" ;;
	disk)
		rm -f "$D"/disk/fill-*.bin "$D/faults/disk" ;;
	*) die "unknown fault: $f" ;;
	esac
	say "heal $f: done"
}

# ------------------------------------------------------------- cache-hits ----
# cache-hits N: N lookups that hit, on a key of the world's own (set first), and
# nothing else: a test that judges a hit rate makes the window it judges
# (a sample, cache-hits, the judged run) instead of inheriting what the tests
# before it left in Redis.
cmd_cache_hits() {
	local n=${1:-20} i
	num_ok "$n" 1 10000
	engine_up || die "cache-hits: the world at $D is not up"
	rcli SET wm-world:cache-hits 1 EX 600 >/dev/null
	for ((i = 0; i < n; i++)); do
		printf 'GET wm-world:cache-hits\n'
	done | rcli >/dev/null
	say "cache-hits: $n hits"
}

# ---------------------------------------------------------------- traffic ----
cmd_traffic() {
	local rate=5 dur=10
	while [ $# -gt 0 ]; do
		case $1 in
		--rate) rate=${2:-}; shift 2 ;;
		--duration) dur=${2:-}; shift 2 ;;
		*) die "traffic: unknown option $1" ;;
		esac
	done
	num_ok "$rate" 1 200; num_ok "$dur" 1 3600
	local total=$((rate * dur)) u=http://127.0.0.1:$P_NGINX i code tok tok_sup end
	tok=$(token cashier@warungin.com) tok_sup=$(token supervisor@warungin.com)
	[ -n "$tok" ] || die "traffic: cannot log in"
	local t0us now due
	t0us=${EPOCHREALTIME/./}
	end=$((SECONDS + dur + 5))
	declare -A seen=()
	for ((i = 0; i < total && SECONDS < end; i++)); do
		case $((i % 12)) in
		0 | 1 | 2 | 3) code=$(hit -H "Authorization: Bearer $tok" "$u/api/products?page=$((i % 3 + 1))&limit=20") ;;
		4 | 5) code=$(hit -H "Authorization: Bearer $tok" "$u/api/orders") ;;
		6) code=$(hit -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' -X POST \
			-d "{\"items\":[{\"productId\":$((i % 20 + 1)),\"quantity\":$((i % 3 + 1))}]}" "$u/api/orders") ;;
		7) code=$(hit -H 'Content-Type: application/json' -X POST \
			-d '{"email":"cashier@warungin.com","password":"password123"}' "$u/api/auth/login") ;;
		8) code=$(hit -H "X-Forwarded-For: 203.0.113.$((i % 200 + 1))" -H 'Content-Type: application/json' -X POST \
			-d '{"email":"cashier@warungin.com","password":"salah123"}' "$u/api/auth/login") ;;
		9) code=$(hit -H "Authorization: Bearer $tok_sup" "$u/api/orders?storeId=a1000000-0000-4000-8000-000000000001") ;;
		10) code=$(hit "$u/health") ;;
		*) code=$(hit "$u/") ;;
		esac
		seen[$code]=$((${seen[$code]:-0} + 1))
		# pace by the clock: request i+1 is due at start + (i+1)/rate
		now=${EPOCHREALTIME/./} due=$((t0us + (i + 1) * 1000000 / rate))
		((due > now)) && sleep "$(printf '%d.%06d' $(((due - now) / 1000000)) $(((due - now) % 1000000)))"
	done
	local out="" k
	for k in "${!seen[@]}"; do out="$out $k:${seen[$k]}"; done
	say "traffic: $i requests in $dur s at $rate/s; status counts:$out"
}

