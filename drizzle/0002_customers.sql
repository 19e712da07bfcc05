ALTER TABLE `customers` ADD `bypass_bot` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `notes` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `external_id` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `keep_history` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `authorized_by` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `authorized_at` integer;--> statement-breakpoint
ALTER TABLE `customers` ADD `properties` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `version` integer DEFAULT 1 NOT NULL;