DROP INDEX "invoices_supplier_page_idx";--> statement-breakpoint
DROP INDEX "invoices_customer_page_idx";--> statement-breakpoint
CREATE INDEX "invoices_supplier_page_idx" ON "invoices" USING btree ("supplier_org_id","id","customer_org_id","status","created_at","updated_at","manifest_sha256","header_sha256");--> statement-breakpoint
CREATE INDEX "invoices_customer_page_idx" ON "invoices" USING btree ("customer_org_id","id","supplier_org_id","status","created_at","updated_at","manifest_sha256","header_sha256");