-- Reservations are decided in memory by each pool's Orleans grain (Vox.Grains/Capacity/CapacityGrain.cs): the
-- vox_reserve and vox_reserve_batch functions of 0001, 0007, 0008 and 0010 have no caller. Every overload goes (0008 added
-- one with a p_worker parameter beside the first). The workers table stays: it is the pool's registry of workers, read
-- by a new activation after a failover.
DO $$
DECLARE
    f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = current_schema() AND p.proname IN ('vox_reserve', 'vox_reserve_batch')
    LOOP
        EXECUTE 'DROP FUNCTION ' || f.signature;
    END LOOP;
END
$$;
