CREATE TABLE "org_former_members" (
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"removed_at" timestamp with time zone NOT NULL,
	"key_version" integer NOT NULL,
	"certificate" jsonb NOT NULL,
	"certificate_signature" text NOT NULL,
	CONSTRAINT "org_former_members_org_id_user_id_pk" PRIMARY KEY("org_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "org_former_members" ADD CONSTRAINT "org_former_members_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_former_members" ADD CONSTRAINT "org_former_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;