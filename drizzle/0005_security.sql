CREATE TABLE `audit_events` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`at` integer NOT NULL,
	`actor_id` text,
	`actor_name` text NOT NULL,
	`actor_email` text DEFAULT '' NOT NULL,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text,
	`entity_label` text DEFAULT '' NOT NULL,
	`changes` text DEFAULT '[]' NOT NULL,
	`request_id` text
);
--> statement-breakpoint
CREATE INDEX `audit_events_tenant_at` ON `audit_events` (`tenant_id`,`at`);--> statement-breakpoint
ALTER TABLE `sessions` ADD `last_seen_at` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `session_idle_minutes` integer DEFAULT 120 NOT NULL;