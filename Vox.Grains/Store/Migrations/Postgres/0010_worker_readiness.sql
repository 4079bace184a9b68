-- A worker that cannot serve (its offline voice is not installed) registers as not ready, with the reason and the
-- command that fixes it: it shows in the fleet view but is never reserved. Rows from older workers are ready.
-- vox_reserve and vox_reserve_batch are those of 0008 with "AND w.ready" wherever they pick an idle worker or count
-- the pool for the inbound reserve (a worker that takes no calls must not widen the reserve either).
ALTER TABLE workers ADD COLUMN ready boolean NOT NULL DEFAULT true;
ALTER TABLE workers ADD COLUMN not_ready_reason text NULL;
ALTER TABLE workers ADD COLUMN not_ready_fix text NULL;

CREATE OR REPLACE FUNCTION vox_reserve(p_pool text, p_tenant text, p_call text, p_direction text,
                            p_inbound_reserve_ratio double precision, p_reservation_ttl_ms bigint, p_worker text DEFAULT NULL)
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
            FROM workers w WHERE w.pool = p_pool AND w.ready AND w.expires_at > v_now;
        IF v_free > 0 AND v_free <= ceil(v_total * p_inbound_reserve_ratio) THEN
            RETURN QUERY SELECT 'inbound_reserve'::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint, v_free::bigint;
            RETURN;
        END IF;
    END IF;

    IF p_worker IS NOT NULL THEN
        -- Handed over by vox_reserve_batch: idle when its transaction locked it, and still locked by it.
        v_worker := p_worker;
    ELSE
        SELECT w.worker_id INTO v_worker FROM workers w
            WHERE w.pool = p_pool AND w.state = 'idle' AND w.ready AND w.expires_at > v_now
            ORDER BY w.last_released_at, w.worker_id LIMIT 1 FOR UPDATE SKIP LOCKED;
    END IF;
    IF v_worker IS NULL THEN
        -- Every idle worker is locked for a moment (a heartbeat, a competing reservation): wait in line and re-check.
        SELECT w.worker_id INTO v_worker FROM workers w
            WHERE w.pool = p_pool AND w.state = 'idle' AND w.ready AND w.expires_at > v_now
            ORDER BY w.last_released_at, w.worker_id LIMIT 1 FOR UPDATE;
    END IF;
    IF v_worker IS NULL THEN
        RETURN QUERY SELECT 'no_capacity'::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::bigint;
        RETURN;
    END IF;

    RETURN QUERY
    UPDATE workers w SET state = 'reserved', call_id = p_call, tenant_id = p_tenant, direction = p_direction,
                         reserved_at = v_now, reservation_expires_at = v_now + p_reservation_ttl_ms
    WHERE w.worker_id = v_worker AND w.state = 'idle' AND w.ready AND w.expires_at > v_now
    RETURNING 'granted'::text, w.worker_id, w.host, w.media_url, w.rtp_address, w.reservation_expires_at, NULL::bigint;
    IF NOT FOUND AND p_worker IS NOT NULL THEN
        -- The handed-over worker's lease ran out since it was locked: pick as a lone reservation would.
        RETURN QUERY SELECT * FROM vox_reserve(p_pool, p_tenant, p_call, p_direction, p_inbound_reserve_ratio, p_reservation_ttl_ms);
    ELSIF NOT FOUND THEN
        RETURN QUERY SELECT 'no_capacity'::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::bigint;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION vox_reserve_batch(p_pool text, p_tenants text[], p_calls text[], p_directions text[],
                                             p_inbound_reserve_ratio double precision, p_reservation_ttl_ms bigint)
RETURNS TABLE (r_index integer, r_outcome text, r_worker_id text, r_host text, r_media_url text, r_rtp_address text,
               r_reservation_expires_at bigint, r_count bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_i integer;
    v_now bigint;
    v_workers text[] := '{}';
    v_next integer := 1;
    v_worker text;
BEGIN
    IF cardinality(p_tenants) <> cardinality(p_calls) OR cardinality(p_calls) <> cardinality(p_directions) THEN
        RAISE EXCEPTION 'vox_reserve_batch: tenants, calls and directions must have the same length';
    END IF;
    IF 'outbound' = ANY(p_directions) THEN
        PERFORM 1 FROM capacity_pools cp WHERE cp.pool = p_pool FOR UPDATE;
    END IF;
    PERFORM 1 FROM tenants t WHERE t.id = ANY(p_tenants) AND t.max_concurrent_calls IS NOT NULL ORDER BY t.id FOR UPDATE;

    v_now := (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
    FOR v_worker IN
        SELECT w.worker_id FROM workers w
        WHERE w.pool = p_pool AND w.state = 'idle' AND w.ready AND w.expires_at > v_now
        ORDER BY w.last_released_at, w.worker_id LIMIT coalesce(cardinality(p_calls), 0) FOR UPDATE SKIP LOCKED
    LOOP
        v_workers := v_workers || v_worker;
    END LOOP;

    FOR v_i IN 1 .. coalesce(cardinality(p_calls), 0) LOOP
        -- Past the locked workers v_workers[v_next] is NULL and vox_reserve picks (or waits) on its own.
        SELECT v_i, r.r_outcome, r.r_worker_id, r.r_host, r.r_media_url, r.r_rtp_address, r.r_reservation_expires_at, r.r_count
            INTO r_index, r_outcome, r_worker_id, r_host, r_media_url, r_rtp_address, r_reservation_expires_at, r_count
            FROM vox_reserve(p_pool, p_tenants[v_i], p_calls[v_i], p_directions[v_i], p_inbound_reserve_ratio, p_reservation_ttl_ms, v_workers[v_next]) r;
        IF r_outcome = 'granted' AND r_worker_id = v_workers[v_next] THEN
            v_next := v_next + 1;
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;
