-- Group commit for slot reservation: the reservations one silo has queued for a pool are decided in one round
-- trip (one statement, one transaction) instead of one each. Every rule is vox_reserve's own, applied in array
-- order: later entries see earlier ones' reservations (same transaction), so the tenant cap, the inbound reserve
-- and call-id idempotency hold inside a batch exactly as they do between single calls.
-- The row locks vox_reserve would take one entry at a time are taken up front in one order (pool row, then the
-- capped tenants sorted by id), so two batches never wait on each other in opposite orders.
CREATE FUNCTION vox_reserve_batch(p_pool text, p_tenants text[], p_calls text[], p_directions text[],
                                  p_inbound_reserve_ratio double precision, p_reservation_ttl_ms bigint)
RETURNS TABLE (r_index integer, r_outcome text, r_worker_id text, r_host text, r_media_url text, r_rtp_address text,
               r_reservation_expires_at bigint, r_count bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_i integer;
BEGIN
    IF cardinality(p_tenants) <> cardinality(p_calls) OR cardinality(p_calls) <> cardinality(p_directions) THEN
        RAISE EXCEPTION 'vox_reserve_batch: tenants, calls and directions must have the same length';
    END IF;
    IF 'outbound' = ANY(p_directions) THEN
        PERFORM 1 FROM capacity_pools cp WHERE cp.pool = p_pool FOR UPDATE;
    END IF;
    PERFORM 1 FROM tenants t WHERE t.id = ANY(p_tenants) AND t.max_concurrent_calls IS NOT NULL ORDER BY t.id FOR UPDATE;

    FOR v_i IN 1 .. coalesce(cardinality(p_calls), 0) LOOP
        RETURN QUERY SELECT v_i, r.r_outcome, r.r_worker_id, r.r_host, r.r_media_url, r.r_rtp_address, r.r_reservation_expires_at, r.r_count
            FROM vox_reserve(p_pool, p_tenants[v_i], p_calls[v_i], p_directions[v_i], p_inbound_reserve_ratio, p_reservation_ttl_ms) r;
    END LOOP;
END
$$;
