-- The audit log becomes a hash chain (lib/shared/audit-chain.ts). Rows written before this
-- migration (no release exists yet) are renumbered 1..n in seq order, cut to whole milliseconds
-- and chained here in SQL. The JSON built below must stay byte-identical to canonicalAuditRow():
-- RFC 8785 JCS, keys in code-unit order; to_json(text) escapes strings as JSON.stringify does.
ALTER TABLE "audit_log" ALTER COLUMN "seq" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "seq" DROP DEFAULT;--> statement-breakpoint
DROP SEQUENCE IF EXISTS "audit_log_seq_seq";--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "prev_hash" "bytea";--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash" "bytea";--> statement-breakpoint
UPDATE "audit_log" SET "seq" = -r.n FROM (SELECT "seq" AS old, row_number() OVER (ORDER BY "seq") AS n FROM "audit_log") r WHERE "audit_log"."seq" = r.old;--> statement-breakpoint
UPDATE "audit_log" SET "seq" = -"seq", "at" = date_trunc('milliseconds', "at" at time zone 'UTC') at time zone 'UTC';--> statement-breakpoint
DO $$
DECLARE
  r record;
  prev bytea := decode(repeat('00', 32), 'hex');
  h bytea;
BEGIN
  FOR r IN SELECT * FROM "audit_log" ORDER BY "seq" LOOP
    h := sha256(prev || convert_to(
      '{"action":' || to_json(r.action)::text
      || ',"actorUserId":' || coalesce(to_json(r.actor_user_id::text)::text, 'null')
      || ',"at":' || to_json(to_char(r.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text
      || ',"credentialId":' || coalesce(to_json(r.credential_id)::text, 'null')
      || ',"ip":' || coalesce(to_json(r.ip)::text, 'null')
      || ',"objectId":' || coalesce(to_json(r.object_id)::text, 'null')
      || ',"objectType":' || coalesce(to_json(r.object_type)::text, 'null')
      || ',"outcome":' || to_json(r.outcome)::text
      || ',"reason":' || coalesce(to_json(r.reason)::text, 'null')
      || ',"seq":' || r.seq::text
      || ',"userAgent":' || coalesce(to_json(r.user_agent)::text, 'null')
      || '}', 'UTF8'));
    UPDATE "audit_log" SET "prev_hash" = prev, "hash" = h WHERE "seq" = r.seq;
    prev := h;
  END LOOP;
END $$;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "hash" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_seq_positive" CHECK ("audit_log"."seq" > 0);--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_at_whole_ms" CHECK (("audit_log"."at" at time zone 'UTC') = date_trunc('milliseconds', "audit_log"."at" at time zone 'UTC'));--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_hash_lengths" CHECK (octet_length("audit_log"."prev_hash") = 32 and octet_length("audit_log"."hash") = 32);
