-- Orleans clustering (Microsoft.Orleans.Clustering.AdoNet, invariant Npgsql) on the same PostgreSQL as Vox's tables.
-- The provider ships no SQL: at start it reads every query it issues from OrleansQuery (QueryKey -> QueryText) and
-- from then on only binds parameters by name (@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
-- @Status, @ProxyPort, @SuspectTimes, @StartTime, @IAmAliveTime, @Version) and reads result columns by name.
-- The query texts below are Vox's, written to that contract (docs/orleans.md); the table and column names the
-- provider never sees are Vox's to choose. DeploymentId is Orleans' ClusterId.
--
-- Conditional writes (insert a silo row, update a silo row) succeed only if the table version the caller read is
-- still current, and then bump it: that optimistic check is what makes membership changes linearizable. A write
-- that loses must leave nothing behind, so each function undoes its own work by raising inside a sub-block (a
-- savepoint) rather than with ASSERT, which a server may have switched off (plpgsql.check_asserts).
CREATE TABLE OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,
    CONSTRAINT orleans_query_pk PRIMARY KEY (QueryKey)
);

CREATE TABLE orleans_membership_version
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,
    CONSTRAINT orleans_membership_version_pk PRIMARY KEY (DeploymentId)
);

CREATE TABLE orleans_membership
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    CONSTRAINT orleans_membership_pk PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT orleans_membership_version_fk FOREIGN KEY (DeploymentId) REFERENCES orleans_membership_version (DeploymentId)
);

-- 1 when this call created the cluster's version row, 0 when it existed already (both are fine for the caller).
CREATE FUNCTION orleans_insert_membership_version(p_deployment_id varchar)
RETURNS TABLE (row_count integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_count integer;
BEGIN
    INSERT INTO orleans_membership_version (DeploymentId) VALUES (p_deployment_id) ON CONFLICT (DeploymentId) DO NOTHING;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN QUERY SELECT v_count;
END
$$;

CREATE FUNCTION orleans_insert_membership(
    p_deployment_id varchar, p_address varchar, p_port integer, p_generation integer, p_silo_name varchar, p_host_name varchar,
    p_status integer, p_proxy_port integer, p_start_time timestamptz, p_i_am_alive_time timestamptz, p_version integer)
RETURNS TABLE (row_count integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_count integer;
BEGIN
    BEGIN
        INSERT INTO orleans_membership (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
        VALUES (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port, p_start_time, p_i_am_alive_time)
        ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
        GET DIAGNOSTICS v_count = ROW_COUNT;
        IF v_count = 0 THEN
            RETURN QUERY SELECT 0;
            RETURN;
        END IF;

        UPDATE orleans_membership_version SET Timestamp = now(), Version = Version + 1
        WHERE DeploymentId = p_deployment_id AND Version = p_version;
        GET DIAGNOSTICS v_count = ROW_COUNT;
        IF v_count = 0 THEN
            RAISE EXCEPTION 'stale membership version' USING ERRCODE = 'VX409';
        END IF;
    EXCEPTION WHEN SQLSTATE 'VX409' THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END;
    RETURN QUERY SELECT 1;
END
$$;

CREATE FUNCTION orleans_update_membership(
    p_deployment_id varchar, p_address varchar, p_port integer, p_generation integer, p_status integer, p_suspect_times varchar,
    p_i_am_alive_time timestamptz, p_version integer)
RETURNS TABLE (row_count integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_count integer;
BEGIN
    BEGIN
        UPDATE orleans_membership_version SET Timestamp = now(), Version = Version + 1
        WHERE DeploymentId = p_deployment_id AND Version = p_version;
        GET DIAGNOSTICS v_count = ROW_COUNT;
        IF v_count = 0 THEN
            RETURN QUERY SELECT 0;
            RETURN;
        END IF;

        UPDATE orleans_membership SET Status = p_status, SuspectTimes = p_suspect_times, IAmAliveTime = p_i_am_alive_time
        WHERE DeploymentId = p_deployment_id AND Address = p_address AND Port = p_port AND Generation = p_generation;
        GET DIAGNOSTICS v_count = ROW_COUNT;
        IF v_count = 0 THEN
            RAISE EXCEPTION 'no such silo row' USING ERRCODE = 'VX409';
        END IF;
    EXCEPTION WHEN SQLSTATE 'VX409' THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END;
    RETURN QUERY SELECT 1;
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', '
    SELECT row_count FROM orleans_insert_membership_version(@DeploymentId)'),

('InsertMembershipKey', '
    SELECT row_count FROM orleans_insert_membership(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)'),

('UpdateMembershipKey', '
    SELECT row_count FROM orleans_update_membership(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
        @IAmAliveTime, @Version)'),

-- A heartbeat: no version check and no version bump (liveness is not a membership change).
('UpdateIAmAlivetimeKey', '
    UPDATE orleans_membership SET IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation'),

-- The version row is returned even when the silo row does not exist (LEFT JOIN), as the provider expects.
('MembershipReadRowKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
           m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m ON m.DeploymentId = v.DeploymentId
        AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId'),

('MembershipReadAllKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
           m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId'),

('DeleteMembershipTableEntriesKey', '
    DELETE FROM orleans_membership WHERE DeploymentId = @DeploymentId;
    DELETE FROM orleans_membership_version WHERE DeploymentId = @DeploymentId'),

-- Status 3 is SiloStatus.Active: clients connect only to active silos with a gateway port.
('GatewaysQueryKey', '
    SELECT Address, ProxyPort, Generation
    FROM orleans_membership
    WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0'),

-- Status 6 is SiloStatus.Dead: only rows of dead silos that nobody suspects and that were last seen before the cut-off.
('CleanupDefunctSiloEntriesKey', '
    DELETE FROM orleans_membership
    WHERE DeploymentId = @DeploymentId AND Status = 6 AND IAmAliveTime < @IAmAliveTime AND StartTime < @IAmAliveTime
        AND coalesce(SuspectTimes, '''') = '''''),

-- One dead row, only if it is still exactly the row the caller read (no concurrent change).
('CleanupDefunctSiloEntryKey', '
    DELETE FROM orleans_membership
    WHERE DeploymentId = @DeploymentId AND Status = 6
        AND Address = @Address AND Port = @Port AND Generation = @Generation
        AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
        AND SuspectTimes IS NOT DISTINCT FROM @SuspectTimes');
