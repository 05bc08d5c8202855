CREATE TABLE "instance_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"registration" text DEFAULT 'open' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "instance_settings_single_row" CHECK ("instance_settings"."id"),
	CONSTRAINT "instance_settings_registration" CHECK ("instance_settings"."registration" in ('open', 'invitation'))
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "quota_bytes" bigint;--> statement-breakpoint
ALTER TABLE "setup_tokens" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "setup_tokens" ADD COLUMN "used_by" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "setup_tokens_purpose_idx" ON "setup_tokens" USING btree ("purpose","created_at");