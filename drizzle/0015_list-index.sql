CREATE TABLE "list_index_segments" (
	"org_id" uuid NOT NULL,
	"epoch" integer NOT NULL,
	"segment_id" uuid NOT NULL,
	"ciphertext" "bytea" NOT NULL,
	"record_count" integer NOT NULL,
	"created_by_user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "list_index_segments_org_id_epoch_segment_id_pk" PRIMARY KEY("org_id","epoch","segment_id")
);
--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "manifest_sha256" "bytea";--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "header_sha256" "bytea";--> statement-breakpoint
ALTER TABLE "list_index_segments" ADD CONSTRAINT "list_index_segments_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_index_segments" ADD CONSTRAINT "list_index_segments_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
UPDATE "invoices" SET "header_sha256" = sha256("sealed_header");--> statement-breakpoint
-- The list hashes always describe the stored bytes: a manifest or sealed header changed by any
-- means drops its kept hash (the header's is recomputed here, the manifest's JCS hash on the next
-- compact list), so a list-index record bound to the old bytes no longer matches.
CREATE FUNCTION invoices_list_hashes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.manifest IS DISTINCT FROM OLD.manifest AND NEW.manifest_sha256 IS NOT DISTINCT FROM OLD.manifest_sha256 THEN
    NEW.manifest_sha256 := NULL;
  END IF;
  IF NEW.header_sha256 IS NULL OR (TG_OP = 'UPDATE' AND NEW.sealed_header IS DISTINCT FROM OLD.sealed_header) THEN
    NEW.header_sha256 := sha256(NEW.sealed_header);
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER invoices_list_hashes BEFORE INSERT OR UPDATE ON "invoices" FOR EACH ROW EXECUTE FUNCTION invoices_list_hashes();
