CREATE TABLE "org_acceptances" (
	"invite_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"acceptance" jsonb NOT NULL,
	"invite_signature" text NOT NULL,
	"user_signature" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_chain_links" (
	"org_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"link" jsonb NOT NULL,
	"signature" text NOT NULL,
	"org_signature" text,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_chain_links_org_id_seq_pk" PRIMARY KEY("org_id","seq"),
	CONSTRAINT "org_chain_links_seq" CHECK ("org_chain_links"."seq" >= 0)
);
--> statement-breakpoint
CREATE TABLE "org_invitations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"role" text NOT NULL,
	"invite_public_key" text NOT NULL,
	"chain_seq" integer NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "org_secret_grants" (
	"org_id" uuid NOT NULL,
	"epoch" integer NOT NULL,
	"user_id" uuid NOT NULL,
	"sealed_org_secret" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_secret_grants_org_id_epoch_user_id_pk" PRIMARY KEY("org_id","epoch","user_id")
);
--> statement-breakpoint
CREATE TABLE "org_successions" (
	"org_id" uuid NOT NULL,
	"epoch" integer NOT NULL,
	"record" jsonb NOT NULL,
	"signature" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_successions_org_id_epoch_pk" PRIMARY KEY("org_id","epoch")
);
--> statement-breakpoint
ALTER TABLE "org_keys" ADD COLUMN "wrapped_previous_secret" "bytea";--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "active_org_id" uuid;--> statement-breakpoint
ALTER TABLE "org_acceptances" ADD CONSTRAINT "org_acceptances_invite_id_org_invitations_id_fk" FOREIGN KEY ("invite_id") REFERENCES "public"."org_invitations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_acceptances" ADD CONSTRAINT "org_acceptances_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_acceptances" ADD CONSTRAINT "org_acceptances_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_chain_links" ADD CONSTRAINT "org_chain_links_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_invitations" ADD CONSTRAINT "org_invitations_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_invitations" ADD CONSTRAINT "org_invitations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_secret_grants" ADD CONSTRAINT "org_secret_grants_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_secret_grants" ADD CONSTRAINT "org_secret_grants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_successions" ADD CONSTRAINT "org_successions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "org_acceptances_org_idx" ON "org_acceptances" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "org_acceptances_user_idx" ON "org_acceptances" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "org_invitations_org_idx" ON "org_invitations" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "org_secret_grants_user_idx" ON "org_secret_grants" USING btree ("user_id");--> statement-breakpoint
-- Existing one-person orgs: each member's sealed secret becomes its grant for the current epoch (added by hand before the drop).
INSERT INTO "org_secret_grants" ("org_id", "epoch", "user_id", "sealed_org_secret", "created_at") SELECT "org_id", "key_version", "user_id", "sealed_org_secret", "created_at" FROM "memberships";--> statement-breakpoint
ALTER TABLE "memberships" DROP COLUMN "sealed_org_secret";