-- Vox store, PostgreSQL dialect. Times are milliseconds since the Unix epoch, taken from the server clock.
CREATE TABLE cluster_settings (
    name text PRIMARY KEY,
    value text NOT NULL,
    created_at bigint NOT NULL
);

CREATE TABLE tenants (
    id text PRIMARY KEY,
    name text NOT NULL,
    max_concurrent_calls integer NULL CHECK (max_concurrent_calls IS NULL OR max_concurrent_calls >= 0),
    created_at bigint NOT NULL
);

CREATE TABLE api_keys (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    name text NOT NULL,
    prefix text NOT NULL UNIQUE,
    key_hash bytea NOT NULL,
    is_admin boolean NOT NULL,
    created_at bigint NOT NULL,
    revoked_at bigint NULL
);
CREATE INDEX ix_api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE bots (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    version integer NOT NULL,
    name text NOT NULL,
    definition text NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    deleted_at bigint NULL
);
CREATE INDEX ix_bots_tenant ON bots (tenant_id, created_at DESC, id DESC);

CREATE TABLE bot_versions (
    bot_id text NOT NULL REFERENCES bots(id),
    version integer NOT NULL,
    definition text NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (bot_id, version)
);

CREATE TABLE phone_numbers (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    number text NOT NULL UNIQUE,
    bot_id text NULL REFERENCES bots(id),
    label text NULL,
    trunk text NULL,
    created_at bigint NOT NULL
);
CREATE INDEX ix_phone_numbers_tenant ON phone_numbers (tenant_id, created_at DESC, id DESC);

CREATE TABLE capacity_pools (
    pool text PRIMARY KEY,
    created_at bigint NOT NULL
);

-- One row per worker process; a worker carries at most one call, and a call sits on at most one worker.
CREATE TABLE workers (
    worker_id text PRIMARY KEY,
    pool text NOT NULL REFERENCES capacity_pools(pool),
    host text NOT NULL,
    media_url text NOT NULL,
    rtp_address text NULL,
    version text NULL,
    ttl_ms bigint NOT NULL,
    registered_at bigint NOT NULL,
    heartbeat_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    state text NOT NULL CHECK (state IN ('idle', 'reserved', 'busy')),
    call_id text NULL UNIQUE,
    tenant_id text NULL,
    direction text NULL,
    reserved_at bigint NULL,
    reservation_expires_at bigint NULL,
    last_released_at bigint NOT NULL DEFAULT 0,
    CHECK ((state = 'idle') = (call_id IS NULL))
);
CREATE INDEX ix_workers_pool_state ON workers (pool, state, last_released_at, worker_id);
CREATE INDEX ix_workers_tenant ON workers (tenant_id) WHERE tenant_id IS NOT NULL;

CREATE TABLE calls (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    bot_id text NOT NULL,
    bot_version integer NULL,
    direction text NOT NULL,
    transport text NOT NULL,
    from_number text NULL,
    to_number text NULL,
    state text NOT NULL CHECK (state IN ('queued', 'ringing', 'in_progress', 'ended')),
    worker_id text NULL,
    campaign_id text NULL,
    created_at bigint NOT NULL,
    ringing_at bigint NULL,
    answered_at bigint NULL,
    ended_at bigint NULL,
    end_reason text NULL,
    end_detail text NULL,
    result_id text NULL,
    recording_ref text NULL,
    metrics text NULL,
    analysis text NULL,
    metadata text NOT NULL DEFAULT '{}'
);
CREATE INDEX ix_calls_tenant ON calls (tenant_id, created_at DESC, id DESC);
CREATE INDEX ix_calls_tenant_bot ON calls (tenant_id, bot_id, created_at DESC);

CREATE TABLE call_events (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id text NOT NULL REFERENCES calls(id),
    type text NOT NULL,
    at bigint NOT NULL,
    data text NULL
);
CREATE INDEX ix_call_events_call ON call_events (call_id, seq);

CREATE TABLE call_turns (
    call_id text NOT NULL REFERENCES calls(id),
    seq integer NOT NULL,
    role text NOT NULL,
    text text NOT NULL,
    start_ms bigint NOT NULL,
    end_ms bigint NOT NULL,
    interrupted boolean NOT NULL,
    PRIMARY KEY (call_id, seq)
);

CREATE TABLE silos (
    silo_id text PRIMARY KEY,
    host text NOT NULL,
    http_url text NOT NULL,
    version text NULL,
    status text NOT NULL,
    ttl_ms bigint NOT NULL,
    started_at bigint NOT NULL,
    heartbeat_at bigint NOT NULL,
    expires_at bigint NOT NULL
);

CREATE TABLE reminders (
    grain_type text NOT NULL,
    grain_key text NOT NULL,
    name text NOT NULL,
    period_ms bigint NOT NULL CHECK (period_ms > 0),
    next_due_at bigint NOT NULL,
    claimed_by text NULL,
    claim_token text NULL,
    claim_expires_at bigint NULL,
    last_fired_at bigint NULL,
    last_fired_by text NULL,
    fire_count bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (grain_type, grain_key, name)
);
CREATE INDEX ix_reminders_due ON reminders (next_due_at);

CREATE TABLE reminder_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    grain_type text NOT NULL,
    grain_key text NOT NULL,
    name text NOT NULL,
    silo_id text NOT NULL,
    claim_token text NOT NULL,
    started_at bigint NOT NULL,
    finished_at bigint NULL,
    outcome text NULL
);
CREATE INDEX ix_reminder_runs_reminder ON reminder_runs (grain_type, grain_key, name, id);

CREATE TABLE idempotency_keys (
    tenant_id text NOT NULL,
    key text NOT NULL,
    fingerprint text NOT NULL,
    status_code integer NULL,
    content_type text NULL,
    body text NULL,
    created_at bigint NOT NULL,
    completed_at bigint NULL,
    PRIMARY KEY (tenant_id, key)
);

-- Slot reservation in one round trip (one statement, its own transaction). No two calls ever share a worker:
-- the worker row is locked and re-checked as idle. Only the checks that need a stable count serialise:
-- a capped tenant on its tenant row, an outbound call on the pool row (to keep the inbound reserve free).
-- Inbound calls of uncapped tenants take an idle worker with SKIP LOCKED and never wait on each other.
CREATE FUNCTION vox_reserve(p_pool text, p_tenant text, p_call text, p_direction text,
                            p_inbound_reserve_ratio double precision, p_reservation_ttl_ms bigint)
RETURNS TABLE (r_outcome text, r_worker_id text, r_host text, r_media_url text, r_rtp_address text, r_reservation_expires_at bigint, r_count bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_now bigint;
    v_cap integer;
    v_active integer;
    v_total integer;
    v_free integer;
    v_worker text;
BEGIN
    IF p_direction = 'outbound' THEN
        PERFORM 1 FROM capacity_pools cp WHERE cp.pool = p_pool FOR UPDATE;
    END IF;
    SELECT t.max_concurrent_calls INTO v_cap FROM tenants t WHERE t.id = p_tenant;
    IF v_cap IS NOT NULL THEN
        PERFORM 1 FROM tenants t WHERE t.id = p_tenant FOR UPDATE;
    END IF;
    v_now := (extract(epoch FROM clock_timestamp()) * 1000)::bigint;

    RETURN QUERY SELECT 'granted'::text, w.worker_id, w.host, w.media_url, w.rtp_address, w.reservation_expires_at, NULL::bigint
        FROM workers w WHERE w.call_id = p_call AND w.expires_at > v_now;
    IF FOUND THEN
        RETURN;
    END IF;

    IF v_cap IS NOT NULL THEN
        SELECT count(*) INTO v_active FROM workers w
            WHERE w.tenant_id = p_tenant AND w.call_id IS NOT NULL AND w.expires_at > v_now;
        IF v_active >= v_cap THEN
            RETURN QUERY SELECT 'tenant_limit'::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint, v_cap::bigint;
            RETURN;
        END IF;
    END IF;

    IF p_direction = 'outbound' THEN
        SELECT count(*), count(*) FILTER (WHERE w.state = 'idle') INTO v_total, v_free
            FROM workers w WHERE w.pool = p_pool AND w.expires_at > v_now;
        IF v_free > 0 AND v_free <= ceil(v_total * p_inbound_reserve_ratio) THEN
            RETURN QUERY SELECT 'inbound_reserve'::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint, v_free::bigint;
            RETURN;
        END IF;
    END IF;

    SELECT w.worker_id INTO v_worker FROM workers w
        WHERE w.pool = p_pool AND w.state = 'idle' AND w.expires_at > v_now
        ORDER BY w.last_released_at, w.worker_id LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF v_worker IS NULL THEN
        -- Every idle worker is locked for a moment (a heartbeat, a competing reservation): wait in line and re-check.
        SELECT w.worker_id INTO v_worker FROM workers w
            WHERE w.pool = p_pool AND w.state = 'idle' AND w.expires_at > v_now
            ORDER BY w.last_released_at, w.worker_id LIMIT 1 FOR UPDATE;
    END IF;
    IF v_worker IS NULL THEN
        RETURN QUERY SELECT 'no_capacity'::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::bigint;
        RETURN;
    END IF;

    RETURN QUERY
    UPDATE workers w SET state = 'reserved', call_id = p_call, tenant_id = p_tenant, direction = p_direction,
                         reserved_at = v_now, reservation_expires_at = v_now + p_reservation_ttl_ms
    WHERE w.worker_id = v_worker AND w.state = 'idle'
    RETURNING 'granted'::text, w.worker_id, w.host, w.media_url, w.rtp_address, w.reservation_expires_at, NULL::bigint;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'no_capacity'::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::bigint;
    END IF;
END
$$;
