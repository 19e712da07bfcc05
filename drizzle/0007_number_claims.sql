CREATE TABLE `waba_owners` (
	`waba_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `waba_owners_tenant` ON `waba_owners` (`tenant_id`);--> statement-breakpoint
ALTER TABLE `managed_numbers` ADD `proved_at` integer;--> statement-breakpoint
CREATE INDEX `managed_numbers_waba` ON `managed_numbers` (`waba_id`);--> statement-breakpoint
-- Existing numbers keep working as they are (proved_at stays NULL: never proved).
-- Each WABA they name goes to the tenant of its earliest number; a later tenant's
-- numbers naming the same WABA keep their waba_id, but webhooks for the WABA are
-- verified against the owner's numbers only (src/worker/webhook-secrets.ts).
INSERT OR IGNORE INTO `waba_owners` (`waba_id`, `tenant_id`, `created_at`)
  SELECT `waba_id`, `tenant_id`, `created_at` FROM `managed_numbers`
  WHERE `waba_id` IS NOT NULL ORDER BY `created_at`, `id`;
