import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('parseEnv', () => {
  it('defaults to the embedded database on localhost:3000', () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.ORIGIN).toBe('http://localhost:3000');
    expect(env.RP_ID).toBe('localhost');
  });

  it.each([
    [{ DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ ORIGIN: 'https://invoices.example.com/portal' }, 'ORIGIN'],
    [{ ORIGIN: 'https://invoices.example.com', RP_ID: 'other.example' }, 'RP_ID'],
    [{ SESSION_IDLE_SECONDS: 'soon' }, 'SESSION_IDLE_SECONDS'],
    [{ SESSION_IDLE_SECONDS: '7200', SESSION_ABSOLUTE_SECONDS: '3600' }, 'SESSION_ABSOLUTE_SECONDS'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY'],
    [{ BLOB_STORE: 'ftp' }, 'BLOB_STORE'],
    [{ BLOB_STORE: 's3' }, 'S3_BUCKET'],
    [{ BLOB_STORE: 's3', S3_BUCKET: 'invoices', S3_ACCESS_KEY_ID: 'id' }, 'S3_SECRET_ACCESS_KEY'],
    [{ S3_ENDPOINT: 'ftp://store.example' }, 'S3_ENDPOINT'],
    [{ S3_ENDPOINT: 'https://key:secret@store.example' }, 'S3_ENDPOINT'],
    [{ S3_BUCKET: 'Invoices_2026' }, 'S3_BUCKET'],
    [{ S3_FORCE_PATH_STYLE: 'yes' }, 'S3_FORCE_PATH_STYLE'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ SECURITY_CONTACT: 'security@example.com' }, 'SECURITY_CONTACT'],
    [{ SECURITY_POLICY_URL: 'http://example.com/policy' }, 'SECURITY_POLICY_URL'],
    [{ SHUTDOWN_TIMEOUT_SECONDS: '0' }, 'SHUTDOWN_TIMEOUT_SECONDS'],
    [{ DEFAULT_ORG_QUOTA_BYTES: '10GB' }, 'DEFAULT_ORG_QUOTA_BYTES'],
    [{ DEFAULT_ORG_QUOTA_BYTES: '-1' }, 'DEFAULT_ORG_QUOTA_BYTES'],
    [{ DEFAULT_ORG_QUOTA_BYTES: '1.5' }, 'DEFAULT_ORG_QUOTA_BYTES'],
    [{ MAX_OPEN_UPLOADS_PER_ORG: '0' }, 'MAX_OPEN_UPLOADS_PER_ORG'],
    [{ WRITE_RATE_LIMIT_PER_MINUTE: 'many' }, 'WRITE_RATE_LIMIT_PER_MINUTE'],
    [{ PRUNE_INTERVAL_SECONDS: '0' }, 'PRUNE_INTERVAL_SECONDS'],
  ])('names the bad variable in %o', (source, name) => {
    expect(() => parseEnv(source)).toThrow(new RegExp(`^Invalid configuration:\\n\\s+${name}:`));
  });

  it('keeps document ciphertext in files under ./.data/blobs unless told otherwise', () => {
    expect(parseEnv({})).toMatchObject({ BLOB_STORE: 'filesystem', BLOB_DIR: './.data/blobs' });
    expect(parseEnv({ BLOB_STORE: 'database', BLOB_DIR: '/srv/blobs' })).toMatchObject({ BLOB_STORE: 'database', BLOB_DIR: '/srv/blobs' });
  });

  it('reads an S3-compatible store from its variables, path style off unless asked', () => {
    const config = { BLOB_STORE: 's3', S3_BUCKET: 'zk-invoices', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret' };
    expect(parseEnv(config)).toMatchObject({ BLOB_STORE: 's3', S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: 'false' });
    expect(parseEnv({ ...config, S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: 'true', S3_REGION: 'auto' })).toMatchObject({ S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: 'true', S3_REGION: 'auto' });
  });

  it('reads the default organization quota as bytes: 5 GiB unless set, 0 set explicitly meaning unlimited', () => {
    expect(parseEnv({}).DEFAULT_ORG_QUOTA_BYTES).toBe(5 * 1024 ** 3);
    expect(parseEnv({ DEFAULT_ORG_QUOTA_BYTES: '0' }).DEFAULT_ORG_QUOTA_BYTES).toBe(0);
    expect(parseEnv({ DEFAULT_ORG_QUOTA_BYTES: '1073741824' }).DEFAULT_ORG_QUOTA_BYTES).toBe(1073741824);
  });

  it('derives the default origin from PORT', () => {
    expect(parseEnv({ PORT: '3050' })).toMatchObject({ ORIGIN: 'http://localhost:3050', RP_ID: 'localhost' });
  });

  it('accepts an RP ID that is a registrable suffix of the origin host', () => {
    expect(parseEnv({ ORIGIN: 'https://invoices.example.com/', RP_ID: 'example.com' })).toMatchObject({ ORIGIN: 'https://invoices.example.com', RP_ID: 'example.com' });
  });
});
