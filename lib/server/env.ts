import 'server-only';
import { z } from 'zod';

const durationSeconds = z.coerce.number().int().positive();

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: z
      .string()
      .url()
      .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL')
      .optional(),
    PGLITE_DATA_DIR: z.string().min(1).default('./.data/pglite'),
    /**
     * Where document ciphertext is kept (lib/server/blob-store.ts): 'filesystem' (files under
     * BLOB_DIR), 'database' (bytea rows, shared by every instance of a PostgreSQL deployment) or
     * 's3' (an S3-compatible object store: AWS S3, Cloudflare R2, MinIO, Ceph RGW).
     */
    BLOB_STORE: z.enum(['filesystem', 'database', 's3']).default('filesystem'),
    BLOB_DIR: z.string().min(1).default('./.data/blobs'),
    /** The store's service root; absent means AWS S3 in S3_REGION. */
    S3_ENDPOINT: z
      .string()
      .url()
      .refine((v) => /^https?:\/\//.test(v) && !new URL(v).search && !new URL(v).username, 'must be an http(s):// URL without credentials or query')
      .optional(),
    S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)').optional(),
    /** `auto` for Cloudflare R2; any value for MinIO (it must match the server's). */
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** 'true' for servers that address buckets by path (MinIO, Ceph, most self-hosted stores). */
    S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
    ORIGIN: z
      .string()
      .url()
      .refine((v) => !new URL(v).pathname.replace(/\/$/, ''), 'must be an origin without a path')
      .optional(),
    RP_ID: z.string().min(1).optional(),
    RP_NAME: z.string().min(1).default('zkinvoice'),
    SESSION_IDLE_SECONDS: durationSeconds.default(60 * 60),
    SESSION_ABSOLUTE_SECONDS: durationSeconds.default(12 * 60 * 60),
    AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
    /** Largest document accepted, in bytes of plaintext (default 100 MiB). */
    MAX_DOCUMENT_BYTES: z.coerce.number().int().positive().default(100 * 1024 * 1024),
    /** How long an unfinished upload is kept before it is deleted. */
    UPLOAD_TTL_SECONDS: durationSeconds.default(24 * 60 * 60),
    /**
     * Ciphertext bytes an organization may store unless an admin sets its own quota (default 5 GiB);
     * 0, set explicitly, means unlimited. A plain byte count, so a typo like "10GB" fails at start-up.
     */
    DEFAULT_ORG_QUOTA_BYTES: z.coerce.number().int('must be a whole number of bytes').nonnegative('must be 0 (unlimited) or more').max(Number.MAX_SAFE_INTEGER).default(5 * 1024 ** 3),
    /** Uploads an organization may have open (started, not yet sent or expired) at once. */
    MAX_OPEN_UPLOADS_PER_ORG: z.coerce.number().int().positive().default(20),
    /** State-changing requests one account (or, signed out, one client address) may make per minute. */
    WRITE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
    /** Upload parts (1 MiB each) one account may store per minute. */
    PART_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(3000),
    /** How often each instance prunes expired challenges, sessions, rate-limit rows and abandoned uploads. */
    PRUNE_INTERVAL_SECONDS: durationSeconds.default(10 * 60),
    /**
     * Bearer token that GET /api/metrics requires (Prometheus' `authorization.credentials`); unset
     * turns the endpoint off. At least 32 characters, e.g. `openssl rand -hex 32`.
     */
    METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
    /** Where to report a vulnerability in this deployment (/.well-known/security.txt): a mailto: or https: URI. */
    SECURITY_CONTACT: z
      .string()
      .refine((v) => /^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/.test(v), 'must be a mailto: or https: URI')
      .optional(),
    /** A page with this deployment's disclosure policy (security.txt `Policy:`). */
    SECURITY_POLICY_URL: z.string().url().refine((v) => v.startsWith('https://'), 'must be an https: URL').optional(),
    /** How long a SIGTERM waits for requests in flight before cutting them (scripts/server.mjs). */
    SHUTDOWN_TIMEOUT_SECONDS: durationSeconds.default(30),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** 'true' only behind a reverse proxy that appends the client address to X-Forwarded-For. */
    TRUST_PROXY: z.enum(['true', 'false']).default('false'),
    /** Optional file (written mode 0600) that also receives the first-admin setup link. */
    SETUP_LINK_FILE: z.string().min(1).optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /**
     * Outgoing mail server, e.g. smtp://user:pass@mail.example.com:587 or smtps://…:465. Without
     * it, each message is written as an .eml file under OUTBOX_DIR and announced on the console.
     */
    SMTP_URL: z
      .string()
      .url()
      .refine((v) => /^smtps?:\/\//.test(v), 'must be an smtp:// or smtps:// URL')
      .optional(),
    /** The From: of every message; defaults to no-reply at the portal's host. */
    MAIL_FROM: z.string().min(3).optional(),
    OUTBOX_DIR: z.string().min(1).default('./.data/outbox'),
  })
  .transform((env) => {
    const origin = new URL(env.ORIGIN ?? `http://localhost:${env.PORT}`).origin;
    const host = new URL(origin).hostname;
    return { ...env, ORIGIN: origin, RP_ID: env.RP_ID ?? host, MAIL_FROM: env.MAIL_FROM ?? `zkinvoice <no-reply@${host.includes('.') ? host : `${host}.localdomain`}>` };
  })
  .refine((env) => new URL(env.ORIGIN).hostname === env.RP_ID || new URL(env.ORIGIN).hostname.endsWith(`.${env.RP_ID}`), {
    message: 'RP_ID must be the host of ORIGIN or a registrable suffix of it',
    path: ['RP_ID'],
  })
  .superRefine((env, context) => {
    if (env.BLOB_STORE !== 's3') return;
    for (const name of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
      if (!env[name]) context.addIssue({ code: 'custom', path: [name], message: 'is required when BLOB_STORE=s3' });
    }
  })
  .refine((env) => env.SESSION_ABSOLUTE_SECONDS >= env.SESSION_IDLE_SECONDS, {
    message: 'must be at least SESSION_IDLE_SECONDS',
    path: ['SESSION_ABSOLUTE_SECONDS'],
  });

export type Env = z.infer<typeof envSchema>;

/** Parses the environment; a missing or malformed value names the variable and why. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
}

let cached: Env | null = null;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
