PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_customer_import_rows` (
	`import_id` text NOT NULL,
	`row_no` integer NOT NULL,
	`customer_id` text,
	`matched_by` text,
	`contact_key` text NOT NULL,
	`phone` text,
	`name` text,
	`authorized` integer,
	`bypass_bot` integer,
	`priority` integer,
	`default_skillset_id` text,
	`notes` text,
	`external_id` text,
	`keep_history` integer,
	`properties` text DEFAULT '{}' NOT NULL,
	PRIMARY KEY(`import_id`, `row_no`),
	FOREIGN KEY (`import_id`) REFERENCES `customer_imports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_customer_import_rows`("import_id", "row_no", "contact_key", "phone", "name", "authorized", "bypass_bot", "priority", "default_skillset_id", "notes", "external_id", "keep_history", "properties") SELECT "import_id", "row_no", "contact_key", "phone", "name", "authorized", "bypass_bot", "priority", "default_skillset_id", "notes", "external_id", "keep_history", "properties" FROM `customer_import_rows`;--> statement-breakpoint
DROP TABLE `customer_import_rows`;--> statement-breakpoint
ALTER TABLE `__new_customer_import_rows` RENAME TO `customer_import_rows`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `customer_import_rows_contact` ON `customer_import_rows` (`import_id`,`contact_key`);--> statement-breakpoint
CREATE INDEX `customer_import_rows_customer` ON `customer_import_rows` (`import_id`,`customer_id`);--> statement-breakpoint
ALTER TABLE `customer_imports` ADD `unchanged` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `customer_imports` ADD `kept_rows` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `customer_imports` ADD `previewed_at` integer;