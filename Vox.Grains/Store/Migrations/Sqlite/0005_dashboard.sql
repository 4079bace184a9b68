-- Dashboard: cluster admins list calls of every tenant newest first, and the live-calls view reads only calls not ended.
CREATE INDEX ix_calls_created ON calls (created_at DESC, id DESC);
CREATE INDEX ix_calls_live ON calls (state, created_at DESC) WHERE state <> 'ended';
