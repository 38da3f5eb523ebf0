CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS list_pairs (
  pair_id INTEGER PRIMARY KEY,
  revocation_list_id TEXT NOT NULL UNIQUE,
  suspension_list_id TEXT NOT NULL UNIQUE,
  size_log2 INTEGER NOT NULL,
  added_at INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS status_lists (
  list_id TEXT PRIMARY KEY,
  purpose TEXT NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
  size_log2 INTEGER NOT NULL,
  created_tx TEXT,
  pair_id INTEGER REFERENCES list_pairs (pair_id)
) STRICT;

CREATE TABLE IF NOT EXISTS ledger_ops (
  op_id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('createList', 'revoke', 'suspend', 'reinstate')),
  list_id TEXT,
  purpose TEXT,
  size_log2 INTEGER,
  reason INTEGER,
  state TEXT NOT NULL CHECK (state IN ('prepared', 'confirmed', 'failed')),
  tx_hash TEXT NOT NULL UNIQUE,
  sender TEXT NOT NULL,
  nonce INTEGER NOT NULL,
  raw_tx TEXT NOT NULL,
  prepared_at INTEGER NOT NULL,
  resolved_at INTEGER,
  block_number INTEGER,
  outcome TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS ledger_ops_prepared ON ledger_ops (op_id) WHERE state = 'prepared';

CREATE TABLE IF NOT EXISTS credentials (
  seq INTEGER PRIMARY KEY,
  jti TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  type_version INTEGER NOT NULL,
  holder TEXT NOT NULL,
  pair_id INTEGER NOT NULL REFERENCES list_pairs (pair_id),
  list_index INTEGER NOT NULL,
  issued_at INTEGER NOT NULL,
  valid_from INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
  pending_op INTEGER REFERENCES ledger_ops (op_id),
  claims TEXT,
  UNIQUE (pair_id, list_index)
) STRICT;
CREATE INDEX IF NOT EXISTS credentials_holder ON credentials (holder, seq);
CREATE INDEX IF NOT EXISTS credentials_type_status ON credentials (type, status, seq);
CREATE INDEX IF NOT EXISTS credentials_status ON credentials (status, seq);

CREATE TABLE IF NOT EXISTS status_history (
  id INTEGER PRIMARY KEY,
  credential_seq INTEGER NOT NULL REFERENCES credentials (seq),
  action TEXT NOT NULL CHECK (action IN ('revoke', 'suspend', 'reinstate')),
  reason INTEGER,
  source TEXT NOT NULL CHECK (source IN ('issuer', 'ledger')),
  op_id INTEGER REFERENCES ledger_ops (op_id),
  state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'failed')),
  requested_at INTEGER NOT NULL,
  resolved_at INTEGER,
  tx_hash TEXT,
  block_number INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS status_history_credential ON status_history (credential_seq, id);
CREATE INDEX IF NOT EXISTS status_history_op ON status_history (op_id);
