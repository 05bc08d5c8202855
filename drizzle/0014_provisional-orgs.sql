CREATE TABLE "provisional_orgs" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"supplier_org_id" uuid NOT NULL,
	"created_by" uuid,
	"claim_auth_hash" "bytea" NOT NULL,
	"sealed_record" "bytea" NOT NULL,
	"record_key_version" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"claimed_at" timestamp with time zone,
	"claimed_by" uuid
);
--> statement-breakpoint
ALTER TABLE "provisional_orgs" ADD CONSTRAINT "provisional_orgs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisional_orgs" ADD CONSTRAINT "provisional_orgs_supplier_org_id_organizations_id_fk" FOREIGN KEY ("supplier_org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisional_orgs" ADD CONSTRAINT "provisional_orgs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisional_orgs" ADD CONSTRAINT "provisional_orgs_claimed_by_users_id_fk" FOREIGN KEY ("claimed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "provisional_orgs_supplier_idx" ON "provisional_orgs" USING btree ("supplier_org_id");