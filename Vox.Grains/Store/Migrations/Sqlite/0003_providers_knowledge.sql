-- Tenant secrets (provider keys, tool secrets), encrypted with AES-GCM under Secrets:Key; and knowledge bases searched
-- with FTS5 (BM25) over chunks, with optional embeddings (JSON arrays) for hybrid ranking.
CREATE TABLE tenant_secrets (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    key_id TEXT NOT NULL,               -- which Secrets:Key encrypted it (key rotation)
    ciphertext BLOB NOT NULL,           -- nonce (12) | tag (16) | ciphertext; the tenant and name are the associated data
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE knowledge_bases (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX ix_knowledge_bases_tenant ON knowledge_bases (tenant_id, created_at DESC);

CREATE TABLE knowledge_documents (
    id TEXT PRIMARY KEY,
    knowledge_base_id TEXT NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    chunks INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX ix_knowledge_documents_kb ON knowledge_documents (knowledge_base_id, created_at);

CREATE TABLE knowledge_chunks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,   -- the FTS5 rowid
    id TEXT NOT NULL UNIQUE,
    knowledge_base_id TEXT NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL REFERENCES knowledge_documents(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    heading TEXT NOT NULL,
    text TEXT NOT NULL,
    embedding TEXT NULL
);
CREATE INDEX ix_knowledge_chunks_kb ON knowledge_chunks (tenant_id, knowledge_base_id);

CREATE VIRTUAL TABLE knowledge_chunks_fts USING fts5(heading, text, content='knowledge_chunks', content_rowid='seq', tokenize='porter unicode61');

CREATE TRIGGER knowledge_chunks_ai AFTER INSERT ON knowledge_chunks BEGIN
    INSERT INTO knowledge_chunks_fts (rowid, heading, text) VALUES (new.seq, new.heading, new.text);
END;
CREATE TRIGGER knowledge_chunks_ad AFTER DELETE ON knowledge_chunks BEGIN
    INSERT INTO knowledge_chunks_fts (knowledge_chunks_fts, rowid, heading, text) VALUES ('delete', old.seq, old.heading, old.text);
END;
